package flasky_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/flasky-go/flasky"
)

// trace is a record of what ran, in order, for one request at a time.
type trace struct {
	mu    sync.Mutex
	steps []string
}

func (tr *trace) add(s string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.steps = append(tr.steps, s)
}

func (tr *trace) take() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	s := strings.Join(tr.steps, " ")
	tr.steps = nil
	return s
}

// mark is middleware that records name before and /name after the
// handler it wraps.
func (tr *trace) mark(name string) flasky.Middleware {
	return func(next flasky.HandlerFunc) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error {
			tr.add(name)
			err := next(c)
			tr.add("/" + name)
			return err
		}
	}
}

// TestWrapOrder: a blueprint's middleware, given before or after its
// routes, is outside the route's own; each list runs first to last, and
// Wrap(a).Wrap(b) is Wrap(a, b). Before hooks run first; other routes
// and blueprints are not wrapped.
func TestWrapOrder(t *testing.T) {
	tr := &trace{}
	app, _ := newTestApp()
	app.BeforeRequest(func(c *flasky.Ctx) error { tr.add("before"); return nil })
	bp := app.Blueprint("admin", "/admin")
	bp.Wrap(tr.mark("bp1"))
	handler := func(c *flasky.Ctx) error { tr.add("handler"); return c.String("ok") }
	bp.Route("/early", handler).SetEndpoint("early").Wrap(tr.mark("r1"), tr.mark("r2")).Wrap(tr.mark("r3"))
	bp.Wrap(tr.mark("bp2"))
	bp.Route("/late", handler).SetEndpoint("late").Wrap(tr.mark("r1"))
	other := app.Blueprint("other", "/other")
	other.Route("/", handler).SetEndpoint("index")
	app.Route("/", handler).SetEndpoint("index")

	tests := []struct{ path, want string }{
		{"/admin/early", "before bp1 bp2 r1 r2 r3 handler /r3 /r2 /r1 /bp2 /bp1"},
		{"/admin/late", "before bp1 bp2 r1 handler /r1 /bp2 /bp1"},
		{"/other/", "before handler"},
		{"/", "before handler"},
	}
	for _, tt := range tests {
		if w := get(app, tt.path); w.Code != 200 {
			t.Errorf("GET %s = %d %q", tt.path, w.Code, w.Body)
		}
		if got := tr.take(); got != tt.want {
			t.Errorf("GET %s ran %q, want %q", tt.path, got, tt.want)
		}
	}
	// The automatic OPTIONS answer calls no handler, so no middleware.
	if w := serve(app, "OPTIONS", "/admin/early", nil); w.Code != 200 {
		t.Errorf("OPTIONS = %d", w.Code)
	}
	if got := tr.take(); got != "before" {
		t.Errorf("OPTIONS ran %q, want before only", got)
	}
}

// loginRequired answers 401 unless the request says who it is.
func loginRequired(next flasky.HandlerFunc) flasky.HandlerFunc {
	return func(c *flasky.Ctx) error {
		if c.GetHeader("X-User") == "" {
			return flasky.Abort(http.StatusUnauthorized)
		}
		return next(c)
	}
}

func createPost(c *flasky.Ctx) error {
	return fmt.Errorf("cannot create for %s", c.GetHeader("X-User"))
}

// TestWrapKeepsEndpointAndSource: a wrapped route keeps the handler's
// endpoint, and the debug page shows the handler, not the middleware.
func TestWrapKeepsEndpointAndSource(t *testing.T) {
	app, _ := newTestApp()
	app.Config.Debug = true
	bp := app.Blueprint("blog", "")
	r := bp.Route("/create", createPost, "GET", "POST").Wrap(loginRequired)
	if r.Endpoint() != "blog.createPost" {
		t.Errorf("endpoint = %q, want blog.createPost", r.Endpoint())
	}
	if u, err := app.URLFor("blog.createPost", nil); u != "/create" || err != nil {
		t.Errorf("URLFor = %q, %v", u, err)
	}
	if w := get(app, "/create"); w.Code != http.StatusUnauthorized {
		t.Errorf("GET /create without a user = %d, want 401", w.Code)
	}
	w := serve(app, "GET", "/create", nil, "X-User", "kim")
	body := w.Body.String()
	if w.Code != 500 || !strings.Contains(body, "cannot create for kim") {
		t.Fatalf("GET /create = %d %q", w.Code, body)
	}
	if !strings.Contains(body, "flasky_test.createPost") || !strings.Contains(body, "middleware_test.go") {
		t.Errorf("the debug page does not show the handler createPost and its file:\n%s", body)
	}
	if strings.Contains(body, "loginRequired") {
		t.Errorf("the debug page shows the middleware instead of the handler:\n%s", body)
	}
}

