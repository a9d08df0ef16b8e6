package flasky_test

// Flask's session, cookie and flashing tests (Flask 3.1), ported: those of
// tests/test_basic.py are subtests of TestFlaskSession, the one test of
// tests/test_session_interface.py is TestFlaskSessionInterface, and the
// session tests that tests/test_reqctx.py left to issue #18 are
// TestFlaskReqctxSession; each subtest is named after the Flask test it
// mirrors. The app is the one of Flask's conftest fixture (TESTING on,
// SECRET_KEY "test key"): flaskApp. flask.session is c.Session(),
// session_transaction is TestClient.Session, flash and
// get_flashed_messages are c.Flash and c.FlashedMessages. A Flask test
// client's base_url ("http://example.com:8080/") is a request made with
// that URL and sent with TestClient.Do.
//
// Not ported:
//   - test_reqctx.py's test_session_dynamic_cookie_name: missing in
//     flasky: a session cookie name chosen per request (a
//     SecureCookieSessionInterface subclass overriding get_cookie_name);
//     flasky's signed-cookie interface reads Config.SessionCookieName and
//     cannot be extended, and a SessionInterface of one's own cannot sign
//     with flasky's cookie format.
//
// Parts of ported tests left out: session.accessed in test_session (the
// Vary: Cookie header is checked instead: it is what accessed is for),
// setting session.modified = False by hand in test_flashes (flasky's
// Session has no setter for it), the flask.request and flask.current_app
// checks of test_session_error_pops_context (context locals), and the
// Markup type of test_extended_flashing's third message (a Python type
// that marks text safe for Jinja; c.Flash takes a string).

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

func TestFlaskSession(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"session", fsSession},
		{"session_path", fsSessionPath},
		{"session_using_application_root", fsSessionUsingApplicationRoot},
		{"session_using_session_settings", fsSessionUsingSessionSettings},
		{"session_using_samesite_attribute", fsSessionUsingSamesiteAttribute},
		{"missing_session", fsMissingSession},
		{"session_secret_key_fallbacks", fsSessionSecretKeyFallbacks},
		{"session_expiration", fsSessionExpiration},
		{"session_stored_last", fsSessionStoredLast},
		{"session_special_types", fsSessionSpecialTypes},
		{"session_cookie_setting", fsSessionCookieSetting},
		{"session_vary_cookie", fsSessionVaryCookie},
		{"session_refresh_vary", fsSessionRefreshVary},
		{"flashes", fsFlashes},
		{"extended_flashing", fsExtendedFlashing},
		{"max_cookie_size", fsMaxCookieSize},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// setTesting42 is the view of several Flask session tests: it puts
// testing=42 in the session.
func setTesting42(c *flasky.Ctx) error {
	c.Session().Set("testing", 42)
	return c.String("Hello World")
}

// baseURL is a request for path under a Flask test client's base_url:
// the host and scheme of base, the path given.
func baseURL(method, base, path string) *http.Request {
	u, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	u.Path = path
	return httptest.NewRequest(method, u.String(), nil)
}

// setCookie returns the response's Set-Cookie header in lower case, as
// Flask's tests read rv.headers["set-cookie"].lower().
func setCookie(res *flasky.TestResponse) string {
	return strings.ToLower(res.Header.Get("Set-Cookie"))
}

// test_session: a value set in one request is read in the next; setting
// modifies the session, reading does not. A read says Vary: Cookie,
// which is what Flask's session.accessed is kept for.
func fsSession(t *testing.T) {
	app := flaskApp()
	app.Route("/set", func(c *flasky.Ctx) error {
		s := c.Session()
		if s.Modified() {
			t.Error("/set: session modified before anything was set")
		}
		v, err := c.Form.Require("value")
		if err != nil {
			return err
		}
		s.Set("value", v)
		if !s.Modified() {
			t.Error("/set: session not modified after a value was set")
		}
		return c.String("value set")
	}, "POST")
	app.Route("/get", func(c *flasky.Ctx) error {
		s := c.Session()
		v := "None"
		if s.Has("value") {
			v = s.String("value")
		}
		if s.Modified() {
			t.Error("/get: reading modified the session")
		}
		return c.String(v)
	})
	client := app.TestClient(t)
	if res := client.Post("/set", url.Values{"value": {"42"}}); res.Text() != "value set" {
		t.Errorf("POST /set = %d %q, want value set", res.Code, res.Text())
	}
	res := client.Get("/get")
	if res.Text() != "42" {
		t.Errorf("GET /get = %d %q, want 42", res.Code, res.Text())
	}
	if v := res.Header.Get("Vary"); v != "Cookie" {
		t.Errorf("GET /get Vary = %q, want Cookie (the session was accessed)", v)
	}
}

