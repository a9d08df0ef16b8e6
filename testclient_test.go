package flasky_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// fatalRecorder stands in for *testing.T to see what the client reports.
type fatalRecorder struct{ msgs, errors []string }

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msgs = append(f.msgs, strings.TrimSpace(format))
}
func (f *fatalRecorder) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestTestClientRequests(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/s5/<name>", func(c *flasky.Ctx) error { return c.String("name=" + c.Param("name") + " q=" + c.Args.Get("q")) })
	app.Route("/form", func(c *flasky.Ctx) error { return c.String(c.Form.Get("a") + "," + c.Form.Get("b")) }, "POST")
	app.Route("/json", func(c *flasky.Ctx) error {
		var v struct{ N int }
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		return c.JSON(flasky.M{"double": v.N * 2})
	}, "POST")
	app.Route("/upload", func(c *flasky.Ctx) error {
		f, err := c.Files.Get("file1")
		if err != nil {
			return err
		}
		return c.String(f.Filename + ":" + c.Form.Get("title"))
	}, "POST")
	client := app.TestClient(t)

	cases := []struct {
		name string
		res  *flasky.TestResponse
		want string
	}{
		{"unicode path and query", client.Get("/s5/홍길동?q=a+b"), "name=홍길동 q=a b"},
		{"form", client.Post("/form", url.Values{"a": {"1"}, "b": {"둘"}}), "1,둘"},
		{"upload", client.PostFiles("/upload", url.Values{"title": {"t"}},
			flasky.TestFile{Field: "file1", Filename: "사진.jpg", Content: []byte("jpeg")}), "사진.jpg:t"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.res.Code != 200 || tc.res.Text() != tc.want {
				t.Errorf("%s: %d %q, want %q", tc.name, tc.res.Code, tc.res.Text(), tc.want)
			}
		})
	}
	var out struct{ Double int }
	if res := client.PostJSON("/json", flasky.M{"N": 21}); res.JSON(&out) != nil || out.Double != 42 {
		t.Errorf("JSON: %d %q", res.Code, res.Text())
	}
	if res := client.Get("/missing"); res.Code != 404 {
		t.Errorf("missing: %d", res.Code)
	}
}

func TestTestClientFollowsRedirects(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/old", func(c *flasky.Ctx) error { return c.Status(301).Redirect("/new") })
	app.Route("/new/", text("new page"))
	app.Route("/post", func(c *flasky.Ctx) error { return c.Status(303).Redirect("/done") }, "POST")
	app.Route("/keep", func(c *flasky.Ctx) error { return c.Status(307).Redirect("/echo") }, "POST")
	app.Route("/echo", func(c *flasky.Ctx) error { return c.String(c.Request.Method + " " + c.Form.Get("x")) }, "POST")
	app.Route("/done", func(c *flasky.Ctx) error { return c.String(c.Request.Method + " done") })
	app.Route("/loop", func(c *flasky.Ctx) error { return c.Redirect("/loop") })

	client := app.TestClient(t)
	if res := client.Get("/old"); res.Code != 301 || res.Header.Get("Location") != "/new" {
		t.Errorf("without FollowRedirects: %d %q", res.Code, res.Header.Get("Location"))
	}
	client.FollowRedirects = true
	cases := []struct {
		name    string
		res     *flasky.TestResponse
		want    string
		path    string
		history int
	}{
		{"301 then Flask's trailing-slash 308", client.Get("/old"), "new page", "/new/", 2},
		{"303 after POST becomes GET", client.Post("/post", nil), "GET done", "/done", 1},
		{"307 keeps the method and body", client.Post("/keep", url.Values{"x": {"1"}}), "POST 1", "/echo", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.res.Text() != tc.want || tc.res.Path != tc.path || len(tc.res.History) != tc.history {
				t.Errorf("%s: %q at %q after %d redirects, want %q at %q after %d",
					tc.name, tc.res.Text(), tc.res.Path, len(tc.res.History), tc.want, tc.path, tc.history)
			}
		})
	}

	rec := &fatalRecorder{}
	loop := flasky.NewTestClient(app, rec)
	loop.FollowRedirects = true
	if res := loop.Get("/loop"); res == nil || res.Code != http.StatusFound || len(rec.msgs) != 1 {
		t.Errorf("redirect loop: %v, reports %q", res, rec.msgs)
	}
}

