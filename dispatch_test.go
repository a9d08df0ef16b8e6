package flasky_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestHEADAnswersLikeGET(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/string", text("hello, world"))
	app.Route("/html", func(c *flasky.Ctx) error { return c.HTML("<p>hello</p>") })
	app.Route("/json", func(c *flasky.Ctx) error { return c.JSON(map[string]int{"a": 1}) })
	app.Route("/data", func(c *flasky.Ctx) error { return c.Data("image/png", []byte("\x89PNG....")) })
	app.Route("/status", func(c *flasky.Ctx) error { return c.Status(201).String("made") })
	app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abort(404) })
	paths := []string{"/string", "/html", "/json", "/data", "/status", "/abort", "/missing"}

	// Through a recorder: HEAD has the GET body's length and no body.
	for _, p := range paths {
		g := serve(app, "GET", p, nil)
		h := serve(app, "HEAD", p, nil)
		if h.Code != g.Code {
			t.Errorf("HEAD %s: status %d, GET gave %d", p, h.Code, g.Code)
		}
		if h.Body.Len() != 0 {
			t.Errorf("HEAD %s: body %q, want none", p, h.Body.String())
		}
		if got, want := h.Header().Get("Content-Length"), strconv.Itoa(g.Body.Len()); got != want {
			t.Errorf("HEAD %s: Content-Length %q, want %q (the GET body's length)", p, got, want)
		}
		if got, want := h.Header().Get("Content-Type"), g.Header().Get("Content-Type"); got != want {
			t.Errorf("HEAD %s: Content-Type %q, GET gave %q", p, got, want)
		}
	}

	// Through a real server: the headers are the same, Date aside.
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, p := range paths {
		g, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		gb, _ := io.ReadAll(g.Body)
		g.Body.Close()
		h, err := http.Head(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		hb, _ := io.ReadAll(h.Body)
		h.Body.Close()
		if len(hb) != 0 {
			t.Errorf("HEAD %s over HTTP: body %q", p, hb)
		}
		g.Header.Del("Date")
		h.Header.Del("Date")
		if !reflect.DeepEqual(g.Header, h.Header) {
			t.Errorf("HEAD %s over HTTP: headers %v, GET gave %v", p, h.Header, g.Header)
		}
		if h.ContentLength != int64(len(gb)) {
			t.Errorf("HEAD %s over HTTP: Content-Length %d, GET body has %d bytes", p, h.ContentLength, len(gb))
		}
	}
}

func TestAutomaticOPTIONS(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/get", text("g"))
	app.Route("/post", text("p"), "POST")
	app.Route("/put", text("p"), "GET", "PUT")
	app.Route("/lower", text("l"), "get", "delete")
	// One rule, two handlers with disjoint methods: Flask's Allow is the
	// union of every rule that matches the path.
	app.Route("/split", text("g"))
	app.Route("/split", text("p"), "POST")
	// A static rule and a variable rule that both match /users/new.
	app.Route("/users/new", text("new"))
	app.Route("/users/<id>", text("id"), "POST")
	tests := []struct {
		path, allow string
	}{
		{"/get", "GET, HEAD, OPTIONS"},
		{"/post", "OPTIONS, POST"},
		{"/put", "GET, HEAD, OPTIONS, PUT"},
		{"/lower", "DELETE, GET, HEAD, OPTIONS"},
		{"/split", "GET, HEAD, OPTIONS, POST"},
		{"/users/new", "GET, HEAD, OPTIONS, POST"},
		{"/users/bob", "OPTIONS, POST"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := serve(app, "OPTIONS", tt.path, nil)
			if w.Code != 200 || w.Header().Get("Allow") != tt.allow || w.Body.Len() != 0 {
				t.Errorf("OPTIONS %s = %d Allow %q body %q, want 200 Allow %q and no body",
					tt.path, w.Code, w.Header().Get("Allow"), w.Body.String(), tt.allow)
			}
		})
	}
	if w := serve(app, "OPTIONS", "/nowhere", nil); w.Code != 404 {
		t.Errorf("OPTIONS /nowhere = %d, want 404", w.Code)
	}

	// A route that asks for OPTIONS itself handles it.
	app.Route("/own", func(c *flasky.Ctx) error {
		c.SetHeader("Allow", "custom")
		return c.String("own options")
	}, "OPTIONS")
	if w := serve(app, "OPTIONS", "/own", nil); w.Body.String() != "own options" || w.Header().Get("Allow") != "custom" {
		t.Errorf("OPTIONS /own = %q Allow %q, want the handler's answer", w.Body.String(), w.Header().Get("Allow"))
	}
}

