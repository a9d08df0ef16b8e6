package flasky_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestNotFoundPage(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", text("home"))
	for _, p := range []string{"/nope", "/nope/", "/a/b/c", "/%ED%99%8D", "/index.html"} {
		w := get(app, p)
		if w.Code != 404 {
			t.Errorf("GET %s = %d, want 404", p, w.Code)
		}
		if w.Body.String() != notFoundPage {
			t.Errorf("GET %s: body %q, want Werkzeug's 404 page %q", p, w.Body.String(), notFoundPage)
		}
		if ct := w.Header().Get("Content-Type"); ct != ctHTML {
			t.Errorf("GET %s: Content-Type %q, want %q", p, ct, ctHTML)
		}
	}
	// An app with no routes at all.
	empty, _ := newTestApp()
	if w := get(empty, "/"); w.Code != 404 || w.Body.String() != notFoundPage {
		t.Errorf("empty app GET / = %d %q, want the 404 page", w.Code, w.Body.String())
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
		t.Run(tt.path, func(t *testing.T) {
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
		})
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

// An error answers JSON to a client whose Accept prefers it (an API
// client), and Werkzeug's page to a browser or a client that says nothing.
func TestErrorsFollowAccept(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	type form struct {
		Age int `schema:"age"`
	}
	app.Route("/user/<int:id>", func(c *flasky.Ctx) error { return flasky.Abortf(404, "no user <%d>", c.ParamInt("id")) })
	app.Route("/bind", func(c *flasky.Ctx) error {
		var f form
		if err := c.Bind(&f); err != nil {
			return err
		}
		return c.String("ok")
	}, "POST")
	app.Route("/boom", func(c *flasky.Ctx) error { return errors.New("secret detail") })
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tc := range []struct {
		name, method, path, accept, body string
		code                             int
		json                             string // the JSON answer, or "" for the HTML page
	}{
		{"404 for JSON", "GET", "/nowhere", "application/json", "", 404,
			`{"code":404,"name":"Not Found","description":"The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."}`},
		{"Abortf's description escaped", "GET", "/user/7", "application/json", "", 404,
			`{"code":404,"name":"Not Found","description":"no user \u003c7\u003e"}`},
		{"JSON preferred by q", "GET", "/nowhere", "application/json, text/html;q=0.5", "", 404, `{"code":404,`},
		{"problem+json", "GET", "/nowhere", "application/problem+json", "", 404, `{"code":404,`},
		{"405 keeps Allow", "DELETE", "/bind", "application/json", "", 405, `{"code":405,"name":"Method Not Allowed",`},
		{"Bind error names the field", "POST", "/bind", "application/json", "age=old", 400, `"age`},
		{"500 tells nothing", "GET", "/boom", "application/json", "", 500,
			`{"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."}`},
		{"browser", "GET", "/nowhere", browser, "", 404, ""},
		{"HTML preferred by q", "GET", "/nowhere", "text/html, application/json;q=0.9", "", 404, ""},
		{"any type", "GET", "/nowhere", "*/*", "", 404, ""},
		{"no Accept", "GET", "/nowhere", "", "", 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tc.accept != "" {
				r.Header.Set("Accept", tc.accept)
			}
			w := httptest.NewRecorder()
			app.ServeHTTP(w, r)
			body := strings.TrimSpace(w.Body.String())
			if w.Code != tc.code || w.Header().Get("Vary") != "Accept" {
				t.Errorf("%d Vary %q, want %d Vary Accept", w.Code, w.Header().Get("Vary"), tc.code)
			}
			if tc.json == "" {
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.HasPrefix(body, "<!doctype html>") {
					t.Errorf("%s %q, want the HTML page", ct, body)
				}
				return
			}
			var v map[string]any
			if ct := w.Header().Get("Content-Type"); ct != "application/json" || json.Unmarshal([]byte(body), &v) != nil {
				t.Fatalf("%s %q, want JSON", ct, body)
			}
			if !strings.Contains(body, tc.json) || strings.Contains(body, "secret") {
				t.Errorf("got %s, want it to hold %s", body, tc.json)
			}
			if tc.code == 405 && w.Header().Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}
