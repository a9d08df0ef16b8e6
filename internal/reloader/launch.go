package reloader

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// SupervisorTag is the build tag whose file links the supervisor (Run)
// into a program. A program built without it, as programs are, carries
// only Launch, which builds the program again with the tag and runs that
// build as the supervisor: the supervisor's code, a good part of a
// megabyte with its dependencies, stays out of every deployed binary.
const SupervisorTag = "flasky_supervisor"

// envSupervisorSocket tells a build made by Launch which descriptor is
// the listening socket it supervises.
const envSupervisorSocket = "FLASKY_SUPERVISOR_SOCKET"

// ErrNoSupervisor is wrapped by Launch's errors that leave the program
// able to serve without reloading: the supervisor could not be built or
// started.
var ErrNoSupervisor = errors.New("the supervisor could not be started")

// Launch builds the program from src with SupervisorTag, runs that build
// as the supervisor of ln with args, and waits for it to end. The
// supervisor takes SIGINT from the terminal as this process does;
// another stop of ctx (a SIGTERM sent to this process alone) is passed
// on to it.
func Launch(ctx context.Context, src *Source, ln *net.TCPListener, args []string) error {
	dir, err := os.MkdirTemp("", "flasky-supervisor-")
	if err != nil {
		return fmt.Errorf("reloader: %w: %w", ErrNoSupervisor, err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "supervisor")
	tagged := *src
	tagged.flags = withTag(src.flags, SupervisorTag)
	if out, err := tagged.build(ctx, bin); err != nil {
		return fmt.Errorf("%w: %w\n%s", ErrNoSupervisor, err, strings.TrimSpace(string(out)))
	}
	sock, err := socketFile(ln)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoSupervisor, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{sock} // descriptor 3
	cmd.Env = append(os.Environ(), envSupervisorSocket+"=3", "FLASKY_DEBUG=1")
	err = cmd.Start()
	sock.Close()
	if err != nil {
		return fmt.Errorf("reloader: %w: start %s: %w", ErrNoSupervisor, bin, err)
	}
	ln.Close() // the supervisor and its children own the socket now
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-ctx.Done():
		_ = cmd.Process.Signal(syscall.SIGTERM) // harmless when a SIGINT reached it too
		err = <-exited
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.Exited() {
		return fmt.Errorf("reloader: the supervisor exited with status %d", exit.ExitCode())
	}
	return nil // stopped by a signal, as this process is
}

// SupervisorListener returns the socket a program started by Launch
// supervises, or nil in any other program. It removes the variable, so
// the children it starts do not take the socket for theirs.
func SupervisorListener() (net.Listener, error) {
	v, ok := os.LookupEnv(envSupervisorSocket)
	if !ok {
		return nil, nil
	}
	os.Unsetenv(envSupervisorSocket)
	if v != "3" {
		return nil, fmt.Errorf("reloader: %s=%q: want 3", envSupervisorSocket, v)
	}
	f := os.NewFile(3, "flasky-supervised-socket")
	ln, err := net.FileListener(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("reloader: descriptor 3 is not the socket to supervise: %w", err)
	}
	return ln, nil
}

// withTag adds tag to the -tags of flags.
func withTag(flags []string, tag string) []string {
	out := make([]string, 0, len(flags)+1)
	found := false
	for _, f := range flags {
		if v, ok := strings.CutPrefix(f, "-tags="); ok {
			f, found = "-tags="+v+","+tag, true
		}
		out = append(out, f)
	}
	if !found {
		out = append(out, "-tags="+tag)
	}
	return out
}
