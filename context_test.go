package flasky_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// answer runs fn as the handler of a one-route app for one request and
// returns the response.
func answer(t *testing.T, method, target string, body string, fn flasky.HandlerFunc, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	app, _ := newTestApp()
	app.Route("/", fn, "GET", "POST", "PUT", "PATCH", "DELETE")
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	if rd == nil {
		return serve(app, method, target, nil, hdr...)
	}
	return serve(app, method, target, rd, hdr...)
}

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
		var got seen
		w := answer(t, tt.method, tt.target, tt.body, handler(&got), "Content-Type", tt.ct)
		if w.Code != 204 {
			t.Errorf("%s: status %d %q", tt.name, w.Code, w.Body.String())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
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

func TestCookieAndHeader(t *testing.T) {
	w := answer(t, "GET", "/", "", func(c *flasky.Ctx) error {
		return c.String(fmt.Sprintf("%q %q %q %q %q", c.Cookie("session"), c.Cookie("theme"), c.Cookie("missing"),
			c.GetHeader("X-Request-Id"), c.GetHeader("X-Missing")))
	}, "Cookie", "session=abc123; theme=dark", "x-request-id", "r-1")
	if want := `"abc123" "dark" "" "r-1" ""`; w.Body.String() != want {
		t.Errorf("cookies and headers: %q, want %q", w.Body.String(), want)
	}
}

func TestParams(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/p/<int:id>/<float:x>/<name>", func(c *flasky.Ctx) error {
		return c.String(fmt.Sprintf("%d %g %q %q %d %g %v %s %v",
			c.ParamInt("id"), c.ParamFloat("x"), c.Param("name"), c.Param("nope"),
			c.ParamInt("name"), c.ParamFloat("name"), c.Params(), c.Endpoint(), c.App() != nil))
	})
	w := get(app, "/p/42/2.5/bob")
	if want := `42 2.5 "bob" "" 0 0 map[id:42 name:bob x:2.5] /p/<int:id>/<float:x>/<name> true`; w.Body.String() != want {
		t.Errorf("params: %q, want %q", w.Body.String(), want)
	}
	// In a 404 handler no route matched.
	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String(fmt.Sprintf("endpoint=%q params=%v", c.Endpoint(), c.Params()))
	})
	if w := get(app, "/nope"); w.Code != 404 || w.Body.String() != `endpoint="" params=map[]` {
		t.Errorf("404 handler: %d %q", w.Code, w.Body.String())
	}
}

type signup struct {
	Name  string   `schema:"name"`
	Age   int      `schema:"age"`
	Tags  []string `schema:"tag"`
	Admin bool     `schema:"admin"`
	Note  string   // no tag: gorilla/schema uses the field name
}

type strictSignup struct {
	Email string `schema:"email,required"`
}