func TestMethodNotAllowed(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/post", text("p"), "POST")
	app.Route("/both", text("g"))
	app.Route("/both", text("d"), "DELETE")
	app.Route("/item/<int:id>", text("put"), "PUT")
	tests := []struct {
		method, path, allow string
	}{
		{"GET", "/post", "OPTIONS, POST"},
		{"HEAD", "/post", "OPTIONS, POST"},
		{"PUT", "/both", "DELETE, GET, HEAD, OPTIONS"},
		{"GET", "/item/5", "OPTIONS, PUT"},
		{"PROPFIND", "/post", "OPTIONS, POST"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(app, tt.method, tt.path, nil)
			if w.Code != 405 {
				t.Errorf("%s %s = %d, want 405", tt.method, tt.path, w.Code)
				return
			}
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
			}
			wantBody := methodNotAllowedPage
			if tt.method == "HEAD" {
				wantBody = ""
			}
			if w.Body.String() != wantBody {
				t.Errorf("%s %s: body %q, want %q", tt.method, tt.path, w.Body.String(), wantBody)
			}
			if ct := w.Header().Get("Content-Type"); ct != ctHTML {
				t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, ct, ctHTML)
			}
		})
	}
	// A path that only fails the converter is a 404, not a 405.
	if w := get(app, "/item/abc"); w.Code != 404 {
		t.Errorf("GET /item/abc = %d, want 404", w.Code)
	}
}

func TestTrailingSlash(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/t/", text("t"))
	app.Route("/u", text("u"))
	app.Route("/post/", text("post"), "POST")
	app.Route("/v/<name>/", paramsHandler)
	app.Route("/한/", text("han"))
	tests := []struct {
		method, path string
		code         int
		location     string
	}{
		{"GET", "/t/", 200, ""},
		{"GET", "/t", 308, "/t/"},
		{"GET", "/t?x=1", 308, "/t/?x=1"},
		{"GET", "/t?x=1&y=%20", 308, "/t/?x=1&y=%20"},
		{"HEAD", "/t", 308, "/t/"},
		{"POST", "/post", 308, "/post/"},
		{"GET", "/post", 404, ""}, // Flask: the redirect needs a method the rule takes
		{"GET", "/v/a%20b", 308, "/v/a%20b/"},
		{"GET", "/%ED%95%9C", 308, "/%ED%95%9C/"},
		{"GET", "/u", 200, ""},
		{"GET", "/u/", 404, ""},
		{"GET", "/u/?x=1", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(app, tt.method, tt.path, nil)
			if w.Code != tt.code {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, w.Code, tt.code)
				return
			}
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("%s %s: Location %q, want %q", tt.method, tt.path, got, tt.location)
			}
			if tt.code == 308 && tt.method == "GET" && !strings.Contains(w.Body.String(), "Redirecting...") {
				t.Errorf("%s %s: redirect body %q lacks Werkzeug's page", tt.method, tt.path, w.Body.String())
			}
		})
	}
}

