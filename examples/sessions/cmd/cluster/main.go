// Command cluster checks that sessions in Redis survive what a cluster
// goes through: two instances of examples/sessions behind Debian's nginx
// with one redis-server, under mixed load (logins, whoami, logouts, log
// out everywhere), while one instance is restarted, then Redis is killed
// and started again, then the other instance is restarted.
//
//	cd examples/sessions && go run ./cmd/cluster -duration 60s
//
// It builds the example, starts redis-server (appendonly, appendfsync
// always, in a temporary folder) on a free loopback port, two instances
// with -redis and the same FLASKY_SECRET_KEY, and nginx
// as the current user with the site configuration given by -conf (by
// default examples/sessions/nginx.conf). Each client is one user with
// two browsers; every answer is checked: a login is seen by whoami
// through either instance, a logged-out or replaced cookie is refused,
// after log out everywhere both browsers are refused, GET / is always
// 200. A change (logout, login over a session, logout-all) answered 503
// when Redis died may or may not have been applied by Redis before it
// died: the client forgets that cookie and, once Redis answers, asks
// which it was before it changes that user's sessions again.
//
// It prints what it did, then: the requests; the failures, which must be
// 0 (a 503 from a session route while Redis is down is not a failure,
// and is counted apart, with those that came after Redis answered
// again); the sessions written before Redis was killed that the clients
// had not ended, every one of which must still be valid after Redis came
// back; and how the unanswered changes turned out. It exits 1 when any of this fails, 0 with "skipped"
// when nginx or redis-server is not installed (unless CI=true, where a
// missing redis-server fails). It stops only the processes it started
// (on Linux the kernel also stops them if it is killed).
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/flasky-go/flasky/internal/cluster"
	"github.com/flasky-go/flasky/redisstore/redistest"
)