// TestWrappedByHandURLForHint: a handler wrapped by hand is named after
// its rule, and URLFor by the handler's name says why and what to do.
func TestWrappedByHandURLForHint(t *testing.T) {
	app, _ := newTestApp()
	bp := app.Blueprint("blog", "")
	bp.Route("/create", loginRequired(createPost), "GET", "POST")
	bp.Route("/<int:id>/update", loginRequired(createPost), "GET", "POST")
	app.Route("/about", loginRequired(createPost))
	tests := []struct{ endpoint, want string }{
		{"blog.create", `no endpoint "blog.create"; rule "/create" is named "blog./create" after its rule`},
		{"blog.update", `rule "/<int:id>/update" is named "blog./<int:id>/update"`},
		{"about", `rule "/about" is named "/about"`},
		{"blog.about", `no endpoint "blog.about"`}, // another blueprint's rule
	}
	for _, tt := range tests {
		_, err := app.URLFor(tt.endpoint, flasky.M{"id": 1})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("URLFor(%q) = %v, want it to contain %q", tt.endpoint, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "is named") && (!strings.Contains(err.Error(), "SetEndpoint") || !strings.Contains(err.Error(), "Wrap(")) {
			t.Errorf("URLFor(%q) = %v: no hint of SetEndpoint and Wrap", tt.endpoint, err)
		}
	}
	if _, err := app.URLFor("blog.about", nil); strings.Contains(err.Error(), "is named") {
		t.Errorf("URLFor(blog.about) points at another blueprint's rule: %v", err)
	}
}

// gzipMiddleware compresses every response, as common net/http
// compression middleware does.
func gzipMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Del("Content-Length")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		next.ServeHTTP(gzipWriter{w, zw}, r)
	})
}

type gzipWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (g gzipWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length") // the helpers set the plain length
	g.ResponseWriter.WriteHeader(code)
}

func (g gzipWriter) Write(p []byte) (int, error) {
	g.Header().Del("Content-Length")
	return g.zw.Write(p)
}

func gunzip(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, body %q", w.Header().Get("Content-Encoding"), w.Body)
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatalf("not gzip: %v (%q)", err, w.Body)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHTTPMiddlewareWriter: what the handler writes, error pages and
// kept bodies included, goes through the writer the middleware passed
// down.
func TestHTTPMiddlewareWriter(t *testing.T) {
	for _, hooks := range []bool{false, true} {
		t.Run(fmt.Sprintf("after hooks %v", hooks), func(t *testing.T) {
			app, _ := newTestApp()
			if hooks {
				app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
					resp.Header.Set("X-After", "ran")
					return nil
				})
			}
			gz := flasky.HTTPMiddleware(gzipMiddleware)
			app.Route("/text", func(c *flasky.Ctx) error { return c.Status(201).String("hello, gzip") }).Wrap(gz)
			app.Route("/missing", func(c *flasky.Ctx) error { return flasky.Abort(404) }).Wrap(gz)
			app.Route("/stream", func(c *flasky.Ctx) error {
				_, err := io.WriteString(c.Writer, "streamed")
				return err
			}).Wrap(gz)
			app.Route("/empty", func(c *flasky.Ctx) error { return nil }).Wrap(gz)

			tests := []struct {
				path string
				code int
				body string
			}{
				{"/text", 201, "hello, gzip"},
				{"/missing", 404, notFoundPage},
				{"/stream", 200, "streamed"},
				{"/empty", 200, ""},
			}
			for _, tt := range tests {
				w := get(app, tt.path)
				if got := gunzip(t, w); w.Code != tt.code || got != tt.body {
					t.Errorf("GET %s = %d %q, want %d %q", tt.path, w.Code, got, tt.code, tt.body)
				}
				if hooks && w.Header().Get("X-After") != "ran" {
					t.Errorf("GET %s: the after hook did not run", tt.path)
				}
			}
		})
	}
}

type mwTenantKey struct{}

// TestHTTPMiddlewareRequest: the handler runs with the request the
// middleware passed down and the same Ctx; c.Request stays that request
// for what runs after it, as the access log.
func TestHTTPMiddlewareRequest(t *testing.T) {
	addValue := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r2 := r.WithContext(context.WithValue(r.Context(), mwTenantKey{}, "acme"))
			r2.Header.Set("X-Added", "yes")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			next.ServeHTTP(w, r2)
		})
	}
	var after any
	outer := func(next flasky.HandlerFunc) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error {
			c.Set("stored", "by outer")
			err := next(c)
			after = c.Context().Value(mwTenantKey{})
			return err
		}
	}
	app, _ := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error {
		return c.String(fmt.Sprint(c.Context().Value(mwTenantKey{}), " ", c.GetHeader("X-Added"), " ", c.Get("stored"), " ", c.RequestID() != ""))
	}).Wrap(outer, flasky.HTTPMiddleware(addValue))
	ws, recs := accessRecords(t, app, httptest.NewRequest("GET", "/", nil))
	w := ws[0]
	if w.Body.String() != "acme yes by outer true" || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET / = %q, CORS %q", w.Body, w.Header().Get("Access-Control-Allow-Origin"))
	}
	if after != "acme" {
		t.Errorf("after the middleware, c.Context() holds %v, want its value", after)
	}
	if len(recs) != 1 || recs[0]["status"] != 200.0 {
		t.Fatalf("records %v", recs)
	}
}

