package redisstore_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
	"github.com/flasky-go/flasky/redisstore"
	"github.com/flasky-go/flasky/redisstore/redistest"
	"github.com/redis/go-redis/v9"
)

var secret = []byte("a test key, long and random enough for a test")

// counter counts what the client sends: each command or pipeline is one
// round trip to Redis. Not counted: HELLO, the handshake of a new pooled
// connection, and PUBLISH, which only the store's listener sends, in the
// background, to confirm another store's end of a session.
type counter struct {
	mu    sync.Mutex
	trips int
	cmds  []string
}

func uncounted(name string) bool { return name == "hello" || name == "publish" }

func (h *counter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !uncounted(cmd.Name()) {
			h.mu.Lock()
			h.trips++
			h.cmds = append(h.cmds, cmd.Name())
			h.mu.Unlock()
		}
		return next(ctx, cmd)
	}
}
func (h *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		names := make([]string, len(cmds))
		for i, c := range cmds {
			names[i] = c.Name()
		}
		h.mu.Lock()
		h.trips++
		h.cmds = append(h.cmds, "["+strings.Join(names, " ")+"]")
		h.mu.Unlock()
		return next(ctx, cmds)
	}
}

// take returns the round trips and commands since the last call.
func (h *counter) take() (int, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n, s := h.trips, strings.Join(h.cmds, " ")
	h.trips, h.cmds = 0, nil
	return n, s
}

// env is an app on a store on a real redis-server.
type env struct {
	srv   *redistest.Server
	store *redisstore.Store
	app   *flasky.App
	logs  *syncBuffer
	trips *counter
	rdb   *redis.Client // a separate client, to look at Redis
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newApp builds the sessions example's routes on store, as
// examples/sessions does, plus /plain, which never opens the session.
func newApp(store *redisstore.Store, logs io.Writer) *flasky.App {
	app := flasky.New()
	app.Config.SecretKey = secret
	app.Logger = slog.New(slog.NewTextHandler(logs, nil))
	app.SessionInterface = store
	app.Route("/plain", func(c *flasky.Ctx) error { return c.String("plain") })
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Clear()
		s.SetPermanent(true)
		s.Set("user", c.Form.Get("user"))
		return c.String("hello " + c.Form.Get("user"))
	}, "POST")
	// /login-keep logs in without clearing the session first.
	app.Route("/login-keep", func(c *flasky.Ctx) error {
		c.Session().Set("user", c.Form.Get("user"))
		return nil
	}, "POST")
	// /count reads and writes: one more visit, and who is visiting.
	app.Route("/count", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("n", s.Int("n")+1)
		return c.String(s.String("user"))
	})
	app.Route("/visit", func(c *flasky.Ctx) error {
		c.Session().Set("cart", c.Args.Get("cart"))
		return nil
	})
	app.Route("/whoami", func(c *flasky.Ctx) error {
		u := c.Session().String("user")
		if u == "" {
			return flasky.Abort(401)
		}
		return c.String(u)
	})
	app.Route("/logout", func(c *flasky.Ctx) error {
		c.Session().Clear()
		return c.String("bye")
	}, "POST")
	app.Route("/logout-all", func(c *flasky.Ctx) error {
		s := c.Session()
		user := s.String("user")
		if user == "" {
			return flasky.Abort(401)
		}
		n, err := store.EndUserSessions(c.Context(), user)
		if err != nil {
			return &flasky.HTTPError{Code: 503, Err: err}
		}
		s.Clear()
		return c.String(fmt.Sprint(n))
	}, "POST")
	return app
}

func newEnv(t *testing.T, o redisstore.Options) *env {
	srv := redistest.Start(t)
	o.Addr = srv.Addr
	if o.UserKey == "" {
		o.UserKey = "user"
	}
	e := &env{srv: srv, store: redisstore.New(o), logs: &syncBuffer{}, trips: &counter{}}
	t.Cleanup(func() { e.store.Close() })
	e.store.Client().AddHook(e.trips)
	e.app = newApp(e.store, e.logs)
	e.rdb = redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { e.rdb.Close() })
	// A change made before the listener subscribed is not kept in the
	// copy: start the tests with one that serves.
	waitServing(t, e.store)
	return e
}

// reply is one answer.
type reply struct {
	code   int
	body   string
	cookie *http.Cookie // the session cookie set, nil for none
}

// do sends a request with the given session cookie value ("" for none).
func do(app http.Handler, method, target, cookie string, form url.Values) reply {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: "session", Value: cookie})
	}
	w := httptest.NewRecorder()
	app.ServeHTTP(w, r)
	rep := reply{code: w.Code, body: w.Body.String()}
	for _, c := range w.Result().Cookies() {
		if c.Name == "session" {
			rep.cookie = c
		}
	}
	return rep
}

func login(t *testing.T, app http.Handler, cookie, user string) string {
	t.Helper()
	r := do(app, "POST", "/login", cookie, url.Values{"user": {user}})
	if r.code != 200 || r.cookie == nil || r.cookie.Value == "" {
		t.Fatalf("login %s: %d %q, cookie %v", user, r.code, r.body, r.cookie)
	}
	return r.cookie.Value
}

