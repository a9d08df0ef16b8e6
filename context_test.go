package flasky_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

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

// TestScriptRoot: an app under a prefix keeps it in its redirects, its
// built URLs and its session cookie. Flask 3.1 answers the same for the
// redirect and URLs (DispatcherMiddleware, ProxyFix(x_prefix=1)); its
// session cookie keeps Path=/ (APPLICATION_ROOT) where flasky uses the
// prefix.
func TestScriptRoot(t *testing.T) {
	newInner := func() *flasky.App {
		inner, _ := newTestApp()
		inner.Config.SecretKey = []byte("k")
		inner.Route("/bar/", func(c *flasky.Ctx) error {
			u, err := c.URLFor("bar", nil)
			if err != nil {
				return err
			}
			x, err := c.URLFor("bar", flasky.M{"_external": true})
			if err != nil {
				return err
			}
			return c.String(u + " " + x + " " + c.ScriptRoot())
		}).SetEndpoint("bar")
		inner.Route("/login", func(c *flasky.Ctx) error {
			s := c.Session()
			s.Set("u", 1)
			return c.String("ok")
		})
		return inner
	}
	mounted := func() http.Handler {
		outer, _ := newTestApp()
		outer.Mount("/test", newInner())
		return outer
	}
	stripped := func() http.Handler { return http.StripPrefix("/test", newInner()) }
	root := func() http.Handler {
		a := newInner()
		a.Config.ApplicationRoot = "/test/"
		return a
	}
	proxied := func() http.Handler {
		a := newInner()
		if err := a.TrustProxies("192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		return a
	}
	untrusted := func() http.Handler {
		a := newInner()
		if err := a.TrustProxies("10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		return a
	}
	xfp := []string{"X-Forwarded-Prefix", "/test"}
	for _, tt := range []struct {
		name    string
		h       func() http.Handler
		path    string
		hdr     []string
		code    int
		want    string // Location, or the body
		cookiep string
	}{
		{"mount redirect", mounted, "/test/bar", nil, 308, "/test/bar/", ""},
		{"mount redirect with query", mounted, "/test/bar?q=1", nil, 308, "/test/bar/?q=1", ""},
		{"mount merge slashes", mounted, "/test/bar//", nil, 308, "/test/bar/", ""},
		{"mount url_for", mounted, "/test/bar/", nil, 200, "/test/bar/ http://example.com/test/bar/ /test", ""},
		{"mount session", mounted, "/test/login", nil, 200, "ok", "/test"},
		{"StripPrefix redirect", stripped, "/test/bar", nil, 308, "/test/bar/", ""},
		{"StripPrefix url_for", stripped, "/test/bar/", nil, 200, "/test/bar/ http://example.com/test/bar/ /test", ""},
		{"ApplicationRoot redirect", root, "/bar", nil, 308, "/test/bar/", ""},
		{"ApplicationRoot url_for", root, "/bar/", nil, 200, "/test/bar/ http://example.com/test/bar/ /test", ""},
		{"ApplicationRoot session", root, "/login", nil, 200, "ok", "/test"},
		{"proxy prefix redirect", proxied, "/bar", xfp, 308, "/test/bar/", ""},
		{"proxy prefix url_for", proxied, "/bar/", xfp, 200, "/test/bar/ http://example.com/test/bar/ /test", ""},
		{"proxy prefix unsafe", proxied, "/bar/", []string{"X-Forwarded-Prefix", "//evil.example/x"}, 200, "/evil.example/x/bar/ http://example.com/evil.example/x/bar/ /evil.example/x", ""},
		{"proxy prefix refused", proxied, "/bar/", []string{"X-Forwarded-Prefix", "/a b"}, 200, "/bar/ http://example.com/bar/ ", ""},
		{"untrusted proxy prefix", untrusted, "/bar", xfp, 308, "/bar/", ""},
		{"root app", newInnerHandler(newInner), "/bar", nil, 308, "/bar/", ""},
		{"root session", newInnerHandler(newInner), "/login", nil, 200, "ok", "/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(tt.h(), "GET", tt.path, nil, tt.hdr...)
			got := w.Body.String()
			if w.Code/100 == 3 {
				got = w.Header().Get("Location")
			}
			if w.Code != tt.code || got != tt.want {
				t.Errorf("GET %s = %d %q; want %d %q", tt.path, w.Code, got, tt.code, tt.want)
			}
			if tt.cookiep != "" {
				ck := w.Result().Cookies()
				if len(ck) != 1 || ck[0].Path != tt.cookiep {
					t.Errorf("GET %s: cookies %v; want one with Path=%s", tt.path, ck, tt.cookiep)
				}
			}
		})
	}
}

func newInnerHandler(f func() *flasky.App) func() http.Handler {
	return func() http.Handler { return f() }
}

// TestCopyCarriesSession: a copy carries the session as the handler left
// it, values set in the request and flashes included, and the request's
// id; what the handler changes afterwards is the response's, not the
// copy's, and the copy's changes are never saved.
func TestCopyCarriesSession(t *testing.T) {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte("copy-test-key")
	type seen struct {
		user, later, flashes, id, stored string
		count                            int
	}
	got := make(chan seen, 1)
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("user", "kim")
		c.Flash("welcome")
		c.Set("stored", "by handler")
		id := c.RequestID()
		cp := c.Copy()
		s.Set("later", "after the copy")
		done := make(chan struct{})
		go func() {
			defer close(done)
			cs := cp.Session()
			var fl []string
			for _, m := range cp.FlashedMessages() {
				fl = append(fl, m.Message)
			}
			cs.Set("from copy", true)
			got <- seen{cs.String("user"), cs.String("later"), strings.Join(fl, ","), fmt.Sprint(cp.RequestID() == id), fmt.Sprint(cp.Get("stored")), cs.Int("n")}
		}()
		<-done
		return c.String("ok")
	}, "POST")
	app.Route("/whoami", func(c *flasky.Ctx) error {
		s := c.Session()
		return c.String(fmt.Sprintf("%s %s %v %d", s.String("user"), s.String("later"), s.Has("from copy"), len(c.FlashedMessages())))
	})
	client := app.TestClient(t)
	if res := client.Post("/login", nil); res.Code != 200 {
		t.Fatalf("POST /login = %d %s", res.Code, res.Text())
	}
	s := <-got
	if want := (seen{user: "kim", flashes: "welcome", id: "true", stored: "by handler"}); s != want {
		t.Errorf("the copy saw %+v, want %+v", s, want)
	}
	// The response saved the handler's session: the copy's reading of
	// the flash and its own value are not in it.
	if res := client.Get("/whoami"); res.Text() != "kim after the copy false 1" {
		t.Errorf("GET /whoami = %q", res.Text())
	}
}
