package flasky_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// sessionApp counts visits in the session and lets tests set and clear it.
func sessionApp(key string) *flasky.App {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte(key)
	app.Route("/count", func(c *flasky.Ctx) error {
		s, err := c.Session()
		if err != nil {
			return err
		}
		n := s.Int("visits") + 1
		if err := s.Set("visits", n); err != nil {
			return err
		}
		return c.String(strconv.Itoa(n))
	})
	app.Route("/user", func(c *flasky.Ctx) error {
		s, err := c.Session()
		if err != nil {
			return err
		}
		return c.String("user=" + s.String("user"))
	})
	app.Route("/login", func(c *flasky.Ctx) error {
		s, err := c.Session()
		if err != nil {
			return err
		}
		if err := s.Set("user", c.Form.Get("user")); err != nil {
			return err
		}
		s.SetPermanent(c.Form.Get("remember") == "1")
		return c.Redirect("/user")
	}, "POST")
	app.Route("/logout", func(c *flasky.Ctx) error {
		s, err := c.Session()
		if err != nil {
			return err
		}
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

func TestSessionWithoutSecretKeyIsAnError(t *testing.T) {
	app, logs := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error {
		_, err := c.Session()
		return err
	})
	rec := get(app, "/")
	if rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if !strings.Contains(logs.String(), "SecretKey") {
		t.Errorf("log does not name Config.SecretKey: %s", logs.String())
	}
}

func TestSessionSetRefusesValuesJSONCannotHold(t *testing.T) {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte("k")
	app.Route("/", func(c *flasky.Ctx) error {
		s, err := c.Session()
		if err != nil {
			return err
		}
		if err := s.Set("ch", make(chan int)); err == nil || !strings.Contains(err.Error(), `"ch"`) {
			t.Errorf("Set(chan) error = %v, want one naming the key", err)
		}
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
