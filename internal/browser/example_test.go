package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The examples the tests run, built once for the whole test binary.
var examples = []string{"form", "upload", "image"}

var (
	buildOnce sync.Once
	buildTime time.Duration
	binDir    string // where the example binaries are, once built
	buildErr  error
	goMissing bool // go is not on PATH: the tests skip
)

// TestMain removes the example binaries when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// repoRoot is flasky's own module, two folders up, checked by its go.mod
// so that a moved test says so rather than building something else.
func repoRoot() (string, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("flasky's go.mod: %w", err)
	}
	if !bytes.HasPrefix(mod, []byte("module github.com/flasky-go/flasky\n")) {
		return "", fmt.Errorf("%s is not flasky's module root", root)
	}
	return root, nil
}

// buildExamples builds the example programs with the go command, from
// flasky's own module, so the tests run exactly what `go run
// ./examples/NAME` runs. A cold build cache takes a while, so the build
// has a bound of its own, apart from each test's.
func buildExamples() {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goMissing = true
		return
	}
	root, err := repoRoot()
	if err != nil {
		buildErr = err
		return
	}
	dir, err := os.MkdirTemp("", "flasky-browser-bin-")
	if err != nil {
		buildErr = err
		return
	}
	binDir = dir
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	for _, name := range examples {
		args = append(args, "./examples/"+name)
	}
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = root
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("go %v in %s: %w\n%s", args, root, err, out)
	}
	buildTime = time.Since(start)
}

// exampleBinary returns the built binary of the example name and the
// folder of its source, where it runs (the image example sends 11.jpg
// from there). It skips the test when go is not on PATH.
func exampleBinary(t *testing.T, name string) (bin, srcDir string) {
	t.Helper()
	buildOnce.Do(func() {
		buildExamples()
		if !goMissing && buildErr == nil {
			t.Logf("built the examples %v into %s in %v", examples, binDir, buildTime.Round(time.Millisecond))
		}
	})
	if goMissing {
		t.Skip("go is not on PATH: it is needed to build the examples; install Go (https://go.dev/doc/install) and put it on PATH")
	}
	if buildErr != nil {
		t.Fatalf("building the examples: %v", buildErr)
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(binDir, name), filepath.Join(root, "examples", name)
}

// syncBuffer collects a process's output, written from os/exec's copying
// goroutine and read by the test.
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

// freeAddr returns a 127.0.0.1 address with a port nobody listens on now.
// Another program may take it before the example does: startExample then
// tries again.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// startExample runs the example name with -addr on a free loopback port
// and the extra flags, waits until it listens and returns its
// base URL (http://127.0.0.1:PORT). When the test ends, the process is
// stopped by its PID (interrupt, then kill) and its log is shown.
func startExample(t *testing.T, name string, flags ...string) string {
	t.Helper()
	bin, srcDir := exampleBinary(t, name)
	var lastErr error
	for range 3 {
		addr, err := freeAddr()
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		url, err := runExample(t, bin, srcDir, addr, flags)
		if err == nil {
			return url
		}
		lastErr = err
		if !errors.Is(err, errExited) {
			break
		}
	}
	t.Fatalf("starting example %s: %v", name, lastErr)
	return ""
}

// errExited says the example stopped before it listened, as it does when
// another program took the port in between.
var errExited = errors.New("example exited before listening")

func runExample(t *testing.T, bin, srcDir, addr string, flags []string) (string, error) {
	t.Helper()
	out := new(syncBuffer)
	args := append([]string{"-addr", addr}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = srcDir
	// The reloader of debug mode would run the program from source in a
	// child process; the test runs the built binary as it is.
	cmd.Env = append(os.Environ(), "FLASKY_DEBUG=0")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	pid := cmd.Process.Pid
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()

	// Wait for the banner of App.Run: it names the address once the
	// example itself listens there, where a successful dial could reach
	// another program that took the port in between.
	banner := "Running on http://" + addr + "/"
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(out.String(), banner) {
		select {
		case <-done:
			return "", fmt.Errorf("%w (%s %v, pid %d): %s", errExited, filepath.Base(bin), args, pid, out)
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return "", fmt.Errorf("%s %v (pid %d) did not say %q within 15 s: %s", filepath.Base(bin), args, pid, banner, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("started %s %v (pid %d) in %s", filepath.Base(bin), args, pid, srcDir)
	t.Cleanup(func() {
		// Interrupt first so the server flushes its log, then kill
		// whatever is left; both by the PID this test started.
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		t.Logf("stopped pid %d; its log:\n%s", pid, out)
	})
	return "http://" + addr, nil
}