func TestTestClientReportsBadTargets(t *testing.T) {
	app, _ := newTestApp()
	for _, target := range []string{"s5/x", "//other.example/", "ftp://other.example/", "http:///x", "/%zz"} {
		rec := &fatalRecorder{}
		if res := app.TestClient(rec).Get(target); res != nil || len(rec.msgs) != 1 {
			t.Errorf("Get(%q) = %v, reports %q; want nil and one report", target, res, rec.msgs)
		}
	}
}

// The test client's requests are for Config.ServerName with
// Config.PreferredURLScheme when they are set, as Flask's environ
// defaults, and a full URL gives its own scheme and host, to the
// TestClient and to TestRequestContext.
func TestTestClientHostAndFullURL(t *testing.T) {
	app, _ := newTestApp()
	where := func(c *flasky.Ctx) string {
		return c.Scheme() + "://" + c.Request.Host + c.Request.URL.RequestURI()
	}
	app.Route("/where", func(c *flasky.Ctx) error { return c.String(where(c)) }, "GET", "POST")
	client := app.TestClient(t)
	for _, tt := range []struct {
		server, scheme, target, want string
	}{
		{"", "", "/where?a=1", "http://localhost/where?a=1"},
		{"example.com:1234", "", "/where", "http://example.com:1234/where"},
		{"example.com", "https", "/where", "https://example.com/where"},
		{"example.com", "", "https://other.org/where?x=1", "https://other.org/where?x=1"},
		{"", "", "http://domain.com/where", "http://domain.com/where"},
	} {
		app.Config.ServerName, app.Config.PreferredURLScheme = tt.server, tt.scheme
		if got := client.Get(tt.target).Text(); got != tt.want {
			t.Errorf("ServerName %q, PreferredURLScheme %q: Get(%q) answered %q, want %q", tt.server, tt.scheme, tt.target, got, tt.want)
		}
		if got := client.Post(tt.target, url.Values{"a": {"b"}}).Text(); got != tt.want {
			t.Errorf("ServerName %q, PreferredURLScheme %q: Post(%q) answered %q, want %q", tt.server, tt.scheme, tt.target, got, tt.want)
		}
		c, release := app.TestRequestContext("GET", tt.target)
		if got := where(c); got != tt.want || c.Endpoint() != "/where" {
			t.Errorf("TestRequestContext(%q): %q, endpoint %q; want %q, /where", tt.target, got, c.Endpoint(), tt.want)
		}
		release()
	}
}

func TestTestClientSendsHeaderAndCookies(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/set", func(c *flasky.Ctx) error {
		c.SetCookie(&http.Cookie{Name: "theme", Value: "dark", Path: "/"})
		return c.String("set")
	})
	app.Route("/show", func(c *flasky.Ctx) error { return c.String(c.Cookie("theme") + " " + c.GetHeader("X-Test")) })
	client := app.TestClient(t)
	client.Header.Set("X-Test", "yes")
	client.Get("/set")
	if res := client.Get("/show"); res.Text() != "dark yes" {
		t.Errorf("got %q", res.Text())
	}
}