func TestBind(t *testing.T) {
	const urlenc = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, target, ct, body string
		code                           int
		want                           signup
		bodyHas                        []string
	}{
		{"GET query", "GET", "/?name=alice&age=30&tag=a&tag=b&admin=true&Note=hi&unknown=1", "", "", 200,
			signup{Name: "alice", Age: 30, Tags: []string{"a", "b"}, Admin: true, Note: "hi"}, nil},
		{"DELETE query", "DELETE", "/?name=bob", "", "", 200, signup{Name: "bob"}, nil},
		{"POST form", "POST", "/?name=ignored", urlenc, "name=carol&age=41&tag=x", 200,
			signup{Name: "carol", Age: 41, Tags: []string{"x"}}, nil},
		{"PATCH form", "PATCH", "/", urlenc, "age=5", 200, signup{Age: 5}, nil},
		{"POST JSON", "POST", "/", "application/json", `{"Name":"dave","Age":7}`, 200, signup{Name: "dave", Age: 7}, nil},
		{"bad int in query", "GET", "/?name=x&age=abc", "", "", 400, signup{}, []string{"age", "not a valid int"}},
		{"bad int in form", "POST", "/", urlenc, "age=1.5", 400, signup{}, []string{"age"}},
		{"bad bool", "GET", "/?admin=maybe", "", "", 400, signup{}, []string{"admin"}},
		{"malformed form", "POST", "/", urlenc, "age=%zz", 400, signup{}, nil},
		{"malformed query", "GET", "/?age=%zz", "", "", 400, signup{}, nil},
	}
	for _, tt := range tests {
		var got signup
		hdr := []string{}
		if tt.ct != "" {
			hdr = append(hdr, "Content-Type", tt.ct)
		}
		w := answer(t, tt.method, tt.target, tt.body, func(c *flasky.Ctx) error {
			if err := c.Bind(&got); err != nil {
				return err
			}
			return c.String("ok")
		}, hdr...)
		if w.Code != tt.code {
			t.Errorf("%s: status %d %q, want %d", tt.name, w.Code, w.Body.String(), tt.code)
			continue
		}
		if tt.code == 200 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: bound %+v, want %+v", tt.name, got, tt.want)
		}
		for _, s := range tt.bodyHas {
			if !strings.Contains(w.Body.String(), s) {
				t.Errorf("%s: error page %q does not name %q", tt.name, w.Body.String(), s)
			}
		}
		if tt.code == 400 && !strings.Contains(w.Body.String(), "<title>400 Bad Request</title>") {
			t.Errorf("%s: body %q is not the 400 page", tt.name, w.Body.String())
		}
	}

	// A required field that is missing.
	w := answer(t, "GET", "/", "", func(c *flasky.Ctx) error {
		var s strictSignup
		if err := c.Bind(&s); err != nil {
			return err
		}
		return c.String(s.Email)
	})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "email") {
		t.Errorf("missing required field: %d %q, want a 400 naming email", w.Code, w.Body.String())
	}
	// Bind into a non-pointer is the programmer's mistake: a 500.
	w = answer(t, "GET", "/?name=x", "", func(c *flasky.Ctx) error {
		var s signup
		return c.Bind(s)
	})
	if w.Code != 500 {
		t.Errorf("Bind(non-pointer): %d, want 500", w.Code)
	}
}

func TestBindJSON(t *testing.T) {
	type payload struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	tests := []struct {
		name, ct, body string
		max            int64
		code           int
		want           payload
		bodyHas        []string
	}{
		{"good", "application/json", `{"name":"홍길동","age":3}`, 0, 200, payload{"홍길동", 3}, nil},
		{"good with charset", "application/json; charset=utf-8", `{"name":"a"}`, 0, 200, payload{Name: "a"}, nil},
		{"+json type", "application/vnd.api+json", `{"age":1}`, 0, 200, payload{Age: 1}, nil},
		{"trailing whitespace", "application/json", "{\"age\":1}\n\t ", 0, 200, payload{Age: 1}, nil},
		{"wrong content type", "text/plain", `{"name":"a"}`, 0, 415, payload{}, []string{"JSON"}},
		{"no content type", "", `{"name":"a"}`, 0, 415, payload{}, nil},
		{"form content type", "application/x-www-form-urlencoded", `{"name":"a"}`, 0, 415, payload{}, nil},
		{"malformed", "application/json", `{"name":}`, 0, 400, payload{}, []string{"byte 9"}},
		{"malformed later", "application/json", `{"name":"a","age":1,,}`, 0, 400, payload{}, []string{"byte 21"}},
		{"truncated", "application/json", `{"name":"a"`, 0, 400, payload{}, nil},
		{"empty", "application/json", ``, 0, 400, payload{}, []string{"empty"}},
		{"wrong type", "application/json", `{"age":"old"}`, 0, 400, payload{}, []string{"age"}},
		{"trailing value", "application/json", `{"age":1} {"age":2}`, 0, 400, payload{}, nil},
		{"trailing garbage", "application/json", `{"age":1}x`, 0, 400, payload{}, nil},
		{"over the limit", "application/json", `{"name":"` + strings.Repeat("x", 100) + `"}`, 32, 413, payload{}, nil},
		{"at the limit", "application/json", `{"name":"xx"}`, 13, 200, payload{Name: "xx"}, nil},
		{"limit with trailing data", "application/json", `{"age":1}` + strings.Repeat(" ", 64) + "x", 16, 413, payload{}, nil},
	}
	for _, tt := range tests {
		app, _ := newTestApp()
		if tt.max > 0 {
			app.Config.MaxJSONBytes = tt.max
		}
		var got payload
		app.Route("/", func(c *flasky.Ctx) error {
			if err := c.BindJSON(&got); err != nil {
				return err
			}
			return c.String("ok")
		}, "POST")
		var hdr []string
		if tt.ct != "" {
			hdr = []string{"Content-Type", tt.ct}
		}
		w := serve(app, "POST", "/", strings.NewReader(tt.body), hdr...)
		if w.Code != tt.code {
			t.Errorf("%s: status %d %q, want %d", tt.name, w.Code, w.Body.String(), tt.code)
			continue
		}
		if tt.code == 200 && got != tt.want {
			t.Errorf("%s: bound %+v, want %+v", tt.name, got, tt.want)
		}
		for _, s := range tt.bodyHas {
			if !strings.Contains(w.Body.String(), s) {
				t.Errorf("%s: error page %q does not say %q", tt.name, w.Body.String(), s)
			}
		}
	}
	// A nil destination is the programmer's mistake: a 500.
	w := answer(t, "POST", "/", `{}`, func(c *flasky.Ctx) error { return c.BindJSON(nil) }, "Content-Type", "application/json")
	if w.Code != 500 {
		t.Errorf("BindJSON(nil): %d, want 500", w.Code)
	}
}

