package flasky_test

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestArgs(t *testing.T) {
	type result struct {
		Get      string
		Lookup   string
		Found    bool
		List     []string
		Has      bool
		ErrIsNil bool
	}
	tests := []struct {
		query, key string
		want       result
	}{
		{"x=1&x=2", "x", result{"1", "1", true, []string{"1", "2"}, true, true}},
		{"x=1&x=2", "y", result{"", "", false, nil, false, true}},
		{"empty=", "empty", result{"", "", true, []string{""}, true, true}},
		{"flag", "flag", result{"", "", true, []string{""}, true, true}},
		{"", "x", result{"", "", false, nil, false, true}},
		{"name=%ED%99%8D%EA%B8%B8%EB%8F%99", "name", result{"홍길동", "홍길동", true, []string{"홍길동"}, true, true}},
		{"q=a+b&q=c%20d", "q", result{"a b", "a b", true, []string{"a b", "c d"}, true, true}},
		{"a%5B%5D=1", "a[]", result{"1", "1", true, []string{"1"}, true, true}},
		{"x=%zz&y=1", "y", result{"1", "1", true, []string{"1"}, true, false}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("?%s %s", tt.query, tt.key), func(t *testing.T) {
			var got result
			w := answer(t, "GET", "/?"+tt.query, "", func(c *flasky.Ctx) error {
				got.Get = c.Args.Get(tt.key)
				got.Lookup, got.Found = c.Args.Lookup(tt.key)
				got.List = c.Args.List(tt.key)
				got.Has = c.Args.Has(tt.key)
				got.ErrIsNil = c.Args.Err() == nil
				return c.NoContent()
			})
			if w.Code != 204 {
				t.Errorf("?%s: status %d", tt.query, w.Code)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("?%s key %q: got %+v, want %+v", tt.query, tt.key, got, tt.want)
			}
		})
	}
	// All returns every key.
	w := answer(t, "GET", "/?b=2&a=1&a=3", "", func(c *flasky.Ctx) error {
		return c.JSON(c.Args.All())
	})
	if got := strings.TrimSpace(w.Body.String()); got != `{"a":["1","3"],"b":["2"]}` {
		t.Errorf("Args.All() = %s", got)
	}
}

func TestArgsDoNotLeakBetweenRequests(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error {
		if c.Args.Has("set") {
			c.Set("user", "alice")
		}
		return c.String(fmt.Sprintf("a=%q user=%v form=%q", c.Args.Get("a"), c.Get("user"), c.Form.Get("f")))
	}, "GET", "POST")
	for i := 0; i < 50; i++ {
		w := serve(app, "POST", "/?a=1&set", strings.NewReader("f=x"), "Content-Type", "application/x-www-form-urlencoded")
		if want := `a="1" user=alice form="x"`; w.Body.String() != want {
			t.Fatalf("first request: %q, want %q", w.Body.String(), want)
		}
		w = get(app, "/")
		if want := `a="" user=<nil> form=""`; w.Body.String() != want {
			t.Fatalf("a later request sees the earlier one's values: %q, want %q", w.Body.String(), want)
		}
	}
}