// test_session_path: the cookie's path is APPLICATION_ROOT.
func fsSessionPath(t *testing.T) {
	app := flaskApp()
	if err := app.Config.FromMapping(map[string]any{"APPLICATION_ROOT": "/foo"}); err != nil {
		t.Fatal(err)
	}
	app.Route("/", setTesting42)
	res := app.TestClient(t).Do(baseURL("GET", "http://example.com:8080/", "/"))
	if ck := setCookie(res); !strings.Contains(ck, "path=/foo") {
		t.Errorf("Set-Cookie = %q, want path=/foo", ck)
	}
}

// test_session_using_application_root: an app under a prefix (Flask's
// middleware sets SCRIPT_NAME to /bar; here http.StripPrefix removes it)
// sets the cookie on that prefix.
func fsSessionUsingApplicationRoot(t *testing.T) {
	app := flaskApp()
	if err := app.Config.FromMapping(map[string]any{"APPLICATION_ROOT": "/bar"}); err != nil {
		t.Fatal(err)
	}
	app.Route("/", setTesting42)
	client := flasky.NewTestClient(http.StripPrefix("/bar", app), t)
	res := client.Do(baseURL("GET", "http://example.com:8080/", "/bar/"))
	if ck := setCookie(res); !strings.Contains(ck, "path=/bar") {
		t.Errorf("%d: Set-Cookie = %q, want path=/bar", res.Code, ck)
	}
}

// test_session_using_session_settings: the SESSION_COOKIE_* settings
// reach the cookie, and the cookie that deletes an emptied session.
func fsSessionUsingSessionSettings(t *testing.T) {
	app := flaskApp()
	err := app.Config.FromMapping(map[string]any{
		"SERVER_NAME":                "www.example.com:8080",
		"APPLICATION_ROOT":           "/test",
		"SESSION_COOKIE_DOMAIN":      ".example.com",
		"SESSION_COOKIE_SECURE":      true,
		"SESSION_COOKIE_PARTITIONED": true,
		"SESSION_COOKIE_SAMESITE":    "Lax",
		"SESSION_COOKIE_PATH":        "/",
	})
	if err != nil {
		t.Fatal(err)
	}
	app.Route("/", setTesting42)
	app.Route("/clear", func(c *flasky.Ctx) error {
		c.Session().Delete("testing")
		return c.String("Goodbye World")
	})
	client := app.TestClient(t)
	attributes := func(what, ck string) {
		t.Helper()
		if !strings.Contains(ck, "domain=example.com") && !strings.Contains(ck, "domain=.example.com") {
			t.Errorf("%s: Set-Cookie = %q, want domain=example.com", what, ck)
		}
		for _, want := range []string{"path=/", "secure", "samesite", "partitioned"} {
			if !strings.Contains(ck, want) {
				t.Errorf("%s: Set-Cookie = %q, want %s", what, ck, want)
			}
		}
	}
	res := client.Do(baseURL("GET", "http://www.example.com:8080/", "/"))
	ck := setCookie(res)
	attributes("GET /", ck)
	// Werkzeug's client sends the cookie of example.com back to
	// www.example.com; flasky's keeps cookies for localhost, so the
	// request carries it by hand.
	r := baseURL("GET", "http://www.example.com:8080/", "/clear")
	for _, c := range res.Header.Values("Set-Cookie") {
		if parsed, err := http.ParseSetCookie(c); err == nil {
			r.AddCookie(&http.Cookie{Name: parsed.Name, Value: parsed.Value})
		}
	}
	cleared := setCookie(client.Do(r))
	if !strings.Contains(cleared, "session=;") {
		t.Errorf("GET /clear: Set-Cookie = %q, want session=; (deleted)", cleared)
	}
	attributes("GET /clear", cleared)

	if err := app.Config.FromMapping(map[string]any{"SESSION_COOKIE_HTTPONLY": false}); err != nil {
		flaskGap(t, "SESSION_COOKIE_HTTPONLY: the session cookie is always HttpOnly, and Config has no setting to turn it off",
			"FromMapping: %v; Set-Cookie %q", err, ck)
	}
	if ck := setCookie(client.Do(baseURL("GET", "http://www.example.com:8080/", "/"))); strings.Contains(ck, "httponly") {
		t.Errorf("SESSION_COOKIE_HTTPONLY off: Set-Cookie = %q, want no httponly", ck)
	}
}

