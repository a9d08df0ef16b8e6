package flasky_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// endpointHandler answers the endpoint's name and the request's values,
// as the Werkzeug ports do.
func endpointHandler(ep string) flasky.HandlerFunc {
	return func(c *flasky.Ctx) error {
		return c.String(ep + "\n" + formatValues(c.Params()))
	}
}

type hostReq struct {
	method, url string // absolute: its host is the Host header
	want        string // endpoint, "404", "405" or "308 location"
	values      map[string]string
}

func checkHostReqs(t *testing.T, app *flasky.App, reqs []hostReq) {
	t.Helper()
	for _, rq := range reqs {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest(rq.method, rq.url, nil))
		got := w.Body.String()
		switch {
		case rq.want == "404" || rq.want == "405":
			if code := map[string]int{"404": 404, "405": 405}[rq.want]; w.Code != code {
				t.Errorf("%s %s = %d %q, want %s", rq.method, rq.url, w.Code, got, rq.want)
			}
		case strings.HasPrefix(rq.want, "308 "):
			if w.Code != 308 || w.Header().Get("Location") != rq.want[4:] {
				t.Errorf("%s %s = %d to %q, want %s", rq.method, rq.url, w.Code, w.Header().Get("Location"), rq.want)
			}
		default:
			if exp := rq.want + "\n" + formatValues(rq.values); w.Code != 200 || got != exp {
				t.Errorf("%s %s = %d %q, want 200 %q", rq.method, rq.url, w.Code, got, exp)
			}
		}
	}
}

// TestSubdomainMatching checks subdomain rules as Werkzeug matches them
// (Map(default_subdomain=...).bind_to_environ(env, server_name=...)):
// a static subdomain before one with variables, the default subdomain
// for rules without one, the value of a variable subdomain, and a 404 for
// a host outside ServerName.
func TestSubdomainMatching(t *testing.T) {
	tests := []struct {
		name  string
		setup func(app *flasky.App)
		reqs  []hostReq
	}{
		{"static before variable, default for the rest", func(app *flasky.App) {
			app.Config.ServerName = "example.com"
			app.Route("/", endpointHandler("index"))
			users := app.Subdomain("<user>")
			users.Route("/", endpointHandler("user"))
			users.Route("/x", endpointHandler("ux"))
			app.Subdomain("api").Route("/x", endpointHandler("api"))
		}, []hostReq{
			{"GET", "http://example.com/", "index", nil},
			{"GET", "http://example.com/x", "404", nil},
			{"GET", "http://alice.example.com/", "user", map[string]string{"user": "alice"}},
			{"GET", "http://alice.example.com/x", "ux", map[string]string{"user": "alice"}},
			{"GET", "http://a.b.example.com/", "user", map[string]string{"user": "a.b"}},
			// api has no "/": the variable subdomain takes it, as in Werkzeug.
			{"GET", "http://api.example.com/", "user", map[string]string{"user": "api"}},
			{"GET", "http://api.example.com/x", "api", nil},
			{"GET", "http://EXAMPLE.com:80/", "index", nil},
			{"GET", "http://ALICE.Example.COM/", "user", map[string]string{"user": "alice"}},
			// Outside ServerName: Werkzeug's "<invalid>" subdomain, a 404.
			{"GET", "http://other.org/", "404", nil},
			{"GET", "http://alice.example.com:8080/", "404", nil},
		}},
		{"server name with a port", func(app *flasky.App) {
			app.Config.ServerName = "example.com:8080"
			app.Route("/", endpointHandler("index"))
			app.Subdomain("<user>").Route("/", endpointHandler("user"))
		}, []hostReq{
			{"GET", "http://example.com:8080/", "index", nil},
			{"GET", "http://bob.example.com:8080/", "user", map[string]string{"user": "bob"}},
			{"GET", "http://bob.example.com/", "404", nil},
		}},
		{"default subdomain", func(app *flasky.App) {
			app.Config.ServerName = "example.com"
			app.SetDefaultSubdomain("www")
			app.Route("/", endpointHandler("index"))
			app.Subdomain("").Route("/", endpointHandler("bare"))
		}, []hostReq{
			{"GET", "http://www.example.com/", "index", nil},
			{"GET", "http://example.com/", "bare", nil},
			{"GET", "http://blog.example.com/", "404", nil},
		}},
		{"converters in a subdomain", func(app *flasky.App) {
			app.Config.ServerName = "example.com"
			app.Subdomain("v<int:major>").Route("/", endpointHandler("version"))
			app.Subdomain("<lang>").Route("/", endpointHandler("lang"))
		}, []hostReq{
			{"GET", "http://v2.example.com/", "version", map[string]string{"major": "2"}},
			{"GET", "http://vx.example.com/", "lang", map[string]string{"lang": "vx"}},
		}},
		{"405 gathers the methods of every domain", func(app *flasky.App) {
			app.Config.ServerName = "example.com"
			app.Subdomain("api").Route("/x", endpointHandler("post"), "POST")
			app.Subdomain("<user>").Route("/x", endpointHandler("put"), "PUT")
		}, []hostReq{
			{"GET", "http://api.example.com/x", "405", nil},
			{"POST", "http://api.example.com/x", "post", nil},
			{"PUT", "http://api.example.com/x", "put", map[string]string{"user": "api"}},
		}},
		{"trailing-slash redirect keeps the subdomain", func(app *flasky.App) {
			app.Config.ServerName = "example.com"
			app.Subdomain("<user>").Route("/docs/", endpointHandler("docs"))
		}, []hostReq{
			{"GET", "http://ann.example.com/docs", "308 /docs/", nil},
			{"GET", "http://example.com/docs", "404", nil},
		}},
		{"without ServerName only the default subdomain answers", func(app *flasky.App) {
			app.Route("/", endpointHandler("index"))
			app.Subdomain("<user>").Route("/u", endpointHandler("user"))
		}, []hostReq{
			{"GET", "http://alice.example.com/", "index", nil},
			{"GET", "http://alice.example.com/u", "404", nil},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := newTestApp()
			tc.setup(app)
			checkHostReqs(t, app, tc.reqs)
		})
	}
}

