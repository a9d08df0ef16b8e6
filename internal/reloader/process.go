package reloader

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// child is a process the supervisor started to serve on the socket.
type child struct {
	cmd  *exec.Cmd
	bin  string // its binary; a built one is unlinked once it runs
	temp bool   // bin was built by the supervisor
	tail *tail  // the end of its standard error, for the crash page
	err  error  // how it exited; set before it is sent on exited
}

// start runs bin with the program's arguments, handing it the socket
// (fd 3), the write end of a fresh ready pipe (fd 4) and the read end of
// the life pipe (fd 5). ready receives the child once it serves, exited
// once it has exited.
func (s *supervisor) start(bin string, temp bool) (*child, error) {
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("reloader: ready pipe: %w", err)
	}
	c := &child{bin: bin, temp: temp, tail: &tail{}}
	c.cmd = exec.Command(bin, s.cfg.Args...)
	c.cmd.Stdin, c.cmd.Stdout = os.Stdin, os.Stdout
	c.cmd.Stderr = io.MultiWriter(os.Stderr, c.tail)
	c.cmd.ExtraFiles = []*os.File{s.sock, readyW, s.lifeR}
	c.cmd.Env = append(os.Environ(), envFDs+"=3,4,5")
	c.cmd.WaitDelay = time.Second // a grandchild holding stderr must not stall Wait
	err = c.cmd.Start()
	readyW.Close()
	if err != nil {
		readyR.Close()
		return nil, fmt.Errorf("reloader: start %s: %w", bin, err)
	}
	if temp {
		// The running process keeps the file; unlinked now, it cannot
		// be left behind even if the supervisor is killed.
		os.Remove(bin)
	}
	s.live[c] = true
	go func() {
		var b [1]byte
		n, _ := readyR.Read(b[:])
		readyR.Close()
		if n == 1 {
			s.send(s.ready, c)
		}
	}()
	go func() {
		c.err = c.cmd.Wait()
		s.send(s.exited, c)
	}()
	return c, nil
}

// stop asks c to finish its requests and exit, as Ctrl+C would.
func (s *supervisor) stop(c *child) {
	if c != nil {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
	}
}

// tailSize is how much of a child's standard error the crash page shows.
const tailSize = 16 << 10

// tail keeps the last tailSize bytes written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - tailSize; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