// test_session_using_samesite_attribute: an invalid SameSite is refused;
// Strict and Lax reach the cookie; Flask's None sends no attribute.
func fsSessionUsingSamesiteAttribute(t *testing.T) {
	app := flaskApp()
	app.Route("/", setTesting42)
	client := app.TestClient(t)
	// Flask refuses the value when the cookie is written (ValueError
	// raised through the client); flasky when the setting is loaded.
	if err := app.Config.FromMapping(map[string]any{"SESSION_COOKIE_SAMESITE": "invalid"}); err == nil || !strings.Contains(err.Error(), "SESSION_COOKIE_SAMESITE") {
		t.Errorf(`SESSION_COOKIE_SAMESITE="invalid": %v, want an error naming the key`, err)
	}
	// Flask's default (None) sends no SameSite; flasky's default is Lax
	// (README, "Sessions and flashed messages": "HttpOnly, SameSite=Lax
	// and Path=/ by default"), and no attribute is
	// http.SameSiteDefaultMode, the field's own type.
	if err := app.Config.FromMapping(map[string]any{"SESSION_COOKIE_SAMESITE": http.SameSiteDefaultMode}); err != nil {
		t.Fatal(err)
	}
	if ck := setCookie(client.Get("/")); strings.Contains(ck, "samesite") {
		t.Errorf("SameSite default mode: Set-Cookie = %q, want no samesite", ck)
	}
	for _, v := range []string{"Strict", "Lax"} {
		if err := app.Config.FromMapping(map[string]any{"SESSION_COOKIE_SAMESITE": v}); err != nil {
			t.Fatal(err)
		}
		if ck := setCookie(client.Get("/")); !strings.Contains(ck, "samesite="+strings.ToLower(v)) {
			t.Errorf("SameSite %s: Set-Cookie = %q, want samesite=%s", v, ck, strings.ToLower(v))
		}
	}
}

// sessionPanic calls c.Session() and returns what it panics with.
func sessionPanic(c *flasky.Ctx) (v any) {
	defer func() { v = recover() }()
	c.Session()
	return nil
}

// test_missing_session: without a secret key the session is unavailable,
// and the error says so. Flask still reads a missing key as None from
// its null session and refuses only writes; flasky refuses to open the
// session at all (README, "Sessions and flashed messages", first item:
// the first request that opens it fails, naming the setting).
func fsMissingSession(t *testing.T) {
	app := flaskApp()
	app.Config.SecretKey = nil
	c, release := app.TestRequestContext("GET", "/")
	defer release()
	v := sessionPanic(c)
	err, _ := v.(error)
	if err == nil || !strings.Contains(err.Error(), "session is unavailable") || !strings.Contains(err.Error(), "SecretKey") {
		t.Errorf("Session() without a secret key panics with %v, want an error saying the session is unavailable and naming SecretKey", v)
	}
	if msgs := c.FlashedMessages(); msgs != nil {
		t.Errorf("FlashedMessages without a secret key = %v, want none", msgs)
	}
}

// sessionJSON answers the session's values as JSON, as a Flask view
// returning dict(flask.session) does.
func sessionJSON(c *flasky.Ctx) error {
	s := c.Session()
	m := map[string]any{}
	for _, k := range s.Keys() {
		m[k] = s.Get(k)
	}
	return c.JSON(m)
}

// test_session_secret_key_fallbacks: a session signed with an old key
// reads as empty until that key is one of SECRET_KEY_FALLBACKS.
func fsSessionSecretKeyFallbacks(t *testing.T) {
	app := flaskApp()
	app.Route("/", func(c *flasky.Ctx) error {
		c.Session().Set("a", 1)
		return c.String("")
	}, "POST")
	app.Route("/", sessionJSON, "GET")
	client := app.TestClient(t)
	client.Post("/", nil)
	check := func(what string, want map[string]any) {
		t.Helper()
		res := client.Get("/")
		var got map[string]any
		if err := res.JSON(&got); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: GET / = %d %q, want %v", what, res.Code, res.Text(), want)
		}
	}
	check("same key", map[string]any{"a": 1.0})
	app.Config.SecretKey = []byte("new test key")
	check("new key", map[string]any{})
	if err := app.Config.FromMapping(map[string]any{"SECRET_KEY_FALLBACKS": []string{"test key"}}); err != nil {
		t.Fatal(err)
	}
	check("old key in the fallbacks", map[string]any{"a": 1.0})
}

