// Debug mode's side of Run; the work is done by internal/reloader.

package flasky

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/flasky-go/flasky/internal/reloader"
)

// debugOn reports whether the app runs in debug mode: Debug(),
// FLASKY_DEBUG set as Flask reads FLASK_DEBUG (any value but "", 0,
// false or no, in any case: 1, true, yes) or Config.Debug.
func (a *App) debugOn(cfg runConfig) bool {
	return cfg.debug || a.Config.Debug || debugFlag(os.Getenv("FLASKY_DEBUG"))
}

// debugFlag reads a FLASKY_DEBUG value as Flask's get_debug_flag does.
func debugFlag(v string) bool {
	switch strings.ToLower(v) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// supervise is the reloader's supervisor (reloader.Run) in the build that
// debug mode makes of the program with reloader.SupervisorTag, and nil in
// every other build: there serveReloading builds and starts that one.
var supervise func(context.Context, reloader.Config) error

// serveReloading runs the reloader's supervisor on ln. When the program
// cannot be rebuilt it says why and serves ln itself, still in debug
// mode.
func (a *App) serveReloading(ctx context.Context, ln net.Listener, opts []RunOption) error {
	tcp, ok := ln.(*net.TCPListener)
	src, err := reloader.FindSource(ctx, a.rootPath)
	if err == nil && !ok {
		err = errors.New("the socket is not a TCP socket")
	}
	if err != nil {
		a.Logger.Warn(" * Not reloading on change: " + err.Error())
		return a.Serve(ctx, ln, opts...)
	}
	if supervise == nil {
		err := reloader.Launch(ctx, src, tcp, os.Args[1:])
		if errors.Is(err, reloader.ErrNoSupervisor) {
			a.Logger.Warn(" * Not reloading on change: " + err.Error())
			return a.Serve(ctx, ln, opts...)
		}
		return err
	}
	cfg := newRunConfig(opts)
	a.Config.Debug = true
	defer a.flushLog()
	err = supervise(ctx, reloader.Config{
		Started:  func() { a.banner(ln, false) },
		Listener: tcp,
		Source:   src,
		Args:     os.Args[1:],
		Logger:   a.Logger,
		Wrap: func(h http.Handler) http.Handler {
			if !cfg.accessLog {
				return h
			}
			a.accessLog = true
			return &accessLogger{app: a, next: h}
		},
		StopTimeout: cfg.shutdownTimeout,
	})
	if errors.Is(err, reloader.ErrNoSupervisor) {
		a.Logger.Warn(" * Not reloading on change: " + err.Error())
		return a.Serve(ctx, ln, opts...)
	}
	return err
}

// serveChild serves on the socket a supervisor handed this process. On
// SIGTERM (the supervisor's, once the next child serves), Ctrl+C, or the
// supervisor's exit, it stops like any server: Serve closes this
// process's copy of the socket, answers every connection it accepted,
// then shuts down, while the next child accepts.
func (a *App) serveChild(ctx context.Context, ch *reloader.Child, opts []RunOption) error {
	serveCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-ch.Gone():
			a.Logger.Warn(" * The reloader has exited; stopping")
			cancel()
		case <-serveCtx.Done():
		}
	}()
	opts = append(opts[:len(opts):len(opts)], func(c *runConfig) { c.child, c.ready = true, ch.Ready })
	return a.Serve(serveCtx, ch.Listener, opts...)
}