func TestResponses(t *testing.T) {
	tests := []struct {
		name    string
		fn      flasky.HandlerFunc
		code    int
		ct      string
		body    string
		headers map[string]string
	}{
		{"String", func(c *flasky.Ctx) error { return c.String("<b>hi</b>") }, 200, ctText, "<b>hi</b>", nil},
		{"HTML", func(c *flasky.Ctx) error { return c.HTML("<b>hi</b>") }, 200, ctHTML, "<b>hi</b>", nil},
		{"JSON", func(c *flasky.Ctx) error { return c.JSON(map[string]any{"a": 1, "b": "x"}) }, 200, ctJSON, "{\"a\":1,\"b\":\"x\"}\n", nil},
		{"Status.JSON", func(c *flasky.Ctx) error { return c.Status(201).JSON([]int{1, 2}) }, 201, ctJSON, "[1,2]\n", nil},
		{"Status.String", func(c *flasky.Ctx) error { return c.Status(202).String("accepted") }, 202, ctText, "accepted", nil},
		{"Data", func(c *flasky.Ctx) error { return c.Data("image/png", []byte{0x89, 'P', 'N', 'G'}) }, 200, "image/png", "\x89PNG", nil},
		{"NoContent", func(c *flasky.Ctx) error { return c.NoContent() }, 204, "", "", nil},
		{"nothing written", func(c *flasky.Ctx) error { return nil }, 200, "", "", nil},
		{"Writer", func(c *flasky.Ctx) error {
			c.Writer.Header().Set("Content-Type", "text/csv")
			c.Writer.WriteHeader(299)
			_, err := fmt.Fprint(c.Writer, "a,b")
			return err
		}, 299, "text/csv", "a,b", nil},
		{"SetHeader", func(c *flasky.Ctx) error { c.SetHeader("X-Thing", "1"); return c.String("") }, 200, ctText, "", map[string]string{"X-Thing": "1"}},
		{"SetCookie", func(c *flasky.Ctx) error {
			c.SetCookie(&http.Cookie{Name: "session", Value: "abc", Path: "/", HttpOnly: true})
			return c.String("")
		}, 200, ctText, "", map[string]string{"Set-Cookie": "session=abc; Path=/; HttpOnly"}},
		{"Redirect", func(c *flasky.Ctx) error { return c.Redirect("/target") }, 302, ctHTML,
			"<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
				"<p>You should be redirected automatically to the target URL: <a href=\"/target\">/target</a>. If not, click the link.\n",
			map[string]string{"Location": "/target"}},
		{"Redirect escapes the page", func(c *flasky.Ctx) error { return c.Status(301).Redirect("/t?a=1&b=<x>") }, 301, ctHTML,
			"<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
				"<p>You should be redirected automatically to the target URL: <a href=\"/t?a=1&amp;b=&lt;x&gt;\">/t?a=1&amp;b=&lt;x&gt;</a>. If not, click the link.\n",
			map[string]string{"Location": "/t?a=1&b=<x>"}},
		{"Redirect 303", func(c *flasky.Ctx) error { return c.Status(303).Redirect("https://example.com/") }, 303, ctHTML, "", map[string]string{"Location": "https://example.com/"}},
		{"Redirect 307", func(c *flasky.Ctx) error { return c.Status(http.StatusTemporaryRedirect).Redirect("/x") }, 307, ctHTML, "", map[string]string{"Location": "/x"}},
		{"Abortf formats its description", func(c *flasky.Ctx) error { return flasky.Abortf(404, "no user %s & co", "<b>bob</b>") }, 404, ctHTML,
			"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>no user &lt;b&gt;bob&lt;/b&gt; &amp; co</p>\n", nil},
		{"Abort 404", func(c *flasky.Ctx) error { return flasky.Abort(404) }, 404, ctHTML, notFoundPage, nil},
		{"Abort 401", func(c *flasky.Ctx) error { return flasky.Abort(401) }, 401, ctHTML, unauthorizedPage, nil},
		{"Abort 403", func(c *flasky.Ctx) error { return flasky.Abort(http.StatusForbidden) }, 403, ctHTML,
			"<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>\n<h1>Forbidden</h1>\n" +
				"<p>You don&#39;t have the permission to access the requested resource. It is either read-protected or not readable by the server.</p>\n", nil},
		{"wrapped HTTPError", func(c *flasky.Ctx) error { return fmt.Errorf("loading: %w", flasky.Abort(410)) }, 410, ctHTML, "", nil},
		{"Abort after Status", func(c *flasky.Ctx) error { c.Status(201); return flasky.Abort(409) }, 409, ctHTML, "", nil},
	}
	for _, tt := range tests {
		w := answer(t, "GET", "/", "", tt.fn)
		if w.Code != tt.code {
			t.Errorf("%s: status %d, want %d", tt.name, w.Code, tt.code)
		}
		if got := w.Header().Get("Content-Type"); got != tt.ct {
			t.Errorf("%s: Content-Type %q, want %q", tt.name, got, tt.ct)
		}
		if tt.body != "" && w.Body.String() != tt.body {
			t.Errorf("%s: body %q, want %q", tt.name, w.Body.String(), tt.body)
		}
		if tt.body == "" && tt.code < 300 && w.Body.Len() != 0 {
			t.Errorf("%s: body %q, want none", tt.name, w.Body.String())
		}
		for k, v := range tt.headers {
			if got := w.Header().Get(k); got != v {
				t.Errorf("%s: %s %q, want %q", tt.name, k, got, v)
			}
		}
	}
}

