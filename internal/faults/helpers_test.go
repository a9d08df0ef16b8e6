package faults_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// binDir holds the programs the tests build; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// serveApp serves app on a fresh 127.0.0.1 listener without access log
// until the test ends, and returns its base URL.
func serveApp(t *testing.T, app *flasky.App, opts ...flasky.RunOption) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, ln, append([]flasky.RunOption{flasky.NoAccessLog()}, opts...)...) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("Serve did not return within 15s of its cancel")
		}
	})
	return "http://" + ln.Addr().String()
}

// percentile returns the p-th percentile (0 < p <= 100) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// faultApp builds cmd/faultapp once per test run and returns its path.
// It skips the test when the go command is not on PATH.
func faultApp(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH: cannot build cmd/faultapp to run as a process")
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "flasky-faults-")
		if buildErr != nil {
			return
		}
		buildPath = filepath.Join(binDir, "faultapp")
		start := time.Now()
		out, err := exec.Command(goCmd, "build", "-o", buildPath, "./cmd/faultapp").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/faultapp: %w\n%s", err, out)
			return
		}
		t.Logf("built cmd/faultapp in %v", time.Since(start).Round(time.Millisecond))
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

// skipWithoutSIGTERM skips a test that stops faultapp with SIGTERM where
// a process cannot be sent one.
func skipWithoutSIGTERM(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("SIGTERM: Unix only, because Windows cannot send SIGTERM to a process")
	}
}

// proc is a running faultapp.
type proc struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT

	mu    sync.Mutex
	lines []string // the last lines of its standard error
	done  chan struct{}
	err   error // Wait's result, once done is closed
}

// startFaultApp starts faultapp with args on a free loopback port and
// waits until it listens. The test's end kills it if it still runs.
func startFaultApp(t *testing.T, args ...string) *proc {
	t.Helper()
	bin := faultApp(t)
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.SysProcAttr = childAttr()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, " * Running on "); ok {
				url, _, _ := strings.Cut(rest, "/ ")
				select {
				case ready <- url:
				default:
				}
			}
			p.mu.Lock()
			p.lines = append(p.lines, line)
			if len(p.lines) > 200 {
				p.lines = p.lines[len(p.lines)-100:]
			}
			p.mu.Unlock()
		}
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	select {
	case p.base = <-ready:
	case <-p.done:
		t.Fatalf("faultapp %q exited before listening: %v\n%s", args, p.err, p.stderr())
	case <-time.After(15 * time.Second):
		t.Fatalf("faultapp %q did not listen within 15s\n%s", args, p.stderr())
	}
	return p
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stderr returns the last lines the process wrote.
func (p *proc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// wait waits up to d for the process to exit and returns its error.
func (p *proc) wait(d time.Duration) (exited bool, err error) {
	select {
	case <-p.done:
		return true, p.err
	case <-time.After(d):
		return false, nil
	}
}

// counts reads the lines the process prints when it stops:
// " * handled N requests" and " * accepted N connections, M closed
// before a request". Each is -1 when missing.
func (p *proc) counts() (handled, accepted, unused int) {
	handled, accepted, unused = -1, -1, -1
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.lines {
		if _, err := fmt.Sscanf(l, " * handled %d requests", &handled); err == nil {
			continue
		}
		_, _ = fmt.Sscanf(l, " * accepted %d connections, %d closed before a request", &accepted, &unused)
	}
	return handled, accepted, unused
}

// getBody GETs url and returns the status and body.
func getBody(c *http.Client, url string) (int, string, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// notAccepted names the ways a request can fail without the server ever
// accepting its connection: "refused" once the listener is closed, and
// "closed" when the kernel had queued the connection and dropped it as
// the listener closed (the client reads EOF or a reset). It returns ""
// for any other error. Only the server can tell a dropped connection
// from one it accepted and closed unanswered: see proc.counts.
func notAccepted(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "closed"
	}
	return ""
}
