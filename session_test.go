package flasky_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// sessionApp counts visits in the session and lets tests set and clear it.
func sessionApp(key string) *flasky.App {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte(key)
	app.Route("/count", func(c *flasky.Ctx) error {
		s := c.Session()
		n := s.Int("visits") + 1
		s.Set("visits", n)
		return c.String(strconv.Itoa(n))
	})
	app.Route("/user", func(c *flasky.Ctx) error {
		s := c.Session()
		return c.String("user=" + s.String("user"))
	})
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("user", c.Form.Get("user"))
		s.SetPermanent(c.Form.Get("remember") == "1")
		return c.Redirect("/user")
	}, "POST")
	app.Route("/logout", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Clear()
		return c.String("bye")
	})
	app.Route("/plain", text("no session here"))
	return app
}

func TestSessionKeepsValuesAcrossRequests(t *testing.T) {
	client := sessionApp("s3cret-key").TestClient(t)
	for want := 1; want <= 3; want++ {
		res := client.Get("/count")
		if res.Code != 200 || res.Text() != strconv.Itoa(want) {
			t.Fatalf("visit %d: %d %q", want, res.Code, res.Text())
		}
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	app := sessionApp("k")
	res := app.TestClient(t).Get("/count")
	ck := res.Header.Get("Set-Cookie")
	for _, want := range []string{"session=", "Path=/", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("Set-Cookie %q lacks %q", ck, want)
		}
	}
	if strings.Contains(ck, "Expires") || strings.Contains(ck, "Secure") {
		t.Errorf("Set-Cookie %q: a default session is a browser-session cookie, not Secure", ck)
	}
	if got := res.Header.Values("Vary"); len(got) != 1 || got[0] != "Cookie" {
		t.Errorf("Vary = %q, want [Cookie]", got)
	}

	app.Config.SessionCookieSecure = true
	app.Config.SessionCookieName = "sid"
	app.Config.SessionCookieSameSite = http.SameSiteStrictMode
	ck = app.TestClient(t).Get("/count").Header.Get("Set-Cookie")
	for _, want := range []string{"sid=", "Secure", "SameSite=Strict"} {
		if !strings.Contains(ck, want) {
			t.Errorf("Set-Cookie %q lacks %q", ck, want)
		}
	}
}

// Flask CVE-2023-30861: a response that read the session must say
// Vary: Cookie even when it did not change the session.
func TestSessionReadOnlySaysVaryCookie(t *testing.T) {
	client := sessionApp("k").TestClient(t)
	res := client.Get("/user")
	if res.Header.Get("Set-Cookie") != "" {
		t.Errorf("reading an empty session set a cookie: %q", res.Header.Get("Set-Cookie"))
	}
	if res.Header.Get("Vary") != "Cookie" {
		t.Errorf("Vary = %q, want Cookie", res.Header.Get("Vary"))
	}
	if res := client.Get("/plain"); res.Header.Get("Vary") != "" {
		t.Errorf("a route that never read the session says Vary %q", res.Header.Get("Vary"))
	}
}

func TestSessionPermanentAndClear(t *testing.T) {
	app := sessionApp("k")
	app.Config.SessionLifetime = 2 * time.Hour
	client := app.TestClient(t)
	client.FollowRedirects = true
	res := client.Post("/login", url.Values{"user": {"홍길동"}, "remember": {"1"}})
	if res.Text() != "user=홍길동" || len(res.History) != 1 {
		t.Fatalf("login then /user: %d %q (history %d)", res.Code, res.Text(), len(res.History))
	}
	ck, err := http.ParseSetCookie(res.History[0].Header.Get("Set-Cookie"))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(ck.Expires); d < 119*time.Minute || d > 121*time.Minute {
		t.Errorf("permanent session expires in %v, want SessionLifetime (2h)", d)
	}
	res = client.Get("/logout")
	if sc := res.Header.Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("Clear: Set-Cookie %q, want the cookie deleted", sc)
	}
	if res := client.Get("/user"); res.Text() != "user=" {
		t.Errorf("after logout: %q", res.Text())
	}
}

// sessionCookie logs in as user on app and returns the session cookie.
func sessionCookie(t *testing.T, app *flasky.App, user string) string {
	t.Helper()
	res := app.TestClient(t).Post("/login", url.Values{"user": {user}})
	ck, err := http.ParseSetCookie(res.Header.Get("Set-Cookie"))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return ck.Value
}

