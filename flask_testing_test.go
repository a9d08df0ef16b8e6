package flasky_test

// Flask's tests/test_testing.py (Flask 3.1), ported: each Flask test is a
// subtest of TestFlaskTesting named after it, checking the same
// observable behaviour through flasky's test client (app.test_client()
// is app.TestClient, test_request_context is TestRequestContext,
// session_transaction is TestClient.Session, test_cli_runner().invoke is
// RunCommand). Flask's request.url is built from the Ctx as Werkzeug
// builds it (fullRequestURL). A request that Flask's client makes for
// another host or scheme (base_url, url_scheme) is made with that URL and
// sent with TestClient.Do.
//
// Not ported:
//   - test_client_open_environ, test_path_is_url: Python-only (Werkzeug's
//     EnvironBuilder object and WSGI environ dicts given to client.open).
//   - test_session_transactions_keep_context: Python-only (the request
//     context local stays the same object inside session_transaction).
//   - test_session_transaction_needs_cookies: missing in flasky: a test
//     client that keeps no cookies (test_client(use_cookies=False)), and
//     so session_transaction refusing to run without them.
//   - test_test_client_context_binding: Python-only (the request context
//     and flask.g kept after the request inside `with client:`).
//   - test_reuse_client: Python-only (entering `with client:` twice).
//   - test_client_json_no_app_context: Python-only (the appcontext_popped
//     signal of the application context, a context local).
//   - test_cli_runner_class: Python-only (the test_cli_runner_class
//     attribute, a Click CliRunner subclass).
//   - test_cli_custom_obj: Python-only (Click's obj=ScriptInfo with a
//     create_app factory).
//   - test_client_pop_all_preserved: Python-only (contexts kept by
//     stream_with_context and popped when the response closes).
//
// Part of a ported test left out: invoking the command object itself in
// test_cli_invoke (runner.invoke(hello_command): a Click object;
// flasky runs commands by name).

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestFlaskTesting(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"environ_defaults_from_config", ftEnvironDefaultsFromConfig},
		{"environ_defaults", ftEnvironDefaults},
		{"environ_base_default", ftEnvironBaseDefault},
		{"environ_base_modified", ftEnvironBaseModified},
		{"specify_url_scheme", ftSpecifyURLScheme},
		{"environbuilder_json_dumps", ftEnvironbuilderJSONDumps},
		{"blueprint_with_subdomain", ftBlueprintWithSubdomain},
		{"redirect_keep_session", ftRedirectKeepSession},
		{"session_transactions", ftSessionTransactions},
		{"session_transactions_no_null_sessions", ftSessionTransactionsNoNullSessions},
		{"full_url_request", ftFullURLRequest},
		{"json_request_and_response", ftJSONRequestAndResponse},
		{"subdomain", ftSubdomain},
		{"nosubdomain", ftNosubdomain},
		{"cli_invoke", ftCLIInvoke},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// fullRequestURL is Werkzeug's request.url: scheme, host, the prefix the app
// is reached under, the path and the query.
func fullRequestURL(c *flasky.Ctx) string {
	u := c.Scheme() + "://" + c.Request.Host + c.ScriptRoot() + c.Request.URL.EscapedPath()
	if q := c.Request.URL.RawQuery; q != "" {
		u += "?" + q
	}
	return u
}

// urlView answers the request's URL, as a Flask view returning
// flask.request.url.
func urlView(c *flasky.Ctx) error { return c.String(fullRequestURL(c)) }

// test_environ_defaults_from_config: requests of the test client and of
// test_request_context are for SERVER_NAME and under APPLICATION_ROOT.
func ftEnvironDefaultsFromConfig(t *testing.T) {
	app := flaskApp()
	app.Config.ServerName = "example.com:1234"
	app.Config.ApplicationRoot = "/foo"
	app.Route("/", urlView)
	want := "http://example.com:1234/foo/"
	c, release := app.TestRequestContext("GET", "/")
	got := fullRequestURL(c)
	release()
	if got != want {
		flaskGap(t, "TestRequestContext and the TestClient send every request to localhost: Config.ServerName is not their default host",
			"test_request_context's URL %q, want %q", got, want)
	}
	if res := app.TestClient(t).Get("/"); res.Text() != want {
		t.Errorf("GET / = %q, want %q", res.Text(), want)
	}
}