// TestHTTPMiddlewareRequestID: behind a writer that hides the access
// log's (no Unwrap), the handler's request id is still the logged one.
func TestHTTPMiddlewareRequestID(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error {
		return c.Status(201).String(c.RequestID())
	}).Wrap(flasky.HTTPMiddleware(gzipMiddleware))
	ws, recs := accessRecords(t, app, httptest.NewRequest("GET", "/", nil))
	id := ws[0].Header().Get("X-Request-Id")
	if got := gunzip(t, ws[0]); id == "" || got != id {
		t.Errorf("the handler's id %q, the response's %q", got, id)
	}
	if len(recs) != 1 || recs[0]["request_id"] != id || recs[0]["status"] != 201.0 {
		t.Errorf("records %v, want one with request_id %s and status 201", recs, id)
	}
}

// TestHTTPMiddlewareAnswers: middleware that answers by itself goes
// through the after hooks; the status it sees is the response's, error
// pages included; middleware that buffers and rewrites the response
// sends its own status.
func TestHTTPMiddlewareAnswers(t *testing.T) {
	deny := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Key") == "" {
				http.Error(w, "no key", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	var seen int
	record := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &statusWriter{ResponseWriter: w, code: 200}
			next.ServeHTTP(rec, r)
			seen = rec.code
		})
	}
	upper := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code + 1)
			_, _ = io.WriteString(w, strings.ToUpper(rec.Body.String()))
		})
	}
	app, _ := newTestApp()
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
		resp.Header.Set("X-After", "ran")
		return nil
	})
	hello := func(c *flasky.Ctx) error { return c.String("hello") }
	app.Route("/deny", hello).Wrap(flasky.HTTPMiddleware(deny))
	app.Route("/record", func(c *flasky.Ctx) error {
		if c.Args.Get("fail") != "" {
			return fmt.Errorf("failed")
		}
		return c.Status(202).String("hello")
	}).Wrap(flasky.HTTPMiddleware(record))
	app.Route("/upper", hello).Wrap(flasky.HTTPMiddleware(upper))

	w := get(app, "/deny")
	if w.Code != 401 || w.Body.String() != "no key\n" || w.Header().Get("X-After") != "ran" {
		t.Errorf("GET /deny = %d %q, X-After %q; want 401 from the middleware, through the after hook", w.Code, w.Body, w.Header().Get("X-After"))
	}
	if w := serve(app, "GET", "/deny", nil, "X-Key", "k"); w.Code != 200 || w.Body.String() != "hello" {
		t.Errorf("GET /deny with a key = %d %q", w.Code, w.Body)
	}
	for _, tt := range []struct {
		target string
		code   int
	}{{"/record", 202}, {"/record?fail=1", 500}} {
		seen = 0
		if w := get(app, tt.target); w.Code != tt.code || seen != tt.code {
			t.Errorf("GET %s = %d, the middleware saw %d; want %d", tt.target, w.Code, seen, tt.code)
		}
	}
	if w := get(app, "/upper"); w.Code != 201 || w.Body.String() != "HELLO" || w.Header().Get("X-After") != "ran" {
		t.Errorf("GET /upper = %d %q, X-After %q; want 201 HELLO", w.Code, w.Body, w.Header().Get("X-After"))
	}
}

// statusWriter records the status, as metrics middleware does.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// TestHTTPMiddlewareLostContext: middleware that passes down a request
// of its own making loses the Ctx: a 500 whose log says why.
func TestHTTPMiddlewareLostContext(t *testing.T) {
	fresh := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, httptest.NewRequest(r.Method, r.URL.String(), nil))
		})
	}
	app, log := newTestApp()
	app.Route("/", text("never")).Wrap(flasky.HTTPMiddleware(fresh))
	if w := get(app, "/"); w.Code != 500 {
		t.Errorf("GET / = %d %q, want 500", w.Code, w.Body)
	}
	if !strings.Contains(log.String(), "not made from the one it got") {
		t.Errorf("the log does not say why:\n%s", log)
	}
}

// TestMiddlewareNil: nil middleware is refused when given.
func TestMiddlewareNil(t *testing.T) {
	app, _ := newTestApp()
	r := app.Route("/", text("x"))
	if v := mustPanic(t, func() { r.Wrap(nil) }); !strings.Contains(fmt.Sprint(v), "nil Middleware") {
		t.Errorf("panic = %v", v)
	}
	bp := app.Blueprint("bp", "/bp")
	if v := mustPanic(t, func() { bp.Wrap(nil) }); !strings.Contains(fmt.Sprint(v), "nil Middleware") {
		t.Errorf("panic = %v", v)
	}
	if v := mustPanic(t, func() { flasky.HTTPMiddleware(nil) }); !strings.Contains(fmt.Sprint(v), "HTTPMiddleware(nil)") {
		t.Errorf("panic = %v", v)
	}
}
