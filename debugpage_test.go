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

// debugPageApp has a route for each way a request fails with a 500.
func debugPageApp(debug bool) *flasky.App {
	app, _ := newTestApp()
	app.Config.Debug = debug
	app.Route("/panic", func(c *flasky.Ctx) error { panicForDebugPage(); return nil })
	app.Route("/error", func(c *flasky.Ctx) error {
		return fmt.Errorf("load profile: %w", fs.ErrNotExist)
	})
	app.Route("/form", func(c *flasky.Ctx) error {
		_ = c.Form.Get("password")
		return errors.New("login failed")
	}, "POST")
	app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abort(503) })
	app.Route("/mw", text("unreached"))
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/mw" {
				panicInMiddleware()
			}
			next.ServeHTTP(w, r)
		})
	})
	return app
}

func panicForDebugPage() { panic("kaboom <script>alert(1)</script>") }
func panicInMiddleware() { panic("middleware broke") }

// TestDebugPage checks what a 500 shows in debug mode: the error, the
// program's source around the failing frame, the error's chain and the
// request, all escaped; secrets stay hidden.
func TestDebugPage(t *testing.T) {
	tests := []struct {
		name, method, target, body string
		want, hide                 []string
	}{
		{
			name: "panic", method: "GET", target: "/panic?q=1",
			want: []string{
				"kaboom &lt;script&gt;alert(1)&lt;/script&gt;",                // the error, escaped
				"flasky_test.panicForDebugPage",                               // the frame
				"debugpage_test.go:",                                          // its file and line
				`<span class=here>`,                                           // the marked line
				"func panicForDebugPage() { panic(&#34;kaboom &lt;script&gt;", // its source
				"flasky_test.TestDebugPage",                                   // a caller's frame
				"/panic?q=1", "X-Test", "&lt;b&gt;",                           // the request
				"Cookie", "(hidden, 9 bytes)", // a secret, by size
			},
			hide: []string{"<script>", "s3cr3t=42"},
		},
		{
			name: "returned error", method: "GET", target: "/error",
			want: []string{
				"load profile: file does not exist",
				"Go errors carry no stack",
				"flasky_test.debugPageApp.func2", "debugpage_test.go:",
				"*fmt.wrapError", "*errors.errorString", // the chain
				"the handler did not read a form",
			},
		},
		{
			name: "form keys, not values", method: "POST", target: "/form", body: "password=hunter2&user=kim",
			want: []string{"login failed", "Form keys", "password", "user", "1 value(s)"},
			hide: []string{"hunter2"},
		},
		{
			name: "middleware panic", method: "GET", target: "/mw",
			want: []string{"middleware broke", "flasky_test.panicInMiddleware", "debugpage_test.go:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body *strings.Reader
			hdr := []string{"X-Test", "<b>", "Cookie", "s3cr3t=42"}
			if tt.body != "" {
				hdr = append(hdr, "Content-Type", "application/x-www-form-urlencoded")
			}
			body = strings.NewReader(tt.body)

			// Debug mode: Werkzeug's page, then the details.
			w := serve(debugPageApp(true), tt.method, tt.target, body, hdr...)
			page := w.Body.String()
			if w.Code != 500 || !strings.HasPrefix(page, internalErrorPage) {
				t.Fatalf("debug: %d, page does not start with the 500 page:\n%s", w.Code, page)
			}
			for _, s := range tt.want {
				if !strings.Contains(page, s) {
					t.Errorf("debug page lacks %q:\n%s", s, page)
				}
			}
			for _, s := range tt.hide {
				if strings.Contains(page, s) {
					t.Errorf("debug page shows %q:\n%s", s, page)
				}
			}

			// Normal mode: the bare page, nothing more.
			body = strings.NewReader(tt.body)
			w = serve(debugPageApp(false), tt.method, tt.target, body, hdr...)
			if w.Code != 500 || w.Body.String() != internalErrorPage {
				t.Errorf("normal mode: %d %q, want the bare 500 page", w.Code, w.Body.String())
			}
		})
	}
}

// TestDebugPageKeepsAborts checks that an intended 5xx (Abort) keeps its
// plain page in debug mode: only failures get the details.
func TestDebugPageKeepsAborts(t *testing.T) {
	w := get(debugPageApp(true), "/abort")
	if w.Code != 503 || strings.Contains(w.Body.String(), "flasky debug mode") {
		t.Errorf("Abort(503) in debug mode: %d %q, want the plain 503 page", w.Code, w.Body.String())
	}
}

// TestDebugPageBeforeErrorHandler checks Flask's order in debug mode: a
// failure (panic, plain error) shows the debug page even when a 500
// handler is set, an intended Abort(500) reaches the handler, and in
// normal mode the handler answers everything.
func TestDebugPageBeforeErrorHandler(t *testing.T) {
	tests := []struct {
		path      string
		debug     bool
		wantDebug bool
	}{
		{"/panic", true, true},
		{"/error", true, true},
		{"/abort500", true, false},
		{"/panic", false, false},
		{"/error", false, false},
		{"/abort500", false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s debug=%v", tt.path, tt.debug), func(t *testing.T) {
			app := debugPageApp(tt.debug)
			app.Route("/abort500", func(c *flasky.Ctx) error { return flasky.Abort(500) })
			app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error {
				return c.String("custom 500")
			})
			w := get(app, tt.path)
			body := w.Body.String()
			gotDebug := strings.Contains(body, "flasky debug mode")
			if w.Code != 500 || gotDebug != tt.wantDebug || (!tt.wantDebug && body != "custom 500") {
				t.Errorf("debug=%v GET %s = %d %.80q; want 500 with the debug page: %v (else the handler's text)",
					tt.debug, tt.path, w.Code, body, tt.wantDebug)
			}
		})
	}
}