func TestSessionRefusesTamperedCookies(t *testing.T) {
	app := sessionApp("the-key")
	good := sessionCookie(t, app, "kim")
	parts := strings.Split(good, ".")
	if len(parts) != 3 {
		t.Fatalf("cookie %q: want payload.time.signature", good)
	}
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"user":"admin"}`))
	other := sessionCookie(t, sessionApp("another-key"), "kim")
	flip := []byte(good)
	flip[3] ^= 1
	cases := []struct{ name, cookie, want string }{
		{"genuine", good, "user=kim"},
		{"payload replaced, old signature", forged + "." + parts[1] + "." + parts[2], "user="},
		{"one bit flipped", string(flip), "user="},
		{"signature cut", parts[0] + "." + parts[1], "user="},
		{"signature of another key", other, "user="},
		{"empty signature", parts[0] + "." + parts[1] + ".", "user="},
		{"garbage", "%%%not-base64%%%", "user="},
		{"empty", "", "user="},
		{"only dots", "..", "user="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(app, "GET", "/user", nil, "Cookie", "session="+tc.cookie)
			if rec.Code != 200 || rec.Body.String() != tc.want {
				t.Errorf("cookie %q: %d %q, want %q", tc.cookie, rec.Code, rec.Body.String(), tc.want)
			}
		})
	}
}

// A cookie replayed after SessionLifetime is refused: the signature
// covers the time it was written.
func TestSessionRefusesExpiredReplay(t *testing.T) {
	app := sessionApp("k")
	app.Config.SessionLifetime = time.Second
	old := sessionCookie(t, app, "kim")
	if rec := serve(app, "GET", "/user", nil, "Cookie", "session="+old); rec.Body.String() != "user=kim" {
		t.Fatalf("fresh cookie refused: %q", rec.Body.String())
	}
	time.Sleep(2100 * time.Millisecond)
	if rec := serve(app, "GET", "/user", nil, "Cookie", "session="+old); rec.Body.String() != "user=" {
		t.Errorf("cookie replayed after its lifetime accepted: %q", rec.Body.String())
	}
}

func TestSessionKeyRotation(t *testing.T) {
	oldApp := sessionApp("old-key")
	cookie := sessionCookie(t, oldApp, "kim")

	app := sessionApp("new-key")
	if rec := serve(app, "GET", "/user", nil, "Cookie", "session="+cookie); rec.Body.String() != "user=" {
		t.Fatalf("new key alone accepted the old cookie: %q", rec.Body.String())
	}
	app.Config.SecretKeyFallbacks = [][]byte{[]byte("older"), []byte("old-key")}
	if rec := serve(app, "GET", "/user", nil, "Cookie", "session="+cookie); rec.Body.String() != "user=kim" {
		t.Fatalf("fallback key refused the old cookie: %q", rec.Body.String())
	}
	// A new cookie is signed with the current key only.
	rec := serve(app, "GET", "/count", nil, "Cookie", "session="+cookie)
	ck, err := http.ParseSetCookie(rec.Header().Get("Set-Cookie"))
	if err != nil {
		t.Fatal(err)
	}
	if r := serve(sessionApp("new-key"), "GET", "/user", nil, "Cookie", "session="+ck.Value); r.Body.String() != "user=kim" {
		t.Errorf("re-signed cookie not readable with the new key: %q", r.Body.String())
	}
	if r := serve(oldApp, "GET", "/user", nil, "Cookie", "session="+ck.Value); r.Body.String() != "user=" {
		t.Errorf("re-signed cookie still readable with the old key: %q", r.Body.String())
	}
}

// Without a secret key the session cannot be had: the request that
// opens it is a 500 whose log names Config.SecretKey and the handler,
// with no error for the handler to check; an app that never opens the
// session, or only reads flashed messages, is unaffected.
func TestSessionWithoutSecretKey(t *testing.T) {
	app, logs := newTestApp()
	reached := false
	app.Route("/", func(c *flasky.Ctx) error {
		s := c.Session()
		reached = true
		return c.String(s.String("user"))
	})
	app.Route("/flash", func(c *flasky.Ctx) error { c.Flash("hi"); return c.String("flashed") })
	app.Route("/messages", func(c *flasky.Ctx) error { return c.String(strconv.Itoa(len(c.FlashedMessages()))) })
	cases := []struct {
		path     string
		code     int
		body     string
		logNames []string
	}{
		{"/", 500, "", []string{"Config.SecretKey", "session_test.go"}},
		{"/flash", 500, "", []string{"Config.SecretKey"}},
		{"/messages", 200, "0", nil},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			logs.Reset()
			rec := get(app, tc.path)
			if rec.Code != tc.code || tc.body != "" && rec.Body.String() != tc.body {
				t.Errorf("%s: %d %q, want %d %q", tc.path, rec.Code, rec.Body.String(), tc.code, tc.body)
			}
			for _, want := range tc.logNames {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("%s: log does not name %s: %s", tc.path, want, logs.String())
				}
			}
		})
	}
	if reached {
		t.Error("Session returned without a secret key")
	}
}

func TestSessionSetRefusesValuesJSONCannotHold(t *testing.T) {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte("k")
	app.Route("/", func(c *flasky.Ctx) error {
		s := c.Session()
		func() {
			defer func() {
				v := recover()
				if err, ok := v.(error); !ok || !strings.Contains(err.Error(), `"ch"`) {
					t.Errorf("Set(chan) panicked with %v, want an error naming the key", v)
				}
			}()
			s.Set("ch", make(chan int))
		}()
		return c.String(strings.Join(s.Keys(), ","))
	})
	if rec := get(app, "/"); rec.Body.String() != "" || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("a refused value changed the session: %q %q", rec.Body.String(), rec.Header().Get("Set-Cookie"))
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/form", text("saved"), "POST")
	cases := []struct {
		name string
		hdr  []string
		want int
	}{
		{"no browser headers (curl)", nil, 200},
		{"same origin", []string{"Sec-Fetch-Site", "same-origin"}, 200},
		{"typed into the address bar", []string{"Sec-Fetch-Site", "none"}, 200},
		{"another site", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"another origin, old browser", []string{"Origin", "https://evil.example"}, 403},
		{"same host origin", []string{"Origin", "http://example.com"}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(app, "POST", "http://example.com/form", strings.NewReader("a=1"),
				append([]string{"Content-Type", "application/x-www-form-urlencoded"}, tc.hdr...)...)
			if rec.Code != tc.want {
				t.Errorf("status %d, want %d (%q)", rec.Code, tc.want, rec.Body.String())
			}
			if tc.want == 403 && !strings.Contains(rec.Body.String(), "Cross-origin request refused") {
				t.Errorf("403 page gives no reason: %q", rec.Body.String())
			}
		})
	}
	// Trusting an origin, and turning the check off.
	if err := app.CrossOrigin.AddTrustedOrigin("https://partner.example"); err != nil {
		t.Fatal(err)
	}
	if rec := serve(app, "POST", "http://example.com/form", nil, "Origin", "https://partner.example", "Sec-Fetch-Site", "cross-site"); rec.Code != 200 {
		t.Errorf("trusted origin: %d", rec.Code)
	}
	app.CrossOrigin = nil
	if rec := serve(app, "POST", "http://example.com/form", nil, "Sec-Fetch-Site", "cross-site"); rec.Code != 200 {
		t.Errorf("check turned off: %d", rec.Code)
	}
}

type role string
type flag bool

// A value reads the same through the typed getters in the request that
// set it and in the next one, after the cookie's round trip: every
// integer kind, floats, named string and bool types.
func TestSessionGettersSameBeforeAndAfterTheCookie(t *testing.T) {
	cases := []struct {
		name string
		v    any
		str  string
		i    int
		f    float64
		b    bool
	}{
		{"int", 7, "", 7, 7, false},
		{"int8", int8(-8), "", -8, -8, false},
		{"int16", int16(16), "", 16, 16, false},
		{"int32", int32(8), "", 8, 8, false},
		{"int64", int64(1) << 40, "", 1 << 40, 1 << 40, false},
		{"uint", uint(9), "", 9, 9, false},
		{"uint8", uint8(255), "", 255, 255, false},
		{"uint16", uint16(65535), "", 65535, 65535, false},
		{"uint32", uint32(1) << 31, "", 1 << 31, 1 << 31, false},
		{"uint64 beyond int", uint64(1) << 63, "", 0, 9223372036854775808, false},
		{"float32", float32(0.1), "", 0, 0.1, false},
		{"float64 whole", float64(3), "", 3, 3, false},
		{"float64", 2.5, "", 0, 2.5, false},
		{"float64 beyond int", 1e20, "", 0, 1e20, false},
		{"json.Number", json.Number("12"), "", 12, 12, false},
		{"string", "홍길동", "홍길동", 0, 0, false},
		{"named string", role("admin"), "admin", 0, 0, false},
		{"invalid UTF-8", "a\xffb", "a\ufffdb", 0, 0, false},
		{"numeric string", "5", "5", 0, 0, false},
		{"bool", true, "", 0, 0, true},
		{"named bool", flag(true), "", 0, 0, true},
	}
	app, _ := newTestApp()
	app.Config.SecretKey = []byte("k")
	read := func(s *flasky.Session) string {
		return fmt.Sprintf("%q %d %v %v", s.String("v"), s.Int("v"), s.Float("v"), s.Bool("v"))
	}
	app.Route("/set/<int:i>", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("v", cases[c.ParamInt("i")].v)
		return c.String(read(s))
	})
	app.Route("/get", func(c *flasky.Ctx) error { return c.String(read(c.Session())) })
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := fmt.Sprintf("%q %d %v %v", tc.str, tc.i, tc.f, tc.b)
			client := app.TestClient(t)
			if got := client.Get("/set/" + strconv.Itoa(i)).Text(); got != want {
				t.Errorf("in the request that set it: %s, want %s", got, want)
			}
			if got := client.Get("/get").Text(); got != want {
				t.Errorf("in the next request: %s, want %s", got, want)
			}
		})
	}
}

// A permanent session is written again on every request that opens it
// (Flask's SESSION_REFRESH_EACH_REQUEST), so its lifetime counts from the
// last visit; not with the switch off, nor for a browser-session cookie.
func TestSessionRefreshEachRequest(t *testing.T) {
	cases := []struct {
		name     string
		remember string
		refresh  bool
		want     bool // a Set-Cookie on a request that only reads
	}{
		{"permanent", "1", true, true},
		{"permanent, refresh off", "1", false, false},
		{"browser session", "", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := sessionApp("k")
			app.Config.SessionRefreshEachRequest = tc.refresh
			client := app.TestClient(t)
			client.Post("/login", url.Values{"user": {"kim"}, "remember": {tc.remember}})
			res := client.Get("/user")
			sc := res.Header.Get("Set-Cookie")
			if res.Text() != "user=kim" || (sc != "") != tc.want {
				t.Fatalf("read-only request: %q, Set-Cookie %q; want one: %v", res.Text(), sc, tc.want)
			}
			if tc.want && !strings.Contains(sc, "Expires=") {
				t.Errorf("refreshed cookie %q has no expiry", sc)
			}
			if got := client.Get("/plain").Header.Get("Set-Cookie"); got != "" {
				t.Errorf("a request that never opened the session set %q", got)
			}
		})
	}
	if !flasky.New().Config.SessionRefreshEachRequest {
		t.Error("New: SessionRefreshEachRequest is off, Flask's default is on")
	}
}

func TestSessionCookieSettings(t *testing.T) {
	cases := []struct {
		name   string
		set    func(*flasky.Config)
		want   []string
		absent []string
	}{
		{"defaults", func(*flasky.Config) {}, []string{"Path=/;", "HttpOnly", "SameSite=Lax"}, []string{"Domain", "Partitioned", "Secure"}},
		{"domain", func(c *flasky.Config) { c.SessionCookieDomain = "example.com" }, []string{"Domain=example.com"}, nil},
		{"path", func(c *flasky.Config) { c.SessionCookiePath = "/app" }, []string{"Path=/app"}, nil},
		{"application root", func(c *flasky.Config) { c.ApplicationRoot = "/root" }, []string{"Path=/root"}, nil},
		{"path over application root", func(c *flasky.Config) { c.ApplicationRoot = "/root"; c.SessionCookiePath = "/" }, []string{"Path=/;"}, nil},
		{"partitioned", func(c *flasky.Config) { c.SessionCookiePartitioned = true; c.SessionCookieSecure = true }, []string{"Secure", "Partitioned"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := sessionApp("k")
			tc.set(&app.Config)
			sc := app.TestClient(t).Get("/count").Header.Get("Set-Cookie") + ";"
			for _, w := range tc.want {
				if !strings.Contains(sc, w) {
					t.Errorf("Set-Cookie %q lacks %q", sc, w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(sc, a) {
					t.Errorf("Set-Cookie %q has %q", sc, a)
				}
			}
		})
	}
}

// A cookie over the 4093 bytes browsers keep is sent with a warning, as
// Werkzeug warns past MAX_COOKIE_SIZE.
func TestSessionCookieSizeWarning(t *testing.T) {
	for _, n := range []int{100, 5000} {
		app, logs := newTestApp()
		app.Config.SecretKey = []byte("k")
		app.Route("/", func(c *flasky.Ctx) error {
			c.Session().Set("big", strings.Repeat("x", n))
			return c.String("ok")
		})
		res := app.TestClient(t).Get("/")
		warned := strings.Contains(logs.String(), "too large: ") && strings.Contains(logs.String(), "Config.MaxCookieSize (4093)")
		if res.Header.Get("Set-Cookie") == "" || warned != (n > 4093) {
			t.Errorf("%d bytes: Set-Cookie %d bytes, warned %v: %s", n, len(res.Header.Get("Set-Cookie")), warned, logs.String())
		}
	}
}

// Config.MaxCookieSize is where c.SetCookie warns too, and 0 turns the
// warning off.
func TestMaxCookieSize(t *testing.T) {
	if got := flasky.New().Config.MaxCookieSize; got != 4093 {
		t.Errorf("New: MaxCookieSize %d, want 4093", got)
	}
	for _, tt := range []struct {
		limit, n int
		warn     bool
	}{{4093, 5000, true}, {4093, 4000, false}, {100, 200, true}, {0, 5000, false}} {
		app, logs := newTestApp()
		app.Config.MaxCookieSize = tt.limit
		app.Route("/", func(c *flasky.Ctx) error {
			c.SetCookie(&http.Cookie{Name: "big", Value: strings.Repeat("x", tt.n)})
			return c.String("ok")
		})
		res := app.TestClient(t).Get("/")
		warned := strings.Contains(logs.String(), `big\" cookie is too large`)
		if res.Header.Get("Set-Cookie") == "" || warned != tt.warn {
			t.Errorf("MaxCookieSize %d, a %d-byte value: warned %v, want %v: %s", tt.limit, tt.n, warned, tt.warn, logs.String())
		}
	}
}

