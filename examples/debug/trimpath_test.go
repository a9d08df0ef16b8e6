//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A binary that cannot find its source (built with -trimpath) says why
// it does not reload, and still serves in debug mode.
func TestNoReloadWithoutSource(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipped: no go command on PATH to build the example")
	}
	bin := filepath.Join(t.TempDir(), "debug")
	build := exec.Command(goCmd, "build", "-trimpath", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -trimpath: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	console := &syncBuffer{}
	cmd := exec.Command(bin, "-addr", addr)
	cmd.Env = append(os.Environ(), "FLASKY_DEBUG=")
	cmd.Stdout, cmd.Stderr = console, console
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	if _, ok, last := waitFor("http://"+addr+"/", 20*time.Second, func(code int, body string) bool {
		return code == 200 && body == "hello~~"
	}); !ok {
		t.Fatalf("the -trimpath binary did not serve: last %s\nconsole:\n%s", last, console.String())
	}
	out := console.String()
	for _, want := range []string{" * Debug mode: on", " * Not reloading on change:", "-trimpath"} {
		if !strings.Contains(out, want) {
			t.Errorf("console lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Restarting with stat") {
		t.Errorf("a binary without its source claims to reload:\n%s", out)
	}
	t.Logf("console:\n%s", out)
}