func TestRedirectRefusesControlCharacters(t *testing.T) {
	for _, loc := range []string{"/x\r\nSet-Cookie: a=b", "/x\nLocation: //evil", "/x\x00", "/x\ty", "/x\x7f"} {
		var herr error
		w := answer(t, "GET", "/", "", func(c *flasky.Ctx) error {
			herr = c.Redirect(loc)
			return herr
		})
		if herr == nil {
			t.Errorf("Redirect(%q) returned nil", loc)
		}
		if w.Code != 400 {
			t.Errorf("Redirect(%q): status %d, want 400", loc, w.Code)
		}
		if got := w.Header().Get("Location"); got != "" {
			t.Errorf("Redirect(%q): Location %q was sent", loc, got)
		}
		if w.Header().Get("Set-Cookie") != "" || strings.Contains(w.Body.String(), "\r") {
			t.Errorf("Redirect(%q): header split: %v %q", loc, w.Header(), w.Body.String())
		}
	}
	// A status that is not a redirect is the programmer's mistake.
	w := answer(t, "GET", "/", "", func(c *flasky.Ctx) error { return c.Status(200).Redirect("/x") })
	if w.Code != 500 || w.Header().Get("Location") != "" {
		t.Errorf("Redirect with status 200: %d Location %q, want 500 and no Location", w.Code, w.Header().Get("Location"))
	}
}

func TestJSONEncodeErrorSendsNothing(t *testing.T) {
	w := answer(t, "GET", "/", "", func(c *flasky.Ctx) error {
		return c.JSON(map[string]any{"ch": make(chan int)})
	})
	if w.Code != 500 || w.Body.String() != internalErrorPage {
		t.Errorf("JSON of a channel: %d %q, want the 500 page", w.Code, w.Body.String())
	}
}

