package flasky_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// TestBeforeRequestRunsBeforeRoutingErrors checks Flask's order: the
// app's before hooks run for a request that ends in a 404, 405 or slash
// redirect, so a 404 page sees what they loaded; a blueprint's only for
// its routes.
func TestBeforeRequestRunsBeforeRoutingErrors(t *testing.T) {
	app, _ := newTestApp()
	var trace []string
	app.BeforeRequest(func(c *flasky.Ctx) error {
		trace = append(trace, "app:"+c.Endpoint())
		c.Set("user", "alice")
		return nil
	})
	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String(fmt.Sprintf("no page for %v", c.Get("user")))
	})
	app.Route("/only-post", text("p"), "POST")
	app.Route("/dir/", text("d"))
	bp := app.Blueprint("bp", "/bp")
	bp.BeforeRequest(func(c *flasky.Ctx) error { trace = append(trace, "bp:"+c.Endpoint()); return nil })
	bp.Route("/x", text("x")).SetEndpoint("x")

	tests := []struct {
		method, path string
		code         int
		body         string
		trace        []string
	}{
		{"GET", "/nope", 404, "no page for alice", []string{"app:"}},
		{"GET", "/only-post", 405, "", []string{"app:"}},
		{"GET", "/dir", 308, "", []string{"app:"}},
		{"GET", "/bp/x", 200, "x", []string{"app:bp.x", "bp:bp.x"}},
		{"GET", "/bp/nope", 404, "no page for alice", []string{"app:"}},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			trace = nil
			w := serve(app, tc.method, tc.path, nil)
			if w.Code != tc.code || tc.body != "" && w.Body.String() != tc.body {
				t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, w.Code, w.Body.String(), tc.code, tc.body)
			}
			if !slices.Equal(trace, tc.trace) {
				t.Errorf("hooks ran %q, want %q", trace, tc.trace)
			}
		})
	}
}

// TestAfterRequestChangesTheResponse checks that an after hook can change
// the status, headers and (when buffered) the body of every kind of
// response, and learns which responses stream.
func TestAfterRequestChangesTheResponse(t *testing.T) {
	app, _ := newTestApp()
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
		resp.Header.Set("X-Streamed", fmt.Sprint(resp.Streamed()))
		if c.Args.Has("status") {
			resp.Status = 202
		}
		if !resp.Streamed() && c.Args.Has("upper") {
			resp.Body = []byte(strings.ToUpper(string(resp.Body)))
		}
		return nil
	})
	app.Route("/text", text("hello"))
	app.Route("/json", func(c *flasky.Ctx) error { return c.Status(201).JSON(map[string]int{"a": 1}) })
	app.Route("/nothing", func(c *flasky.Ctx) error { return nil })
	app.Route("/stream", func(c *flasky.Ctx) error {
		return c.Stream("text/plain", func(w io.Writer) error { _, err := io.WriteString(w, "streamed"); return err })
	})
	app.Route("/writer", func(c *flasky.Ctx) error { _, err := c.Writer.Write([]byte("raw")); return err })
	app.Route("/missing", func(c *flasky.Ctx) error { return flasky.Abort(404) })
	app.Route("/send", func(c *flasky.Ctx) error {
		resp := flasky.NewResponse(200, []byte("<p>made</p>"))
		resp.Header.Set("X-Made", "1")
		resp.SetCookie(&http.Cookie{Name: "k", Value: "v"})
		return c.Send(resp)
	})

	tests := []struct {
		path     string
		code     int
		body     string
		streamed string
	}{
		{"/text", 200, "hello", "false"},
		{"/text?upper&status", 202, "HELLO", "false"},
		{"/json?upper", 201, "{\"A\":1}\n", "false"},
		{"/nothing?status", 202, "", "false"},
		{"/stream?upper&status", 202, "streamed", "true"},
		{"/writer?upper", 200, "raw", "true"},
		{"/missing?status", 202, "*", "false"}, // the 404 page, as 202
		{"/send?upper", 200, "<P>MADE</P>", "false"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			w := get(app, tc.path)
			if w.Code != tc.code || tc.body != "*" && w.Body.String() != tc.body {
				t.Errorf("GET %s = %d %q, want %d %q", tc.path, w.Code, w.Body.String(), tc.code, tc.body)
			}
			if got := w.Header().Get("X-Streamed"); got != tc.streamed {
				t.Errorf("GET %s: Streamed() = %s, want %s", tc.path, got, tc.streamed)
			}
			if !w.Flushed && tc.streamed == "false" && w.Header().Get("Content-Length") != fmt.Sprint(w.Body.Len()) {
				t.Errorf("GET %s: Content-Length %q for a %d-byte body", tc.path, w.Header().Get("Content-Length"), w.Body.Len())
			}
		})
	}
	if w := get(app, "/send"); w.Header().Get("X-Made") != "1" || !strings.Contains(w.Header().Get("Set-Cookie"), "k=v") || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("GET /send headers = %v, want X-Made, the cookie and a sniffed text/html", w.Header())
	}
}

