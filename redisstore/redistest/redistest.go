// Package redistest runs a real redis-server for tests, as httptest runs
// an HTTP server: on a free loopback port, with its files in a folder of
// its own, stopped by its process id.
//
//	srv := redistest.Start(t) // skips when redis-server is missing; fails under CI=true
//	store := redisstore.New(redisstore.Options{Addr: srv.Addr})
//
// The server keeps an append-only file written on every command
// (appendonly yes, appendfsync always) and no snapshot, so that
// [Server.Restart] after [Server.Kill] finds every write Redis
// acknowledged. It accepts DEBUG from loopback (DEBUG SLEEP makes it
// slow).
//
// On Debian and Ubuntu, redis-server is in the package of that name
// (apt-get install redis-server).
package redistest

import (
	"bufio"
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

// Server is one redis-server process, started again on the same port and
// folder by Restart.
type Server struct {
	// Addr is host:port, on 127.0.0.1.
	Addr string
	// Dir holds the append-only file and the server's log (redis.log).
	Dir string
	// Version is what redis-server --version says.
	Version string

	bin  string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Binary returns the path of redis-server, or an error saying how to
// install it.
func Binary() (string, error) {
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("redis-server is not installed (Debian, Ubuntu: apt-get install redis-server; .ci/run installs it)")
}

// Start starts a server for the test and stops it when the test ends.
// Without redis-server it skips the test, saying why, or fails it when
// the CI environment variable is "true", where a skip would hide that
// nothing was tested.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redistest: %v", err)
		}
		t.Skipf("redistest: %v: skipped", err)
	}
	s, err := New(bin, t.TempDir())
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	t.Cleanup(s.Kill)
	return s
}

// New starts redis-server (bin) on a free loopback port with its files in
// dir, and returns once it answers PING. The caller stops it with Kill
// or Stop.
func New(bin, dir string) (*Server, error) {
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", bin, err)
	}
	s := &Server{Dir: dir, bin: bin, Version: strings.TrimSpace(string(out))}
	// A port free a moment ago may be taken by the time redis-server
	// binds it: try a few.
	for try := 0; ; try++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		s.Addr = l.Addr().String()
		l.Close()
		err = s.start()
		if err == nil {
			return s, nil
		}
		if try == 4 {
			return nil, err
		}
	}
}

// start runs redis-server on s.Addr and waits until it answers PING.
func (s *Server) start() error {
	_, port, _ := net.SplitHostPort(s.Addr)
	cmd := exec.Command(s.bin,
		"--port", port, "--bind", "127.0.0.1",
		"--dir", s.Dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always",
		"--daemonize", "no", "--logfile", filepath.Join(s.Dir, "redis.log"),
		"--enable-debug-command", "local")
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		select {
		case <-done:
			return fmt.Errorf("redis-server exited at start on %s: %s", s.Addr, s.LogTail())
		default:
		}
		if s.Ping() == nil {
			return nil
		}
	}
	s.Kill()
	return fmt.Errorf("redis-server did not answer PING on %s within 10s: %s", s.Addr, s.LogTail())
}

// Ping sends PING and reads +PONG, within a second.
func (s *Server) Ping() error {
	reply, err := s.Do("PING")
	if err != nil {
		return err
	}
	if reply != "+PONG" {
		return fmt.Errorf("PING answered %q", reply)
	}
	return nil
}

// Do sends one command (words without spaces, or with: each is sent as
// a bulk string) on a new connection and returns the first line of the
// reply, within five seconds: for tests that look at the server itself
// (DBSIZE, INFO, DEBUG SLEEP) without a client library.
func (s *Server) Do(args ...string) (string, error) {
	c, err := net.DialTimeout("tcp", s.Addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}

// PID returns the running server's process id, or 0.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	select {
	case <-s.done:
		return 0
	default:
	}
	return s.cmd.Process.Pid
}

// Kill ends the server at once (SIGKILL to its process id), as a crash
// would, and waits for it to exit. Every write it acknowledged is in the
// append-only file.
func (s *Server) Kill() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
}

// Stop ends the server with SIGTERM (Redis's own shutdown), or SIGKILL
// after five seconds, and waits for it to exit.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(terminate)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// Restart starts the server again on the same port and folder, after
// Kill or Stop, and returns once it answers PING; its data is back from
// the append-only file.
func (s *Server) Restart() error {
	if s.PID() != 0 {
		return errors.New("redistest: Restart of a server that still runs")
	}
	return s.start()
}

// LogTail returns the end of the server's log.
func (s *Server) LogTail() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
	if len(b) > 1500 {
		b = b[len(b)-1500:]
	}
	return strings.TrimSpace(string(b))
}
