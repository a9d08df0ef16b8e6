package cluster

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Instance is one process of an app, started again on the same address
// after each restart. It counts as listening once it writes flasky's
// " * Running on " line on its standard error.
type Instance struct {
	// Name is for messages ("a", "b"); Addr is where it listens.
	Name, Addr string
	// Args is the command: the binary, then its arguments.
	Args []string
	// Env is added to this program's environment.
	Env []string
	// OnLine, if set, gets every line the instance writes on its
	// standard error (from one goroutine at a time).
	OnLine func(line string)

	cmd  *exec.Cmd
	done chan struct{}
	err  error // what Wait said, once done is closed
}

// Start starts the instance and returns once it listens, or an error
// when it exits first or is not listening within 10 seconds.
func (in *Instance) Start() error {
	cmd := exec.Command(in.Args[0], in.Args[1:]...)
	cmd.Env = append(os.Environ(), in.Env...)
	cmd.SysProcAttr = childAttr()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", in.Name, err)
	}
	in.cmd, in.done = cmd, make(chan struct{})
	done := in.done
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		var once sync.Once
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, " * Running on ") {
				once.Do(func() { close(ready) })
			}
			if in.OnLine != nil {
				in.OnLine(line)
			}
		}
		in.err = cmd.Wait()
		close(done)
	}()
	select {
	case <-ready:
		return nil
	case <-done:
		return fmt.Errorf("instance %s exited at start: %v", in.Name, in.err)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("instance %s did not listen on %s within 10s", in.Name, in.Addr)
	}
}

// Restart stops the instance with SIGTERM, waits up to wait for it to
// exit, and starts it again. It returns how long the exit took; an exit
// status other than 0 is an error.
func (in *Instance) Restart(wait time.Duration) (time.Duration, error) {
	start := time.Now()
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	select {
	case <-in.done:
	case <-time.After(wait):
		return 0, fmt.Errorf("instance %s still runs %v after SIGTERM", in.Name, wait)
	}
	took := time.Since(start)
	if in.err != nil {
		return took, fmt.Errorf("instance %s: %v after SIGTERM", in.Name, in.err)
	}
	return took, in.Start()
}

// Stop ends the instance if it still runs: SIGTERM, then SIGKILL after
// wait.
func (in *Instance) Stop(wait time.Duration) {
	if in.cmd == nil {
		return
	}
	select {
	case <-in.done:
		return
	default:
	}
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.done:
	case <-time.After(wait):
		_ = in.cmd.Process.Kill()
		<-in.done
	}
}

// FreePorts returns n loopback ports that were free a moment ago.
func FreePorts(n int) ([]string, error) {
	var ports []string
	var lns []net.Listener
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, l)
		_, p, _ := net.SplitHostPort(l.Addr().String())
		ports = append(ports, p)
	}
	return ports, nil
}