// TestHostMatching checks Werkzeug's host_matching: the whole host,
// port included, static before variables, and (a flasky addition) rules
// without a host answer on any host after the host rules.
func TestHostMatching(t *testing.T) {
	app, _ := newTestApp()
	app.Host("<user>.example.com").Route("/", endpointHandler("h"))
	app.Host("example.com").Route("/", endpointHandler("s"))
	app.Host("example.com:8080").Route("/", endpointHandler("port"))
	app.Route("/", endpointHandler("any"))
	app.Route("/health", endpointHandler("health"))
	checkHostReqs(t, app, []hostReq{
		{"GET", "http://example.com/", "s", nil},
		{"GET", "http://bob.example.com/", "h", map[string]string{"user": "bob"}},
		{"GET", "http://example.com:8080/", "port", nil},
		{"GET", "http://other.org/", "any", nil},
		{"GET", "http://bob.example.com/health", "health", nil},
	})
}

// TestSubdomainURLFor checks URL building across subdomains as Werkzeug
// builds it: relative on the request's own subdomain, absolute on
// another one, and from App.URLFor as on ServerName's default subdomain.
func TestSubdomainURLFor(t *testing.T) {
	app2, _ := newTestApp()
	app2.Config.ServerName = "example.com"
	app2.Route("/", endpointHandler("index")).SetEndpoint("index")
	app2.Subdomain("api").Route("/x", endpointHandler("api")).SetEndpoint("api")
	users := app2.Subdomain("<user>")
	users.Route("/", endpointHandler("user")).SetEndpoint("user")
	var got []string
	users.Route("/build", func(c *flasky.Ctx) error {
		for _, b := range []struct {
			ep string
			p  flasky.M
		}{
			{"index", nil},
			{"user", flasky.M{"user": "bob"}},
			{"user", flasky.M{"user": "alice", "q": 1}},
			{"user", flasky.M{"user": "alice", "_external": true}},
			{"index", flasky.M{"_external": true}},
			{"api", nil},
			{"user", nil},
			{"user", flasky.M{"user": "a/b"}},
		} {
			u, err := c.URLFor(b.ep, b.p)
			if err != nil {
				u = "error"
			}
			got = append(got, u)
		}
		return nil
	})
	w := httptest.NewRecorder()
	app2.ServeHTTP(w, httptest.NewRequest("GET", "http://alice.example.com/build", nil))
	want := []string{"http://example.com/", "http://bob.example.com/", "/?q=1", "http://alice.example.com/", "http://example.com/", "http://api.example.com/x", "error", "error"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("URLFor on alice.example.com:\n got %q\nwant %q", got, want)
	}

	// Without a request: ServerName on its default subdomain.
	for _, tc := range []struct {
		ep   string
		p    flasky.M
		want string
	}{
		{"index", nil, "/"},
		{"user", flasky.M{"user": "bob"}, "http://bob.example.com/"},
	} {
		if u, err := app2.URLFor(tc.ep, tc.p); err != nil || u != tc.want {
			t.Errorf("App.URLFor(%q, %v) = %q, %v; want %q", tc.ep, tc.p, u, err, tc.want)
		}
	}
	app2.Config.ServerName = ""
	if _, err := app2.URLFor("user", flasky.M{"user": "bob"}); err == nil || !strings.Contains(err.Error(), "ServerName") {
		t.Errorf("App.URLFor of a subdomain rule without ServerName: err = %v, want one naming ServerName", err)
	}
}