// Config.SessionCookieHTTPOnly is on by default (Flask's
// SESSION_COOKIE_HTTPONLY), and off leaves HttpOnly out.
func TestSessionCookieHTTPOnly(t *testing.T) {
	for _, on := range []bool{true, false} {
		app, _ := newTestApp()
		app.Config.SecretKey = []byte("k")
		if !app.Config.SessionCookieHTTPOnly {
			t.Fatal("New: SessionCookieHTTPOnly is off, Flask's default is on")
		}
		app.Config.SessionCookieHTTPOnly = on
		app.Route("/", func(c *flasky.Ctx) error {
			c.Session().Set("a", 1)
			return c.String("ok")
		})
		sc := app.TestClient(t).Get("/").Header.Get("Set-Cookie")
		if strings.Contains(sc, "HttpOnly") != on {
			t.Errorf("SessionCookieHTTPOnly %v: Set-Cookie %q", on, sc)
		}
	}
}

// The session's Vary: Cookie joins the Vary the handler set, in one
// header, as Werkzeug's does.
func TestSessionVaryJoined(t *testing.T) {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte("k")
	app.Route("/", func(c *flasky.Ctx) error {
		c.SetHeader("Vary", "Accept-Encoding")
		c.Session().Set("a", 1)
		return c.String("ok")
	})
	if got := app.TestClient(t).Get("/").Header.Values("Vary"); !slices.Equal(got, []string{"Accept-Encoding, Cookie"}) {
		t.Errorf("Vary %q, want one header \"Accept-Encoding, Cookie\"", got)
	}
}