// pyBool is Python's str of a bool.
func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// test_session_expiration: a permanent session's cookie expires
// PERMANENT_SESSION_LIFETIME from now, and reads back permanent; a
// session that is not permanent has no expiry.
func fsSessionExpiration(t *testing.T) {
	app := flaskApp()
	permanent := true
	app.Route("/", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("test", 42)
		s.SetPermanent(permanent)
		return c.String("")
	})
	app.Route("/test", func(c *flasky.Ctx) error { return c.String(pyBool(c.Session().Permanent())) })
	client := app.TestClient(t)
	res := client.Get("/")
	ck := res.Header.Get("Set-Cookie")
	m := regexp.MustCompile(`(?i)\bexpires=([^;]+)`).FindStringSubmatch(ck)
	if m == nil {
		t.Fatalf("Set-Cookie = %q, want an expiry", ck)
	}
	expires, err := http.ParseTime(m[1])
	if err != nil {
		t.Fatalf("expires=%q: %v", m[1], err)
	}
	expected := time.Now().UTC().Add(31 * 24 * time.Hour) // the default lifetime
	if expires.Year() != expected.Year() || expires.Month() != expected.Month() || expires.Day() != expected.Day() {
		t.Errorf("expires %v, want the day of %v", expires, expected)
	}
	if res := client.Get("/test"); res.Text() != "True" {
		t.Errorf("GET /test = %q, want True", res.Text())
	}
	permanent = false
	res = client.Get("/")
	ck = res.Header.Get("Set-Cookie")
	if ck == "" {
		t.Fatal("no Set-Cookie after the session stopped being permanent")
	}
	if regexp.MustCompile(`\bexpires=([^;]+)`).MatchString(strings.ToLower(ck)) {
		t.Errorf("Set-Cookie = %q, want no expiry", ck)
	}
}

// test_session_stored_last: a value an after-request hook sets is saved
// with the response.
func fsSessionStoredLast(t *testing.T) {
	app := flaskApp()
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error { c.Session().Set("foo", 42); return nil })
	app.Route("/", func(c *flasky.Ctx) error {
		v := c.Session().Get("foo")
		if v == nil {
			return c.String("None") // Python's repr(None)
		}
		return c.String(fmt.Sprint(v))
	})
	client := app.TestClient(t)
	for i, want := range []string{"None", "42"} {
		if res := client.Get("/"); res.Text() != want {
			t.Errorf("request %d: GET / = %q, want %q", i+1, res.Text(), want)
		}
	}
}

// fsUUID stands for Python's uuid.UUID: a Go UUID type writes its text
// form into JSON.
type fsUUID [16]byte

func (u fsUUID) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:]), nil
}

// test_session_special_types: Flask's tagged JSON keeps a tuple, bytes,
// Markup, a UUID and a datetime as themselves across the cookie, and
// dicts whose keys look like its tags as they are. flasky's session
// keeps only JSON (README, "Differences from Flask's sessions", second
// item): each value comes back as encoding/json writes it, and the
// tag-like dicts come back unchanged, as in Flask.
func fsSessionSpecialTypes(t *testing.T) {
	app := flaskApp()
	now := time.Now().UTC().Truncate(time.Second)
	var theUUID fsUUID
	if _, err := rand.Read(theUUID[:]); err != nil {
		t.Fatal(err)
	}
	uuidText, _ := theUUID.MarshalText()
	app.Route("/", func(c *flasky.Ctx) error {
		s := c.Session()
		for k, v := range map[string]any{
			"t":        [3]int{1, 2, 3}, // Python's tuple (1, 2, 3)
			"b":        []byte{0xff},
			"m":        template.HTML("<html>"), // Markup("<html>")
			"u":        theUUID,
			"d":        now,
			"t_tag":    map[string]string{" t": "not-a-tuple"},
			"di_t_tag": map[string]string{" t__": "not-a-tuple"},
			"di_tag":   map[string]string{" di": "not-a-dict"},
		} {
			s.Set(k, v)
		}
		return c.NoContent()
	})
	client := app.TestClient(t)
	client.Get("/")
	client.Session(func(s *flasky.Session) {
		for k, want := range map[string]any{
			"t":        []any{json.Number("1"), json.Number("2"), json.Number("3")},
			"b":        "/w==", // base64, as encoding/json writes []byte
			"m":        "<html>",
			"u":        string(uuidText),
			"d":        now.Format(time.RFC3339),
			"t_tag":    map[string]any{" t": "not-a-tuple"},
			"di_t_tag": map[string]any{" t__": "not-a-tuple"},
			"di_tag":   map[string]any{" di": "not-a-dict"},
		} {
			if got := s.Get(k); !reflect.DeepEqual(got, want) {
				t.Errorf("session[%q] = %#v, want %#v", k, got, want)
			}
		}
	})
}