func TestErrorHandlers(t *testing.T) {
	app, _ := newTestApp()
	var got500 *flasky.HTTPError
	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.JSON(map[string]any{"error": e.Code, "message": e.Description(), "path": c.Request.URL.Path})
	})
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		got500 = e
		return c.String("sorry")
	})
	app.ErrorHandler(410, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return errors.New("the 410 handler failed")
	})
	app.ErrorHandler(409, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.Status(422).String("changed status")
	})
	app.ErrorHandler(418, func(c *flasky.Ctx, e *flasky.HTTPError) error { panic("handler panic") })
	app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abortf(404, "no such thing") })
	app.Route("/error", func(c *flasky.Ctx) error { return errors.New("db password is hunter2") })
	app.Route("/panic", func(c *flasky.Ctx) error { panic("kaboom") })
	app.Route("/gone", func(c *flasky.Ctx) error { return flasky.Abort(410) })
	app.Route("/conflict", func(c *flasky.Ctx) error { return flasky.Abort(409) })
	app.Route("/teapot", func(c *flasky.Ctx) error { return flasky.Abort(418) })
	tests := []struct {
		path string
		code int
		body string
	}{
		{"/missing", 404, `{"error":404,"message":"The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.","path":"/missing"}` + "\n"},
		{"/abort", 404, `{"error":404,"message":"no such thing","path":"/abort"}` + "\n"},
		{"/error", 500, "sorry"},
		{"/panic", 500, "sorry"},
		{"/gone", 500, internalErrorPage},
		{"/conflict", 422, "changed status"},
		{"/teapot", 500, internalErrorPage},
	}
	for _, tt := range tests {
		got500 = nil
		w := get(app, tt.path)
		if w.Code != tt.code || w.Body.String() != tt.body {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, w.Code, w.Body.String(), tt.code, tt.body)
		}
		switch tt.path {
		case "/error":
			if got500 == nil || got500.Err == nil || !strings.Contains(got500.Err.Error(), "hunter2") {
				t.Errorf("GET /error: the 500 handler got %v, want the cause in e.Err", got500)
			}
		case "/panic":
			if got500 == nil || got500.Err == nil || !strings.Contains(got500.Err.Error(), "kaboom") {
				t.Errorf("GET /panic: the 500 handler got %v, want the panic value in e.Err", got500)
			}
		}
	}
}

func TestPlainErrorIsHidden(t *testing.T) {
	for _, debug := range []bool{false, true} {
		app, logs := newTestApp()
		app.Config.Debug = debug
		app.Route("/", func(c *flasky.Ctx) error { return errors.New("db password is <hunter2>") })
		w := get(app, "/")
		if w.Code != 500 {
			t.Errorf("debug=%v: status %d, want 500", debug, w.Code)
		}
		body := w.Body.String()
		if !strings.HasPrefix(body, internalErrorPage) {
			t.Errorf("debug=%v: body %q does not start with the 500 page", debug, body)
		}
		if !debug {
			if body != internalErrorPage || strings.Contains(body, "hunter2") {
				t.Errorf("debug off: body %q reveals the error", body)
			}
		} else if !strings.Contains(body, "db password is &lt;hunter2&gt;") {
			t.Errorf("debug on: body %q does not show the escaped error", body)
		}
		if !strings.Contains(logs.String(), "hunter2") {
			t.Errorf("debug=%v: the error was not logged: %q", debug, logs.String())
		}
	}
}

func TestPanicIsRecovered(t *testing.T) {
	app, logs := newTestApp()
	app.Route("/panic", func(c *flasky.Ctx) error { panicInHandler(); return nil })
	app.Route("/half", func(c *flasky.Ctx) error {
		_ = c.String("partial")
		panic("after writing")
	})
	app.Route("/ok", text("ok"))
	for i := 0; i < 3; i++ {
		w := get(app, "/panic")
		if w.Code != 500 || w.Body.String() != internalErrorPage {
			t.Errorf("panicking handler: %d %q, want the 500 page", w.Code, w.Body.String())
		}
		if w := get(app, "/ok"); w.Code != 200 || w.Body.String() != "ok" {
			t.Errorf("request after a panic: %d %q, want 200 ok", w.Code, w.Body.String())
		}
	}
	log := logs.String()
	for _, want := range []string{"panic", "something terrible", "stack=", "goroutine ", "panicInHandler", "context_test.go"} {
		if !strings.Contains(log, want) {
			t.Errorf("panic log lacks %q:\n%s", want, log)
		}
	}
	// A panic after the response began: the client keeps what it got.
	w := get(app, "/half")
	if w.Code != 200 || w.Body.String() != "partial" {
		t.Errorf("panic after writing: %d %q", w.Code, w.Body.String())
	}
	if !strings.Contains(logs.String(), "after writing") {
		t.Errorf("panic after writing was not logged")
	}
	// Debug mode shows the panic.
	app.Config.Debug = true
	if w := get(app, "/panic"); !strings.Contains(w.Body.String(), "something terrible") {
		t.Errorf("debug mode: panic page %q does not show the panic", w.Body.String())
	}
}