// memStore is a server-side SessionInterface of the kind a Redis store
// is: the cookie holds an id, the values stay on the server.
type memStore struct {
	mu                 sync.Mutex
	data               map[string][]byte
	n                  int
	openErr, saveErr   error
	opens, saves, dels int
}

func newMemStore() *memStore { return &memStore{data: map[string][]byte{}} }

func (m *memStore) OpenSession(c *flasky.Ctx) (*flasky.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.opens++
	if m.openErr != nil {
		return nil, m.openErr
	}
	id := c.SessionCookie()
	if b, ok := m.data[id]; ok {
		return flasky.LoadSession(id, b)
	}
	return flasky.NewSession(), nil // an unknown id is never reused
}

func (m *memStore) SaveSession(c *flasky.Ctx, s *flasky.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saves++
	if m.saveErr != nil {
		return m.saveErr
	}
	if s.ID() != "" && (s.Empty() || s.Regenerated()) {
		delete(m.data, s.ID())
		m.dels++
	}
	if s.Empty() {
		c.SetSessionCookie("")
		return nil
	}
	id := s.ID()
	if id == "" || s.Regenerated() {
		m.n++
		id = "id" + strconv.Itoa(m.n)
	}
	b, err := s.Encode()
	if err != nil {
		return err
	}
	m.data[id] = b
	c.SetSessionCookie(id)
	return nil
}

