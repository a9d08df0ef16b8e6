//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// newUserModule lays out what a new user has: this example's main.go in
// a module of its own that requires flasky. flasky is a snapshot of this
// repository (its non-test Go files), so edits other people make to the
// repository meanwhile neither rebuild it nor break the test; go.sum is
// the repository's, so nothing is downloaded.
func newUserModule(t *testing.T) (appDir string) {
	t.Helper()
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	lib := filepath.Join(tmp, "flasky")
	copyModule(t, repo, lib)
	appDir = filepath.Join(tmp, "app")
	if err := os.MkdirAll(appDir, 0o755); err != nil {
		t.Fatal(err)
	}
	mainGo, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	gomod := "module example.com/debugapp\n\ngo 1.25.0\n\nrequire (\n\tgithub.com/flasky-go/flasky v0.0.0\n" +
		requires(t, filepath.Join(repo, "go.mod")) + ")\n\nreplace github.com/flasky-go/flasky => ../flasky\n"
	gosum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(appDir, "main.go"), string(mainGo))
	writeFile(t, filepath.Join(appDir, "go.mod"), gomod)
	writeFile(t, filepath.Join(appDir, "go.sum"), string(gosum))
	return appDir
}

// requires returns the require lines of a go.mod, one per line.
func requires(t *testing.T, gomod string) string {
	t.Helper()
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	block := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "require (":
			block = true
		case block && line == ")":
			block = false
		case block && line != "":
			out.WriteString("\t" + line + "\n")
		case strings.HasPrefix(line, "require "):
			out.WriteString("\t" + strings.TrimPrefix(line, "require ") + "\n")
		}
	}
	return out.String()
}

// copyModule copies the library's non-test files: the root package's Go
// files, go.mod, go.sum and internal/ (without the benchmarks' module and
// test data).
func copyModule(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		name := d.Name()
		if d.IsDir() {
			top := rel == "." || rel == "internal" || strings.HasPrefix(rel, "internal"+string(filepath.Separator))
			if !top || name == "bench" || name == "testdata" || (strings.HasPrefix(name, ".") && rel != ".") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if strings.HasSuffix(name, "_test.go") || !d.Type().IsRegular() {
			return nil
		}
		if filepath.Dir(rel) == "." && !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// goRun starts `go run . -addr addr` in dir, in a process group of its
// own so that stop can send Ctrl+C to all of it, as a terminal does. The
// console goes to the returned buffer.
func goRun(t *testing.T, goCmd, dir, addr string) (console *syncBuffer, pgid int, stop func() error) {
	t.Helper()
	console = &syncBuffer{}
	cmd := exec.Command(goCmd, "run", ".", "-addr", addr)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "FLASKY_DEBUG=")
	cmd.Stdout, cmd.Stderr = console, console
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	pgid = cmd.Process.Pid
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			_ = syscall.Kill(-pgid, syscall.SIGINT)
			select {
			case stopErr = <-done:
			case <-time.After(20 * time.Second):
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				<-done
				stopErr = fmt.Errorf("go run did not stop within 20s of Ctrl+C")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	return console, pgid, stop
}

// syncBuffer is a bytes.Buffer that a process and the test share. It
// notes when each line arrived, so the test can time the reloader's steps
// from its console lines.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	lines []timedLine
	part  string // an unfinished last line
}

type timedLine struct {
	at   time.Time
	text string
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.part += string(p)
	for {
		i := strings.IndexByte(s.part, '\n')
		if i < 0 {
			break
		}
		s.lines = append(s.lines, timedLine{now, s.part[:i]})
		s.part = s.part[i+1:]
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lineAt returns when the first line after since that holds substr
// arrived, or the zero time.
func (s *syncBuffer) lineAt(substr string, since time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.lines {
		if !l.at.Before(since) && strings.Contains(l.text, substr) {
			return l.at
		}
	}
	return time.Time{}
}

// hammer requests url on new connections until stop is closed, and
// counts the requests and the failures to connect or read.
type hammer struct {
	requests, failures int
	firstErrors        []string
	done               chan struct{}
}

func startHammer(url string, stop <-chan struct{}) *hammer {
	h := &hammer{done: make(chan struct{})}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	go func() {
		defer close(h.done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			h.requests++
			resp, err := client.Get(url)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if err != nil {
				h.failures++
				if len(h.firstErrors) < 5 {
					h.firstErrors = append(h.firstErrors, err.Error())
				}
			}
		}
	}()
	return h
}

// get returns the status and body of url, or 0 and the error.
func get(url string) (int, string) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls url until ok accepts the answer or d passes, and returns
// how long it took and the last answer.
func waitFor(url string, d time.Duration, ok func(code int, body string) bool) (time.Duration, bool, string) {
	start := time.Now()
	var body string
	for time.Since(start) < d {
		var code int
		code, body = get(url)
		if ok(code, body) {
			return time.Since(start), true, body
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start), false, body
}

// groupLeft waits up to within for the processes of group pgid to end,
// and returns those still running then. A process that has exited but
// not been reaped yet (a zombie, waiting for init to collect it after its
// parent ended first) counts as ended: kill -0 still finds it, but it
// holds no socket and runs no code.
func groupLeft(pgid int, within time.Duration) []string {
	deadline := time.Now().Add(within)
	for {
		if err := syscall.Kill(-pgid, 0); err == syscall.ESRCH {
			return nil
		}
		left, known := runningInGroup(pgid)
		if known && len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			if !known {
				left = []string{fmt.Sprintf("kill -0 on group %d still succeeds", pgid)}
			}
			return left
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runningInGroup lists the processes of group pgid that are not zombies,
// from /proc; known is false where there is no /proc to read.
func runningInGroup(pgid int) (left []string, known bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // ended while we looked
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(stat[i+1:]))
		if len(fields) < 3 || fields[2] != strconv.Itoa(pgid) || fields[0] == "Z" {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		left = append(left, fmt.Sprintf("pid %s state %s: %s", e.Name(), fields[0], strings.ReplaceAll(string(bytes.TrimRight(cmdline, "\x00")), "\x00", " ")))
	}
	return left, true
}
