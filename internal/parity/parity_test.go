// Package parity checks that the slide examples under examples/ answer
// exactly like the same programs written in Flask (testdata/*.py), the way
// a new user would compare them: the same requests to both servers, and the
// same status, body and Allow methods back. TestRulesParity
// (rules_test.go) does the same for route tables of real Flask apps:
// matching, redirects, 405s and url_for.
//
// The tests need python3 with Flask; without it, they skip.
package parity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	overallTimeout = 60 * time.Second // the whole test, builds included
	buildTimeout   = 45 * time.Second // one `go build`
	readyTimeout   = 15 * time.Second // until a server accepts connections
	requestTimeout = 5 * time.Second  // one HTTP exchange
	stopTimeout    = 5 * time.Second  // wait for a killed child to be reaped
)

// parityCase is one request sent to both servers.
type parityCase struct {
	name        string
	method      string
	path        string // path and query, sent as written (already percent-encoded)
	form        url.Values
	skipBody    bool // a known difference: the bodies are not compared
	contentType bool // also compare Content-Type (only where both should agree)
	length      bool // also compare Content-Length (HEAD)
	textOnly    bool // compare the page's visible text, not its markup
}

// Known differences that are never compared, for every case:
//   - Server and Date headers (Werkzeug/x.y Python/x.y vs none; the clock).
//   - Content-Type of plain-text answers: flasky's c.String sends
//     text/plain; charset=utf-8 where Flask sends a returned str as
//     text/html; charset=utf-8 (README, "Differences a Flask user should
//     know"). Cases answered by c.String leave contentType false.
var apps = []struct {
	example string // directory under examples/
	script  string // file under testdata/
	cases   []parityCase
}{
	{
		example: "hello",
		script:  "hello.py",
		cases: []parityCase{
			// Content-Type not compared: c.String is text/plain, Flask's str is text/html.
			{name: "GET /", method: "GET", path: "/"},
			// Werkzeug's 404 page on both sides.
			{name: "GET /nope", method: "GET", path: "/nope", contentType: true},
			// 405 with Allow (compared as a set: Flask's order varies).
			{name: "POST /", method: "POST", path: "/", contentType: true},
			// HEAD: same status and Content-Length, no body. Content-Type not
			// compared (text/plain vs text/html, as for GET /).
			{name: "HEAD /", method: "HEAD", path: "/", length: true},
		},
	},
	{
		example: "routes",
		script:  "routes.py",
		cases: []parityCase{
			// Known difference: the index page is different HTML on each side.
			{name: "GET / (status only)", method: "GET", path: "/", skipBody: true},
			// Content-Type not compared for c.String answers (text/plain vs text/html).
			{name: "GET /s1", method: "GET", path: "/s1"},
			{name: "GET /s2", method: "GET", path: "/s2"},
			{name: "GET /s3", method: "GET", path: "/s3"},
			{name: "GET /s5/abc", method: "GET", path: "/s5/abc"},
			{name: "GET /s5/홍길동", method: "GET", path: "/s5/" + url.PathEscape("홍길동")},
			{name: "GET /s5/a%20b", method: "GET", path: "/s5/a%20b"},
			// An empty <name> does not match: 404.
			{name: "GET /s5/", method: "GET", path: "/s5/", contentType: true},
			{name: "GET /s4", method: "GET", path: "/s4", contentType: true},
			{name: "POST /s1", method: "POST", path: "/s1", contentType: true},
			// Automatic OPTIONS: 200 and the Allow set. Content-Type not
			// compared: the empty answer is text/html in Flask.
			{name: "OPTIONS /s1", method: "OPTIONS", path: "/s1"},
		},
	},
	{
		example: "form",
		script:  "form.py",
		cases: []parityCase{
			// Known difference: the form page is different HTML on each side.
			{name: "GET / (status only)", method: "GET", path: "/", skipBody: true},
			// Both sides answer with c.HTML / a str: text/html on both, compared.
			{name: "GET /formget ascii", method: "GET", path: "/formget?name=kim&email=k%40x.com", contentType: true},
			{name: "GET /formget korean", method: "GET",
				path:        "/formget?" + url.Values{"name": {"홍길동"}, "email": {"길동@예제.한국"}}.Encode(),
				contentType: true},
			// Both escape the value (html.EscapeString / markupsafe.escape).
			{name: "GET /formget script", method: "GET", path: "/formget?name=%3Cscript%3Ealert(%27x%27)%3C/script%3E&email=a%26b%22c", contentType: true},
			{name: "GET /formget script raw", method: "GET", path: "/formget?name=<script>", contentType: true},
			{name: "POST /form ascii", method: "POST", path: "/form",
				form: url.Values{"name": {"kim"}, "email": {"k@x.com"}}, contentType: true},
			{name: "POST /form korean", method: "POST", path: "/form",
				form: url.Values{"name": {"홍길동"}, "email": {"길동@예제.한국"}}, contentType: true},
			{name: "GET /form", method: "GET", path: "/form", contentType: true},
		},
	},
	{
		example: "template",
		script:  "template.py",
		cases: []parityCase{
			// Same text content; the Go page is a whole HTML5 document.
			{name: "GET /", method: "GET", path: "/", contentType: true, textOnly: true},
			{name: "GET /s2", method: "GET", path: "/s2", contentType: true, textOnly: true},
			{name: "GET /nope", method: "GET", path: "/nope", contentType: true},
		},
	},
}

