//go:build unix

package flasky_test

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// helperCommand starts the test binary as helperProcess in mode through sh, whose exec
// keeps the process id that LISTEN_PID must name, and returns it with
// the address its banner says it serves on.
func helperCommand(t *testing.T, mode string, extra ...*os.File) (*exec.Cmd, string) {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh to start the helper process")
	}
	cmd := exec.Command("/bin/sh", "-c", `LISTEN_PID=$$ exec "$0"`, os.Args[0])
	cmd.Env = append(os.Environ(), "FLASKY_TEST_HELPER="+mode, "FLASKY_DEBUG=")
	if len(extra) > 0 {
		cmd.Env = append(cmd.Env, "LISTEN_FDS=1")
	}
	cmd.ExtraFiles = extra
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	banner := regexp.MustCompile(`Running on https?://([0-9.:]+)/`)
	lines := bufio.NewScanner(stderr)
	found := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if m := banner.FindStringSubmatch(lines.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case addr := <-found:
		return cmd, addr
	case <-time.After(10 * time.Second):
		t.Fatal("the helper process printed no banner in 10 s")
		return nil, ""
	}
}

// Run serves on a socket passed the way systemd's socket activation
// passes it (LISTEN_FDS=1, descriptor 3, LISTEN_PID), without listening
// on its address, and hides the variables from programs it starts.
func TestRunOnActivatedSocket(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	cmd, addr := helperCommand(t, "systemd", f)
	f.Close()
	if addr != ln.Addr().String() {
		t.Errorf("banner says %s, want the passed socket's %s", addr, ln.Addr())
	}
	resp, err := client.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "served; LISTEN_FDS=" {
		t.Errorf("GET / = %q, want it served with LISTEN_FDS removed", body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want a clean exit", err)
	}
}

// A second SIGINT during the stop ends the program at once, while the
// first waits for the request in flight.
func TestSecondSignalEndsTheStop(t *testing.T) {
	cmd, addr := helperCommand(t, "slow")
	go func() {
		if resp, err := client.Get("http://" + addr + "/slow"); err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond) // the request is in its handler
	exited := make(chan error, 1)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		t.Fatalf("exited on the first SIGINT (%v), want it to wait for the request in flight", err)
	case <-time.After(500 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ws.Signaled() || ws.Signal() != syscall.SIGINT {
			t.Errorf("after the second SIGINT: %v, want the process ended by SIGINT", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the second SIGINT did not end the program within 3 s")
	}
}