func main() {
	duration := flag.Duration("duration", 60*time.Second, "how long the load runs")
	clients := flag.Int("clients", 6, "concurrent clients, one user each")
	kept := flag.Int("kept", 100, "sessions logged in before the load and only read during it")
	down := flag.Duration("redis-down", 3*time.Second, "how long Redis stays down")
	conf := flag.String("conf", "", "nginx site configuration (default: nginx.conf of examples/sessions)")
	appBin := flag.String("app", "", "examples/sessions binary (default: go build it)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, config{*duration, *clients, *kept, *down, *conf, *appBin})
	if err != nil {
		fmt.Fprintln(os.Stderr, "sessions cluster:", err)
	}
	os.Exit(code)
}

type config struct {
	duration time.Duration
	clients  int
	kept     int
	down     time.Duration
	conf     string
	appBin   string
}

// say prints one line of the report.
func say(format string, args ...any) {
	fmt.Printf("sessions cluster: "+format+"\n", args...)
}

func run(ctx context.Context, cfg config) (int, error) {
	if runtime.GOOS == "windows" {
		say("Unix only (instances are restarted with SIGTERM): skipped")
		return 0, nil
	}
	nginxBin, err := cluster.NginxBinary()
	if err != nil {
		say("%v: skipped", err)
		return 0, nil
	}
	redisBin, err := redistest.Binary()
	if err != nil {
		if os.Getenv("CI") == "true" {
			return 1, err
		}
		say("%v: skipped", err)
		return 0, nil
	}
	if cfg.conf == "" {
		cfg.conf, err = findConf()
		if err != nil {
			return 1, err
		}
	}
	site, err := os.ReadFile(cfg.conf)
	if err != nil {
		return 1, err
	}
	dir, err := os.MkdirTemp("", "flasky-sessions-cluster-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)

	if cfg.appBin == "" {
		cfg.appBin = filepath.Join(dir, "sessions")
		out, err := exec.Command("go", "build", "-o", cfg.appBin, "github.com/flasky-go/flasky/examples/sessions").CombinedOutput()
		if err != nil {
			return 1, fmt.Errorf("go build examples/sessions: %w\n%s", err, out)
		}
	}
	redisDir := filepath.Join(dir, "redis")
	if err := os.Mkdir(redisDir, 0o755); err != nil {
		return 1, err
	}
	rds, err := redistest.New(redisBin, redisDir)
	if err != nil {
		return 1, err
	}
	defer rds.Kill()

	ports, err := cluster.FreePorts(3)
	if err != nil {
		return 1, err
	}
	front := "127.0.0.1:" + ports[0]
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	secret := base64.StdEncoding.EncodeToString(key)
	var insts []*cluster.Instance
	for i, name := range []string{"a", "b"} {
		addr := "127.0.0.1:" + ports[i+1]
		insts = append(insts, &cluster.Instance{Name: name, Addr: addr, Env: []string{"FLASKY_SECRET_KEY=" + secret},
			Args: []string{cfg.appBin, "-addr", addr, "-redis", rds.Addr, "-timeout", "500ms", "-name", name}})
	}
	defer func() {
		for _, in := range insts {
			in.Stop(5 * time.Second)
		}
	}()
	for _, in := range insts {
		if err := in.Start(); err != nil {
			return 1, err
		}
	}
	ng, err := cluster.StartNginx(cluster.Config{
		Bin: nginxBin, Dir: dir, Site: string(site), Front: front,
		Addrs: map[string]string{"127.0.0.1:8080": front, "127.0.0.1:8081": insts[0].Addr, "127.0.0.1:8082": insts[1].Addr},
	})
	if err != nil {
		return 1, err
	}
	defer ng.Stop()
	say("%s on %s in front of a (%s) and b (%s), %s on %s (appendonly, fsync always); site configuration %s",
		ng.Version, front, insts[0].Addr, insts[1].Addr, strings.Fields(rds.Version)[2], rds.Addr, cfg.conf)

	lc := &load{front: "http://" + front, sessions: map[string]*session{}}
	kept, err := lc.keep(ctx, cfg.kept)
	if err != nil {
		return 1, err
	}
	loadCtx, endLoad := context.WithTimeout(ctx, cfg.duration)
	defer endLoad()
	var wg sync.WaitGroup
	for i := range cfg.clients {
		wg.Go(func() { lc.client(loadCtx, i) })
	}
	wg.Go(func() { lc.reader(loadCtx, kept) })
	wg.Go(func() { lc.prober(loadCtx) })
	say("%v of load from %d clients (one user and two browsers each: logins, whoami, GET /, logouts, logins over a session, logout-all), one that reads %d sessions logged in before, one that sends GET /", cfg.duration, cfg.clients, len(kept))

	// The faults, at a quarter, half and three quarters of the run.
	var faultErr error
	steps := []struct {
		at time.Duration
		do func() error
	}{
		{cfg.duration / 4, func() error { return restartInstance(insts[0]) }},
		{cfg.duration / 2, func() error { return lc.restartRedis(rds, cfg.down) }},
		{cfg.duration * 3 / 4, func() error { return restartInstance(insts[1]) }},
	}
	begin := time.Now()
	for _, st := range steps {
		select {
		case <-loadCtx.Done():
		case <-time.After(time.Until(begin.Add(st.at))):
		}
		if loadCtx.Err() != nil {
			break
		}
		if err := st.do(); err != nil {
			faultErr = err
			endLoad()
			break
		}
	}
	<-loadCtx.Done()
	wg.Wait()
	if ctx.Err() != nil {
		return 1, errors.New("interrupted")
	}
	if faultErr != nil {
		return 1, faultErr
	}

	// Every session written before Redis was killed and not ended by its
	// client must still be valid.
	before, valid, lost := lc.checkSurvivors()
	lc.mu.Lock()
	left := lc.unknowns
	lc.mu.Unlock()
	for _, ck := range lc.settle(left) {
		lc.fail("the session of an unanswered change still answers 503 after the load: " + ck[:8])
	}

	ok := true
	say("%d requests (%d logins, %d whoami, %d GET /, %d logouts, %d logout-all); answered by a %d, b %d",
		lc.total.Load(), lc.kinds[kLogin].Load(), lc.kinds[kWhoami].Load(), lc.kinds[kHome].Load(),
		lc.kinds[kLogout].Load(), lc.kinds[kLogoutAll].Load(), byInstance["a"].Load(), byInstance["b"].Load())
	say("%d failed; while Redis was down %d session requests were answered 503 (%d of them after it answered PING again, the last %v after) and %d GET / were answered 200",
		lc.failed.Load(), lc.down503.Load(), lc.late503.Load(), time.Duration(lc.lateMax.Load()).Round(time.Millisecond), lc.homeWhileDown.Load())
	say("%d sessions written before Redis was killed and not ended by their clients: %d still valid after it came back, %d lost", before, valid, len(lost))
	say("%d sessions whose logout, login over them or logout-all got no 200 (a 503 while Redis was down: the change may have been applied before Redis died): %d ended, %d still valid",
		lc.applied.Load()+lc.notApplied.Load(), lc.applied.Load(), lc.notApplied.Load())
	attempts, posts := ng.FailedAttempts()
	say("nginx logged %d attempts that an instance could not answer (its restarts), %d of them POSTs; nginx sends those to the other instance", attempts, posts)
	for i, f := range lc.failures {
		if i == 10 {
			say("... %d more failures", len(lc.failures)-10)
			break
		}
		say("failed: %s", f)
	}
	for i, l := range lost {
		if i == 10 {
			say("... %d more lost", len(lost)-10)
			break
		}
		say("lost: %s", l)
	}
	if lc.failed.Load() > 0 || len(lost) > 0 || before == 0 || byInstance["a"].Load() == 0 || byInstance["b"].Load() == 0 || lc.down503.Load() == 0 || lc.homeWhileDown.Load() == 0 {
		ok = false
	}
	if !ok {
		say("FAIL (nginx error log: %s)", ng.ErrorTail())
		return 1, nil
	}
	say("PASS: no request failed but the 503s while Redis was down, and no session written before it went down was lost")
	return 0, nil
}

// findConf finds nginx.conf beside the example: from the example's
// folder (go run ./cmd/cluster) or the repository's root.
func findConf() (string, error) {
	for _, p := range []string{"nginx.conf", "examples/sessions/nginx.conf", "../../nginx.conf"} {
		if _, err := os.Stat(p); err == nil {
			return filepath.Abs(p)
		}
	}
	return "", errors.New("no nginx.conf of examples/sessions here: run from examples/sessions or give -conf")
}

// restartInstance stops an instance with SIGTERM and starts it again.
func restartInstance(in *cluster.Instance) error {
	took, err := in.Restart(10 * time.Second)
	if err != nil {
		return err
	}
	say("restart %s: SIGTERM, exited in %v, listening again", in.Name, took.Round(time.Millisecond))
	return nil
}

// restartRedis kills Redis (SIGKILL to its pid, as a crash), waits, and
// starts it again on the same port and folder.
func (lc *load) restartRedis(rds *redistest.Server, down time.Duration) error {
	pid := rds.PID()
	lc.mu.Lock()
	lc.killedAt = time.Now()
	lc.mu.Unlock()
	rds.Kill()
	say("Redis killed (SIGKILL to pid %d); down for %v", pid, down)
	time.Sleep(down)
	if err := rds.Restart(); err != nil {
		return err
	}
	lc.mu.Lock()
	lc.upAt = time.Now()
	lc.mu.Unlock()
	say("Redis started again on %s (pid %d) with its append-only file, answering PING after %v down",
		rds.Addr, rds.PID(), lc.upAt.Sub(lc.killedAt).Round(time.Millisecond))
	return nil
}

// Kinds of request.
const (
	kLogin = iota
	kWhoami
	kHome
	kLogout
	kLogoutAll
	kinds
)

// load is the clients' shared record.
type load struct {
	front string

	total, failed, down503, late503, lateMax atomic.Int64
	homeWhileDown                            atomic.Int64 // GET / answered 200 while Redis was down
	applied, notApplied                      atomic.Int64 // unanswered changes, settled
	kinds                                    [kinds]atomic.Int64

	mu       sync.Mutex
	failures []string
	killedAt time.Time // when Redis was killed; zero before
	upAt     time.Time // when it answered again
	sessions map[string]*session
	unknowns []string // cookies of changes left without an answer
}

// session is one login's cookie, as the clients know it.
type session struct {
	user    string
	written time.Time // when the login that wrote it was answered
	ended   bool      // the client logged it out, replaced it or ended its user's sessions
}

var byInstance = map[string]*atomic.Int64{"a": {}, "b": {}}

// answer is what a request got.
type answer struct {
	code     int
	body     string
	cookie   string // a session cookie set ("" none)
	deleted  bool   // the session cookie was deleted
	instance string
	err      error
	start    time.Time
}

var httpClient = &http.Client{
	Transport: &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second},
	Timeout:   15 * time.Second,
}

func (lc *load) send(ctx context.Context, kind int, method, path, cookie string, form url.Values) answer {
	a := answer{start: time.Now()}
	lc.total.Add(1)
	lc.kinds[kind].Add(1)
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), method, lc.front+path, body)
	if err != nil {
		a.err = err
		return a
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "session", Value: cookie})
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		a.err = err
		return a
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	a.code, a.body, a.err = resp.StatusCode, strings.TrimSpace(string(b)), err
	a.instance = resp.Header.Get("X-Instance")
	if n := byInstance[a.instance]; n != nil {
		n.Add(1)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "session" {
			if c.MaxAge < 0 {
				a.deleted = true
			} else {
				a.cookie = c.Value
			}
		}
	}
	return a
}