// TestAfterRequestFailureIsA500 checks that an after hook's error or
// panic answers the 500 page (through the app's 500 handler), for a
// buffered response and for a streamed one, whose later writes are
// dropped.
func TestAfterRequestFailureIsA500(t *testing.T) {
	for _, fail := range []string{"error", "panic"} {
		t.Run(fail, func(t *testing.T) {
			app, logs := newTestApp()
			app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
				if fail == "panic" {
					panic("after hook broke")
				}
				return errors.New("after hook broke")
			})
			handled := 0
			app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error {
				handled++
				return c.String("sorry")
			})
			var writeErr error
			app.Route("/text", text("hello"))
			app.Route("/writer", func(c *flasky.Ctx) error {
				c.SetHeader("Content-Length", "100")
				_, writeErr = c.Writer.Write([]byte("raw body"))
				return nil
			})
			for _, path := range []string{"/text", "/writer"} {
				w := get(app, path)
				if w.Code != 500 || w.Body.String() != "sorry" {
					t.Errorf("GET %s = %d %q, want 500 \"sorry\"", path, w.Code, w.Body.String())
				}
			}
			if handled != 2 || writeErr == nil {
				t.Errorf("500 handler ran %d times (want 2); the streamed handler's write error = %v, want one", handled, writeErr)
			}
			if !strings.Contains(logs.String(), "after hook broke") {
				t.Errorf("the failure is not logged:\n%s", logs.String())
			}
		})
	}
}

// TestAfterRequestOrder checks Flask's order: this request's own hooks
// in the order added, then the blueprint's and the app's, newest first.
func TestAfterRequestOrder(t *testing.T) {
	app, _ := newTestApp()
	var trace []string
	hook := func(name string) flasky.AfterFunc {
		return func(c *flasky.Ctx, resp *flasky.Response) error { trace = append(trace, name); return nil }
	}
	app.AfterRequest(hook("app1"))
	app.AfterRequest(hook("app2"))
	bp := app.Blueprint("bp", "/bp")
	bp.AfterRequest(hook("bp1"))
	bp.AfterRequest(hook("bp2"))
	bp.Route("/", func(c *flasky.Ctx) error {
		c.AfterThisRequest(hook("once1"))
		c.AfterThisRequest(hook("once2"))
		return c.String("x")
	})
	get(app, "/bp/")
	if want := []string{"once1", "once2", "bp2", "bp1", "app2", "app1"}; !slices.Equal(trace, want) {
		t.Errorf("after hooks ran %q, want %q", trace, want)
	}
	trace = nil
	get(app, "/bp/nope")
	if want := []string{"app2", "app1"}; !slices.Equal(trace, want) {
		t.Errorf("after a 404: %q, want %q (this request's own hooks are gone)", trace, want)
	}
}

// TestAfterThisRequestWithoutAppHooks checks that a one-off hook works in
// an app that has no after hooks of its own.
func TestAfterThisRequestWithoutAppHooks(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error {
		c.AfterThisRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
			resp.Header.Set("X-Foo", "a present")
			return nil
		})
		return c.String("Test")
	})
	app.Route("/plain", text("plain"))
	if w := get(app, "/"); w.Body.String() != "Test" || w.Header().Get("X-Foo") != "a present" {
		t.Errorf("GET / = %q with X-Foo %q", w.Body.String(), w.Header().Get("X-Foo"))
	}
	if w := get(app, "/plain"); w.Header().Get("X-Foo") != "" || w.Body.String() != "plain" {
		t.Errorf("the hook leaked into the next request: %v", w.Header())
	}
}