// test_environ_defaults: without configuration, requests are for
// http://localhost/.
func ftEnvironDefaults(t *testing.T) {
	app := flaskApp()
	app.Route("/", urlView)
	c, release := app.TestRequestContext("GET", "/")
	got := fullRequestURL(c)
	release()
	if want := "http://localhost/"; got != want {
		t.Errorf("test_request_context's URL %q, want %q", got, want)
	}
	if res := app.TestClient(t).Get("/"); res.Text() != "http://localhost/" {
		t.Errorf("GET / = %q, want http://localhost/", res.Text())
	}
}

// remoteAddrView answers the client's address and keeps the request's
// User-Agent in *ua, as Flask's view keeps it in flask.g.
func remoteAddrView(ua *string) flasky.HandlerFunc {
	return func(c *flasky.Ctx) error {
		*ua = c.GetHeader("User-Agent")
		return c.String(c.ClientIP())
	}
}

// test_environ_base_default: a test request comes from 127.0.0.1 with
// the client's User-Agent. Werkzeug's is "Werkzeug/<version>"; flasky's
// is "flasky-testclient" (README, "Testing your app", first item).
func ftEnvironBaseDefault(t *testing.T) {
	app := flaskApp()
	var ua string
	app.Route("/", remoteAddrView(&ua))
	if res := app.TestClient(t).Get("/"); res.Text() != "127.0.0.1" {
		t.Errorf("GET / from %q, want 127.0.0.1", res.Text())
	}
	if ua != "flasky-testclient" {
		t.Errorf("User-Agent %q, want flasky-testclient", ua)
	}
}

// test_environ_base_modified: the client's address and User-Agent can be
// changed between requests. Flask changes its client's environ_base;
// flasky's client takes headers in client.Header and the address with
// the request given to Do.
func ftEnvironBaseModified(t *testing.T) {
	app := flaskApp()
	var ua string
	app.Route("/", remoteAddrView(&ua))
	client := app.TestClient(t)
	for _, tt := range []struct{ addr, ua string }{{"0.0.0.0", "Foo"}, {"0.0.0.1", "Bar"}} {
		client.Header.Set("User-Agent", tt.ua)
		r := httptest.NewRequest("GET", "http://localhost/", nil)
		r.RemoteAddr = tt.addr + ":1234"
		if res := client.Do(r); res.Text() != tt.addr {
			t.Errorf("GET / from %q, want %q", res.Text(), tt.addr)
		}
		if ua != tt.ua {
			t.Errorf("User-Agent %q, want %q", ua, tt.ua)
		}
	}
}

// test_specify_url_scheme: a request made over https says so in its URL.
func ftSpecifyURLScheme(t *testing.T) {
	app := flaskApp()
	app.Route("/", urlView)
	c, release := app.TestRequestContext("GET", "/")
	c.Request.TLS = &tls.ConnectionState{} // url_scheme="https"
	got := fullRequestURL(c)
	release()
	if want := "https://localhost/"; got != want {
		t.Errorf("test_request_context(url_scheme='https') URL %q, want %q", got, want)
	}
	if res := app.TestClient(t).Do(httptest.NewRequest("GET", "https://localhost/", nil)); res.Text() != "https://localhost/" {
		t.Errorf("GET https://localhost/ = %q, want https://localhost/", res.Text())
	}
}

// test_environbuilder_json_dumps: a test request's JSON body keeps
// non-ASCII text as UTF-8 when the app's JSON does (Flask's test sets
// ensure_ascii off; encoding/json never escapes it).
func ftEnvironbuilderJSONDumps(t *testing.T) {
	app := flaskApp()
	app.Route("/", func(c *flasky.Ctx) error {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return err
		}
		return c.Data("text/plain", b)
	}, "POST")
	if res := app.TestClient(t).Post("/", nil, flasky.JSONBody("\u20ac")); res.Text() != `"€"` {
		t.Errorf("JSON body %q, want %q", res.Text(), `"€"`)
	}
}

