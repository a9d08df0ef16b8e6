package flasky

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

const (
	srcArgs = iota
	srcForm
	srcAll
)

// Values reads request values by key, like Flask's request.args and
// request.form. Values are parsed on first use.
type Values struct {
	c      *Ctx
	src    uint8
	loaded bool
	v      url.Values
	err    error
}

func (v *Values) clear() {
	v.loaded, v.v, v.err = false, nil, nil
}

func (v *Values) load() url.Values {
	if v.loaded {
		return v.v
	}
	v.loaded = true
	c := v.c
	switch v.src {
	case srcArgs:
		raw := c.Request.URL.RawQuery
		if strings.Count(raw, "&") >= maxFormKeys {
			v.v, v.err = url.Values{}, errTooManyKeys
		} else {
			v.v, v.err = url.ParseQuery(raw)
		}
		if v.err != nil {
			// The client's mistake (or too many keys): a 400 when a
			// handler returns it, like a bad form.
			v.err = &HTTPError{Code: http.StatusBadRequest, Message: "The query string could not be read.",
				Err: fmt.Errorf("flasky: query string: %w", v.err)}
		}
	case srcForm:
		v.v, v.err = c.parseForm()
	case srcAll:
		args, form := c.Args.load(), c.Form.load()
		v.err = errors.Join(c.Args.err, c.Form.err)
		v.v = make(url.Values, len(args)+len(form))
		for k, vs := range args {
			v.v[k] = append(v.v[k], vs...)
		}
		for k, vs := range form {
			v.v[k] = append(v.v[k], vs...)
		}
	}
	return v.v
}

// Get returns the first value for key, or "" when there is none (like
// request.args.get(key)).
func (v *Values) Get(key string) string {
	if vs := v.load()[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Lookup returns the first value for key and whether the key was present
// at all, to tell "?name=" from no name.
func (v *Values) Lookup(key string) (string, bool) {
	vs, ok := v.load()[key]
	if !ok || len(vs) == 0 {
		return "", ok
	}
	return vs[0], true
}

// Require returns the first value for key, which must be present, as
// Flask's request.form["title"] reads it: a missing key is a 400 whose
// page names it (an *HTTPError: return it from the handler), while an
// empty value ("title=") is a value, "". When the values could not be
// read at all (a malformed query, a body over its limit) that error is
// returned instead.
//
//	title, err := c.Form.Require("title")
//	if err != nil {
//		return err // 400: Missing form field "title".
//	}
func (v *Values) Require(key string) (string, error) {
	vals := v.load()
	if vs, ok := vals[key]; ok {
		if len(vs) == 0 {
			return "", nil
		}
		return vs[0], nil
	}
	if v.err != nil {
		return "", v.err
	}
	return "", missingKey(v.src, key)
}

// missingKey is the 400 for a key that must be present, naming it.
func missingKey(src uint8, key string) *HTTPError {
	what, where := "form field", "the form"
	switch src {
	case srcArgs:
		what, where = "query argument", "the query string"
	case srcAll:
		what, where = "form field or query argument", "the query string or the form"
	}
	return &HTTPError{Code: http.StatusBadRequest, Message: fmt.Sprintf("Missing %s %q.", what, key),
		Err: keyError(fmt.Sprintf("flasky: %q is not in %s", key, where))}
}

// keyError is the cause of a missing key's 400 (Werkzeug's
// BadRequestKeyError), which debug mode traps (see
// Config.TrapBadRequestErrors).
type keyError string

func (e keyError) Error() string { return string(e) }

// List returns every value for key (like request.args.getlist).
func (v *Values) List(key string) []string { return v.load()[key] }

// Has reports whether key is present.
func (v *Values) Has(key string) bool {
	_, ok := v.load()[key]
	return ok
}

// All returns every key and its values. The map must not be changed.
func (v *Values) All() url.Values { return v.load() }

// Err reports why the values could not be read (a malformed query, a body
// over the size limit...). A value that could not be read is "" for Get.
func (v *Values) Err() error {
	v.load()
	return v.err
}

// parseForm reads an urlencoded or multipart body once, for Form and Bind.
func (c *Ctx) parseForm() (url.Values, error) {
	r := c.Request
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return url.Values{}, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := c.app.Config.MaxFormMemory
	var err error
	if ct == "multipart/form-data" {
		// Read part by part, files kept for c.Files (upload.go).
		return c.multipartForm()
	} else {
		// Werkzeug's max_form_memory_size: an urlencoded body is all
		// fields, kept in memory, so the whole body is capped; and by
		// MAX_CONTENT_LENGTH when that is smaller.
		limit = c.limits().capped(limit)
		if limit > 0 {
			r.Body = http.MaxBytesReader(&c.rw, r.Body, limit)
		}
		r.Body = &keyCounter{ReadCloser: r.Body}
		err = r.ParseForm()
	}
	if err != nil {
		return url.Values{}, formError(err)
	}
	if r.PostForm == nil {
		return url.Values{}, nil
	}
	return r.PostForm, nil
}

// maxFormKeys bounds the keys of a query string or urlencoded body, as
// net/url does from Go 1.25.6 (CVE-2025-61726); flasky counts them itself
// so that the bound holds on every Go it supports.
const maxFormKeys = 10000

var errTooManyKeys = fmt.Errorf("more than %d keys", maxFormKeys)

// keyCounter fails a urlencoded body once it holds more than maxFormKeys
// keys, before url.ParseQuery builds a map of them.
type keyCounter struct {
	io.ReadCloser
	seps int
}

func (k *keyCounter) Read(p []byte) (int, error) {
	n, err := k.ReadCloser.Read(p)
	k.seps += bytes.Count(p[:n], []byte{'&'})
	if k.seps >= maxFormKeys {
		return n, errTooManyKeys
	}
	return n, err
}

// checkFieldSizes refuses a multipart text field over the limit, as
// Werkzeug does; files are not fields and are not counted.
func checkFieldSizes(form url.Values, limit int64) error {
	if limit <= 0 {
		return nil
	}
	for k, vs := range form {
		for _, v := range vs {
			if int64(len(v)) > limit {
				return fmt.Errorf("form field %q is %d bytes, over the %d-byte limit: %w", k, len(v), limit, multipart.ErrMessageTooLarge)
			}
		}
	}
	return nil
}

// formError turns a parse error into a 400, or a 413 for a body over a
// limit.
func formError(err error) *HTTPError {
	var he *HTTPError
	if errors.As(err, &he) {
		return he // the body's own error, such as a 408
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) || strings.Contains(err.Error(), "too large") {
		return &HTTPError{Code: http.StatusRequestEntityTooLarge, Err: err}
	}
	return &HTTPError{Code: http.StatusBadRequest, Message: "The form could not be read: " + err.Error(), Err: err}
}