// test_session_cookie_setting: a request that only reads the session
// sends its cookie again when the session is permanent and
// SESSION_REFRESH_EACH_REQUEST is on, and only then.
func fsSessionCookieSetting(t *testing.T) {
	app := flaskApp()
	isPermanent := true
	app.Route("/bump", func(c *flasky.Ctx) error {
		s := c.Session()
		n := s.Int("foo") + 1
		s.Set("foo", n)
		s.SetPermanent(isPermanent)
		return c.String(fmt.Sprint(n))
	})
	app.Route("/read", func(c *flasky.Ctx) error { return c.String(fmt.Sprint(c.Session().Int("foo"))) })
	for _, tt := range []struct{ permanent, refresh, expectHeader bool }{
		{true, true, true},
		{true, false, false},
		{false, true, false},
		{false, false, false},
	} {
		isPermanent = tt.permanent
		app.Config.SessionRefreshEachRequest = tt.refresh
		client := app.TestClient(t)
		for _, want := range []string{"1", "2", "3"} {
			if res := client.Get("/bump"); res.Text() != want {
				t.Errorf("permanent %v, refresh %v: GET /bump = %q, want %q", tt.permanent, tt.refresh, res.Text(), want)
			}
		}
		res := client.Get("/read")
		if got := res.Header.Get("Set-Cookie") != ""; got != tt.expectHeader {
			t.Errorf("permanent %v, refresh %v: GET /read sets the cookie: %v, want %v", tt.permanent, tt.refresh, got, tt.expectHeader)
		}
		if res.Text() != "3" {
			t.Errorf("permanent %v, refresh %v: GET /read = %q, want 3", tt.permanent, tt.refresh, res.Text())
		}
	}
}

// test_session_vary_cookie: every response that used the session says
// Vary: Cookie, in one header with the values the view set; a response
// that did not use it has no Vary.
func fsSessionVaryCookie(t *testing.T) {
	app := flaskApp()
	setTest := func(c *flasky.Ctx) error { c.Session().Set("test", "test"); return nil }
	app.Route("/set", func(c *flasky.Ctx) error {
		if err := setTest(c); err != nil {
			return err
		}
		return c.String("")
	})
	app.Route("/get", func(c *flasky.Ctx) error { return c.String(c.Session().String("test")) })
	app.Route("/getitem", func(c *flasky.Ctx) error { return c.String(c.Session().String("test")) })
	app.Route("/setdefault", func(c *flasky.Ctx) error {
		s := c.Session()
		if !s.Has("test") {
			s.Set("test", "default")
		}
		return c.String(s.String("test"))
	})
	app.Route("/clear", func(c *flasky.Ctx) error {
		c.Session().Clear()
		return c.String("")
	})
	app.Route("/vary-cookie-header-set", func(c *flasky.Ctx) error {
		c.SetHeader("Vary", "Cookie")
		if err := setTest(c); err != nil {
			return err
		}
		return c.HTML("")
	})
	app.Route("/vary-header-set", func(c *flasky.Ctx) error {
		c.SetHeader("Vary", "Accept-Encoding, Accept-Language")
		if err := setTest(c); err != nil {
			return err
		}
		return c.HTML("")
	})
	app.Route("/no-vary-header", text(""))
	client := app.TestClient(t)
	expect := func(path, want string) bool {
		t.Helper()
		got := client.Get(path).Header.Values("Vary")
		switch {
		case want == "" && len(got) != 0:
			t.Errorf("GET %s: Vary %q, want none", path, got)
		case want != "" && !slices.Equal(got, []string{want}):
			return false
		}
		return true
	}
	for _, p := range []string{"/set", "/get", "/getitem", "/setdefault", "/clear", "/vary-cookie-header-set"} {
		if !expect(p, "Cookie") {
			t.Errorf("GET %s: Vary %q, want one header Cookie", p, client.Get(p).Header.Values("Vary"))
		}
	}
	expect("/no-vary-header", "")
	if want := "Accept-Encoding, Accept-Language, Cookie"; !expect("/vary-header-set", want) {
		flaskGap(t, "Vary: Cookie is added as a header line of its own beside the Vary the handler set, where Werkzeug adds Cookie to the handler's Vary",
			"GET /vary-header-set: Vary %q, want one header %q", client.Get("/vary-header-set").Header.Values("Vary"), want)
	}
}