// test_blueprint_with_subdomain: a blueprint on a subdomain answers a
// request for it, with SERVER_NAME's port and APPLICATION_ROOT in the
// URL, and the request is the blueprint's.
func ftBlueprintWithSubdomain(t *testing.T) {
	app := flaskApp()
	app.Config.ServerName = "example.com:1234"
	app.Config.ApplicationRoot = "/foo"
	bp := app.Blueprint("company", "").SetSubdomain("xxx")
	var endpoint string
	bp.Route("/", func(c *flasky.Ctx) error {
		endpoint = c.Endpoint()
		return urlView(c)
	}).SetEndpoint("index")
	want := "http://xxx.example.com:1234/foo/"
	res := app.TestClient(t).Do(httptest.NewRequest("GET", "http://xxx.example.com:1234/", nil)) // subdomain="xxx"
	if res.Text() != want {
		t.Errorf("GET / on xxx = %d %q, want %q", res.Code, res.Text(), want)
	}
	if bpName, _, _ := strings.Cut(endpoint, "."); bpName != "company" {
		t.Errorf("request.blueprint = %q (endpoint %q), want company", bpName, endpoint)
	}
	// test_request_context("/", subdomain="xxx"): TestRequestContext takes
	// the subdomain's full URL.
	c, release := app.TestRequestContext("GET", "http://xxx.example.com:1234/")
	got, ep := fullRequestURL(c), c.Endpoint()
	release()
	if got != want || ep != "company.index" {
		flaskGap(t, "TestRequestContext makes a request for a path on localhost: no subdomain= (nor base_url) to make it for a subdomain of Config.ServerName",
			"test_request_context's URL %q, endpoint %q; want %q, company.index", got, ep, want)
	}
}

// test_redirect_keep_session: the session set by one request is there
// for the next, and through a redirect that is followed.
func ftRedirectKeepSession(t *testing.T) {
	app := flaskApp()
	app.Route("/", func(c *flasky.Ctx) error {
		if c.Request.Method == http.MethodPost {
			return c.Redirect("/getsession")
		}
		c.Session().Set("data", "foo")
		return c.String("index")
	}, "GET", "POST")
	app.Route("/getsession", func(c *flasky.Ctx) error {
		s := c.Session()
		if !s.Has("data") {
			return c.String("<missing>")
		}
		return c.String(s.String("data"))
	})
	client := app.TestClient(t)
	client.FollowRedirects = true
	sessionData := func() (v string) {
		client.Session(func(s *flasky.Session) { v = s.String("data") })
		return v
	}
	if res := client.Get("/getsession"); res.Text() != "<missing>" {
		t.Errorf("GET /getsession = %q, want <missing>", res.Text())
	}
	if res := client.Get("/"); res.Text() != "index" {
		t.Errorf("GET / = %q, want index", res.Text())
	}
	if v := sessionData(); v != "foo" {
		t.Errorf("session data %q, want foo", v)
	}
	if res := client.Post("/", url.Values{}); res.Text() != "foo" {
		t.Errorf("POST / followed = %q, want foo", res.Text())
	}
	if v := sessionData(); v != "foo" {
		t.Errorf("session data after the redirect %q, want foo", v)
	}
	if res := client.Get("/getsession"); res.Text() != "foo" {
		t.Errorf("GET /getsession = %q, want foo", res.Text())
	}
}

// test_session_transactions: session_transaction opens the client's
// session, and what it sets reaches the next request and the next
// transaction.
func ftSessionTransactions(t *testing.T) {
	app := flaskApp()
	app.Route("/", func(c *flasky.Ctx) error { return c.String(fmt.Sprint(c.Session().Get("foo"))) })
	client := app.TestClient(t)
	client.Session(func(s *flasky.Session) {
		if n := len(s.Keys()); n != 0 {
			t.Errorf("new session has %d keys, want 0", n)
		}
		s.Set("foo", []int{42})
		if n := len(s.Keys()); n != 1 {
			t.Errorf("session has %d keys, want 1", n)
		}
	})
	if res := client.Get("/"); res.Text() != "[42]" {
		t.Errorf("GET / = %q, want [42]", res.Text())
	}
	client.Session(func(s *flasky.Session) {
		if n := len(s.Keys()); n != 1 {
			t.Errorf("session has %d keys, want 1", n)
		}
		if got := fmt.Sprint(s.Get("foo")); got != "[42]" {
			t.Errorf("session foo = %s, want [42]", got)
		}
	})
}

// test_session_transactions_no_null_sessions: without a secret key there
// is no session to open, and session_transaction says so.
func ftSessionTransactionsNoNullSessions(t *testing.T) {
	app, _ := newTestApp()
	rec := &flaskTB{}
	ran := false
	app.TestClient(rec).Session(func(*flasky.Session) { ran = true })
	if ran || len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], "session could not be opened") {
		t.Errorf("Session without a secret key: ran %v, reported %q; want one report that the session could not be opened", ran, rec.fatals)
	}
}

