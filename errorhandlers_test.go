package flasky_test

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

type notFoundError struct{ what string }

func (e *notFoundError) Error() string { return e.what + " not found" }

type temporary interface {
	error
	Temporary() bool
}

type busyError struct{}

func (busyError) Error() string   { return "busy" }
func (busyError) Temporary() bool { return true }

// TestOnError checks handlers chosen by error type in Flask's order: a
// concrete type before an interface before error; the blueprint before
// the app; a code handler before a type handler for an HTTP error; a
// failure's type handlers before the 500 handler.
func TestOnError(t *testing.T) {
	app, _ := newTestApp()
	flasky.OnError(app, func(c *flasky.Ctx, err error) error { return c.String("any: " + err.Error()) })
	flasky.OnError(app, func(c *flasky.Ctx, err temporary) error { return c.Status(503).String("try later") })
	flasky.OnError(app, func(c *flasky.Ctx, err *notFoundError) error { return c.String("app: no " + err.what) })
	flasky.OnError(app, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String(fmt.Sprintf("http %d", e.Code))
	})
	app.ErrorHandler(418, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.String("teapot by code") })

	bp := app.Blueprint("bp", "/bp")
	flasky.OnError(bp, func(c *flasky.Ctx, err *notFoundError) error { return c.String("bp: no " + err.what) })

	app.Route("/nf", func(c *flasky.Ctx) error { return fmt.Errorf("loading: %w", &notFoundError{"user"}) })
	app.Route("/busy", func(c *flasky.Ctx) error { return busyError{} })
	app.Route("/plain", func(c *flasky.Ctx) error { return errors.New("plain") })
	app.Route("/panic", func(c *flasky.Ctx) error { panic("oops") })
	app.Route("/teapot", func(c *flasky.Ctx) error { return flasky.Abort(418) })
	app.Route("/forbidden", func(c *flasky.Ctx) error { return flasky.Abort(403) })
	bp.Route("/nf", func(c *flasky.Ctx) error { return &notFoundError{"page"} })
	bp.Route("/plain", func(c *flasky.Ctx) error { return fs.ErrNotExist })

	tests := []struct {
		path string
		code int
		body string
	}{
		{"/nf", 500, "app: no user"}, // status starts as the error's: 500 for a failure
		{"/busy", 503, "try later"},
		{"/plain", 500, "any: plain"},
		{"/panic", 500, "any: flasky: panic serving GET /panic: oops"},
		{"/teapot", 418, "teapot by code"},
		{"/forbidden", 403, "http 403"},
		{"/nope", 404, "http 404"},
		{"/bp/nf", 500, "bp: no page"},
		{"/bp/plain", 500, "any: file does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			w := get(app, tc.path)
			if w.Code != tc.code || w.Body.String() != tc.body {
				t.Errorf("GET %s = %d %q, want %d %q", tc.path, w.Code, w.Body.String(), tc.code, tc.body)
			}
		})
	}
}

// TestOnErrorFallsBackTo500Handler checks that a failure no type handler
// takes reaches the 500 handler, then an *HTTPError handler.
func TestOnErrorFallsBackTo500Handler(t *testing.T) {
	app, _ := newTestApp()
	flasky.OnError(app, func(c *flasky.Ctx, err *notFoundError) error { return c.Status(404).String("nf") })
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.String("500 handler: " + e.Err.Error()) })
	app.Route("/x", func(c *flasky.Ctx) error { return errors.New("db") })
	app.Route("/nf", func(c *flasky.Ctx) error { return &notFoundError{"x"} })
	if w := get(app, "/x"); w.Code != 500 || w.Body.String() != "500 handler: db" {
		t.Errorf("GET /x = %d %q", w.Code, w.Body.String())
	}
	if w := get(app, "/nf"); w.Code != 404 || w.Body.String() != "nf" {
		t.Errorf("GET /nf = %d %q", w.Code, w.Body.String())
	}

	app2, _ := newTestApp()
	flasky.OnError(app2, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String(fmt.Sprintf("http %d caused by %v", e.Code, e.Err))
	})
	app2.Route("/x", func(c *flasky.Ctx) error { return errors.New("db") })
	if w := get(app2, "/x"); w.Code != 500 || w.Body.String() != "http 500 caused by db" {
		t.Errorf("app2 GET /x = %d %q", w.Code, w.Body.String())
	}
}