func TestParity(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), overallTimeout)
	t.Cleanup(cancel)

	if out, err := exec.CommandContext(ctx, "python3", "-c", "import flask").CombinedOutput(); err != nil {
		t.Skipf("parity with Flask not checked: `python3 -c 'import flask'` failed (%v): %s", err, bytes.TrimSpace(out))
	}

	root := repoRoot(t)
	binDir := t.TempDir()
	client := &http.Client{
		Timeout: requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Transport: &http.Transport{
			Proxy:              nil, // loopback only, never through a proxy
			DisableCompression: true,
		},
	}
	t.Cleanup(client.CloseIdleConnections)

	for _, a := range apps {
		t.Run(a.example, func(t *testing.T) {
			bin := build(ctx, t, root, binDir, a.example)
			goPort, pyPort := freePort(t), freePort(t)
			goSrv := start(ctx, t, "go "+a.example, bin, "-addr", "127.0.0.1:"+strconv.Itoa(goPort))
			pySrv := start(ctx, t, "flask "+a.script, "python3", filepath.Join(root, "internal", "parity", "testdata", a.script), strconv.Itoa(pyPort))
			goSrv.waitReady(ctx, t, goPort)
			pySrv.waitReady(ctx, t, pyPort)
			goBase := "http://127.0.0.1:" + strconv.Itoa(goPort)
			pyBase := "http://127.0.0.1:" + strconv.Itoa(pyPort)

			for _, tc := range a.cases {
				t.Run(tc.name, func(t *testing.T) {
					g, err := do(ctx, client, goBase, tc)
					if err != nil {
						t.Fatalf("go %s: %v\nserver output:\n%s", a.example, err, goSrv.output())
					}
					p, err := do(ctx, client, pyBase, tc)
					if err != nil {
						t.Fatalf("flask %s: %v\nserver output:\n%s", a.script, err, pySrv.output())
					}
					t.Logf("flasky: %v", g)
					t.Logf("Flask:  %v", p)
					compare(t, tc, g, p)
				})
			}
		})
	}
}

// answer is what is compared of one response.
type answer struct {
	status      int
	body        []byte
	allow       []string // sorted, upper case
	rawAllow    string
	contentType string
	length      string
}

func (a answer) String() string {
	return fmt.Sprintf("status %d, Allow %q, Content-Type %q, Content-Length %q, body %q",
		a.status, a.rawAllow, a.contentType, a.length, a.body)
}