// test_full_url_request: the client takes a full URL, host and query
// included, for a request with a form.
func ftFullURLRequest(t *testing.T) {
	app := flaskApp()
	var hasForm, hasArgs bool
	app.Route("/action", func(c *flasky.Ctx) error {
		hasForm, hasArgs = c.Form.Has("gin"), c.Args.Has("vodka")
		return c.String("x")
	}, "POST")
	rec := &flaskTB{}
	res := app.TestClient(rec).Post("http://domain.com/action?vodka=42", url.Values{"gin": {"43"}})
	if res == nil {
		flaskGap(t, "the TestClient's methods take a path: a full URL (scheme and host) is refused",
			"Post(\"http://domain.com/action?vodka=42\"): %q", rec.fatals)
	}
	if res.Code != http.StatusOK || !hasForm || !hasArgs {
		t.Errorf("POST = %d, form has gin: %v, args have vodka: %v", res.Code, hasForm, hasArgs)
	}
}

// test_json_request_and_response: json= sends a JSON request, and a JSON
// answer reads back as the same value.
func ftJSONRequestAndResponse(t *testing.T) {
	app := flaskApp()
	data := map[string]any{"drink": map[string]any{"gin": 1.0, "tonic": true}, "price": 10.0}
	app.Route("/echo", func(c *flasky.Ctx) error {
		if ct := mimetype(c.Request.Header); ct != "application/json" {
			t.Errorf("request is not JSON: Content-Type %q", ct)
		}
		var v any
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		if !reflect.DeepEqual(v, any(data)) {
			t.Errorf("request JSON %v, want %v", v, data)
		}
		return c.JSON(v)
	}, "POST")
	res := app.TestClient(t).Post("/echo", nil, flasky.JSONBody(data))
	if res.Code != http.StatusOK || mimetype(res.Header) != "application/json" {
		t.Errorf("POST /echo = %d %q, want 200 application/json", res.Code, res.Header.Get("Content-Type"))
	}
	var got map[string]any
	if err := res.JSON(&got); err != nil || !reflect.DeepEqual(got, data) {
		t.Errorf("response JSON %v (%v), want %v", got, err, data)
	}
}

// test_subdomain: url_for builds the URL of a subdomain view, and the
// client's request for it reaches the view. (client.get takes that full
// URL in Flask; flasky's Get takes a path, see full_url_request, so the
// request for it goes through Do.)
func ftSubdomain(t *testing.T) {
	app := flaskApp()
	app.Config.ServerName = "example.com"
	app.Subdomain("<company_id>").Route("/", func(c *flasky.Ctx) error { return c.String(c.Param("company_id")) }).SetEndpoint("view")
	c, release := app.TestRequestContext("GET", "/")
	u, err := c.URLFor("view", flasky.M{"company_id": "xxx"})
	release()
	if err != nil || u != "http://xxx.example.com/" {
		t.Fatalf("url_for = %q, %v; want http://xxx.example.com/", u, err)
	}
	res := app.TestClient(t).Do(httptest.NewRequest("GET", u, nil))
	if res.Code != http.StatusOK || res.Text() != "xxx" {
		t.Errorf("GET %s = %d %q, want 200 xxx", u, res.Code, res.Text())
	}
}

// test_nosubdomain: with SERVER_NAME and no subdomains, url_for builds a
// path, and the client's request for it reaches the view.
func ftNosubdomain(t *testing.T) {
	app := flaskApp()
	app.Config.ServerName = "example.com"
	app.Route("/<company_id>", func(c *flasky.Ctx) error { return c.String(c.Param("company_id")) }).SetEndpoint("view")
	c, release := app.TestRequestContext("GET", "/")
	u, err := c.URLFor("view", flasky.M{"company_id": "xxx"})
	release()
	if err != nil || u != "/xxx" {
		t.Fatalf("url_for = %q, %v; want /xxx", u, err)
	}
	res := app.TestClient(t).Get(u)
	if res.Code != http.StatusOK || res.Text() != "xxx" {
		t.Errorf("GET %s = %d %q, want 200 xxx", u, res.Code, res.Text())
	}
}

// test_cli_invoke: the test runner runs a command of the app by name and
// returns what it printed.
func ftCLIInvoke(t *testing.T) {
	app := flaskApp()
	app.Command("hello", "Say hello.", func(cc *flasky.CommandContext) error {
		fmt.Fprintln(cc.Stdout, "Hello, World!")
		return nil
	})
	out, err := app.RunCommand("hello")
	if err != nil || !strings.Contains(out, "Hello") {
		t.Errorf("RunCommand(hello) = %q, %v; want Hello", out, err)
	}
}