// test_session_refresh_vary: the login's permanent session says Vary:
// Cookie. Flask refreshes a permanent session on every request, so a
// view that never reads it says Vary: Cookie too; flasky opens the
// session only for a request that asks for it (README, "Differences from
// Flask's sessions", first item), so that view's response depends on no
// cookie, sets none and says no Vary.
func fsSessionRefreshVary(t *testing.T) {
	app := flaskApp()
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("user_id", 1)
		s.SetPermanent(true)
		return c.String("")
	})
	app.Route("/ignored", text(""))
	client := app.TestClient(t)
	if v := client.Get("/login").Header.Get("Vary"); v != "Cookie" {
		t.Errorf("GET /login: Vary %q, want Cookie", v)
	}
	res := client.Get("/ignored")
	if v := res.Header.Values("Vary"); len(v) != 0 {
		t.Errorf("GET /ignored: Vary %q, want none: flasky did not open the session", v)
	}
	if ck := res.Header.Get("Set-Cookie"); ck != "" {
		t.Errorf("GET /ignored: Set-Cookie %q, want none", ck)
	}
}

// test_flashes: flashing modifies the session, and the messages flashed
// are read back in order.
func fsFlashes(t *testing.T) {
	app := flaskApp()
	c, release := app.TestRequestContext("GET", "/")
	defer release()
	s := c.Session()
	if s.Modified() {
		t.Error("session modified before anything was flashed")
	}
	c.Flash("Zap")
	c.Flash("Zip")
	if !s.Modified() {
		t.Error("session not modified after flashing")
	}
	var got []string
	for _, f := range c.FlashedMessages() {
		got = append(got, f.Message)
	}
	if want := []string{"Zap", "Zip"}; !slices.Equal(got, want) {
		t.Errorf("FlashedMessages = %q, want %q", got, want)
	}
}

// test_extended_flashing: categories, and reading with a category
// filter, with or without the categories.
func fsExtendedFlashing(t *testing.T) {
	app := flaskApp()
	app.Route("/", func(c *flasky.Ctx) error {
		c.Flash("Hello World")
		c.Flash("Hello World", "error")
		c.Flash("<em>Testing</em>", "warning")
		return c.String("")
	})
	all := []flasky.Flash{{"message", "Hello World"}, {"error", "Hello World"}, {"warning", "<em>Testing</em>"}}
	messages := func(fs []flasky.Flash) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Message)
		}
		return out
	}
	check := func(path string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	app.Route("/test/", func(c *flasky.Ctx) error {
		check("/test/", messages(c.FlashedMessages()), messages(all))
		return c.String("")
	})
	app.Route("/test_with_categories/", func(c *flasky.Ctx) error {
		check("/test_with_categories/", c.FlashedMessages(), all)
		return c.String("")
	})
	app.Route("/test_filter/", func(c *flasky.Ctx) error {
		check("/test_filter/", c.FlashedMessages("message"), all[:1])
		return c.String("")
	})
	app.Route("/test_filters/", func(c *flasky.Ctx) error {
		check("/test_filters/", c.FlashedMessages("message", "warning"), []flasky.Flash{all[0], all[2]})
		return c.String("")
	})
	app.Route("/test_filters_without_returning_categories/", func(c *flasky.Ctx) error {
		check("/test_filters_without_returning_categories/", messages(c.FlashedMessages("message", "warning")), []string{"Hello World", "<em>Testing</em>"})
		return c.String("")
	})
	// A new client for each reader: the flashed messages start afresh.
	for _, p := range []string{"/test/", "/test_with_categories/", "/test_filter/", "/test_filters/", "/test_filters_without_returning_categories/"} {
		client := app.TestClient(t)
		client.Get("/")
		client.Get(p)
	}
}