// TestTrailingSlashRedirectStaysOnHost builds rules for which the
// trailing-slash redirect fires on paths that begin with "//" or "/\",
// which a browser would read as another host.
func TestTrailingSlashRedirectStaysOnHost(t *testing.T) {
	tests := []struct {
		rule string
		path string
	}{
		{"//evil.example/", "//evil.example"},
		{"//evil.example/", "//evil.example?x=1"},
		{"/<any('',x):a>/evil.example/", "//evil.example"},
		{"/<any('',x):a>/evil.example/", "//evil.example?next=//x"},
		{"/<a>/", "/\\evil.example"},
		{"/<a>/", "/%5Cevil.example"},
		{"/<a>/", "/%5C%5Cevil.example"},
		{"/<a>/", "/%2F%2Fevil.example"}, // decodes to "///evil.example": must not match or redirect off-host
		{"/<a>/<b>/", "/%5C/evil.example"},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" "+tt.path, func(t *testing.T) {
			app, _ := newTestApp()
			if _, err := app.AddRoute(tt.rule, text("x")); err != nil {
				t.Errorf("AddRoute(%q): %v", tt.rule, err)
				return
			}
			w := get(app, tt.path)
			if w.Code != 308 && w.Code != 404 {
				t.Errorf("rule %s, GET %s = %d, want a 308 or a 404", tt.rule, tt.path, w.Code)
				return
			}
			loc := w.Header().Get("Location")
			if w.Code == 404 {
				if loc != "" {
					t.Errorf("rule %s, GET %s: 404 with Location %q", tt.rule, tt.path, loc)
				}
				return
			}
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Errorf("rule %s, GET %s: Location %q could leave the host", tt.rule, tt.path, loc)
			}
			if u, err := url.Parse(loc); err != nil || u.Host != "" || u.Scheme != "" {
				t.Errorf("rule %s, GET %s: Location %q parses to host %q", tt.rule, tt.path, loc, u.Host)
			}
		})
	}
	// The rules of the first cases do redirect (so the check above is not
	// vacuous).
	app, _ := newTestApp()
	app.Route("//evil.example/", text("x"))
	if w := get(app, "//evil.example"); w.Code != 308 {
		t.Errorf("rule //evil.example/, GET //evil.example = %d, want 308", w.Code)
	}
	app2, _ := newTestApp()
	app2.Route("/<a>/", text("x"))
	if w := get(app2, "/\\evil.example"); w.Code != 308 {
		t.Errorf("rule /<a>/, GET /\\evil.example = %d, want 308", w.Code)
	}
}

func TestBeforeRequest(t *testing.T) {
	t.Run("abort 401", func(t *testing.T) {
		app, _ := newTestApp()
		ran := 0
		app.BeforeRequest(func(c *flasky.Ctx) error {
			if c.GetHeader("Authorization") == "" {
				return flasky.Abort(401)
			}
			c.Set("user", "alice")
			return nil
		})
		app.Route("/secret", func(c *flasky.Ctx) error { ran++; return c.String("hello " + c.Get("user").(string)) })
		w := get(app, "/secret")
		if w.Code != 401 || w.Body.String() != unauthorizedPage || ran != 0 {
			t.Errorf("no credentials: %d %q, handler ran %d times; want 401 page and no handler", w.Code, w.Body.String(), ran)
		}
		w = serve(app, "GET", "/secret", nil, "Authorization", "Bearer x")
		if w.Code != 200 || w.Body.String() != "hello alice" || ran != 1 {
			t.Errorf("with credentials: %d %q", w.Code, w.Body.String())
		}
		// As in Flask, before hooks run before routing errors: without
		// credentials an unknown path is a 401 too, with them a 404.
		if w := get(app, "/nope"); w.Code != 401 {
			t.Errorf("GET /nope = %d, want 401 (the hook runs before the 404)", w.Code)
		}
		if w := serve(app, "GET", "/nope", nil, "Authorization", "Bearer x"); w.Code != 404 {
			t.Errorf("GET /nope with credentials = %d, want 404", w.Code)
		}
	})
	t.Run("writes a response", func(t *testing.T) {
		app, _ := newTestApp()
		ran, second := 0, 0
		app.BeforeRequest(func(c *flasky.Ctx) error {
			if c.Args.Has("maintenance") {
				return c.Status(503).String("down for maintenance")
			}
			return nil
		})
		app.BeforeRequest(func(c *flasky.Ctx) error { second++; return nil })
		app.Route("/", func(c *flasky.Ctx) error { ran++; return c.String("home") })
		w := get(app, "/?maintenance")
		if w.Code != 503 || w.Body.String() != "down for maintenance" || ran != 0 || second != 0 {
			t.Errorf("hook response: %d %q, handler ran %d, second hook ran %d; want 503 and neither ran", w.Code, w.Body.String(), ran, second)
		}
		w = get(app, "/")
		if w.Code != 200 || w.Body.String() != "home" || ran != 1 || second != 1 {
			t.Errorf("normal request: %d %q, handler ran %d, second hook %d", w.Code, w.Body.String(), ran, second)
		}
	})
	t.Run("plain error", func(t *testing.T) {
		app, _ := newTestApp()
		app.BeforeRequest(func(c *flasky.Ctx) error { return errors.New("db down") })
		app.Route("/", text("home"))
		if w := get(app, "/"); w.Code != 500 || w.Body.String() != internalErrorPage {
			t.Errorf("hook error: %d %q, want the 500 page", w.Code, w.Body.String())
		}
	})
}