// TestHostURLFor checks building under host matching: relative on the
// request's host, absolute on another.
func TestHostURLFor(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "example.com"
	app.Host("<user>.example.org").Route("/", endpointHandler("h")).SetEndpoint("profile")
	app.Host("example.com").Route("/", endpointHandler("s")).SetEndpoint("home")
	app.Route("/any", endpointHandler("any")).SetEndpoint("any")
	for _, tc := range []struct {
		ep   string
		p    flasky.M
		want string
	}{
		{"home", nil, "/"},
		{"profile", flasky.M{"user": "z"}, "http://z.example.org/"},
		{"any", nil, "/any"},
	} {
		if u, err := app.URLFor(tc.ep, tc.p); err != nil || u != tc.want {
			t.Errorf("App.URLFor(%q, %v) = %q, %v; want %q", tc.ep, tc.p, u, err, tc.want)
		}
	}
}

// TestDomainRegistrationErrors checks that a bad pattern or mixing the
// two kinds of matching is refused with a message naming the problem.
func TestDomainRegistrationErrors(t *testing.T) {
	tests := []struct {
		name string
		do   func(app *flasky.App)
		want string
	}{
		{"path in a host", func(app *flasky.App) { app.Host("example.com/x") }, "no path"},
		{"empty host", func(app *flasky.App) { app.Host("") }, "not empty"},
		{"unclosed variable", func(app *flasky.App) { app.Subdomain("<user") }, "never closed"},
		{"path converter", func(app *flasky.App) { app.Subdomain("<path:p>") }, "may hold '/'"},
		{"host after subdomain", func(app *flasky.App) { app.Subdomain("a"); app.Host("b.com") }, "exclude each other"},
		{"subdomain after host", func(app *flasky.App) { app.Host("b.com"); app.Subdomain("a") }, "exclude each other"},
		{"blueprint after routes", func(app *flasky.App) {
			bp := app.Blueprint("bp", "/bp")
			bp.Route("/", endpointHandler("x"))
			bp.SetSubdomain("a")
		}, "before the first Route"},
		{"variable twice", func(app *flasky.App) { app.Subdomain("<name>").Route("/<name>", endpointHandler("x")) }, `variable "name" is also`},
		{"twins on one subdomain", func(app *flasky.App) {
			app.Subdomain("<user>").Route("/", endpointHandler("a"))
			app.Subdomain("<name>").Route("/", endpointHandler("b"))
		}, "ambiguous"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := newTestApp()
			defer func() {
				v := recover()
				if v == nil || !strings.Contains(fmtAny(v), tc.want) {
					t.Errorf("panic = %v, want one containing %q", v, tc.want)
				}
			}()
			tc.do(app)
		})
	}
}