// Requests look like Werkzeug's: http://localhost/ from 127.0.0.1 with
// a User-Agent of the test client's, which a header replaces.
func TestTestClientWerkzeugDefaults(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/who", func(c *flasky.Ctx) error {
		u, err := c.URLFor("who", flasky.M{"_external": true})
		if err != nil {
			return err
		}
		return c.String(strings.Join([]string{c.Request.Host, c.Request.RemoteAddr, c.GetHeader("User-Agent"), u}, " "))
	}).SetEndpoint("who")
	app.Route("/to-who", func(c *flasky.Ctx) error { return c.RedirectTo("who", nil) })
	client := app.TestClient(t)
	tests := []struct {
		name string
		res  func() *flasky.TestResponse
		want string
	}{
		{"defaults", func() *flasky.TestResponse { return client.Get("/who") }, "localhost 127.0.0.1:1234 flasky-testclient http://localhost/who"},
		{"a header's User-Agent", func() *flasky.TestResponse { return client.Get("/who", flasky.Header("User-Agent", "curl/8")) }, "localhost 127.0.0.1:1234 curl/8 http://localhost/who"},
		{"after a redirect", func() *flasky.TestResponse {
			client.FollowRedirects = true
			defer func() { client.FollowRedirects = false }()
			return client.Get("/to-who", flasky.Header("User-Agent", "kept"))
		}, "localhost 127.0.0.1:1234 kept http://localhost/who"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.res().Text(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTestClientMethods(t *testing.T) {
	app, _ := newTestApp()
	echo := func(c *flasky.Ctx) error {
		body, _ := io.ReadAll(c.Request.Body)
		return c.String(fmt.Sprintf("%s %s [%s] [%s] x=%s", c.Request.Method, c.Request.URL.RequestURI(), c.GetHeader("Content-Type"), body, c.GetHeader("X-Token")))
	}
	app.Route("/item", echo, "PUT", "PATCH", "DELETE", "POST")
	app.Mount("/dav", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s x=%s", r.Method, r.URL.Path, r.Header.Get("X-Token"))
	}))
	app.Route("/page", func(c *flasky.Ctx) error { return c.String("page body") })
	client := app.TestClient(t)
	tests := []struct {
		name string
		res  *flasky.TestResponse
		want string
	}{
		{"PUT JSON", client.Put("/item", flasky.JSONBody(flasky.M{"n": 1}), flasky.Header("X-Token", "t1")), `PUT /item [application/json] [{"n":1}] x=t1`},
		{"PATCH form", client.Patch("/item?v=2", flasky.FormBody(url.Values{"a": {"1"}})), "PATCH /item?v=2 [application/x-www-form-urlencoded] [a=1] x="},
		{"DELETE without body", client.Delete("/item"), "DELETE /item [] [] x="},
		{"DELETE with body", client.Delete("/item", flasky.Body("text/plain", []byte("why"))), "DELETE /item [text/plain] [why] x="},
		{"POST raw body", client.Post("/item", nil, flasky.Body("application/xml", []byte("<a/>"))), "POST /item [application/xml] [<a/>] x="},
		{"PostJSON with a header", client.PostJSON("/item", []int{1}, flasky.Header("X-Token", "t2")), "POST /item [application/json] [[1]] x=t2"},
		{"any method", client.Request("PROPFIND", "/dav/x", flasky.Header("X-Token", "dav")), "PROPFIND /x x=dav"},
		{"HEAD", client.Head("/page"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.res.Code != 200 || tt.res.Text() != tt.want {
				t.Errorf("%d %q, want 200 %q", tt.res.Code, tt.res.Text(), tt.want)
			}
		})
	}
	if res := client.Head("/page"); res.Header.Get("Content-Length") != "9" {
		t.Errorf("HEAD: Content-Length %q, want the GET's 9", res.Header.Get("Content-Length"))
	}
	if res := client.Options("/item"); res.Code != 200 || !strings.Contains(res.Header.Get("Allow"), "PATCH") {
		t.Errorf("OPTIONS: %d Allow %q", res.Code, res.Header.Get("Allow"))
	}
	rec := &fatalRecorder{}
	bad := app.TestClient(rec)
	if res := bad.Post("/item", url.Values{"a": {"1"}}, flasky.JSONBody(1)); res != nil || len(rec.msgs) != 1 {
		t.Errorf("two bodies: %v, reports %q", res, rec.msgs)
	}
	if res := bad.Put("/item", flasky.JSONBody(make(chan int))); res != nil || len(rec.msgs) != 2 {
		t.Errorf("JSON that does not encode: %v, reports %q", res, rec.msgs)
	}
}

// Session is Flask's session_transaction: read and change the session
// between requests.
func TestTestClientSession(t *testing.T) {
	app := sessionApp("k")
	client := app.TestClient(t)
	client.Session(func(s *flasky.Session) {
		s.Set("user", "kim")
	})
	if res := client.Get("/user"); res.Text() != "user=kim" {
		t.Errorf("after setting the session: %q", res.Text())
	}
	client.Get("/count")
	client.Get("/count")
	client.Session(func(s *flasky.Session) {
		if s.Int("visits") != 2 || s.String("user") != "kim" {
			t.Errorf("session read between requests: visits %d user %q", s.Int("visits"), s.String("user"))
		}
		s.Clear()
	})
	if res := client.Get("/user"); res.Text() != "user=" {
		t.Errorf("after clearing the session: %q", res.Text())
	}

	// A server-side store works the same way.
	store := newMemStore()
	sapp, _ := storeApp(store)
	sclient := sapp.TestClient(t)
	sclient.Session(func(s *flasky.Session) { s.Set("user", "lee") })
	if res := sclient.Get("/user"); res.Text() != "user=lee" || store.ids() != "id1" {
		t.Errorf("store: %q, ids %q", res.Text(), store.ids())
	}

	cases := []struct {
		name   string
		client func(tb flasky.TB) *flasky.TestClient
		want   string
	}{
		{"no secret key", func(tb flasky.TB) *flasky.TestClient { a, _ := newTestApp(); return a.TestClient(tb) }, "could not be opened"},
		{"not an app", func(tb flasky.TB) *flasky.TestClient { return flasky.NewTestClient(http.NotFoundHandler(), tb) }, "needs a client of an App"},
		{"store down", func(tb flasky.TB) *flasky.TestClient {
			st := newMemStore()
			st.saveErr = errors.New("down")
			a, _ := storeApp(st)
			return a.TestClient(tb)
		}, "could not be saved"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &fatalRecorder{}
			tc.client(rec).Session(func(s *flasky.Session) { s.Set("x", 1) })
			if len(rec.msgs) != 1 || !strings.Contains(rec.msgs[0], tc.want) {
				t.Errorf("reports %q, want one with %q", rec.msgs, tc.want)
			}
		})
	}
}

