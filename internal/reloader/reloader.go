// Package reloader is flasky's debug-mode reloader.
//
// A supervising process owns the listening socket. It runs the program
// as a child that serves on the inherited socket, polls the stats of the
// program's source (Go files, go.mod, templates, static files of the main
// package and of the local packages it imports), and on a change
// rebuilds it with go build and starts the new binary beside the old one.
// Templates and static files need a build only when they are embedded;
// otherwise the running child reads them again itself.
// Only when the new child serves is the old one asked to stop; it
// finishes its requests first. The socket never closes, so a client sees
// no refused connection during a reload.
//
// When a build fails, or a child exits on its own, the supervisor stops
// the children and answers every request itself with a 500 page showing
// the compiler's errors (or the crash) and the source around them, until
// a build succeeds.
package reloader

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/flasky-go/flasky/internal/reloader/srcpage"
)

// Config tells Run what to supervise.
type Config struct {
	// Listener is the socket the children serve. Run closes it when it
	// returns.
	Listener *net.TCPListener
	// Source is the program to rebuild, from FindSource.
	Source *Source
	// Args are the program's arguments, given to each child.
	Args []string
	// Logger gets the console lines (" * Restarting with stat"...).
	Logger *slog.Logger
	// Wrap, if set, wraps the handler of the supervisor's own error
	// pages, for an access log.
	Wrap func(http.Handler) http.Handler
	// StopTimeout is how long a child's requests may take to finish
	// when Run returns (after DrainTimeout) before it is killed; default
	// 10 s.
	StopTimeout time.Duration
	// Interval is how often the source is polled; default 100 ms.
	Interval time.Duration
	// Started, if set, is called once Run has found what to watch and
	// begins to supervise (the program prints its banner there).
	Started func()
}

// supervisor is Run's state. Only Run's goroutine touches it, except the
// channels.
type supervisor struct {
	cfg   Config
	log   *slog.Logger
	sock  *os.File // the socket, as handed to children
	lifeR *os.File // the life pipe's read end, handed to children
	lifeW *os.File // its write end: closes when this process exits
	tmp   string   // folder of the built binaries
	n     int      // builds so far, to name the binaries

	fb               *fallback
	watch            *watcher
	current, pending *child // serving, and started but not yet serving
	live             map[*child]bool
	ready, exited    chan *child
	done             chan struct{} // closed when Run returns
}

// Run supervises the program until ctx is done, then stops the children
// gracefully and returns nil. The first child is this very executable;
// later ones are rebuilt from cfg.Source.
//
// When go list cannot say what to watch, Run returns an error wrapping
// ErrNoSupervisor before it touches the socket, so the caller can serve
// without reloading.
func Run(ctx context.Context, cfg Config) error {
	if err := cfg.Source.ListFolders(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrNoSupervisor, err)
	}
	if cfg.Started != nil {
		cfg.Started()
	}
	if cfg.StopTimeout <= 0 {
		cfg.StopTimeout = 10 * time.Second
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 100 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &supervisor{
		cfg: cfg, log: cfg.Logger, live: map[*child]bool{},
		ready: make(chan *child), exited: make(chan *child), done: make(chan struct{}),
	}
	defer close(s.done)
	defer cfg.Listener.Close()
	if err := s.open(); err != nil {
		return err
	}
	defer s.cleanup()
	s.fb = newFallback(cfg.Listener, cfg.Wrap)

	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("reloader: find this program: %w", err)
	}
	s.log.Info(" * Restarting with stat")
	if s.pending, err = s.start(exe, false); err != nil {
		return err
	}
	s.watch = newWatcher(cfg.Source, cfg.Interval)
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go s.watch.run(wctx)

	for {
		select {
		case <-ctx.Done():
			s.shutdown()
			return nil
		case path := <-s.watch.changes:
			s.rebuild(ctx, path)
		case c := <-s.ready:
			s.promote(c)
		case c := <-s.exited:
			s.reap(ctx, c)
		}
	}
}