func TestAfterRequest(t *testing.T) {
	app, _ := newTestApp()
	calls := 0
	app.AfterRequest(func(c *flasky.Ctx, _ *flasky.Response) error {
		calls++
		c.SetHeader("X-After", "yes")
		return nil
	})
	app.AfterRequest(func(c *flasky.Ctx, _ *flasky.Response) error {
		// Flask runs after_request functions newest first.
		c.SetHeader("X-Order", c.Writer.Header().Get("X-Order")+"second-registered;")
		return nil
	})
	app.AfterRequest(func(c *flasky.Ctx, _ *flasky.Response) error {
		c.SetHeader("X-Order", c.Writer.Header().Get("X-Order")+"third-registered;")
		return nil
	})
	app.Route("/ok", text("ok"))
	app.Route("/created", func(c *flasky.Ctx) error { return c.Status(201).JSON(map[string]int{"id": 1}) })
	app.Route("/nothing", func(c *flasky.Ctx) error { return nil })
	app.Route("/forbidden", func(c *flasky.Ctx) error { return flasky.Abort(403) })
	app.Route("/error", func(c *flasky.Ctx) error { return errors.New("boom") })
	app.Route("/panic", func(c *flasky.Ctx) error { panic("boom") })
	app.Route("/post", text("p"), "POST")
	app.Route("/slash/", text("s"))
	app.Route("/nocontent", func(c *flasky.Ctx) error { return c.NoContent() })
	app.Route("/redirect", func(c *flasky.Ctx) error { return c.Redirect("/ok") })
	tests := []struct {
		method, path string
		code         int
	}{
		{"GET", "/ok", 200},
		{"HEAD", "/ok", 200},
		{"GET", "/created", 201},
		{"GET", "/nothing", 200},
		{"GET", "/forbidden", 403},
		{"GET", "/error", 500},
		{"GET", "/panic", 500},
		{"GET", "/missing", 404},
		{"GET", "/post", 405},
		{"OPTIONS", "/ok", 200},
		{"GET", "/slash", 308},
		{"GET", "/nocontent", 204},
		{"GET", "/redirect", 302},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			calls = 0
			w := serve(app, tt.method, tt.path, nil)
			if w.Code != tt.code {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, w.Code, tt.code)
			}
			if w.Header().Get("X-After") != "yes" || calls != 1 {
				t.Errorf("%s %s: after hook ran %d times (X-After %q), want once", tt.method, tt.path, calls, w.Header().Get("X-After"))
			}
			if got := w.Header().Get("X-Order"); got != "third-registered;second-registered;" {
				t.Errorf("%s %s: after hooks ran in order %q, want newest first", tt.method, tt.path, got)
			}
		})
	}
}

