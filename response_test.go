package flasky_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

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
		t.Run(tt.name, func(t *testing.T) {
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
		})
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

// TestMakeResponseUses: the uses of make_response in Flask's tests
// (test_make_response, test_make_response_with_response_instance,
// test_view_decorators), with NewResponse and Send, with and without
// after hooks. A NewResponse is text/html, as Flask's Response.
func TestMakeResponseUses(t *testing.T) {
	withHeader := func(status int, body string) *flasky.Response {
		r := flasky.NewResponse(status, []byte(body))
		r.Header.Set("X-Foo", "bar")
		return r
	}
	tests := []struct {
		name string
		resp *flasky.Response
		code int
		body string
		ct   string
		xfoo string
	}{
		{"make_response()", flasky.NewResponse(200, nil), 200, "", ctHTML, ""},
		{`make_response("Awesome")`, flasky.NewResponse(200, []byte("Awesome")), 200, "Awesome", ctHTML, ""},
		{`make_response("W00t", 404)`, flasky.NewResponse(404, []byte("W00t")), 404, "W00t", ctHTML, ""},
		{`make_response("Hello", {"X-Foo": "bar"})`, withHeader(200, "Hello"), 200, "Hello", ctHTML, "bar"},
		{`make_response("", 400, [("X-Foo", "bar")])`, withHeader(400, ""), 400, "", ctHTML, "bar"},
	}
	for _, hooks := range []bool{false, true} {
		for _, tt := range tests {
			app, _ := newTestApp()
			if hooks {
				app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error { return nil })
			}
			app.Route("/", func(c *flasky.Ctx) error { return c.Send(tt.resp) })
			w := get(app, "/")
			ct, hasCT := w.Header()["Content-Type"]
			if w.Code != tt.code || w.Body.String() != tt.body || strings.Join(ct, ",") != tt.ct || hasCT != (tt.ct != "") || w.Header().Get("X-Foo") != tt.xfoo {
				t.Errorf("hooks %v, %s: %d %q, Content-Type %q, X-Foo %q; want %d %q, %q, %q",
					hooks, tt.name, w.Code, w.Body, ct, w.Header().Get("X-Foo"), tt.code, tt.body, tt.ct, tt.xfoo)
			}
		}
	}
}

// RedirectTo is redirect(url_for(...)): the endpoint's URL, with the
// request's prefix, the status from c.Status, and URLFor's error.
func TestRedirectTo(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/user/<int:id>", text("user")).SetEndpoint("user")
	app.Route("/go/<to>", func(c *flasky.Ctx) error {
		switch c.Param("to") {
		case "user":
			return c.RedirectTo("user", flasky.M{"id": 7, "tab": "posts"})
		case "moved":
			return c.Status(301).RedirectTo("user", flasky.M{"id": 1})
		case "bad":
			return c.RedirectTo("user", flasky.M{"id": "x"})
		}
		return c.RedirectTo("nowhere", nil)
	})
	tests := []struct {
		path, prefix string
		code         int
		location     string
	}{
		{"/go/user", "", 302, "/user/7?tab=posts"},
		{"/go/moved", "", 301, "/user/1"},
		{"/go/user", "/app", 302, "/app/user/7?tab=posts"},
		{"/go/bad", "", 500, ""},
		{"/go/unknown", "", 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path+tt.prefix, func(t *testing.T) {
			var h http.Handler = app
			target := tt.path
			if tt.prefix != "" {
				h, target = http.StripPrefix(tt.prefix, app), tt.prefix+tt.path
			}
			w := get(h, target)
			if w.Code != tt.code || w.Header().Get("Location") != tt.location {
				t.Errorf("%d Location %q, want %d %q", w.Code, w.Header().Get("Location"), tt.code, tt.location)
			}
		})
	}
}