func do(ctx context.Context, client *http.Client, base string, tc parityCase) (answer, error) {
	var body io.Reader
	if tc.form != nil {
		body = strings.NewReader(tc.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, tc.method, base+tc.path, body)
	if err != nil {
		return answer{}, err
	}
	if tc.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, fmt.Errorf("read body: %w", err)
	}
	return answer{
		status:      resp.StatusCode,
		body:        b,
		allow:       methodSet(resp.Header.Values("Allow")),
		rawAllow:    strings.Join(resp.Header.Values("Allow"), ", "),
		contentType: resp.Header.Get("Content-Type"),
		length:      resp.Header.Get("Content-Length"),
	}, nil
}

// methodSet turns Allow header values into a sorted set of methods.
func methodSet(values []string) []string {
	var set []string
	for _, v := range values {
		for _, m := range strings.Split(v, ",") {
			if m = strings.ToUpper(strings.TrimSpace(m)); m != "" && !slices.Contains(set, m) {
				set = append(set, m)
			}
		}
	}
	slices.Sort(set)
	return set
}

func compare(t *testing.T, tc parityCase, g, p answer) {
	t.Helper()
	var diffs []string
	if g.status != p.status {
		diffs = append(diffs, "status")
	}
	if tc.textOnly {
		if visibleText(g.body) != visibleText(p.body) {
			diffs = append(diffs, "text content")
		}
	} else if !tc.skipBody && !bytes.Equal(g.body, p.body) {
		diffs = append(diffs, "body")
	}
	if !slices.Equal(g.allow, p.allow) {
		diffs = append(diffs, "Allow")
	}
	if tc.contentType && g.contentType != p.contentType {
		diffs = append(diffs, "Content-Type")
	}
	if tc.length && g.length != p.length {
		diffs = append(diffs, "Content-Length")
	}
	if tc.method == http.MethodHead && (len(g.body) != 0 || len(p.body) != 0) {
		diffs = append(diffs, "HEAD body not empty")
	}
	if len(diffs) > 0 {
		t.Errorf("%s %s: flasky and Flask differ in %s\n  flasky: %v\n  Flask:  %v",
			tc.method, tc.path, strings.Join(diffs, ", "), g, p)
	}
}

// visibleText is what a browser shows of a page: the text outside tags,
// with runs of white space as one space, minus the <title> (the Go
// example's page is a whole HTML5 document, the slide's a fragment).
func visibleText(b []byte) string {
	s := regexp.MustCompile(`(?s)<title>.*?</title>`).ReplaceAllString(string(b), "")
	s = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// build compiles examples/<name> into dir and returns the binary's path.
func build(ctx context.Context, t *testing.T, root, dir, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	bin := filepath.Join(dir, name)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./examples/"+name)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/%s: %v\n%s", name, err, out)
	}
	return bin
}

// freePort asks the kernel for a free port on 127.0.0.1. The port is free
// again when it returns; the server binds it right after.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// server is a child process serving HTTP.
type server struct {
	name string
	out  *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // Wait's result, valid after done
}

// start runs the command and registers its kill (by PID) with t.Cleanup.
func start(ctx context.Context, t *testing.T, name, prog string, args ...string) *server {
	t.Helper()
	s := &server{name: name, out: new(syncBuffer), done: make(chan struct{})}
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Stdout = s.out
	cmd.Stderr = s.out
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // this child's PID only
		select {
		case <-s.done:
		case <-time.After(stopTimeout):
			t.Errorf("%s (pid %d) did not exit after kill", name, cmd.Process.Pid)
		}
	})
	return s
}

// waitReady waits until the server accepts TCP connections on port.
func (s *server) waitReady(ctx context.Context, t *testing.T, port int) {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(readyTimeout)
	for {
		select {
		case <-s.done:
			t.Fatalf("%s exited before accepting connections on %s: %v\noutput:\n%s", s.name, addr, s.err, s.output())
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("%s not accepting connections on %s after %v: %v\noutput:\n%s",
				s.name, addr, readyTimeout, errors.Join(err, ctx.Err()), s.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) output() string { return s.out.String() }

// syncBuffer is a bytes.Buffer safe for the process's writer goroutines
// and the test reading it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