// test_max_cookie_size: MAX_COOKIE_SIZE is the size over which setting a
// cookie warns ("cookie is too large"); 0 turns the warning off.
func fsMaxCookieSize(t *testing.T) {
	app := flaskApp()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/", func(c *flasky.Ctx) error {
		c.SetCookie(&http.Cookie{Name: "foo", Value: strings.Repeat("bar", 100)})
		return c.Status(http.StatusNoContent).String("")
	})
	if err := app.Config.FromMapping(map[string]any{"MAX_COOKIE_SIZE": 100}); err != nil {
		flaskGap(t, "MAX_COOKIE_SIZE: the size over which a cookie is warned about is fixed at 4093 bytes, and only the session cookie is checked (c.SetCookie never warns)",
			"FromMapping: %v", err)
	}
	app.TestClient(t).Get("/")
	if msgs := rec.messages(); len(msgs) != 1 || !strings.Contains(msgs[0], "too large") {
		t.Errorf("a 300-byte cookie over MAX_COOKIE_SIZE 100 logged %q, want one warning", msgs)
	}
	rec = newRecordMessages()
	app.Logger = slog.New(rec)
	if err := app.Config.FromMapping(map[string]any{"MAX_COOKIE_SIZE": 0}); err != nil {
		t.Fatal(err)
	}
	app.TestClient(t).Get("/")
	if msgs := rec.messages(); len(msgs) != 0 {
		t.Errorf("MAX_COOKIE_SIZE 0 logged %q, want nothing", msgs)
	}
}

// TestFlaskSessionInterface is tests/test_session_interface.py's
// test_open_session_endpoint_not_none: a SessionInterface opens the
// session once the request is matched, so it knows the endpoint. Flask
// opens the session for every request; flasky for a request that asks
// for it (README, "Differences from Flask's sessions", first item), so
// the view reads the session.
func TestFlaskSessionInterface(t *testing.T) {
	t.Run("open_session_endpoint_not_none", func(t *testing.T) {
		app, _ := newTestApp()
		si := &endpointSessionInterface{t: t}
		app.SessionInterface = si
		app.Route("/", func(c *flasky.Ctx) error {
			c.Session()
			return c.String("Hello World!")
		}).SetEndpoint("index")
		res := app.TestClient(t).Get("/")
		if res.Code != http.StatusOK || !si.opened {
			t.Errorf("GET / = %d, session opened: %v; want 200 and opened", res.Code, si.opened)
		}
	})
}

// endpointSessionInterface checks that the request has its endpoint when
// the session is opened.
type endpointSessionInterface struct {
	t      *testing.T
	opened bool
}

func (si *endpointSessionInterface) OpenSession(c *flasky.Ctx) (*flasky.Session, error) {
	si.opened = true
	if c.Endpoint() == "" {
		si.t.Error("OpenSession: the request's endpoint is empty")
	}
	return flasky.NewSession(), nil
}

func (si *endpointSessionInterface) SaveSession(*flasky.Ctx, *flasky.Session) error { return nil }

// TestFlaskReqctxSession holds the session test of tests/test_reqctx.py
// that flask_reqctx_test.go left to issue #18.
func TestFlaskReqctxSession(t *testing.T) {
	t.Run("session_error_pops_context", rqcSessionErrorPopsContext)
}

// failingSessionInterface fails to open any session.
type failingSessionInterface struct{}

var errSessionStore = errors.New("session store down")

func (failingSessionInterface) OpenSession(*flasky.Ctx) (*flasky.Session, error) {
	return nil, errSessionStore
}
func (failingSessionInterface) SaveSession(*flasky.Ctx, *flasky.Session) error { return nil }

// test_session_error_pops_context: a session interface whose
// open_session fails ends the request before the view goes on. Flask
// answers 500; flasky answers 503, a session store that cannot be
// reached (README, "Sessions and flashed messages": "An error from
// either method, such as Redis being down, answers 503").
func rqcSessionErrorPopsContext(t *testing.T) {
	app, _ := newTestApp()
	app.SessionInterface = failingSessionInterface{}
	reached := false
	app.Route("/", func(c *flasky.Ctx) error {
		c.Session()
		reached = true // shouldn't get here
		return c.String("")
	})
	res := app.TestClient(t).Get("/")
	if res.Code != http.StatusServiceUnavailable {
		t.Errorf("GET / = %d, want 503", res.Code)
	}
	if reached {
		t.Error("the view went on after the session failed to open")
	}
}
