// Request values are decoded into structs with gorilla/schema; JSON
// bodies with a size limit.

package flasky

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gorilla/schema"
)

// Bind decodes request values into the struct dst points to, with
// gorilla/schema and its `schema:"name"` tags: the query string for GET,
// HEAD and DELETE, the form body for POST, PUT and PATCH, and the JSON body
// (see [Ctx.BindJSON]) when the request says it is JSON. Unknown keys are
// ignored. A value that does not fit its field is a 400 whose message
// names the field; so is a value that [App.Validate] refuses.
//
// Two tag options say a key must be sent: gorilla/schema's `required`
// also refuses an empty value, while flasky's `present` takes one, as
// Flask's request.form["body"] does (a textarea left empty sends
// body=""):
//
//	type Post struct {
//		Title string `schema:"title,required"` // missing or empty: 400
//		Body  string `schema:"body,present"`   // missing: 400; "" is fine
//	}
//
// A `present` field inside a nested struct is its dotted key
// ("author.name"); fields of slices of structs are not checked.
func (c *Ctx) Bind(dst any) error {
	r := c.Request
	var vals url.Values
	src := uint8(srcArgs)
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if isJSON(r.Header.Get("Content-Type")) {
			return c.BindJSON(dst)
		}
		vals, src = c.Form.load(), srcForm
		if err := c.Form.err; err != nil {
			return err
		}
	default:
		vals = c.Args.load()
		if err := c.Args.err; err != nil {
			return err // a 400
		}
	}
	if err := c.app.decoder.Decode(dst, vals); err != nil {
		return bindError(err)
	}
	for _, keys := range presentKeys(reflect.TypeOf(dst)) {
		if !hasAnyKey(vals, keys) {
			return missingKey(src, keys[0])
		}
	}
	return c.validate(dst)
}

// presentCache holds, for each struct type Bind has seen, the keys of
// its `present` fields: each a list of the names the field is reached by.
var presentCache sync.Map // reflect.Type -> [][]string

// presentKeys returns the keys of the `present` fields of the struct t
// points to.
func presentKeys(t reflect.Type) [][]string {
	if keys, ok := presentCache.Load(t); ok {
		return keys.([][]string)
	}
	var keys [][]string
	if t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		keys = collectPresent(t.Elem(), []string{""}, 0)
	}
	presentCache.Store(t, keys)
	return keys
}

// collectPresent walks the fields of st, whose keys start with one of
// prefixes, as gorilla/schema names them: the tag's name or the field's,
// a nested struct's fields after its name and a dot, an embedded
// struct's fields with or without its name.
func collectPresent(st reflect.Type, prefixes []string, depth int) [][]string {
	if depth > 8 {
		return nil // a type that holds itself through pointers
	}
	var out [][]string
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("schema"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var names []string
		for _, p := range prefixes {
			names = append(names, p+name)
		}
		if slices.Contains(strings.Split(opts, ","), "present") {
			out = append(out, names)
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Struct || reflect.PointerTo(ft).Implements(textUnmarshaler) {
			continue
		}
		nested := make([]string, len(names))
		for j, n := range names {
			nested[j] = n + "."
		}
		if f.Anonymous {
			nested = append(slices.Clone(prefixes), nested...) // the short name first, for the message
		}
		out = append(out, collectPresent(ft, nested, depth+1)...)
	}
	return out
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// hasAnyKey reports whether vals holds one of keys, compared as
// gorilla/schema compares them: without case.
func hasAnyKey(vals url.Values, keys []string) bool {
	for k := range vals {
		for _, want := range keys {
			if strings.EqualFold(k, want) {
				return true
			}
		}
	}
	return false
}

// validate runs App.Validate on a decoded value.
func (c *Ctx) validate(v any) error {
	check := c.app.Validate
	if check == nil {
		return nil
	}
	err := check(v)
	if err == nil {
		return nil
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he
	}
	return &HTTPError{Code: http.StatusBadRequest, Message: err.Error(), Err: fmt.Errorf("flasky: validating %T: %w", v, err)}
}

// bindError names the first offending field of a schema error.
func bindError(err error) error {
	var multi schema.MultiError
	if errors.As(err, &multi) {
		keys := make([]string, 0, len(multi))
		for k := range multi {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		err = multi[keys[0]]
	}
	msg := err.Error()
	var conv schema.ConversionError
	var empty schema.EmptyFieldError
	switch {
	case errors.As(err, &conv):
		msg = fmt.Sprintf("Field %q: the value is not a valid %s.", conv.Key, conv.Type)
	case errors.As(err, &empty):
		msg = fmt.Sprintf("Field %q is required.", empty.Key)
	case strings.HasPrefix(msg, "schema: interface must be a pointer to struct"):
		return fmt.Errorf("flasky: Bind needs a pointer to a struct: %w", err)
	}
	return &HTTPError{Code: http.StatusBadRequest, Message: msg, Err: fmt.Errorf("flasky: Bind: %w", err)}
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// BindJSON decodes a JSON body into dst. The request must say it is JSON
// (Content-Type application/json or *+json), else 415; a body larger than
// Config.MaxJSONBytes is a 413; malformed JSON, an empty body or trailing
// data is a 400 that says where the JSON went wrong; so is a value that
// [App.Validate] refuses.
func (c *Ctx) BindJSON(dst any) error {
	r := c.Request
	if ct := r.Header.Get("Content-Type"); !isJSON(ct) {
		return &HTTPError{Code: http.StatusUnsupportedMediaType,
			Message: "Expected a JSON body (Content-Type: application/json).",
			Err:     fmt.Errorf("flasky: BindJSON: Content-Type %q is not JSON", ct)}
	}
	limit := c.limits().capped(c.app.Config.MaxJSONBytes)
	body := http.MaxBytesReader(&c.rw, r.Body, limit)
	dec := json.NewDecoder(body)
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = errors.New("data after the JSON value")
		}
		return jsonError(err)
	}
	return c.validate(dst)
}

func jsonError(err error) error {
	var mbe *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var invalid *json.InvalidUnmarshalError
	var he *HTTPError
	switch {
	case errors.As(err, &he):
		return he // the body's own error, such as a 408
	case errors.As(err, &mbe):
		return &HTTPError{Code: http.StatusRequestEntityTooLarge, Err: fmt.Errorf("flasky: BindJSON: %w", err)}
	case errors.As(err, &invalid):
		return fmt.Errorf("flasky: BindJSON needs a non-nil pointer: %w", err)
	case errors.As(err, &syn):
		return badJSON(fmt.Sprintf("Malformed JSON at byte %d: %v.", syn.Offset, err), err)
	case errors.As(err, &typ):
		return badJSON(fmt.Sprintf("Field %q: a JSON %s is not a valid %s.", typ.Field, typ.Value, typ.Type), err)
	case errors.Is(err, io.EOF):
		return badJSON("The JSON body is empty.", err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badJSON("The JSON body ends too early.", err)
	}
	return badJSON("Malformed JSON: "+err.Error()+".", err)
}

func badJSON(msg string, err error) error {
	return &HTTPError{Code: http.StatusBadRequest, Message: msg, Err: fmt.Errorf("flasky: BindJSON: %w", err)}
}