// TestHEADWithWriter: a handler that writes through c.Writer (as the
// package doc invites for anything the helpers do not cover) must also
// answer HEAD with the GET's headers ("GET routes answer HEAD with the
// same headers and no body").
func TestHEADWithWriter(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/writer", func(c *flasky.Ctx) error {
		_, err := fmt.Fprint(c.Writer, "hello from the writer")
		return err
	})
	app.Route("/typed", func(c *flasky.Ctx) error {
		c.Writer.Header().Set("Content-Type", "text/csv")
		_, err := io.WriteString(c.Writer, "a,b\n1,2\n")
		return err
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, p := range []string{"/writer", "/typed"} {
		g, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, g.Body)
		g.Body.Close()
		h, err := http.Head(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		h.Body.Close()
		g.Header.Del("Date")
		h.Header.Del("Date")
		if !reflect.DeepEqual(g.Header, h.Header) {
			t.Errorf("HEAD %s: headers %v, GET gave %v", p, h.Header, g.Header)
		}
	}
}

// TestMergeSlashes: runs of slashes redirect (308) to the merged path
// when a rule that merges slashes takes it, per rule and per app. Where
// Werkzeug matches a path with leading slashes as if it had one, flasky
// redirects it as any other run, so that only a rule kept as written
// ever sees "//" in a path.
func TestMergeSlashes(t *testing.T) {
	type req struct {
		path     string
		code     int
		location string
	}
	for _, tc := range []struct {
		name  string
		setup func(app *flasky.App)
		reqs  []req
	}{
		{"default", func(app *flasky.App) {
			app.Route("/a/b", text("ab"))
			app.Route("/<x>/", text("x"))
		}, []req{
			{"/a//b", 308, "/a/b"},
			{"//a///b?q=1", 308, "/a/b?q=1"},
			{"/a/b", 200, ""},
			{"//a/b", 308, "/a/b"}, // Werkzeug: 200
			{"//evil.example", 308, "/evil.example/"},
			{"/a//c", 404, ""},
			{"/a%2F%2Fb", 404, ""}, // encoded slashes are not merged: the redirect would loop
		}},
		{"rule off", func(app *flasky.App) {
			app.Route("/a/b", text("ab")).SetMergeSlashes(false)
			app.Route("/no/tail/", text("tail")).SetMergeSlashes(false)
			app.Route("/c/d", text("cd"))
		}, []req{
			{"/a//b", 404, ""},
			{"//a/b", 404, ""},     // Werkzeug: 200
			{"/no//tail", 404, ""}, // Werkzeug: 308 to /no/tail/, merge_slashes notwithstanding
			{"/no//tail/", 404, ""},
			{"/no/tail", 308, "/no/tail/"},
			{"/c//d", 308, "/c/d"},
		}},
		{"app off", func(app *flasky.App) {
			app.Route("/a/b", text("ab"))
			app.SetMergeSlashes(false)
			app.Route("/c/d", text("cd"))
			app.Route("/e/f", text("ef")).SetMergeSlashes(true)
		}, []req{
			{"/a//b", 404, ""},
			{"/c//d", 404, ""},
			{"/e//f", 308, "/e/f"}, // Werkzeug's Map(merge_slashes=False) would not redirect
		}},
		{"rule written with //", func(app *flasky.App) {
			app.Route("/x//y", text("xy"))
			app.Route("/k//l", text("kl")).SetMergeSlashes(false)
		}, []req{
			{"/x/y", 200, ""},
			{"/x//y", 308, "/x/y"},
			{"/k//l", 200, ""},
			{"/k/l", 404, ""},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := newTestApp()
			tc.setup(app)
			for _, tt := range tc.reqs {
				w := get(app, tt.path)
				if w.Code != tt.code || w.Header().Get("Location") != tt.location {
					t.Errorf("GET %s = %d Location %q, want %d %q", tt.path, w.Code, w.Header().Get("Location"), tt.code, tt.location)
				}
			}
		})
	}
}

// TestMergeSlashesReshapesRule: switching merge_slashes compiles a rule
// written with "//" the other way, for matching, building and the check
// for ambiguous rules; a switch that would make it ambiguous panics and
// leaves everything as it was.
func TestMergeSlashesReshapesRule(t *testing.T) {
	app, _ := newTestApp()
	r := app.Route("/a//b", text("a//b")).SetEndpoint("ab")
	if _, err := app.AddRoute("/a/b", text("a/b")); err == nil {
		t.Fatalf("/a/b beside /a//b (merged): no ambiguity error")
	}
	check := func(step, served, body, notFound, built string) {
		t.Helper()
		if w := get(app, served); w.Code != 200 || w.Body.String() != body {
			t.Errorf("%s: GET %s = %d %q, want 200 %q", step, served, w.Code, w.Body.String(), body)
		}
		if w := get(app, notFound); w.Code != 404 {
			t.Errorf("%s: GET %s = %d, want 404", step, notFound, w.Code)
		}
		if u, err := app.URLFor("ab", nil); err != nil || u != built {
			t.Errorf("%s: URLFor(ab) = %q, %v; want %q", step, u, err, built)
		}
	}
	check("merged", "/a/b", "a//b", "/a/b/", "/a/b")

	r.SetMergeSlashes(false)
	check("as written", "/a//b", "a//b", "/a/b", "/a//b")
	app.Route("/a/b", text("a/b"))
	check("beside /a/b", "/a/b", "a/b", "/a/b/", "/a//b")

	v := mustPanic(t, func() { r.SetMergeSlashes(true) })
	if msg := fmt.Sprint(v); !strings.Contains(msg, `"/a//b"`) || !strings.Contains(msg, `"/a/b"`) {
		t.Errorf("panic %q does not name both rules", msg)
	}
	if r.MergeSlashes() {
		t.Errorf("after the refused switch, MergeSlashes() = true")
	}
	check("after the refused switch", "/a//b", "a//b", "/a/b/", "/a//b")

	// The app's switch refuses the same way, and undoes what it did.
	app2, _ := newTestApp()
	app2.SetMergeSlashes(false)
	app2.Route("/c//d", text("c//d")).SetEndpoint("cd")
	app2.Route("/x//y", text("x//y"))
	app2.Route("/x/y", text("x/y"))
	mustPanic(t, func() { app2.SetMergeSlashes(true) })
	if app2.MergeSlashes() {
		t.Errorf("after the refused switch, app MergeSlashes() = true")
	}
	for _, p := range []string{"/c//d", "/x//y", "/x/y"} {
		if w := get(app2, p); w.Code != 200 || w.Body.String() != p[1:] {
			t.Errorf("after the refused switch: GET %s = %d %q", p, w.Code, w.Body.String())
		}
	}
	if u, err := app2.URLFor("cd", nil); err != nil || u != "/c//d" {
		t.Errorf("after the refused switch: URLFor(cd) = %q, %v", u, err)
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
	for _, want := range []string{"panic", "something terrible", "stack=", "goroutine ", "panicInHandler", "dispatch_test.go"} {
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

type ctxKey struct{}

// Middleware added with app.Use learns the matched rule from r.Pattern
// after the handler returns, also when it passed down a copy of the
// request (as otelhttp does); the handler reads it with c.Rule().
func TestMatchedRuleReachesMiddleware(t *testing.T) {
	var seen, inHandler string
	app := flasky.New()
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, 1))
			next.ServeHTTP(w, r)
			seen = r.Pattern
		})
	})
	show := func(c *flasky.Ctx) error { inHandler = c.Rule(); return c.String("ok") }
	app.Route("/s5/<name>", show)
	app.Route("/user/<int:id>", show, "POST")
	app.Blueprint("admin", "/admin").Route("/users/<int:id>", show)
	for _, tc := range []struct {
		name, method, path string
		code               int
		rule               string
	}{
		{"variable rule", "GET", "/s5/kim", 200, "/s5/<name>"},
		{"percent-encoded value", "GET", "/s5/%ED%99%8D", 200, "/s5/<name>"},
		{"HEAD of a GET rule", "HEAD", "/s5/kim", 200, "/s5/<name>"},
		{"blueprint prefix", "GET", "/admin/users/7", 200, "/admin/users/<int:id>"},
		{"converter refuses: 404", "GET", "/admin/users/x", 404, ""},
		{"no rule: 404", "GET", "/nowhere", 404, ""},
		{"wrong method: 405", "GET", "/user/1", 405, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen, inHandler = "unset", ""
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
			if w.Code != tc.code || seen != tc.rule {
				t.Errorf("%s %s: %d with r.Pattern %q, want %d with %q", tc.method, tc.path, w.Code, seen, tc.code, tc.rule)
			}
			if tc.code == 200 && inHandler != tc.rule {
				t.Errorf("c.Rule() = %q, want %q", inHandler, tc.rule)
			}
		})
	}
}

// TestRedirectBeforeMethodNotAllowed: Werkzeug checks the trailing-slash
// redirect before the method, so GET /bar with /bar/ (GET) and /bar
// (POST) is a 308 (Flask 3.1's answers).
func TestRedirectBeforeMethodNotAllowed(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/bar/", text("get"))
	app.Route("/bar", text("post"), "POST")
	for _, tt := range []struct {
		method, path string
		code         int
		location     string
	}{
		{"GET", "/bar", 308, "/bar/"},
		{"POST", "/bar", 200, ""},
		{"PUT", "/bar", 405, ""},
		{"GET", "/bar/", 200, ""},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(app, tt.method, tt.path, nil)
			if w.Code != tt.code || w.Header().Get("Location") != tt.location {
				t.Errorf("%s %s = %d (Location %q); want %d (Location %q)", tt.method, tt.path, w.Code, w.Header().Get("Location"), tt.code, tt.location)
			}
		})
	}
}