// TestOnErrorHandlerFails checks that a handler that fails or panics
// gives the default page for its error, logged.
func TestOnErrorHandlerFails(t *testing.T) {
	app, logs := newTestApp()
	flasky.OnError(app, func(c *flasky.Ctx, err *notFoundError) error { return errors.New("handler broke") })
	flasky.OnError(app, func(c *flasky.Ctx, err busyError) error { panic("handler panicked") })
	app.Route("/nf", func(c *flasky.Ctx) error { return &notFoundError{"x"} })
	app.Route("/busy", func(c *flasky.Ctx) error { return busyError{} })
	for _, path := range []string{"/nf", "/busy"} {
		if w := get(app, path); w.Code != 500 || w.Body.String() != internalErrorPage {
			t.Errorf("GET %s = %d %q, want the 500 page", path, w.Code, w.Body.String())
		}
	}
	for _, want := range []string{"handler broke", "handler panicked"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// TestAbortWith checks Flask's abort(response): sent as it is, no
// handler runs.
func TestAbortWith(t *testing.T) {
	app, _ := newTestApp()
	app.ErrorHandler(409, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.String("handler") })
	app.Route("/", func(c *flasky.Ctx) error {
		resp := flasky.NewResponse(409, []byte(`{"error":"taken"}`))
		resp.Header.Set("Content-Type", "application/json")
		return flasky.AbortWith(resp)
	})
	w := get(app, "/")
	if w.Code != 409 || w.Body.String() != `{"error":"taken"}` || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("GET / = %d %q %v", w.Code, w.Body.String(), w.Header())
	}
}

// TestAbortUnusualCodes checks that a code without a standard page still
// answers, with that status and a page named after it.
func TestAbortUnusualCodes(t *testing.T) {
	app, logs := newTestApp()
	app.Route("/<int:code>", func(c *flasky.Ctx) error { return flasky.Abort(c.ParamInt("code")) })
	for _, code := range []int{418, 420, 451, 499, 507, 599} {
		w := get(app, fmt.Sprintf("/%d", code))
		if w.Code != code || !strings.Contains(w.Body.String(), "<title>") {
			t.Errorf("Abort(%d) = %d %q", code, w.Code, w.Body.String())
		}
		if txt := http.StatusText(code); txt != "" && !strings.Contains(w.Body.String(), txt) {
			t.Errorf("Abort(%d): page lacks %q: %q", code, txt, w.Body.String())
		}
	}
	// Not an error status: a bug in the handler, answered 500 and logged.
	for _, code := range []int{0, 99, 100, 200, 302, 600, 1000} {
		logs.Reset()
		w := get(app, fmt.Sprintf("/%d", code))
		if w.Code != 500 || !strings.Contains(logs.String(), fmt.Sprintf("status %d: only 4xx and 5xx", code)) {
			t.Errorf("Abort(%d) = %d %q; log %q", code, w.Code, w.Body.String(), logs.String())
		}
	}
}

// TestTrapHTTPErrors checks Config.TrapHTTPExceptions and
// TrapBadRequestErrors, Flask's TRAP_* settings: an HTTP error no handler
// takes becomes a failure (a 500, reported to the test in testing mode);
// debug mode traps a missing key's 400 only; a handler still takes its
// code.
func TestTrapHTTPErrors(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		trapHTTP, trap400    bool
		debug, testing, h404 bool
		path                 string
		code                 int
		reported             bool
	}{
		{"no trap", false, false, false, true, false, "/404", 404, false},
		{"http trap", true, false, false, true, false, "/404", 500, true},
		{"http trap, not testing", true, false, false, false, false, "/404", 500, false},
		{"http trap, a 404 handler", true, false, false, true, true, "/404", 404, false},
		{"400 trap, a 404", false, true, false, true, false, "/404", 404, false},
		{"400 trap, a 400", false, true, false, true, false, "/400", 500, true},
		{"400 trap, a missing key", false, true, false, true, false, "/key", 500, true},
		{"debug, a 400", false, false, true, false, false, "/400", 400, false},
		{"debug, a missing key", false, false, true, false, false, "/key", 500, true},
		{"no trap, a missing key", false, false, false, true, false, "/key", 400, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			app, _ := newTestApp()
			app.Config.TrapHTTPExceptions, app.Config.TrapBadRequestErrors = tt.trapHTTP, tt.trap400
			app.Config.Debug, app.Config.Testing = tt.debug, tt.testing
			app.Route("/404", func(c *flasky.Ctx) error { return flasky.Abort(404) })
			app.Route("/400", func(c *flasky.Ctx) error { return flasky.Abort(400) })
			app.Route("/key", func(c *flasky.Ctx) error {
				_, err := c.Args.Require("missing_key")
				return err
			})
			if tt.h404 {
				app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.Status(404).String("ours") })
			}
			rec := &fatalRecorder{}
			res := app.TestClient(rec).Get(tt.path)
			if res.Code != tt.code || (len(rec.errors) > 0) != tt.reported {
				t.Errorf("GET %s = %d, reports %q; want %d, reported %v", tt.path, res.Code, rec.errors, tt.code, tt.reported)
			}
			if tt.reported && len(rec.errors) > 0 && !strings.Contains(rec.errors[0], "trapped HTTP error") {
				t.Errorf("report %q does not say the error was trapped", rec.errors[0])
			}
		})
	}
}