func panicInHandler() { panic("something terrible") }

func TestAbortHandlerPanicPropagates(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/abort", func(c *flasky.Ctx) error { panic(http.ErrAbortHandler) })
	app.Route("/ok", text("ok"))
	v := mustPanic(t, func() { get(app, "/abort") })
	if v != http.ErrAbortHandler {
		t.Errorf("panic(http.ErrAbortHandler) came out as %v", v)
	}
	if w := get(app, "/ok"); w.Code != 200 {
		t.Errorf("after ErrAbortHandler: %d", w.Code)
	}
}

// TestCopyOutlivesRequest keeps c.Copy() from many requests while the
// pooled contexts are reused, and checks each copy still reports its own
// request.
func TestCopyOutlivesRequest(t *testing.T) {
	app, _ := newTestApp()
	var mu sync.Mutex
	copies := map[string]*flasky.Ctx{}
	var wg sync.WaitGroup
	results := make(chan string, 200)
	app.Route("/item/<int:id>", func(c *flasky.Ctx) error {
		c.Set("seen", "id-"+c.Param("id"))
		cp := c.Copy()
		mu.Lock()
		copies[c.Param("id")] = cp
		mu.Unlock()
		// A goroutine that outlives the handler reads the copy.
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(2 * time.Millisecond)
			results <- fmt.Sprintf("%s %s %s %s %v", cp.Param("id"), cp.Args.Get("q"), cp.Form.Get("f"), cp.Values.Get("q"), cp.Get("seen"))
		}()
		return c.String("ok")
	}, "GET", "POST")
	// Through a real server: once a handler returns, its request body is
	// closed and its Ctx goes back to the pool for the next request.
	srv := httptest.NewServer(app)
	defer srv.Close()
	const n = 100
	for i := 0; i < n; i++ {
		var resp *http.Response
		var err error
		u := fmt.Sprintf("%s/item/%d?q=q%d", srv.URL, i, i)
		if i%2 == 0 {
			resp, err = http.Get(u)
		} else {
			resp, err = http.Post(u, "application/x-www-form-urlencoded", strings.NewReader(fmt.Sprintf("f=f%d", i)))
		}
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
	}
	wg.Wait()
	close(results)
	got := map[string]bool{}
	for r := range results {
		got[r] = true
	}
	for i := 0; i < n; i++ {
		f := ""
		if i%2 == 1 {
			f = fmt.Sprintf("f%d", i)
		}
		want := fmt.Sprintf("%d q%d %s q%d id-%d", i, i, f, i, i)
		if !got[want] {
			t.Errorf("no goroutine saw %q", want)
		}
		cp := copies[fmt.Sprint(i)]
		if cp == nil {
			t.Fatalf("copy %d missing", i)
		}
		if cp.Param("id") != fmt.Sprint(i) || cp.Args.Get("q") != fmt.Sprintf("q%d", i) ||
			!reflect.DeepEqual(cp.Params(), map[string]string{"id": fmt.Sprint(i)}) {
			t.Errorf("copy %d now reports id=%q q=%q params=%v", i, cp.Param("id"), cp.Args.Get("q"), cp.Params())
		}
		if cp.Request == nil || cp.Request.URL.Path != fmt.Sprintf("/item/%d", i) {
			t.Errorf("copy %d lost its request", i)
		}
		if cp.Endpoint() != "/item/<int:id>" {
			t.Errorf("copy %d endpoint %q", i, cp.Endpoint())
		}
	}
	// A copy cannot write a response.
	for _, cp := range copies {
		if err := cp.String("x"); err == nil {
			t.Errorf("a copied Ctx wrote a response without error")
		}
		if _, err := cp.Writer.Write([]byte("x")); err == nil {
			t.Errorf("a copied Ctx's Writer wrote without error")
		}
		break
	}
}