func fmtAny(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// TestSubdomainSameRuleOnTwoDomains checks that one rule on different
// subdomains is no conflict, and that routes list their domain.
func TestSubdomainSameRuleOnTwoDomains(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "example.com"
	app.Route("/", endpointHandler("index"))
	app.Subdomain("admin").Route("/", endpointHandler("admin")).SetEndpoint("admin")
	bp := app.Blueprint("users", "").SetSubdomain("<user>")
	bp.Route("/", endpointHandler("user")).SetEndpoint("home")
	if got := bp.Route("/about", endpointHandler("about")).Subdomain(); got != "<user>" {
		t.Errorf("Route.Subdomain() = %q, want <user>", got)
	}
	var b bytes.Buffer
	app.PrintRoutes(&b)
	for _, want := range []string{"Subdomain", "admin.example.com", "<user>.example.com", "users.home"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("PrintRoutes lacks %q:\n%s", want, b.String())
		}
	}
	checkHostReqs(t, app, []hostReq{
		{"GET", "http://example.com/", "index", nil},
		{"GET", "http://admin.example.com/", "admin", nil},
		{"GET", "http://zoe.example.com/", "user", map[string]string{"user": "zoe"}},
	})
}

// urlsFrom requests url (a /urls route made by addURLs) and returns the
// body.
func urlsFrom(t *testing.T, app *flasky.App, url string) string {
	t.Helper()
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
	if w.Code != 200 {
		t.Fatalf("GET %s = %d %q", url, w.Code, w.Body.String())
	}
	return w.Body.String()
}

// addURLs registers /urls on the registrar: it builds each
// {"_endpoint": name, values...} and answers the URLs line by line.
func addURLs(reg interface {
	Route(string, flasky.HandlerFunc, ...string) *flasky.Route
}, builds []flasky.M) {
	reg.Route("/urls", func(c *flasky.Ctx) error {
		var out []string
		for _, b := range builds {
			p := flasky.M{}
			for k, v := range b {
				if k != "_endpoint" {
					p[k] = v
				}
			}
			u, err := c.URLFor(b["_endpoint"].(string), p)
			if err != nil {
				u = "error"
			}
			out = append(out, u)
		}
		return c.String(strings.Join(out, "\n"))
	}).SetEndpoint("urls")
}

// TestWerkzeugHTTPHostBeforeServerName mirrors Werkzeug's
// test_http_host_before_server_name: the Host header picks the
// subdomain, and a rule of another subdomain is built absolute.
func TestWerkzeugHTTPHostBeforeServerName(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "example.com"
	app.Subdomain("wiki").Route("/", endpointHandler("index")).SetEndpoint("index")
	builds := []flasky.M{{"_endpoint": "index", "_external": true}, {"_endpoint": "index"}}
	addURLs(app.Subdomain("<sub>"), builds)
	checkHostReqs(t, app, []hostReq{{"GET", "http://wiki.example.com/", "index", nil}})
	if got, want := urlsFrom(t, app, "http://wiki.example.com/urls"), "http://wiki.example.com/\n/"; got != want {
		t.Errorf("on wiki: %q, want %q", got, want)
	}
	if got, want := urlsFrom(t, app, "http://admin.example.com/urls"), "http://wiki.example.com/\nhttp://wiki.example.com/"; got != want {
		t.Errorf("on admin: %q, want %q", got, want)
	}
}