func (m *memStore) ids() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []string
	for id := range m.data {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// storeApp is sessionApp with its sessions in store, and Flask's login:
// session.clear() then the user.
func storeApp(store flasky.SessionInterface) (*flasky.App, *syncBuffer) {
	app, logs := newTestApp()
	app.SessionInterface = store
	app.Route("/count", func(c *flasky.Ctx) error {
		s := c.Session()
		n := s.Int("visits") + 1
		s.Set("visits", n)
		return c.String(strconv.Itoa(n))
	})
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Clear()
		s.Set("user", c.Form.Get("user"))
		return c.String("user=" + s.String("user") + " visits=" + strconv.Itoa(s.Int("visits")))
	}, "POST")
	app.Route("/user", func(c *flasky.Ctx) error { return c.String("user=" + c.Session().String("user")) })
	app.Route("/logout", func(c *flasky.Ctx) error { c.Session().Clear(); return c.String("bye") })
	app.Route("/plain", text("no session here"))
	return app, logs
}

func TestSessionInterfaceServerSide(t *testing.T) {
	store := newMemStore()
	app, _ := storeApp(store)
	client := app.TestClient(t)
	steps := []struct {
		name   string
		do     func() *flasky.TestResponse
		body   string
		cookie string // the Set-Cookie value, "" for none, "-" for a deletion
		ids    string
	}{
		{"new session", func() *flasky.TestResponse { return client.Get("/count") }, "1", "id1", "id1"},
		{"same id", func() *flasky.TestResponse { return client.Get("/count") }, "2", "id1", "id1"},
		{"read only: nothing saved", func() *flasky.TestResponse { return client.Get("/user") }, "user=", "", "id1"},
		{"no session opened", func() *flasky.TestResponse { return client.Get("/plain") }, "no session here", "", "id1"},
		{"login: cleared and refilled, a new id", func() *flasky.TestResponse { return client.Post("/login", url.Values{"user": {"kim"}}) }, "user=kim visits=0", "id2", "id2"},
		{"the new id is used", func() *flasky.TestResponse { return client.Get("/user") }, "user=kim", "", "id2"},
		{"logout deletes it", func() *flasky.TestResponse { return client.Get("/logout") }, "bye", "-", ""},
		{"logged out", func() *flasky.TestResponse { return client.Get("/user") }, "user=", "", ""},
	}
	for _, st := range steps {
		res := st.do()
		ck := ""
		if sc := res.Header.Get("Set-Cookie"); sc != "" {
			c, err := http.ParseSetCookie(sc)
			if err != nil {
				t.Fatal(err)
			}
			ck = c.Value
			if c.MaxAge < 0 {
				ck = "-"
			}
		}
		if res.Text() != st.body || ck != st.cookie || store.ids() != st.ids {
			t.Errorf("%s: %q, cookie %q, store holds %q; want %q, %q, %q", st.name, res.Text(), ck, store.ids(), st.body, st.cookie, st.ids)
		}
	}
	// An id the store does not know is not taken from the client.
	rec := serve(app, "GET", "/count", nil, "Cookie", "session=chosen-by-attacker")
	if sc := rec.Header().Get("Set-Cookie"); !strings.HasPrefix(sc, "session=id") {
		t.Errorf("unknown id: Set-Cookie %q, want a new id from the store", sc)
	}
}

