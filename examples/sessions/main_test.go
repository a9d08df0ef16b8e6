package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flasky-go/flasky/redisstore/redistest"
)

// instance is one process of the example, as a user runs it.
type instance struct {
	addr string
	cmd  *exec.Cmd
	mu   sync.Mutex
	log  strings.Builder
	done chan struct{}
}

func (in *instance) logs() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.log.String()
}

// buildExample builds this example once per test run.
func buildExample(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH: the example cannot be built")
	}
	bin := filepath.Join(t.TempDir(), "sessions")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// start runs the example with args on a free loopback port and waits
// until it serves; it is stopped (SIGKILL by its pid) when the test ends.
func start(t *testing.T, bin, secret string, args ...string) *instance {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	in := &instance{addr: addr, done: make(chan struct{})}
	in.cmd = exec.Command(bin, append([]string{"-addr", addr}, args...)...)
	in.cmd.Env = append(os.Environ(), "FLASKY_SECRET_KEY="+secret)
	stderr, err := in.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		once := sync.Once{}
		for sc.Scan() {
			in.mu.Lock()
			in.log.WriteString(sc.Text() + "\n")
			in.mu.Unlock()
			if strings.HasPrefix(sc.Text(), " * Running on ") {
				once.Do(func() { close(ready) })
			}
		}
		_ = in.cmd.Wait()
		close(in.done)
	}()
	t.Cleanup(func() {
		_ = in.cmd.Process.Kill()
		<-in.done
	})
	select {
	case <-ready:
	case <-in.done:
		t.Fatalf("the example exited at start:\n%s", in.logs())
	case <-time.After(10 * time.Second):
		t.Fatalf("the example did not serve within 10s:\n%s", in.logs())
	}
	return in
}

// browser is one client with its own cookie.
type browser struct {
	t      *testing.T
	cookie string // the session cookie's value
}

var client = &http.Client{Timeout: 10 * time.Second}

// send sends a request to in and keeps the session cookie it sets.
func (b *browser) send(in *instance, method, path string, form url.Values) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, "http://"+in.addr+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "session", Value: b.cookie})
	}
	resp, err := client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == "session" {
			b.cookie = c.Value
			if c.MaxAge < 0 {
				b.cookie = ""
			}
		}
	}
	return resp.StatusCode, strings.TrimSpace(string(data))
}

func (b *browser) whoami(in *instance) string {
	b.t.Helper()
	code, body := b.send(in, "GET", "/whoami", nil)
	if code != 200 {
		return http.StatusText(code)
	}
	return body
}

func (b *browser) login(in *instance, user string) {
	b.t.Helper()
	if code, body := b.send(in, "POST", "/login", url.Values{"user": {user}}); code != 200 {
		b.t.Fatalf("login %s on %s: %d %q", user, in.addr, code, body)
	}
}

const testSecret = "the same secret key in every instance, for the test"