func TestForm(t *testing.T) {
	type seen struct {
		Form   map[string][]string
		Args   map[string][]string
		Values map[string][]string
		Get    string
		ErrNil bool
	}
	handler := func(got *seen) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error {
			got.Form = map[string][]string(c.Form.All())
			got.Args = map[string][]string(c.Args.All())
			got.Values = map[string][]string(c.Values.All())
			got.Get = c.Values.Get("a")
			got.ErrNil = c.Form.Err() == nil
			return c.NoContent()
		}
	}
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("a", "form-a")
	_ = mw.WriteField("name", "홍길동")
	fw, _ := mw.CreateFormFile("upload", "notes.txt")
	fmt.Fprint(fw, "file contents")
	mw.Close()

	const urlenc = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, target, ct, body string
		want                           seen
	}{
		{
			"urlencoded POST", "POST", "/", urlenc, "a=1&b=x+y&b=z",
			seen{Form: map[string][]string{"a": {"1"}, "b": {"x y", "z"}}, Args: map[string][]string{},
				Values: map[string][]string{"a": {"1"}, "b": {"x y", "z"}}, Get: "1", ErrNil: true},
		},
		{
			"query and form merged, query first", "POST", "/?a=q&c=3", urlenc, "a=f",
			seen{Form: map[string][]string{"a": {"f"}}, Args: map[string][]string{"a": {"q"}, "c": {"3"}},
				Values: map[string][]string{"a": {"q", "f"}, "c": {"3"}}, Get: "q", ErrNil: true},
		},
		{
			"multipart POST", "POST", "/?q=1", mw.FormDataContentType(), mp.String(),
			seen{Form: map[string][]string{"a": {"form-a"}, "name": {"홍길동"}}, Args: map[string][]string{"q": {"1"}},
				Values: map[string][]string{"a": {"form-a"}, "name": {"홍길동"}, "q": {"1"}}, Get: "form-a", ErrNil: true},
		},
		{
			"PUT", "PUT", "/", urlenc, "a=put",
			seen{Form: map[string][]string{"a": {"put"}}, Args: map[string][]string{},
				Values: map[string][]string{"a": {"put"}}, Get: "put", ErrNil: true},
		},
		{
			"GET has no form", "GET", "/?a=1", urlenc, "a=body",
			seen{Form: map[string][]string{}, Args: map[string][]string{"a": {"1"}},
				Values: map[string][]string{"a": {"1"}}, Get: "1", ErrNil: true},
		},
		{
			"malformed body", "POST", "/", urlenc, "a=%zz",
			seen{Form: map[string][]string{}, Args: map[string][]string{},
				Values: map[string][]string{}, Get: "", ErrNil: false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got seen
			w := answer(t, tt.method, tt.target, tt.body, handler(&got), "Content-Type", tt.ct)
			if w.Code != 204 {
				t.Errorf("%s: status %d %q", tt.name, w.Code, w.Body.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
			}
		})
	}

	// The uploaded file is reachable through the request.
	w := answer(t, "POST", "/", mp.String(), func(c *flasky.Ctx) error {
		_ = c.Form.Get("a")
		f, hdr, err := c.Request.FormFile("upload")
		if err != nil {
			return err
		}
		defer f.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(f)
		return c.String(hdr.Filename + ": " + b.String())
	}, "Content-Type", mw.FormDataContentType())
	if w.Body.String() != "notes.txt: file contents" {
		t.Errorf("multipart file: %d %q", w.Code, w.Body.String())
	}
}

// Require is request.form["key"]: a missing key is a 400 naming it, an
// empty value is a value.
func TestRequire(t *testing.T) {
	const urlenc = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, target, body string
		read                       func(c *flasky.Ctx) (string, error)
		code                       int
		want                       string
	}{
		{"form field", "POST", "/", "title=hi&body=", func(c *flasky.Ctx) (string, error) { return c.Form.Require("title") }, 200, "[hi]"},
		{"empty form field", "POST", "/", "title=hi&body=", func(c *flasky.Ctx) (string, error) { return c.Form.Require("body") }, 200, "[]"},
		{"missing form field", "POST", "/", "body=", func(c *flasky.Ctx) (string, error) { return c.Form.Require("title") }, 400, `Missing form field &#34;title&#34;.`},
		{"query argument", "GET", "/?q=go", "", func(c *flasky.Ctx) (string, error) { return c.Args.Require("q") }, 200, "[go]"},
		{"empty query argument", "GET", "/?q=", "", func(c *flasky.Ctx) (string, error) { return c.Args.Require("q") }, 200, "[]"},
		{"missing query argument", "GET", "/?x=1", "", func(c *flasky.Ctx) (string, error) { return c.Args.Require("q") }, 400, `Missing query argument &#34;q&#34;.`},
		{"values from the query", "POST", "/?q=1", "a=2", func(c *flasky.Ctx) (string, error) { return c.Values.Require("q") }, 200, "[1]"},
		{"values from the form", "POST", "/?q=1", "a=2", func(c *flasky.Ctx) (string, error) { return c.Values.Require("a") }, 200, "[2]"},
		{"missing from both", "POST", "/?q=1", "a=2", func(c *flasky.Ctx) (string, error) { return c.Values.Require("z") }, 400, `Missing form field or query argument &#34;z&#34;.`},
		{"malformed query wins", "GET", "/?q=%zz", "", func(c *flasky.Ctx) (string, error) { return c.Args.Require("x") }, 400, "query string could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := answer(t, tt.method, tt.target, tt.body, func(c *flasky.Ctx) error {
				v, err := tt.read(c)
				if err != nil {
					return err
				}
				return c.String("[" + v + "]")
			}, "Content-Type", urlenc)
			if w.Code != tt.code || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%d %q, want %d with %q", w.Code, w.Body.String(), tt.code, tt.want)
			}
		})
	}
	// The error is an *HTTPError 400 a handler can inspect.
	app, _ := newTestApp()
	var got error
	app.Route("/", func(c *flasky.Ctx) error { _, got = c.Form.Require("title"); return nil }, "POST")
	serve(app, "POST", "/", strings.NewReader(""), "Content-Type", urlenc)
	var he *flasky.HTTPError
	if !errors.As(got, &he) || he.Code != 400 || he.Message != `Missing form field "title".` {
		t.Errorf("Require error = %#v", got)
	}
}