// In testing mode a handler's failure fails the test, with its stack; an
// HTTP error or a failure an error handler took does not.
func TestTestingModeReportsFailures(t *testing.T) {
	type myErr struct{ error }
	app, _ := newTestApp()
	app.Route("/error", func(c *flasky.Ctx) error { return errors.New("db gone") })
	app.Route("/panic", func(c *flasky.Ctx) error { panic("boom") })
	app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abort(404) })
	app.Route("/abort500", func(c *flasky.Ctx) error { return flasky.Abort(500) })
	app.Route("/handled", func(c *flasky.Ctx) error { return &myErr{errors.New("mine")} })
	app.Route("/ok", text("fine"))
	flasky.OnError(app, func(c *flasky.Ctx, err *myErr) error { return c.Status(409).String("handled") })
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.Status(500).String("our 500 page") })
	tests := []struct {
		path    string
		testing bool
		code    int
		reports []string // what one report must hold; nil for none
	}{
		{"/error", true, 500, []string{"GET /error failed in testing mode", "db gone", "testclient_test.go", "returned by the handler"}},
		{"/panic", true, 500, []string{"GET /panic failed in testing mode", "boom", "panic stack", "testclient_test.go"}},
		{"/error", false, 500, nil},
		{"/panic", false, 500, nil},
		{"/abort", true, 404, nil},
		{"/abort500", true, 500, nil},
		{"/handled", true, 409, nil},
		{"/ok", true, 200, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s testing %v", tt.path, tt.testing), func(t *testing.T) {
			app.Config.Testing = tt.testing
			rec := &fatalRecorder{}
			res := app.TestClient(rec).Get(tt.path)
			if res.Code != tt.code {
				t.Errorf("status %d, want %d", res.Code, tt.code)
			}
			if len(rec.errors) != min(len(tt.reports), 1) {
				t.Fatalf("%d reports, want %d: %q", len(rec.errors), min(len(tt.reports), 1), rec.errors)
			}
			for _, w := range tt.reports {
				if !strings.Contains(rec.errors[0], w) {
					t.Errorf("report lacks %q:\n%s", w, rec.errors[0])
				}
			}
		})
	}
}