// TestTeardown checks teardown hooks: after the response, always, with
// the failure that ended the request or nil, the blueprint's before the
// app's, newest first, and a panicking one only logged.
func TestTeardown(t *testing.T) {
	app, logs := newTestApp()
	var trace []string
	app.Teardown(func(c *flasky.Ctx, err error) {
		trace = append(trace, fmt.Sprintf("app1:%v:%v", err, c.Written()))
	})
	app.Teardown(func(c *flasky.Ctx, err error) { trace = append(trace, "app2") })
	app.Teardown(func(c *flasky.Ctx, err error) { panic("teardown broke") })
	bp := app.Blueprint("bp", "/bp")
	bp.Teardown(func(c *flasky.Ctx, err error) { trace = append(trace, "bp") })
	app.Route("/ok", text("ok"))
	app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abort(403) })
	app.Route("/fail", func(c *flasky.Ctx) error { return errors.New("db gone") })
	app.Route("/panic", func(c *flasky.Ctx) error { panic("boom") })
	bp.Route("/", text("bp"))

	tests := []struct {
		path  string
		code  int
		trace []string
	}{
		{"/ok", 200, []string{"app2", "app1:<nil>:true"}},
		{"/abort", 403, []string{"app2", "app1:<nil>:true"}},
		{"/fail", 500, []string{"app2", "app1:db gone:true"}},
		{"/nope", 404, []string{"app2", "app1:<nil>:true"}},
		{"/bp/", 200, []string{"bp", "app2", "app1:<nil>:true"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			trace = nil
			if w := get(app, tc.path); w.Code != tc.code {
				t.Errorf("GET %s = %d, want %d", tc.path, w.Code, tc.code)
			}
			if !slices.Equal(trace, tc.trace) {
				t.Errorf("teardown ran %q, want %q", trace, tc.trace)
			}
		})
	}
	trace = nil
	if w := get(app, "/panic"); w.Code != 500 || len(trace) != 2 || !strings.HasPrefix(trace[1], "app1:flasky: panic serving GET /panic: boom") {
		t.Errorf("after a panic: %d, teardown %q", w.Code, trace)
	}
	if !strings.Contains(logs.String(), "teardown broke") {
		t.Errorf("a panicking teardown hook is not logged:\n%s", logs.String())
	}
}

// TestURLValuePreprocessorAndDefaults is Flask's language-code recipe: a
// <lang> prefix taken from the values before the handler and put back
// into every URL built.
func TestURLValuePreprocessorAndDefaults(t *testing.T) {
	app, _ := newTestApp()
	bp := app.Blueprint("frontend", "/<lang>")
	bp.URLValuePreprocessor(func(c *flasky.Ctx) { c.Set("lang", c.Param("lang")) })
	bp.URLDefaults(func(c *flasky.Ctx, endpoint string, values flasky.M) {
		if _, ok := values["lang"]; !ok && c != nil {
			values["lang"] = c.Get("lang")
		}
	})
	bp.Route("/", func(c *flasky.Ctx) error {
		u, err := c.URLFor("frontend.about", nil)
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("%v %s", c.Get("lang"), u))
	}).SetEndpoint("index")
	bp.Route("/about", text("about")).SetEndpoint("about")
	var seen []string
	app.URLDefaults(func(c *flasky.Ctx, endpoint string, values flasky.M) { seen = append(seen, endpoint) })

	if w := get(app, "/de/"); w.Body.String() != "de /de/about" {
		t.Errorf("GET /de/ = %q, want \"de /de/about\"", w.Body.String())
	}
	if u, err := app.URLFor("frontend.about", flasky.M{"lang": "fr"}); err != nil || u != "/fr/about" {
		t.Errorf("App.URLFor with lang = %q, %v", u, err)
	}
	if !slices.Equal(seen, []string{"frontend.about", "frontend.about"}) {
		t.Errorf("app URL defaults saw %q", seen)
	}
}