// check records the answer: as expected, a 503 of a session route while
// Redis was down, or a failure. It reports whether it was as expected.
func (lc *load) check(what string, a answer, wantCode int, wantBody string, session bool) bool {
	if a.err == nil && a.code == wantCode && (wantBody == "" || a.body == wantBody) {
		return true
	}
	if a.err == nil && a.code == 503 && session {
		lc.mu.Lock()
		killed, up := lc.killedAt, lc.upAt
		lc.mu.Unlock()
		end := time.Now()
		if !killed.IsZero() && end.After(killed) {
			// Redis was down during the request, or had just come back.
			lc.down503.Add(1)
			if !up.IsZero() && a.start.After(up) {
				lc.late503.Add(1)
				if lag := int64(a.start.Sub(up)); lag > lc.lateMax.Load() {
					lc.lateMax.Store(lag)
				}
				if a.start.Sub(up) > recoveryLimit {
					lc.fail(fmt.Sprintf("%s: 503 %v after Redis answered again (limit %v)", what, a.start.Sub(up).Round(time.Millisecond), recoveryLimit))
				}
			}
			return false
		}
	}
	got := fmt.Sprintf("%d %.80q (instance %s)", a.code, a.body, a.instance)
	if a.err != nil {
		got = a.err.Error()
	}
	want := fmt.Sprint(wantCode)
	if wantBody != "" {
		want += " " + wantBody
	}
	lc.fail(fmt.Sprintf("%s: got %s, want %s", what, got, want))
	return false
}