// The "Checked by", as a new user would try it: two instances of
// the example sharing one redis-server.
func TestTwoInstancesShareRedis(t *testing.T) {
	srv := redistest.Start(t)
	bin := buildExample(t)
	a := start(t, bin, testSecret, "-redis", srv.Addr, "-timeout", "500ms")
	b := start(t, bin, testSecret, "-redis", srv.Addr, "-timeout", "500ms")
	t.Logf("%s on %s; instances a %s, b %s", srv.Version, srv.Addr, a.addr, b.addr)

	// A login on one is seen on the other.
	alice := &browser{t: t}
	alice.login(a, "alice")
	if got := alice.whoami(b); got != "alice" {
		t.Fatalf("login on a, whoami on b: %s", got)
	}
	t.Logf("login on a is seen on b")

	// A login gets a new session id.
	before := alice.cookie
	alice.login(b, "alice")
	if idOf(before) == idOf(alice.cookie) {
		t.Fatalf("a second login kept the session id")
	}
	if got := (&browser{t: t, cookie: before}).whoami(a); got != "Unauthorized" {
		t.Errorf("the cookie from before the new login: %s, want Unauthorized", got)
	}
	t.Logf("a login gets a new id (%s… then %s…); the old cookie is refused", idOf(before)[:8], idOf(alice.cookie)[:8])

	// After /logout-all, every copy of the user's cookies is refused on
	// both instances, while another user's session lives on.
	phone := &browser{t: t}
	phone.login(b, "alice")
	copied := &browser{t: t, cookie: alice.cookie} // a copy of the cookie
	bob := &browser{t: t}
	bob.login(a, "bob")
	code, body := alice.send(a, "POST", "/logout-all", nil)
	if code != 200 || !strings.Contains(body, "ended 2 sessions of alice") {
		t.Fatalf("logout-all: %d %q", code, body)
	}
	for _, in := range []*instance{a, b} {
		for name, br := range map[string]*browser{"phone": phone, "copied cookie": copied} {
			if got := br.whoami(in); got != "Unauthorized" {
				t.Errorf("alice's %s after logout-all on %s: %s", name, in.addr, got)
			}
		}
		if got := bob.whoami(in); got != "bob" {
			t.Errorf("bob after alice's logout-all, on %s: %s", in.addr, got)
		}
	}
	t.Logf("logout-all: %q; alice's other browser and a copied cookie get 401 on both instances, bob still 200", body)

	// A logout ends the session for a copied cookie too.
	bob2 := &browser{t: t, cookie: bob.cookie}
	if code, _ := bob.send(b, "POST", "/logout", nil); code != 200 {
		t.Fatalf("logout: %d", code)
	}
	if got := bob2.whoami(a); got != "Unauthorized" {
		t.Errorf("a copy of bob's cookie after his logout: %s", got)
	}

	// Redis stopped: 503 for the session, and the instances keep
	// answering the rest; the log names the store. An instance serves a
	// session from its local copy until its listener has seen the
	// connection drop (nothing can change a session meanwhile): when the
	// read reports the close (µs to a tenth of a second), at the latest
	// when its ping after a second of silence goes unanswered for the
	// store's timeout (1s).
	carol := &browser{t: t}
	carol.login(a, "carol")
	srv.Kill()
	killed := time.Now()
	for _, in := range []*instance{a, b} {
		var got string
		fromCopy := 0
		for {
			if got = carol.whoami(in); got != "carol" || time.Since(killed) > 4*time.Second {
				break
			}
			fromCopy++
			time.Sleep(time.Millisecond)
		}
		if got != "Service Unavailable" {
			t.Errorf("whoami on %s with Redis stopped: %s, want Service Unavailable within 4s", in.addr, got)
		}
		t.Logf("whoami on %s with Redis stopped: 503 (%d answered from the local copy before)", in.addr, fromCopy)
		if code, _ := (&browser{t: t}).send(in, "POST", "/login", url.Values{"user": {"dave"}}); code != 503 {
			t.Errorf("login on %s with Redis stopped: %d, want 503", in.addr, code)
		}
		if code, _ := (&browser{t: t}).send(in, "GET", "/", nil); code != 200 {
			t.Errorf("GET / on %s with Redis stopped: %d, want 200", in.addr, code)
		}
	}
	waitFor(t, func() bool {
		return strings.Contains(a.logs(), "*redisstore.Store could not open the session: redisstore: redis at "+srv.Addr)
	}, "a's log names the store")
	t.Logf("Redis stopped: 503 on both, GET / still 200; a's log: %s", lineWith(a.logs(), "could not open"))

	// Redis started again: logins work, and carol's session (written
	// before Redis stopped, kept in its append-only file) is back.
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return carol.whoami(b) == "carol" }, "carol's session after Redis restarted")
	dave := &browser{t: t}
	dave.login(b, "dave")
	if got := dave.whoami(a); got != "dave" {
		t.Errorf("a login after Redis restarted: %s", got)
	}
	t.Logf("Redis started again: carol's session from before is back, dave's login on b is seen on a")
}

// Without -redis the example keeps sessions in signed cookies; logging
// out everywhere needs the server side.
func TestCookieSessions(t *testing.T) {
	bin := buildExample(t)
	in := start(t, bin, testSecret)
	if !strings.Contains(in.logs(), "signed cookies") {
		t.Errorf("the start does not say where sessions are:\n%s", in.logs())
	}
	br := &browser{t: t}
	br.login(in, "alice")
	if got := br.whoami(in); got != "alice" {
		t.Fatalf("whoami: %s", got)
	}
	if code, body := br.send(in, "POST", "/logout-all", nil); code != 501 || !strings.Contains(body, "-redis") {
		t.Errorf("logout-all with cookie sessions: %d %q, want 501 naming -redis", code, body)
	}
	if code, _ := br.send(in, "POST", "/logout", nil); code != 200 || br.whoami(in) != "Unauthorized" {
		t.Errorf("logout: %d, then %s", code, br.whoami(in))
	}
	if code, _ := br.send(in, "POST", "/login", url.Values{}); code != 400 {
		t.Errorf("login without user: %d, want 400", code)
	}
}

func idOf(cookie string) string {
	id, _, _ := strings.Cut(cookie, ".")
	return id
}

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: not within 5s", what)
		}
	}
}

func lineWith(logs, s string) string {
	for line := range strings.SplitSeq(logs, "\n") {
		if strings.Contains(line, s) {
			return line
		}
	}
	return ""
}
