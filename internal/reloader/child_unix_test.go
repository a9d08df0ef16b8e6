//go:build unix

package reloader

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestChildPlumbing hands this process the three descriptors a child
// gets, as a supervisor would, and checks the child's end: it accepts on
// the socket after the supervisor's copy is closed, its Ready reaches
// the ready pipe, and Gone closes when the life pipe's writer goes.
func TestChildPlumbing(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sock, err := socketFile(l.(*net.TCPListener))
	if err != nil {
		t.Fatal(err)
	}
	readyR, readyW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	lifeR, lifeW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// The child owns what it inherits: give it duplicates.
	var fds [3]int
	for i, f := range []*os.File{sock, readyW, lifeR} {
		if fds[i], err = syscall.Dup(int(f.Fd())); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	t.Setenv(envFDs, fmt.Sprintf("%d,%d,%d", fds[0], fds[1], fds[2]))
	c, err := Inherited()
	if err != nil || c == nil {
		t.Fatalf("Inherited() = %v, %v", c, err)
	}
	defer c.Listener.Close()

	addr := l.Addr().String()
	l.Close() // the supervisor's copy: the socket stays open
	accepted := make(chan error, 1)
	go func() {
		conn, err := c.Listener.Accept()
		if err == nil {
			conn.Close()
		}
		accepted <- err
	}()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial after the supervisor's copy closed: %v", err)
	}
	conn.Close()
	if err := <-accepted; err != nil {
		t.Errorf("the child's listener: %v", err)
	}

	c.Ready()
	c.Ready() // a second call does nothing
	b := make([]byte, 2)
	if n, _ := readyR.Read(b); n != 1 {
		t.Errorf("the ready pipe got %d bytes, want 1", n)
	}

	select {
	case <-c.Gone():
		t.Fatal("Gone closed while the supervisor lives")
	default:
	}
	lifeW.Close()
	select {
	case <-c.Gone():
	case <-time.After(10 * time.Second):
		t.Error("Gone did not close after the supervisor's end closed")
	}
}

// TestBuiltBinaryUnlinkedOnceRunning checks that a binary the supervisor
// built is gone from its folder as soon as the child runs, so a killed
// supervisor leaves no binaries behind, and that the child still runs.
func TestBuiltBinaryUnlinkedOnceRunning(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep program")
	}
	data, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "app-1")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	s := &supervisor{cfg: Config{Args: []string{"30"}}, live: map[*child]bool{},
		sock: null, lifeR: null, ready: make(chan *child, 1), exited: make(chan *child, 1), done: make(chan struct{})}
	defer close(s.done)
	c, err := s.start(bin, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the built binary is still there once its child runs: %v", err)
	}
	if err := c.cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("the child does not run after its binary was unlinked: %v", err)
	}
	_ = c.cmd.Process.Kill()
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		t.Error("the killed child was never reaped")
	}
}