// downDuring reports whether Redis was down during a request that began
// at start and just ended.
func (lc *load) downDuring(start time.Time) bool {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return !lc.killedAt.IsZero() && time.Now().After(lc.killedAt) && (lc.upAt.IsZero() || start.Before(lc.upAt))
}

// recoveryLimit is how long after Redis answers again a 503 is still
// forgiven: the Redis client probes a server that refused it about once
// a second before it dials again.
const recoveryLimit = 2 * time.Second

func (lc *load) fail(msg string) {
	lc.failed.Add(1)
	lc.mu.Lock()
	lc.failures = append(lc.failures, time.Now().Format("15:04:05.000")+" "+msg)
	lc.mu.Unlock()
}

// register notes a session a login wrote, and marks ended the one the
// login replaced.
func (lc *load) register(cookie, user, replaced string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.sessions[cookie] = &session{user: user, written: time.Now()}
	if s := lc.sessions[replaced]; s != nil {
		s.ended = true
	}
}

// unknown notes the sessions of changes (logout, login over a session,
// logout-all) that did not get their 200 and that a client had not
// settled when the load ended: Redis may have applied the change before
// it died with the answer unsent, or not. They are settled at the end.
func (lc *load) unknown(cookies ...string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for _, c := range cookies {
		if c != "" {
			lc.unknowns = append(lc.unknowns, c)
		}
	}
}