// open makes what the children share: the socket file, the life pipe
// and the folder for binaries.
func (s *supervisor) open() error {
	var err error
	if s.sock, err = socketFile(s.cfg.Listener); err != nil {
		return err
	}
	if s.lifeR, s.lifeW, err = os.Pipe(); err != nil {
		s.sock.Close()
		return fmt.Errorf("reloader: life pipe: %w", err)
	}
	if s.tmp, err = os.MkdirTemp("", "flasky-reload-"); err != nil {
		s.sock.Close()
		s.lifeR.Close()
		s.lifeW.Close()
		return fmt.Errorf("reloader: %w", err)
	}
	return nil
}

func (s *supervisor) cleanup() {
	s.sock.Close()
	s.lifeR.Close()
	s.lifeW.Close()
	os.RemoveAll(s.tmp)
}

// send delivers a child event unless Run has returned.
func (s *supervisor) send(ch chan *child, c *child) {
	select {
	case ch <- c:
	case <-s.done:
	}
}

// rebuild builds the changed source and starts it, or shows the
// compiler's errors.
func (s *supervisor) rebuild(ctx context.Context, path string) {
	s.log.Info(fmt.Sprintf(" * Detected change in '%s', reloading", path))
	s.n++
	bin := filepath.Join(s.tmp, "app-"+strconv.Itoa(s.n))
	out, err := s.cfg.Source.build(ctx, bin)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.log.Error(fmt.Sprintf(" * Build failed, serving the errors until the next change:\n%s", out))
		s.fail(buildPage(s.cfg.Source.Dir, out))
		return
	}
	s.log.Info(" * Restarting with stat")
	c, err := s.start(bin, true)
	if err != nil {
		s.log.Error(" * " + err.Error())
		os.Remove(bin)
		s.fail(render(startFailedPage(err)))
		return
	}
	s.stop(s.pending) // superseded before it was ready
	s.pending = c
}

// promote makes a child that now serves the current one, and stops the
// one it replaces and the supervisor's own pages.
func (s *supervisor) promote(c *child) {
	if c != s.pending {
		return // stopped before it was ready
	}
	old := s.current
	s.current, s.pending = c, nil
	s.fb.pause()
	s.stop(old)
	if c.temp {
		s.watch.refresh() // the new code may import other local packages
	}
}

// reap handles a child's exit: expected for a stopped child, else a
// crash to show until the next change.
func (s *supervisor) reap(ctx context.Context, c *child) {
	delete(s.live, c)
	if c != s.current && c != s.pending {
		return
	}
	if c == s.current {
		s.current = nil
	} else {
		s.pending = nil
	}
	if ctx.Err() != nil {
		return // Ctrl+C reached the child too
	}
	s.log.Error(fmt.Sprintf(" * The program exited (%v); waiting for a change", c.err))
	s.fail(crashPage(c, s.cfg.Source.dirs.mods))
}

// fail serves page from the supervisor and stops the children.
func (s *supervisor) fail(page []byte) {
	s.fb.show(page)
	s.stop(s.pending)
	s.stop(s.current)
	s.pending, s.current = nil, nil
}

// shutdown stops every child, waits for them (killing those that take
// longer than StopTimeout) and the supervisor's own requests.
func (s *supervisor) shutdown() {
	for c := range s.live {
		s.stop(c)
	}
	// A child's Serve drains its new connections for at most a second,
	// then shuts down within StopTimeout; one more second for it to exit.
	deadline := time.NewTimer(s.cfg.StopTimeout + 2*time.Second)
	defer deadline.Stop()
	timeout := deadline.C
	for len(s.live) > 0 {
		select {
		case c := <-s.exited:
			delete(s.live, c)
		case <-timeout:
			for c := range s.live {
				s.log.Error(fmt.Sprintf(" * Child %d did not stop within %s; killing it", c.cmd.Process.Pid, s.cfg.StopTimeout))
				_ = c.cmd.Process.Kill()
			}
			timeout = nil // killed: their exits come at once
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.StopTimeout)
	defer cancel()
	s.fb.close(ctx)
}

// startFailedPage is the page for a new binary that could not be started.
func startFailedPage(err error) *srcpage.Page {
	return &srcpage.Page{Title: "Reload failed", Message: err.Error(),
		Note: "The new program was built but could not be started. Save a change to try again."}
}