// A store that fails (Redis down) makes the request a 503 whose log line
// names the store, whether it fails to open or to save; a failed save
// replaces the handler's response.
func TestSessionInterfaceErrors(t *testing.T) {
	cases := []struct {
		name          string
		openErr, save error
		path          string
		code          int
		logs          []string
	}{
		{"open fails", errors.New("dial tcp: connection refused"), nil, "/count", 503, []string{"*flasky_test.memStore", "could not open", "connection refused"}},
		{"save fails", nil, errors.New("READONLY replica"), "/count", 503, []string{"*flasky_test.memStore", "could not save", "READONLY"}},
		{"a store's own HTTP error", flasky.Abortf(429, "slow down"), nil, "/count", 429, nil},
		{"no session opened", errors.New("down"), errors.New("down"), "/plain", 200, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := newMemStore()
			store.openErr, store.saveErr = tc.openErr, tc.save
			app, logs := storeApp(store)
			app.ErrorHandler(503, func(c *flasky.Ctx, e *flasky.HTTPError) error {
				return c.Status(503).String("sessions are down, try again soon")
			})
			rec := get(app, tc.path)
			if rec.Code != tc.code {
				t.Fatalf("status %d, want %d (%q)", rec.Code, tc.code, rec.Body.String())
			}
			if tc.code == 503 && rec.Body.String() != "sessions are down, try again soon" {
				t.Errorf("body %q: want the app's 503 page alone", rec.Body.String())
			}
			if tc.code != 200 && rec.Header().Get("Set-Cookie") != "" {
				t.Errorf("a failed request set %q", rec.Header().Get("Set-Cookie"))
			}
			for _, w := range tc.logs {
				if !strings.Contains(logs.String(), w) {
					t.Errorf("log lacks %q: %s", w, logs.String())
				}
			}
			if strings.Contains(logs.String(), "panic") {
				t.Errorf("a store error logged as a panic: %s", logs.String())
			}
		})
	}
}