// settle asks for each session of an unanswered change whether the
// change was applied (401: the session ended) or not (200), and returns
// those it could not tell (a 503: Redis down again).
func (lc *load) settle(cks []string) []string {
	var left []string
	for _, ck := range cks {
		if ck == "" {
			continue
		}
		a := lc.send(context.Background(), kWhoami, "GET", "/whoami", ck, nil)
		switch {
		case a.err == nil && a.code == 401:
			lc.applied.Add(1)
		case a.err == nil && a.code == 200:
			lc.notApplied.Add(1)
		case a.err == nil && a.code == 503:
			left = append(left, ck)
		default:
			lc.fail(fmt.Sprintf("the session of an unanswered change answers %d %.60q %v", a.code, a.body, a.err))
		}
	}
	return left
}

// redisAnswering reports whether Redis was never killed or has come back.
func (lc *load) redisAnswering() bool {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.killedAt.IsZero() || !lc.upAt.IsZero()
}

// end marks sessions ended by their client, before the request that ends
// them is sent: the server may end them even if the answer is lost.
func (lc *load) end(cookies ...string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for _, c := range cookies {
		if s := lc.sessions[c]; s != nil {
			s.ended = true
		}
	}
}

// client is one user with two browsers, until ctx ends.
func (lc *load) client(ctx context.Context, i int) {
	user := fmt.Sprintf("user%d", i)
	var browsers [2]string // session cookies
	rnd := uint64(i)*0x9E3779B97F4A7C15 + 1
	next := func(n uint64) uint64 { // xorshift: the same sequence each run
		rnd ^= rnd << 13
		rnd ^= rnd >> 7
		rnd ^= rnd << 17
		return rnd % n
	}
	// pending holds the cookies of changes that got no 200: settled (was
	// the change applied?) once Redis answers, before this client, the
	// only one that changes this user's sessions, changes them again.
	var pending []string
	defer func() { lc.unknown(pending...) }()
	for step := 0; ctx.Err() == nil; step++ {
		if len(pending) > 0 && lc.redisAnswering() {
			pending = lc.settle(pending)
		}
		b := int(next(2))
		ck := browsers[b]
		if ck == "" {
			a := lc.send(ctx, kLogin, "POST", "/login", "", url.Values{"user": {user}})
			if lc.check(user+" login", a, 200, "logged in as "+user, true) {
				if a.cookie == "" {
					lc.fail(user + " login: no cookie")
					continue
				}
				browsers[b] = a.cookie
				lc.register(a.cookie, user, "")
			}
			continue
		}
		switch r := next(100); {
		case r < 65:
			a := lc.send(ctx, kWhoami, "GET", "/whoami", ck, nil)
			lc.check(user+" whoami", a, 200, user, true)
		case r < 80:
			a := lc.send(ctx, kHome, "GET", "/", ck, nil)
			if lc.check(user+" GET /", a, 200, "", false) {
				if !strings.HasPrefix(a.body, "flasky sessions example") {
					lc.fail(user + " GET /: body " + a.body)
				} else if lc.downDuring(a.start) {
					lc.homeWhileDown.Add(1)
				}
			}
		case r < 88:
			// Logout, then the old cookie must be refused.
			lc.end(ck)
			a := lc.send(ctx, kLogout, "POST", "/logout", ck, nil)
			browsers[b] = ""
			if lc.check(user+" logout", a, 200, "logged out", true) {
				w := lc.send(ctx, kWhoami, "GET", "/whoami", ck, nil)
				lc.check(user+" whoami after logout", w, 401, "", true)
			} else {
				pending = append(pending, ck)
			}
		case r < 96:
			// A login over the session: a new id, the old cookie refused.
			lc.end(ck)
			a := lc.send(ctx, kLogin, "POST", "/login", ck, url.Values{"user": {user}})
			if !lc.check(user+" login again", a, 200, "logged in as "+user, true) {
				browsers[b] = ""
				pending = append(pending, ck)
			} else {
				if a.cookie == "" || a.cookie == ck {
					lc.fail(user + " login again: the session id was not renewed")
					continue
				}
				browsers[b] = a.cookie
				lc.register(a.cookie, user, ck)
				w := lc.send(ctx, kWhoami, "GET", "/whoami", ck, nil)
				lc.check(user+" whoami with the replaced cookie", w, 401, "", true)
			}
		default:
			// Log out everywhere: both browsers refused after.
			other := browsers[1-b]
			lc.end(ck, other)
			a := lc.send(ctx, kLogoutAll, "POST", "/logout-all", ck, nil)
			browsers = [2]string{}
			if !lc.check(user+" logout-all", a, 200, "", true) {
				pending = append(pending, ck, other)
			} else {
				if !strings.HasPrefix(a.body, "ended ") {
					lc.fail(user + " logout-all: " + a.body)
				}
				for _, c := range []string{ck, other} {
					if c != "" {
						w := lc.send(ctx, kWhoami, "GET", "/whoami", c, nil)
						lc.check(user+" whoami after logout-all", w, 401, "", true)
					}
				}
			}
		}
	}
}