// Debug mode and Config.PropagateExceptions report a handler's failure
// to the test too, as Flask propagates exceptions with DEBUG or
// PROPAGATE_EXCEPTIONS.
func TestDebugAndPropagateExceptionsReportFailures(t *testing.T) {
	for _, tt := range []struct {
		debug, propagate bool
		want             string
	}{
		{true, false, "GET /error failed in debug mode (Config.Debug): db gone"},
		{false, true, "GET /error failed with Config.PropagateExceptions: db gone"},
		{false, false, ""},
	} {
		app, _ := newTestApp()
		app.Config.Debug, app.Config.PropagateExceptions = tt.debug, tt.propagate
		app.Route("/error", func(c *flasky.Ctx) error { return errors.New("db gone") })
		rec := &fatalRecorder{}
		if res := app.TestClient(rec).Get("/error"); res.Code != 500 {
			t.Errorf("Debug %v, PropagateExceptions %v: status %d, want 500", tt.debug, tt.propagate, res.Code)
		}
		if tt.want == "" && len(rec.errors) != 0 || tt.want != "" && (len(rec.errors) != 1 || !strings.Contains(rec.errors[0], tt.want)) {
			t.Errorf("Debug %v, PropagateExceptions %v: reports %q, want one with %q", tt.debug, tt.propagate, rec.errors, tt.want)
		}
	}
}

func TestTestRequestContext(t *testing.T) {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte("k")
	app.Route("/user/<int:id>", text("user")).SetEndpoint("user")
	tests := []struct {
		name, method, target string
		read                 func(c *flasky.Ctx) string
		want                 string
	}{
		{"URLFor", "GET", "/", func(c *flasky.Ctx) string {
			u, err := c.URLFor("user", flasky.M{"id": 8, "_external": true})
			return fmt.Sprint(u, err)
		}, "http://localhost/user/8<nil>"},
		{"matched rule", "GET", "/user/7?tab=posts", func(c *flasky.Ctx) string {
			return fmt.Sprint(c.Endpoint(), " ", c.ParamInt("id"), " ", c.Args.Get("tab"))
		}, "user 7 posts"},
		{"no rule", "GET", "/nowhere", func(c *flasky.Ctx) string { return "[" + c.Endpoint() + "]" }, "[]"},
		{"session", "GET", "/", func(c *flasky.Ctx) string {
			s := c.Session()
			s.Set("n", 3)
			return fmt.Sprint(s.Int("n"))
		}, "3"},
		{"form from a body set before reading", "POST", "/user/1", func(c *flasky.Ctx) string {
			c.Request.Body = io.NopCloser(strings.NewReader("a=1&b=2"))
			c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return c.Form.Get("a") + c.Form.Get("b")
		}, "12"},
		{"client", "GET", "/", func(c *flasky.Ctx) string { return c.Request.RemoteAddr + " " + c.GetHeader("User-Agent") }, "127.0.0.1:1234 flasky-testclient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, release := app.TestRequestContext(tt.method, tt.target)
			defer release()
			if got := tt.read(c); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