func TestContextIsRequestContext(t *testing.T) {
	type key struct{}
	app, _ := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error {
		if c.Context() != c.Request.Context() {
			return errors.New("Context() is not the request's context")
		}
		v, _ := c.Context().Value(key{}).(string)
		return c.String(v)
	})
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "traced"))
	req := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	app.ServeHTTP(w, req)
	if w.Code != 200 || w.Body.String() != "traced" {
		t.Errorf("Context(): %d %q, want the request's context value", w.Code, w.Body.String())
	}
	// Cancellation reaches the handler.
	app.Route("/wait", func(c *flasky.Ctx) error {
		select {
		case <-c.Context().Done():
			return c.String("cancelled")
		case <-time.After(5 * time.Second):
			return c.String("not cancelled")
		}
	})
	cancel()
	req = httptest.NewRequest("GET", "/wait", nil).WithContext(ctx)
	w = httptest.NewRecorder()
	app.ServeHTTP(w, req)
	if w.Body.String() != "cancelled" {
		t.Errorf("cancelled request: %q", w.Body.String())
	}
}

func TestWritten(t *testing.T) {
	w := answer(t, "GET", "/", "", func(c *flasky.Ctx) error {
		before := c.Written()
		_ = c.String("x")
		return c.JSON(map[string]bool{"before": before, "after": c.Written()})
	})
	// The second write appends to the first response; the status stays.
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "x") {
		t.Errorf("Written: %d %q", w.Code, w.Body.String())
	}
	var v map[string]bool
	if err := json.Unmarshal([]byte(strings.TrimPrefix(w.Body.String(), "x")), &v); err != nil || v["before"] || !v["after"] {
		t.Errorf("Written() before/after = %v (%v)", v, err)
	}
}

// TestFormSizeLimit: Config.MaxFormMemory is documented as Werkzeug's
// max_form_memory_size (500 kB), which makes Flask answer 413 for a
// urlencoded body or a multipart text field over it, while files of any
// size are fine.
func TestFormSizeLimit(t *testing.T) {
	var big bytes.Buffer
	mw := multipart.NewWriter(&big)
	_ = mw.WriteField("a", "small")
	fw, _ := mw.CreateFormFile("f", "big.bin")
	_, _ = fw.Write(bytes.Repeat([]byte("y"), 700_000))
	mw.Close()
	var bigField bytes.Buffer
	mw2 := multipart.NewWriter(&bigField)
	_ = mw2.WriteField("a", strings.Repeat("x", 600_000))
	mw2.Close()
	const urlenc = "application/x-www-form-urlencoded"
	tests := []struct {
		name, ct, body string
		code           int
	}{
		{"urlencoded under the limit", urlenc, "a=" + strings.Repeat("x", 400_000), 200},
		{"urlencoded over the limit", urlenc, "a=" + strings.Repeat("x", 600_000), 413},
		{"multipart with a big file", mw.FormDataContentType(), big.String(), 200},
		{"multipart with a big field", mw2.FormDataContentType(), bigField.String(), 413},
	}
	for _, tt := range tests {
		w := answer(t, "POST", "/", tt.body, func(c *flasky.Ctx) error {
			if err := c.Form.Err(); err != nil {
				return err
			}
			return c.String(fmt.Sprint(len(c.Form.Get("a"))))
		}, "Content-Type", tt.ct)
		if w.Code != tt.code {
			t.Errorf("%s: status %d, want %d (Flask)", tt.name, w.Code, tt.code)
		}
	}
}

func TestMaxContentLengthCapsEveryBody(t *testing.T) {
	app, _ := newTestApp()
	app.Config.MaxContentLength = 10
	app.Route("/form", func(c *flasky.Ctx) error { return c.String(c.Form.Get("a") + fmt.Sprint(c.Form.Err() != nil)) }, "POST")
	app.Route("/json", func(c *flasky.Ctx) error {
		var v map[string]any
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		return c.String("ok")
	}, "POST")
	tests := []struct {
		path, ctype, body string
		code              int
	}{
		{"/form", "application/x-www-form-urlencoded", "a=1", 200},
		{"/form", "application/x-www-form-urlencoded", "a=" + strings.Repeat("x", 20), 413},
		{"/json", "application/json", `{"a":1}`, 200},
		{"/json", "application/json", `{"a":"` + strings.Repeat("x", 20) + `"}`, 413},
	}
	for _, tt := range tests {
		w := serve(app, "POST", tt.path, strings.NewReader(tt.body), "Content-Type", tt.ctype)
		if w.Code != tt.code {
			t.Errorf("POST %s (%d bytes) = %d %q, want %d", tt.path, len(tt.body), w.Code, w.Body.String(), tt.code)
		}
	}
}