// keep logs n users in before the load; their sessions are only read.
func (lc *load) keep(ctx context.Context, n int) ([]string, error) {
	var cks []string
	for i := range n {
		user := fmt.Sprintf("kept%d", i)
		a := lc.send(ctx, kLogin, "POST", "/login", "", url.Values{"user": {user}})
		if a.err != nil || a.code != 200 || a.cookie == "" {
			return nil, fmt.Errorf("login %s before the load: %d %q %v", user, a.code, a.body, a.err)
		}
		lc.register(a.cookie, user, "")
		cks = append(cks, a.cookie)
	}
	return cks, nil
}

// prober sends GET /, a route that never opens the session, so it must
// be served while Redis is down too, until ctx ends.
func (lc *load) prober(ctx context.Context) {
	for ctx.Err() == nil {
		h := lc.send(ctx, kHome, "GET", "/", "", nil)
		if lc.check("prober GET /", h, 200, "", false) && lc.downDuring(h.start) {
			lc.homeWhileDown.Add(1)
		}
	}
}

// reader reads the kept sessions, one after another, until ctx ends.
func (lc *load) reader(ctx context.Context, cks []string) {
	for i := 0; ctx.Err() == nil && len(cks) > 0; i++ {
		ck := cks[i%len(cks)]
		lc.mu.Lock()
		user := lc.sessions[ck].user
		lc.mu.Unlock()
		a := lc.send(ctx, kWhoami, "GET", "/whoami", ck, nil)
		lc.check(user+" whoami", a, 200, user, true)
	}
}

// checkSurvivors asks, through nginx, for every session written before
// Redis was killed that its client did not end.
func (lc *load) checkSurvivors() (before, valid int, lost []string) {
	lc.mu.Lock()
	killed := lc.killedAt
	var cks []string
	for ck, s := range lc.sessions {
		if !s.ended && !killed.IsZero() && s.written.Before(killed) {
			cks = append(cks, ck)
		}
	}
	lc.mu.Unlock()
	sort.Strings(cks)
	for _, ck := range cks {
		s := lc.sessions[ck]
		a := lc.send(context.Background(), kWhoami, "GET", "/whoami", ck, nil)
		if a.err == nil && a.code == 200 && a.body == s.user {
			valid++
			continue
		}
		lost = append(lost, fmt.Sprintf("%s's session written %s: %d %q %v", s.user, s.written.Format("15:04:05.000"), a.code, a.body, a.err))
	}
	return len(cks), valid, lost
}