func whoami(app http.Handler, cookie string) string {
	r := do(app, "GET", "/whoami", cookie, nil)
	if r.code != 200 {
		return fmt.Sprint(r.code)
	}
	return r.body
}

func idOf(cookie string) string {
	id, _, _ := strings.Cut(cookie, ".")
	return id
}

func (e *env) exists(t *testing.T, key string) bool {
	t.Helper()
	n, err := e.rdb.Exists(context.Background(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// A login gives a new id, signed; the cookie holds nothing else, and the
// values are in Redis under the id.
func TestLoginGetsNewID(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	t.Logf("%s on %s", e.srv.Version, e.srv.Addr)
	first := login(t, e.app, "", "alice")
	id, sig, ok := strings.Cut(first, ".")
	if !ok || len(id) != 43 || len(sig) != 43 {
		t.Fatalf("cookie %q: want 43-character id and signature", first)
	}
	if strings.Contains(first, "alice") {
		t.Errorf("the cookie %q holds the user's name", first)
	}
	if !e.exists(t, "flasky:s:"+id) {
		t.Fatalf("no key flasky:s:%s in Redis", id)
	}
	if got := whoami(e.app, first); got != "alice" {
		t.Fatalf("whoami: %s", got)
	}
	// Logging in again, with the session's cookie, gives another id and
	// deletes the old one.
	second := login(t, e.app, first, "alice")
	if idOf(second) == id {
		t.Fatalf("login kept the id %s", id)
	}
	if e.exists(t, "flasky:s:"+id) {
		t.Errorf("the old session is still in Redis")
	}
	if got := whoami(e.app, first); got != "401" {
		t.Errorf("the old cookie after a new login: %s, want 401", got)
	}
	if got := whoami(e.app, second); got != "alice" {
		t.Errorf("the new cookie: %s", got)
	}
	members, _ := e.rdb.ZRange(context.Background(), "flasky:u:alice", 0, -1).Result()
	if len(members) != 1 || members[0] != idOf(second) {
		t.Errorf("alice's set holds %v, want only %s", members, idOf(second))
	}
}

// Session fixation: an attacker gets a valid session id of their own
// (any visit that writes the session) and plants it in the victim's
// browser. After the victim logs in, with or without the handler
// clearing the session first, the session has another id, and the
// planted cookie is worth nothing.
func TestSessionFixation(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	for _, route := range []string{"/login", "/login-keep"} {
		r := do(e.app, "GET", "/visit?cart=3", "", nil)
		if r.cookie == nil {
			t.Fatalf("/visit set no cookie")
		}
		planted := r.cookie.Value
		victim := do(e.app, "POST", route, planted, url.Values{"user": {"victim"}})
		if victim.code != 200 || victim.cookie == nil {
			t.Fatalf("%s: %d, cookie %v", route, victim.code, victim.cookie)
		}
		if idOf(victim.cookie.Value) == idOf(planted) {
			t.Errorf("%s kept the planted id", route)
		}
		if got := whoami(e.app, planted); got != "401" {
			t.Errorf("%s: the attacker's planted cookie is logged in as %s", route, got)
		}
		if got := whoami(e.app, victim.cookie.Value); got != "victim" {
			t.Errorf("%s: the victim's cookie: %s", route, got)
		}
		t.Logf("%s: planted id %s… replaced by %s…, planted cookie refused", route, idOf(planted)[:8], idOf(victim.cookie.Value)[:8])
	}
}

// A cookie not signed with the app's key is refused without asking
// Redis; one signed with a key in SecretKeyFallbacks is read, and
// signed again with the new key when written.
func TestForgedCookies(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	good := login(t, e.app, "", "alice")
	id, sig, _ := strings.Cut(good, ".")
	flipped := []byte(sig)
	flipped[3] ^= 1
	if flipped[3] == '.' {
		flipped[3] = 'A'
	}
	forged := map[string]string{
		"signature changed":     id + "." + string(flipped),
		"no signature":          id,
		"another id, same sig":  strings.Repeat("A", 43) + "." + sig,
		"signature of the salt": id + ".",
		"garbage":               "../../etc/passwd",
		"signed-cookie session": "eyJ1c2VyIjoiYWxpY2UifQ.AAAAAGkzYWU.c2ln",
	}
	e.trips.take()
	for name, c := range forged {
		if got := whoami(e.app, c); got != "401" {
			t.Errorf("%s: %s, want 401", name, got)
		}
	}
	if n, cmds := e.trips.take(); n != 0 {
		t.Errorf("forged cookies cost %d round trips to Redis (%s), want 0", n, cmds)
	}

	// Key rotation: the old key as a fallback still reads the session.
	rotated := newApp(e.store, e.logs)
	rotated.Config.SecretKey = []byte("the new key, long and random as well")
	rotated.Config.SecretKeyFallbacks = [][]byte{secret}
	r := do(rotated, "GET", "/whoami", good, nil)
	if r.code != 200 || r.body != "alice" {
		t.Fatalf("with the old key as a fallback: %d %q", r.code, r.body)
	}
	if r.cookie == nil || r.cookie.Value == good || idOf(r.cookie.Value) != id {
		t.Fatalf("the refreshed cookie %v: want the same id signed with the new key", r.cookie)
	}
	if got := whoami(rotated, r.cookie.Value); got != "alice" {
		t.Errorf("re-signed cookie: %s", got)
	}
	// Without the fallback the old cookie is refused.
	rotated.Config.SecretKeyFallbacks = nil
	if got := whoami(rotated, good); got != "401" {
		t.Errorf("old key without fallback: %s", got)
	}
}

// A logout deletes the session in Redis: a copy of the cookie taken
// before is refused afterwards, and the user's set forgets the id.
func TestLogoutDeletes(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	ck := login(t, e.app, "", "alice")
	other := login(t, e.app, "", "alice") // another browser
	copied := ck
	r := do(e.app, "POST", "/logout", ck, nil)
	if r.code != 200 || r.cookie == nil || r.cookie.MaxAge >= 0 {
		t.Fatalf("logout: %d, cookie %v: want the cookie deleted", r.code, r.cookie)
	}
	if e.exists(t, "flasky:s:"+idOf(ck)) {
		t.Errorf("the session is still in Redis after the logout")
	}
	if got := whoami(e.app, copied); got != "401" {
		t.Errorf("copied cookie after logout: %s, want 401", got)
	}
	if got := whoami(e.app, other); got != "alice" {
		t.Errorf("the other browser's session: %s, want alice", got)
	}
	members, _ := e.rdb.ZRange(context.Background(), "flasky:u:alice", 0, -1).Result()
	if len(members) != 1 || members[0] != idOf(other) {
		t.Errorf("alice's set: %v, want only the other browser's id", members)
	}
}

// EndUserSessions ends every session of one user, written by any
// instance; another user's session lives on.
func TestEndUserSessions(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	// A second instance: its own store and client on the same Redis.
	store2 := redisstore.New(redisstore.Options{Addr: e.srv.Addr, UserKey: "user"})
	defer store2.Close()
	app2 := newApp(store2, e.logs)

	alice := []string{login(t, e.app, "", "alice"), login(t, app2, "", "alice"), login(t, e.app, "", "alice")}
	bob := login(t, app2, "", "bob")
	for i, c := range alice {
		if whoami(app2, c) != "alice" || whoami(e.app, c) != "alice" {
			t.Fatalf("alice's session %d is not seen on both instances", i)
		}
	}
	r := do(app2, "POST", "/logout-all", alice[0], nil)
	if r.code != 200 || r.body != "3" {
		t.Fatalf("logout-all: %d %q, want 200 \"3\"", r.code, r.body)
	}
	for i, c := range alice {
		for name, app := range map[string]*flasky.App{"one": e.app, "two": app2} {
			if got := whoami(app, c); got != "401" {
				t.Errorf("alice's cookie %d on instance %s after logout-all: %s", i, name, got)
			}
		}
	}
	if whoami(e.app, bob) != "bob" || whoami(app2, bob) != "bob" {
		t.Errorf("bob's session did not survive alice's logout-all")
	}
	if e.exists(t, "flasky:u:alice") {
		t.Errorf("alice's set is still there")
	}
	if n, err := e.store.EndUserSessions(context.Background(), "nobody"); n != 0 || err != nil {
		t.Errorf("EndUserSessions(nobody): %d, %v", n, err)
	}
	noIndex := redisstore.New(redisstore.Options{Addr: e.srv.Addr})
	defer noIndex.Close()
	if _, err := noIndex.EndUserSessions(context.Background(), "bob"); err == nil || !strings.Contains(err.Error(), "UserKey") {
		t.Errorf("EndUserSessions without UserKey: %v", err)
	}
}

// A user's index keeps the ids of sessions that live: a write to it
// drops those that expired, and a refresh moves the entry's expiry with
// the session's.
func TestUserIndexDropsExpiredIDs(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	// A session from the local copy is read again, and refreshed, after
	// a 64th of its lifetime (50ms here).
	e.app.Config.SessionLifetime = 3200 * time.Millisecond
	ctx := context.Background()
	stale := time.Now().Add(-2 * time.Minute).UnixMilli()
	e.rdb.ZAdd(ctx, "flasky:u:alice", redis.Z{Score: float64(stale), Member: "expired-long-ago"})
	ck := login(t, e.app, "", "alice")
	members, _ := e.rdb.ZRangeWithScores(ctx, "flasky:u:alice", 0, -1).Result()
	if len(members) != 1 || members[0].Member != idOf(ck) {
		t.Fatalf("alice's index after a login: %v, want only the new id", members)
	}
	first := members[0].Score
	time.Sleep(60 * time.Millisecond)
	whoami(e.app, ck) // refreshes the permanent session
	if got := e.rdb.ZScore(ctx, "flasky:u:alice", idOf(ck)).Val(); got <= first {
		t.Errorf("the refresh did not move the entry's expiry: %v then %v", first, got)
	}
}

// The test client's Session (Flask's session_transaction) writes through
// the store like a request.
func TestTestClientSession(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	client := e.app.TestClient(t)
	client.Session(func(s *flasky.Session) {
		s.Set("user", "alice")
	})
	if res := client.Get("/whoami"); res.Code != 200 || res.Text() != "alice" {
		t.Errorf("whoami after client.Session: %d %q", res.Code, res.Text())
	}
	if n, err := e.store.EndUserSessions(context.Background(), "alice"); n != 1 || err != nil {
		t.Errorf("EndUserSessions: %d, %v", n, err)
	}
	if res := client.Get("/whoami"); res.Code != 401 {
		t.Errorf("whoami after the end: %d", res.Code)
	}
}

// A request whose session was ended while it ran does not bring it back
// when it saves.
func TestEndedSessionIsNotRevived(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	ck := login(t, e.app, "", "alice")
	e.app.Route("/slow-write", func(c *flasky.Ctx) error {
		s := c.Session() // opened: alice
		if _, err := e.store.EndUserSessions(c.Context(), "alice"); err != nil {
			return err
		}
		s.Set("cart", 5) // written after the end
		return nil
	})
	r := do(e.app, "GET", "/slow-write", ck, nil)
	if r.code != 200 || r.cookie == nil || r.cookie.MaxAge >= 0 {
		t.Errorf("%d, cookie %v: want 200 and the cookie deleted", r.code, r.cookie)
	}
	if e.exists(t, "flasky:s:"+idOf(ck)) {
		t.Errorf("the ended session is back in Redis")
	}
	if got := whoami(e.app, ck); got != "401" {
		t.Errorf("whoami: %s, want 401", got)
	}
}

// Keys expire with Config.SessionLifetime; a permanent session is kept
// alive by requests that read it (SessionRefreshEachRequest), its user's
// set too; a session that is not permanent is not.
func TestExpiry(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	e.app.Config.SessionLifetime = 1500 * time.Millisecond
	ctx := context.Background()

	idle := login(t, e.app, "", "idle")
	active := login(t, e.app, "", "active")
	shortVisit := do(e.app, "GET", "/visit?cart=1", "", nil).cookie.Value // not permanent
	if ttl := e.rdb.PTTL(ctx, "flasky:s:"+idOf(idle)).Val(); ttl <= 0 || ttl > 1500*time.Millisecond {
		t.Fatalf("TTL %v, want within the 1.5s lifetime", ttl)
	}
	for range 5 { // 2.5 s of activity
		time.Sleep(500 * time.Millisecond)
		if got := whoami(e.app, active); got != "active" {
			t.Fatalf("an active permanent session expired: %s", got)
		}
		do(e.app, "GET", "/whoami", shortVisit, nil)
	}
	if got := whoami(e.app, idle); got != "401" {
		t.Errorf("an idle session outlived its lifetime: %s", got)
	}
	if e.exists(t, "flasky:s:"+idOf(idle)) || e.exists(t, "flasky:u:idle") {
		t.Errorf("the idle session's keys are still in Redis")
	}
	if e.exists(t, "flasky:s:"+idOf(shortVisit)) {
		t.Errorf("a session that is not permanent was kept alive by reads")
	}
	if ttl := e.rdb.PTTL(ctx, "flasky:u:active").Val(); ttl < time.Second {
		t.Errorf("the active user's set has %v left: it must live as long as the session", ttl)
	}
	// Without refresh each request, a read does not push the expiry.
	e.app.Config.SessionRefreshEachRequest = false
	ck := login(t, e.app, "", "norefresh")
	time.Sleep(900 * time.Millisecond)
	whoami(e.app, ck)
	time.Sleep(900 * time.Millisecond)
	if got := whoami(e.app, ck); got != "401" {
		t.Errorf("without refresh, a read kept the session: %s", got)
	}
}

// Round trips to Redis per kind of request, counted on the client, with
// the local copy (the default) and without it.
func TestRoundTrips(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	_, uncopiedTrips, plain := e.instance(t, redisstore.Options{LocalSessions: -1})
	waitServing(t, e.store)
	// Load the scripts once: after a Redis start the first use of each
	// costs one more trip (EVALSHA answered NOSCRIPT, then EVAL).
	warm := login(t, plain, "", "warm")
	whoami(plain, warm)
	do(plain, "POST", "/logout-all", warm, nil)
	e.trips.take()
	uncopiedTrips.take()

	var ck string
	steps := []struct {
		name         string
		run          func(app http.Handler) reply
		trips, plain int // with the local copy, without
	}{
		{"GET /plain (never opens the session)", func(app http.Handler) reply { return do(app, "GET", "/plain", "", nil) }, 0, 0},
		{"GET /plain with a session cookie", func(app http.Handler) reply { return do(app, "GET", "/plain", ck, nil) }, 0, 0},
		{"GET /whoami without a cookie", func(app http.Handler) reply { return do(app, "GET", "/whoami", "", nil) }, 0, 0},
		{"POST /login without a cookie (writes)", func(app http.Handler) reply {
			r := do(app, "POST", "/login", "", url.Values{"user": {"alice"}})
			ck = r.cookie.Value
			return r
		}, 1, 1},
		{"GET /plain with a session cookie", func(app http.Handler) reply { return do(app, "GET", "/plain", ck, nil) }, 0, 0},
		{"GET /whoami (reads)", func(app http.Handler) reply { return do(app, "GET", "/whoami", ck, nil) }, 0, 1},
		{"GET /count (reads and writes)", func(app http.Handler) reply { return do(app, "GET", "/count", ck, nil) }, 1, 2},
		{"GET /count again (reads and writes)", func(app http.Handler) reply { return do(app, "GET", "/count", ck, nil) }, 1, 2},
		{"POST /login with a session (reads, writes a new id)", func(app http.Handler) reply {
			r := do(app, "POST", "/login", ck, url.Values{"user": {"alice"}})
			ck = r.cookie.Value
			return r
		}, 1, 2},
		{"POST /logout (reads, deletes)", func(app http.Handler) reply { return do(app, "POST", "/logout", ck, nil) }, 1, 2},
		{"GET /whoami with the logged-out cookie", func(app http.Handler) reply { return do(app, "GET", "/whoami", ck, nil) }, 0, 1},
		{"GET /whoami with a forged cookie", func(app http.Handler) reply { return do(app, "GET", "/whoami", "x.y", nil) }, 0, 0},
		{"POST /login again", func(app http.Handler) reply {
			r := do(app, "POST", "/login", "", url.Values{"user": {"alice"}})
			ck = r.cookie.Value
			return r
		}, 1, 1},
		{"POST /logout-all (reads, ends all, deletes)", func(app http.Handler) reply { return do(app, "POST", "/logout-all", ck, nil) }, 2, 3},
	}
	for _, run := range []struct {
		name    string
		app     http.Handler
		counter *counter
		want    func(i int) int
	}{
		{"local copy", e.app, e.trips, func(i int) int { return steps[i].trips }},
		{"LocalSessions -1", plain, uncopiedTrips, func(i int) int { return steps[i].plain }},
	} {
		t.Run(run.name, func(t *testing.T) {
			for i, st := range steps {
				if r := st.run(run.app); r.code >= 500 {
					t.Fatalf("%s: %d %s", st.name, r.code, r.body)
				}
				n, cmds := run.counter.take()
				t.Logf("%-52s %d round trips: %s", st.name, n, cmds)
				if n != run.want(i) {
					t.Errorf("%s: %d round trips (%s), want %d", st.name, n, cmds, run.want(i))
				}
			}
		})
	}

	// Redis's own count agrees: one script call for a request that reads
	// and writes.
	ck = login(t, e.app, "", "carol")
	before := commandCount(t, e, "evalsha")
	do(e.app, "GET", "/count", ck, nil)
	if d := commandCount(t, e, "evalsha") - before; d != 1 {
		t.Errorf("INFO commandstats counted %d EVALSHAs for one GET /count", d)
	}

	// Another instance learns a session from the changes another one
	// wrote: reading and writing it there is one round trip too.
	other, otherTrips, otherApp := e.instance(t, redisstore.Options{})
	waitServing(t, other)
	ck = login(t, e.app, "", "bob")
	if err := redisstore.SyncForTest(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	otherTrips.take()
	do(otherApp, "GET", "/count", ck, nil)
	if n, cmds := otherTrips.take(); n != 1 {
		t.Errorf("read and write on another instance: %d round trips (%s), want 1", n, cmds)
	}
	// An instance that started after the session was written reads it
	// once.
	cold, coldTrips, coldApp := e.instance(t, redisstore.Options{})
	waitServing(t, cold)
	for i, want := range []int{2, 1} {
		do(coldApp, "GET", "/count", ck, nil)
		n, cmds := coldTrips.take()
		t.Logf("%-52s %d round trips: %s", fmt.Sprintf("GET /count on an instance started later (%d)", i+1), n, cmds)
		if n != want {
			t.Errorf("read and write #%d on a cold instance: %d round trips (%s), want %d", i+1, n, cmds, want)
		}
	}
}

// instance starts another instance of the app on e's Redis, with its own
// store (made with o, UserKey "user") and round-trip counter.
func (e *env) instance(t *testing.T, o redisstore.Options) (*redisstore.Store, *counter, *flasky.App) {
	t.Helper()
	o.Addr, o.UserKey = e.srv.Addr, "user"
	st := redisstore.New(o)
	t.Cleanup(func() { st.Close() })
	trips := &counter{}
	st.Client().AddHook(trips)
	return st, trips, newApp(st, e.logs)
}

// waitServing waits until st's local copy serves (its listener has
// subscribed).
func waitServing(t *testing.T, st *redisstore.Store) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !redisstore.ServingForTest(st) {
		if time.Now().After(deadline) {
			t.Fatal("the store's listener did not subscribe within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// commandCount reads cmdstat_NAME's calls from INFO commandstats.
func commandCount(t *testing.T, e *env, name string) int {
	info, err := e.rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if rest, ok := strings.CutPrefix(line, "cmdstat_"+name+":calls="); ok {
			var n int
			fmt.Sscanf(rest, "%d", &n)
			return n
		}
	}
	return 0
}

// Redis down: requests that open the session get a 503 and a log line
// naming the store and the address, never a panic; other requests are
// served. Redis back (same port, its append-only file): the same store
// serves again, without a restart of the app, and the sessions written
// before are there.
func TestRedisDownAndBack(t *testing.T) {
	e := newEnv(t, redisstore.Options{Timeout: 500 * time.Millisecond})
	ck := login(t, e.app, "", "alice")
	waitServing(t, e.store)
	e.srv.Kill()
	// The local copy stops serving when its listener loses Redis: a
	// partitioned instance must not serve sessions others may have ended.
	killed := time.Now()
	for redisstore.ServingForTest(e.store) {
		if time.Since(killed) > 3*time.Second {
			t.Fatal("the local copy still serves 3s after Redis was killed")
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("the local copy stopped serving %v after Redis was killed", time.Since(killed).Round(time.Microsecond))

	start := time.Now()
	r := do(e.app, "GET", "/whoami", ck, nil)
	took := time.Since(start)
	if r.code != 503 {
		t.Fatalf("whoami with Redis down: %d %q, want 503", r.code, r.body)
	}
	if took > 2*time.Second {
		t.Errorf("the 503 took %v", took)
	}
	logs := e.logs.String()
	for _, want := range []string{"*redisstore.Store", "redisstore: redis at " + e.srv.Addr, "could not open the session", "status=503"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "panic") || strings.Contains(logs, "goroutine ") {
		t.Errorf("a panic or a stack in the log:\n%s", logs)
	}
	t.Logf("Redis down: 503 in %v; log: %s", took.Round(time.Millisecond), firstLine(logs, "redisstore"))
	if r := do(e.app, "POST", "/login", "", url.Values{"user": {"bob"}}); r.code != 503 || r.cookie != nil {
		t.Errorf("login with Redis down: %d, cookie %v: want 503 and no cookie", r.code, r.cookie)
	}
	if !strings.Contains(e.logs.String(), "could not save the session") {
		t.Errorf("no log line for the failed save")
	}
	for range 20 {
		if r := do(e.app, "GET", "/plain", ck, nil); r.code != 200 {
			t.Fatalf("/plain with Redis down: %d", r.code)
		}
	}
	if got := whoami(e.app, ""); got != "401" {
		t.Errorf("whoami without a cookie with Redis down: %s, want 401 (no Redis needed)", got)
	}

	if err := e.srv.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	var got string
	for {
		if got = whoami(e.app, ck); got != "503" || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got != "alice" {
		t.Fatalf("after Redis came back: %s, want alice (the session from before)", got)
	}
	if c := login(t, e.app, "", "bob"); whoami(e.app, c) != "bob" {
		t.Errorf("a login after Redis came back does not hold")
	}
	t.Logf("Redis back: the session from before the crash reads again, logins work (no app restart)")
}

// A Redis that does not answer (DEBUG SLEEP: a busy or stalled server)
// holds a request no longer than the store's Timeout. A session the local
// copy has is read from it meanwhile (nothing can change it while Redis
// is stalled), until the listener finds the connection silent past a
// ping: then reads wait for Redis too, and get their 503.
func TestSlowRedisIsBounded(t *testing.T) {
	const timeout = 300 * time.Millisecond
	e := newEnv(t, redisstore.Options{Timeout: timeout})
	ck := login(t, e.app, "", "alice")
	waitServing(t, e.store)
	slept := make(chan error, 1)
	go func() {
		_, err := e.srv.Do("DEBUG", "SLEEP", "3")
		slept <- err
	}()
	time.Sleep(100 * time.Millisecond) // the sleep has begun
	asleep := time.Now()
	if got := whoami(e.app, ck); got != "alice" {
		t.Errorf("whoami from the local copy while Redis sleeps: %s", got)
	}
	start := time.Now()
	r := do(e.app, "GET", "/visit?cart=2", ck, nil) // writes
	took := time.Since(start)
	if r.code != 503 {
		t.Fatalf("a write with Redis asleep: %d %q", r.code, r.body)
	}
	if took > timeout+400*time.Millisecond {
		t.Errorf("the 503 took %v, over the %v timeout", took, timeout)
	}
	if !strings.Contains(e.logs.String(), "no answer within 300ms") {
		t.Errorf("the log does not say the timeout:\n%s", e.logs.String())
	}
	if r := do(e.app, "GET", "/plain", ck, nil); r.code != 200 {
		t.Errorf("/plain while Redis sleeps: %d", r.code)
	}
	for redisstore.ServingForTest(e.store) {
		if time.Since(asleep) > 2*time.Second {
			t.Fatal("the local copy still serves 2s into Redis's sleep")
		}
		time.Sleep(5 * time.Millisecond)
	}
	stopped := time.Since(asleep)
	start = time.Now()
	if got := whoami(e.app, ck); got != "503" {
		t.Errorf("whoami once the copy stopped, Redis still asleep: %s, want 503", got)
	}
	readTook := time.Since(start)
	if err := <-slept; err != nil {
		t.Fatal(err)
	}
	if got := whoami(e.app, ck); got != "alice" {
		t.Errorf("after the sleep: %s", got)
	}
	t.Logf("Redis asleep for 3s: a write got its 503 after %v (timeout %v); the copy stopped serving %v into the sleep, a read then got its 503 after %v; %s",
		took.Round(time.Millisecond), timeout, stopped.Round(time.Millisecond), readTook.Round(time.Millisecond), firstLine(e.logs.String(), "redisstore"))
}

// A store behind a connection that stalls (a network that drops
// packets: connected, no answer) is bounded too.
func TestStalledConnectionIsBounded(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }() // reads, never answers
		}
	}()
	store := redisstore.New(redisstore.Options{Addr: ln.Addr().String(), Timeout: 200 * time.Millisecond})
	defer store.Close()
	logs := &syncBuffer{}
	app := newApp(store, logs)
	// A validly signed cookie, so that the store asks Redis.
	ck := strings.Repeat("A", 43)
	ck = signedLike(t, ck)
	start := time.Now()
	r := do(app, "GET", "/whoami", ck, nil)
	if took := time.Since(start); r.code != 503 || took > time.Second {
		t.Errorf("stalled Redis: %d after %v, want 503 within about 200ms", r.code, took)
	}
	if !strings.Contains(logs.String(), "no answer within 200ms") {
		t.Errorf("log: %s", logs.String())
	}
}

// signedLike returns a cookie for id signed with the test key, made the
// way a login makes it: through a store on a real server would need
// Redis, so it uses the exported test hook.
func signedLike(t *testing.T, id string) string {
	t.Helper()
	return redisstore.SignForTest(secret, id)
}

// Without a secret key the session is a 500 naming the setting (a
// configuration mistake), not a 503.
func TestNoSecretKey(t *testing.T) {
	store := redisstore.New(redisstore.Options{Addr: "127.0.0.1:1"})
	defer store.Close()
	logs := &syncBuffer{}
	app := newApp(store, logs)
	app.Config.SecretKey = nil
	r := do(app, "POST", "/login", "", url.Values{"user": {"a"}})
	if r.code != 500 || !strings.Contains(logs.String(), "Config.SecretKey is empty") {
		t.Errorf("%d; log %s", r.code, logs.String())
	}
}

func firstLine(logs, with string) string {
	for line := range strings.SplitSeq(logs, "\n") {
		if strings.Contains(line, with) {
			return line
		}
	}
	return ""
}

// Two instances, each with its local copy, on one Redis: a change made
// on one is read on the other without asking Redis; a session ended on
// one (logout, logout-all, a new login) is refused by the other as soon
// as the end returns, with no wait in between.
func TestLocalCopiesAgree(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	store2, trips2, app2 := e.instance(t, redisstore.Options{})
	for _, app := range []*flasky.App{e.app, app2} {
		app.Route("/cart", func(c *flasky.Ctx) error { return c.String(c.Session().String("cart")) })
	}
	waitServing(t, e.store)
	waitServing(t, store2)
	ctx := context.Background()

	ck := login(t, e.app, "", "alice")
	do(e.app, "GET", "/visit?cart=7", ck, nil)
	if err := redisstore.SyncForTest(ctx, store2); err != nil {
		t.Fatal(err)
	}
	trips2.take()
	if r := do(app2, "GET", "/cart", ck, nil); r.body != "7" {
		t.Errorf("the other instance reads cart %q, want 7", r.body)
	}
	if n, cmds := trips2.take(); n != 0 {
		t.Errorf("the other instance asked Redis (%s): the change should have reached its copy", cmds)
	}

	// Ends, each followed at once by requests on both instances; both
	// had the session in their copy.
	ends := []struct {
		name string
		end  func(ck string) // ends the session of cookie ck, on instance two
	}{
		{"logout", func(ck string) { do(app2, "POST", "/logout", ck, nil) }},
		{"logout-all", func(ck string) { do(app2, "POST", "/logout-all", ck, nil) }},
		{"a new login", func(ck string) { login(t, app2, ck, "alice") }},
		{"EndUserSessions", func(string) {
			if _, err := store2.EndUserSessions(ctx, "alice"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	const rounds = 100
	for _, end := range ends {
		t.Run(end.name, func(t *testing.T) {
			stale := 0
			for range rounds {
				ck := login(t, e.app, "", "alice")
				if whoami(e.app, ck) != "alice" || whoami(app2, ck) != "alice" {
					t.Fatal("the session is not seen on both instances")
				}
				end.end(ck)
				for _, app := range []*flasky.App{e.app, app2} {
					if whoami(app, ck) != "401" {
						stale++
					}
				}
			}
			if stale > 0 {
				t.Errorf("an ended session was served %d times in %d rounds", stale, rounds)
			}
		})
	}
}

// A key changed behind the stores' back (deleted by hand) is served from
// the local copy until Redis is asked again: a 64th of the lifetime at
// most (a minute at most).
func TestHandDeletedKey(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	e.app.Config.SessionLifetime = 6400 * time.Millisecond // re-read after 100ms
	ck := login(t, e.app, "", "alice")
	// Load the read script (its first use after a Redis start costs one
	// more trip) through an instance without a copy.
	_, _, uncopied := e.instance(t, redisstore.Options{LocalSessions: -1})
	whoami(uncopied, ck)
	if err := e.rdb.Del(context.Background(), "flasky:s:"+idOf(ck)).Err(); err != nil {
		t.Fatal(err)
	}
	e.trips.take()
	if got := whoami(e.app, ck); got != "alice" {
		t.Errorf("right after the hand delete: %s (the copy has not been told)", got)
	}
	if n, cmds := e.trips.take(); n != 0 {
		t.Errorf("a read from the copy made %d round trips (%s)", n, cmds)
	}
	time.Sleep(120 * time.Millisecond)
	r := do(e.app, "GET", "/whoami", ck, nil)
	if r.code != 200 || r.cookie == nil || r.cookie.MaxAge >= 0 {
		t.Errorf("the request that re-reads: %d, cookie %v: want served and the cookie deleted", r.code, r.cookie)
	}
	if n, cmds := e.trips.take(); n != 1 {
		t.Errorf("the re-read made %d round trips (%s), want 1", n, cmds)
	}
	if got := whoami(e.app, ck); got != "401" {
		t.Errorf("after the re-read: %s, want 401", got)
	}
}

// With Redis ACLs, a user with the prefix's keys and channels and the
// commands the package doc lists runs the store; one without the
// channels gets a 503 whose log line says so and names the rule, and its
// copy never serves.
func TestACLUser(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	ctx := context.Background()
	for _, tc := range []struct {
		rules []string
		works bool
	}{
		{[]string{"~flasky:*", "&flasky:*", "+@read", "+@write", "+@scripting", "+@pubsub", "+ping"}, true},
		{[]string{"~flasky:*", "+@read", "+@write", "+@scripting", "+@pubsub", "+ping"}, false},
	} {
		t.Run(strings.Join(tc.rules, " "), func(t *testing.T) {
			args := []any{"ACL", "SETUSER", "app", "reset", "on", ">a password"}
			for _, r := range tc.rules {
				args = append(args, r)
			}
			if err := e.rdb.Do(ctx, args...).Err(); err != nil {
				t.Fatal(err)
			}
			client := redis.NewClient(&redis.Options{Addr: e.srv.Addr, Username: "app", Password: "a password", ContextTimeoutEnabled: true})
			defer client.Close()
			st := redisstore.New(redisstore.Options{Client: client, UserKey: "user"})
			defer st.Close()
			logs := &syncBuffer{}
			app := newApp(st, logs)
			if tc.works {
				waitServing(t, st)
				ck := login(t, app, "", "alice")
				if got := whoami(app, ck); got != "alice" {
					t.Errorf("whoami: %s", got)
				}
				if r := do(app, "POST", "/logout-all", ck, nil); r.code != 200 {
					t.Errorf("logout-all: %d %s", r.code, r.body)
				}
				return
			}
			r := do(app, "POST", "/login", "", url.Values{"user": {"alice"}})
			if r.code != 503 || !strings.Contains(logs.String(), "can't publish to the channel") || !strings.Contains(logs.String(), "needs ~flasky:* &flasky:*") {
				t.Errorf("login without the channels: %d; log: %s", r.code, logs.String())
			}
			if redisstore.ServingForTest(st) {
				t.Errorf("the copy serves without its channel")
			}
			t.Logf("without the channels: 503; %s", firstLine(logs.String(), "redisstore"))
		})
	}
}

// Channels are the Redis server's, keys a database's: apps on two
// databases of one server, with the same prefix, keep apart.
func TestDatabasesKeepApart(t *testing.T) {
	e := newEnv(t, redisstore.Options{})
	db3 := redis.NewClient(&redis.Options{Addr: e.srv.Addr, DB: 3, ContextTimeoutEnabled: true})
	defer db3.Close()
	other := redisstore.New(redisstore.Options{Client: db3, UserKey: "user"})
	defer other.Close()
	waitServing(t, other)
	otherApp := newApp(other, e.logs)
	ck := login(t, e.app, "", "alice")
	ck3 := login(t, otherApp, "", "alice")
	if whoami(otherApp, ck3) != "alice" || whoami(e.app, ck) != "alice" {
		t.Fatal("a login on either database is not seen there")
	}
	if got := whoami(otherApp, ck); got != "401" {
		t.Errorf("database 0's session read by the app on database 3: %s", got)
	}
	// Logging out everywhere on database 0 leaves database 3's alice.
	if r := do(e.app, "POST", "/logout-all", ck, nil); r.code != 200 || r.body != "1" {
		t.Errorf("logout-all on database 0: %d %q, want 1 session", r.code, r.body)
	}
	if got := whoami(otherApp, ck3); got != "alice" {
		t.Errorf("database 3's session after database 0's logout-all: %s", got)
	}
}

// A subscriber to the changes channel that is not a store never
// confirms an end: the end waits for it no longer than Options.Timeout,
// and the logout still succeeds.
func TestEndWaitsAtMostTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	e := newEnv(t, redisstore.Options{Timeout: timeout})
	ck := login(t, e.app, "", "alice")
	start := time.Now()
	do(e.app, "POST", "/logout", login(t, e.app, "", "bob"), nil)
	alone := time.Since(start)

	ctx := context.Background()
	stranger := e.rdb.Subscribe(ctx, "flasky:changes") // redis-cli SUBSCRIBE flasky:changes
	defer stranger.Close()
	if _, err := stranger.Receive(ctx); err != nil { // subscribed
		t.Fatal(err)
	}
	start = time.Now()
	r := do(e.app, "POST", "/logout", ck, nil)
	took := time.Since(start)
	if r.code != 200 || whoami(e.app, ck) != "401" {
		t.Errorf("logout with a silent subscriber: %d, then whoami %s", r.code, whoami(e.app, ck))
	}
	if took < timeout-50*time.Millisecond || took > timeout+500*time.Millisecond {
		t.Errorf("the logout took %v with a subscriber that never confirms, want about the %v timeout", took, timeout)
	}
	t.Logf("logout: %v with only stores listening, %v with a silent subscriber (timeout %v)", alone.Round(time.Microsecond), took.Round(time.Millisecond), timeout)
}