// TestWerkzeugBuildingFromASubdomain mirrors the subdomain part of
// Werkzeug's test_basic_building: bound to subdomain "blah", rules of the
// default subdomain are built absolute and blah's own relative.
func TestWerkzeugBuildingFromASubdomain(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "example.org"
	app.Route("/", endpointHandler("index")).SetEndpoint("index")
	app.Route("/bar/<int:bazi>", endpointHandler("bari")).SetEndpoint("bari")
	blah := app.Subdomain("blah")
	blah.Route("/hehe", endpointHandler("blah")).SetEndpoint("blah")
	builds := []flasky.M{{"_endpoint": "index"}, {"_endpoint": "bari", "bazi": 50}, {"_endpoint": "blah"}, {"_endpoint": "urks"}}
	addURLs(blah, builds)
	want := "http://example.org/\nhttp://example.org/bar/50\n/hehe\nerror"
	if got := urlsFrom(t, app, "http://blah.example.org/urls"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestWerkzeugRequestRedirectDefaultSubdomain mirrors Werkzeug's
// test_request_redirect_default_subdomain: a URL that only repeats the
// defaults of a rule on another subdomain redirects there.
func TestWerkzeugRequestRedirectDefaultSubdomain(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "localhost"
	h := endpointHandler("foo")
	app.Subdomain("test").Route("/foo", h).SetEndpoint("foo").SetDefaults(flasky.M{"bar": 42})
	app.Subdomain("other").Route("/foo/<int:bar>", h).SetEndpoint("foo")
	checkHostReqs(t, app, []hostReq{
		{"GET", "http://other.localhost/foo/42", "308 http://test.localhost/foo", nil},
		{"GET", "http://other.localhost/foo/7", "foo", map[string]string{"bar": "7"}},
		{"GET", "http://test.localhost/foo", "foo", map[string]string{"bar": "42"}},
	})
}

// TestWerkzeugServerNameInterpolation mirrors Werkzeug's
// test_server_name_interpolation: the subdomain is what the host has
// before ServerName, and a host outside it matches nothing.
func TestWerkzeugServerNameInterpolation(t *testing.T) {
	for _, tc := range []struct {
		server string
		reqs   []hostReq
	}{
		{"example.invalid", []hostReq{
			{"GET", "http://example.invalid/", "index", nil},
			{"GET", "http://alt.example.invalid/", "alt", nil},
		}},
		{"foo", []hostReq{{"GET", "http://example.invalid/", "404", nil}}},
	} {
		t.Run(tc.server, func(t *testing.T) {
			app, _ := newTestApp()
			app.Config.ServerName = tc.server
			app.Route("/", endpointHandler("index")).SetEndpoint("index")
			app.Subdomain("alt").Route("/", endpointHandler("alt")).SetEndpoint("alt")
			checkHostReqs(t, app, tc.reqs)
		})
	}
}

// TestWerkzeugHostMatching mirrors Werkzeug's host matching tests: rules
// bound to hosts with and without variables, matched and built.
func TestWerkzeugHostMatching(t *testing.T) {
	app, _ := newTestApp()
	app.Host("www.example.com").Route("/", endpointHandler("index")).SetEndpoint("index")
	app.Host("<sub>.example.com").Route("/", endpointHandler("sub")).SetEndpoint("sub")
	app.Host("<sub>.example.com").Route("/blah", endpointHandler("x_blah")).SetEndpoint("x_blah")
	app.Host("example.org").Route("/", endpointHandler("org")).SetEndpoint("org")
	checkHostReqs(t, app, []hostReq{
		{"GET", "http://www.example.com/", "index", nil},
		{"GET", "http://one.example.com/", "sub", map[string]string{"sub": "one"}},
		{"GET", "http://one.example.com/blah", "x_blah", map[string]string{"sub": "one"}},
		{"GET", "http://www.example.com/blah", "x_blah", map[string]string{"sub": "www"}},
		{"GET", "http://example.org/", "org", nil},
		{"GET", "http://example.org/blah", "404", nil},
	})
	builds := []flasky.M{{"_endpoint": "index"}, {"_endpoint": "sub", "sub": "two"}, {"_endpoint": "org"}, {"_endpoint": "x_blah", "sub": "one"}}
	addURLs(app.Host("one.example.com"), builds)
	want := "http://www.example.com/\nhttp://two.example.com/\nhttp://example.org/\n/blah"
	if got := urlsFrom(t, app, "http://one.example.com/urls"); got != want {
		t.Errorf("built on one.example.com: %q, want %q", got, want)
	}
}

// TestSubdomainParamValue checks that a subdomain's variables read like
// the path's, converted by their converter.
func TestSubdomainParamValue(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "example.com"
	var major any
	var param string
	app.Subdomain("v<int:major>").Route("/<name>", func(c *flasky.Ctx) error {
		major, param = c.ParamValue("major"), c.Param("major")
		return c.String(c.Param("name"))
	})
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "http://v3.example.com/doc", nil))
	if w.Code != 200 || w.Body.String() != "doc" || major != 3 || param != "3" {
		t.Errorf("GET http://v3.example.com/doc = %d %q, ParamValue(major) = %#v, Param = %q; want 200 \"doc\", 3, \"3\"", w.Code, w.Body.String(), major, param)
	}
}
