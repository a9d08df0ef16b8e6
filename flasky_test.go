package flasky_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestUseMiddleware(t *testing.T) {
	app, _ := newTestApp()
	var order []string
	var statuses []int
	mw := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name+">")
				w.Header().Set("X-"+name, "1")
				rec := &statusRecorder{ResponseWriter: w}
				next.ServeHTTP(rec, r)
				statuses = append(statuses, rec.status)
				order = append(order, "<"+name)
			})
		}
	}
	app.Route("/", func(c *flasky.Ctx) error { order = append(order, "handler"); return c.String("home") })
	app.Use(mw("Outer"))
	app.Use(mw("Inner"))
	tests := []struct {
		path string
		code int
	}{
		{"/", 200},
		{"/missing", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			order, statuses = nil, nil
			w := get(app, tt.path)
			if w.Code != tt.code {
				t.Errorf("GET %s = %d, want %d", tt.path, w.Code, tt.code)
			}
			if w.Header().Get("X-Outer") != "1" || w.Header().Get("X-Inner") != "1" {
				t.Errorf("GET %s: middleware headers missing: %v", tt.path, w.Header())
			}
			want := []string{"Outer>", "Inner>", "<Inner", "<Outer"}
			if tt.code == 200 {
				want = []string{"Outer>", "Inner>", "handler", "<Inner", "<Outer"}
			}
			if !slices.Equal(order, want) {
				t.Errorf("GET %s: ran %q, want %q", tt.path, order, want)
			}
			if !slices.Equal(statuses, []int{tt.code, tt.code}) {
				t.Errorf("GET %s: middleware saw statuses %v, want %d twice", tt.path, statuses, tt.code)
			}
		})
	}
	// Middleware that answers by itself stops the request.
	app2, _ := newTestApp()
	app2.Route("/", text("home"))
	app2.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Block") != "" {
				http.Error(w, "blocked", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	if w := serve(app2, "GET", "/", nil, "X-Block", "1"); w.Code != 403 {
		t.Errorf("blocking middleware: %d", w.Code)
	}
	if w := get(app2, "/"); w.Code != 200 || w.Body.String() != "home" {
		t.Errorf("passing middleware: %d %q", w.Code, w.Body.String())
	}
	// A panic in middleware is a 500 page, not a crash.
	app3, logs := newTestApp()
	app3.Route("/", text("home"))
	app3.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("mw boom") })
	})
	if w := get(app3, "/"); w.Code != 500 || w.Body.String() != internalErrorPage {
		t.Errorf("panicking middleware: %d %q", w.Code, w.Body.String())
	}
	if !strings.Contains(logs.String(), "mw boom") {
		t.Errorf("panicking middleware not logged: %q", logs.String())
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.ResponseWriter.Write(b)
}

func TestMount(t *testing.T) {
	app, _ := newTestApp()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.Path, r.URL.RawQuery)
	})
	app.Mount("/api", h)
	app.Mount("/static/", http.StripPrefix("", h))
	app.Route("/api/users", text("app route"))
	app.Route("/apix", text("apix"))
	tests := []struct {
		method, path string
		code         int
		body         string
	}{
		{"GET", "/api", 200, "GET / "},
		{"GET", "/api/", 200, "GET / "},
		{"GET", "/api/x", 200, "GET /x "},
		{"GET", "/api/x/y/z?a=1&b=2", 200, "GET /x/y/z a=1&b=2"},
		{"POST", "/api/x", 200, "POST /x "},
		{"PUT", "/api", 200, "PUT / "},
		{"DELETE", "/api/x", 200, "DELETE /x "},
		{"PATCH", "/api/x", 200, "PATCH /x "},
		{"OPTIONS", "/api/x", 200, "OPTIONS /x "},
		{"PROPFIND", "/api/x", 200, "PROPFIND /x "},
		// A mounted handler writes its body for HEAD as any net/http
		// handler does; the server drops it on the wire (TestHEADWithWriter),
		// the recorder keeps it.
		{"HEAD", "/api/x", 200, "HEAD /x "},
		{"GET", "/api/a%20b", 200, "GET /a b "},
		{"GET", "/static/css/site.css", 200, "GET /css/site.css "},
		{"GET", "/static", 200, "GET / "},
		{"GET", "/api/users", 200, "app route"},
		{"GET", "/apix", 200, "apix"},
		{"GET", "/apiy", 404, notFoundPage},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(app, tt.method, tt.path, nil)
			if w.Code != tt.code || w.Body.String() != tt.body {
				t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, w.Code, w.Body.String(), tt.code, tt.body)
			}
		})
	}
}

// MountFullPath hands the mounted handler the whole path, so a handler
// that routes on it, such as net/http/pprof's, works under its prefix;
// Mount strips the prefix.
func TestMountFullPath(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "pprof sees %s", r.URL.Path)
	})
	app := flasky.New()
	app.MountFullPath("/debug/pprof", mux)
	app.Mount("/api", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "api sees %s", r.URL.Path)
	}))
	for _, tc := range []struct{ path, want string }{
		{"/debug/pprof/", "pprof sees /debug/pprof/"},
		{"/debug/pprof/heap", "pprof sees /debug/pprof/heap"},
		{"/api/users", "api sees /users"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Body.String() != tc.want {
				t.Errorf("%d %q, want %q", w.Code, w.Body.String(), tc.want)
			}
		})
	}
}