// A failed save replaces responses of every kind: buffered for after
// hooks, JSON, streamed.
func TestSessionSaveFailureReplacesResponse(t *testing.T) {
	handlers := map[string]flasky.HandlerFunc{
		"string": func(c *flasky.Ctx) error { return c.String("secret page") },
		"json":   func(c *flasky.Ctx) error { return c.JSON(flasky.M{"page": "secret page"}) },
		"writer": func(c *flasky.Ctx) error {
			_, err := c.Writer.Write([]byte("secret page"))
			return err
		},
	}
	for name, h := range handlers {
		for _, hooks := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s after hooks %v", name, hooks), func(t *testing.T) {
				store := newMemStore()
				store.saveErr = errors.New("down")
				app, logs := newTestApp()
				app.SessionInterface = store
				if hooks {
					app.AfterRequest(func(c *flasky.Ctx, r *flasky.Response) error { return nil })
				}
				app.Route("/", func(c *flasky.Ctx) error {
					c.Session().Set("seen", true)
					return h(c)
				})
				rec := get(app, "/")
				if rec.Code != 503 || strings.Contains(rec.Body.String(), "secret page") {
					t.Errorf("%d %q, want the 503 page alone", rec.Code, rec.Body.String())
				}
				if n := strings.Count(logs.String(), "could not save"); n != 1 {
					t.Errorf("logged %d times: %s", n, logs.String())
				}
			})
		}
	}
}

// A store that fails when the session is first opened in an after hook
// or an error handler's page still answers 503, not a 500 with a panic.
func TestSessionInterfaceErrorInHooks(t *testing.T) {
	store := newMemStore()
	store.openErr = errors.New("down")
	app, logs := storeApp(store)
	app.AfterRequest(func(c *flasky.Ctx, r *flasky.Response) error {
		r.Header.Set("X-User", c.Session().String("user"))
		return nil
	})
	rec := get(app, "/plain")
	if rec.Code != 503 || strings.Contains(logs.String(), "panic") || !strings.Contains(logs.String(), "memStore") {
		t.Errorf("%d, log %s; want a 503 naming the store", rec.Code, logs.String())
	}
}
