// Run and Serve: the server's life from the banner to a graceful stop.

package flasky

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/flasky-go/flasky/internal/logfmt"
	"github.com/flasky-go/flasky/internal/reloader"
)

// RunOption changes how [App.Run] and [App.Serve] run the server.
type RunOption func(*runConfig)

type runConfig struct {
	debug           bool
	noReload        bool
	shutdownTimeout time.Duration
	server          []func(*http.Server)
	accessLog       bool
	unbufferedLog   bool
	// tlsConfig and serveTLS are set by TLS. TLS's server code is
	// reached only through serveTLS, so a program that never serves
	// HTTPS does not link it (half a megabyte).
	tlsConfig *tls.Config
	serveTLS  func(*http.Server, net.Listener) error
	stopDelay time.Duration
	// child is set in a reloader's child: the supervisor printed the
	// banner, and ready tells it this process serves.
	child bool
	ready func()
}

// newRunConfig applies opts to the defaults.
func newRunConfig(opts []RunOption) runConfig {
	cfg := runConfig{shutdownTimeout: 10 * time.Second, accessLog: true}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// Debug turns on debug mode, as FLASKY_DEBUG=1 in the environment does:
// a failing request shows the error, the stack with the source around
// each frame, and the request, and [App.Run] rebuilds and restarts the
// program when its source changes, without closing its socket. Debug
// mode shows your code to anyone who can reach the server: use it on
// loopback addresses only.
func Debug() RunOption { return func(c *runConfig) { c.debug = true } }

// NoReloader keeps debug mode's error pages and template re-reading but
// serves from this process, without the reloader's child processes, like
// Flask's use_reloader=False: for running under a debugger such as
// Delve, or where go build is not at hand.
func NoReloader() RunOption { return func(c *runConfig) { c.noReload = true } }

// ShutdownTimeout sets how long a stopping server waits for requests in
// flight (default 10 s) before it closes their connections.
func ShutdownTimeout(d time.Duration) RunOption {
	return func(c *runConfig) { c.shutdownTimeout = d }
}

// ConfigureServer lets fn change the http.Server before it starts: its
// timeouts, its Protocols (HTTP/2 in clear text for a proxy that speaks
// it). HTTPS is the [TLS] option's (or [App.RunTLS]'s); a TLSConfig set
// here without it is an error, not a server that quietly speaks plain
// HTTP.
func ConfigureServer(fn func(*http.Server)) RunOption {
	return func(c *runConfig) { c.server = append(c.server, fn) }
}

// StopDelay keeps a stopping server accepting and serving for d after the
// stop begins, before it closes its socket, while [Ready] answers 503:
// the time a load balancer (a Kubernetes Service, an AWS target group)
// takes to see the instance go unready and send no more requests to it.
// Without it, requests sent in that window are refused. Streams end at
// the start of the delay, not after it (see [Ctx.Stopping]).
func StopDelay(d time.Duration) RunOption { return func(c *runConfig) { c.stopDelay = d } }

// NoAccessLog turns off the per-request log line.
func NoAccessLog() RunOption { return func(c *runConfig) { c.accessLog = false } }

// UnbufferedAccessLog makes the default console write each access line at
// once, instead of gathering the lines of up to 20 ms into one write (the
// default, like nginx's access_log buffer=). Lines are never lost either
// way on a graceful stop; unbuffered, a killed process loses none either,
// at the cost of a system call per request.
func UnbufferedAccessLog() RunOption { return func(c *runConfig) { c.unbufferedLog = true } }

// Run listens on addr ("host:port") and serves the app until SIGINT or
// SIGTERM, then stops accepting connections, lets requests in flight
// finish (see [ShutdownTimeout]) and returns. A second SIGINT or SIGTERM
// during the stop ends the program at once. It prints
// " * Running on http://addr/ (Press CTRL+C to quit)" and one line per
// request in Werkzeug's format.
//
// Started with a socket by systemd's socket activation or another
// launcher (LISTEN_FDS=1, the socket as descriptor 3, on Unix), Run
// serves on that socket and does not listen on addr.
//
// In debug mode (see [Debug]) Run also reloads, like Flask's debug=True:
// it keeps the socket and runs the program as a child process, rebuilt
// with go build whenever its source changes and swapped in once it
// serves, so no connection is refused. While the source does not
// compile, the socket answers with the compiler's errors. [NoReloader]
// turns the reloading off and keeps the rest of debug mode. Serve never
// reloads.
func (a *App) Run(addr string, opts ...RunOption) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		// A second Ctrl+C (or SIGTERM) during the stop ends the program
		// at once: the signals get their default action back.
		stop()
	}()
	ch, err := reloader.Inherited()
	if err != nil {
		return fmt.Errorf("flasky: %w", err)
	}
	if ch != nil {
		return a.serveChild(ctx, ch, opts)
	}
	ln, err := reloader.SupervisorListener()
	if err != nil {
		return fmt.Errorf("flasky: %w", err)
	}
	if ln == nil {
		ln, err = activatedListener()
	}
	if err != nil {
		return err
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", addr); err != nil {
			return fmt.Errorf("flasky: listen on %s: %w", addr, err)
		}
	}
	if cfg := newRunConfig(opts); a.debugOn(cfg) && !cfg.noReload {
		if cfg.serveTLS != nil {
			// The supervisor answers plain HTTP while a build fails.
			a.Logger.Warn(" * Not reloading on change: RunTLS serves HTTPS, which the reloader's own pages do not speak")
		} else {
			return a.serveReloading(ctx, ln, opts)
		}
	}
	return a.Serve(ctx, ln, opts...)
}

// RunTLS is [App.Run] over HTTPS, like gin's RunTLS and Flask's
// ssl_context=(cert, key): certFile and keyFile are PEM files (the
// certificate file may hold the chain after the leaf). HTTP/2 is offered
// to clients that speak it, and the banner says https://. For
// certificates from Let's Encrypt, see the README ("TLS and HTTP/2").
func (a *App) RunTLS(addr, certFile, keyFile string, opts ...RunOption) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return fmt.Errorf("flasky: RunTLS: %w", err)
	}
	return a.Run(addr, append(opts, TLS(&tls.Config{Certificates: []tls.Certificate{cert}}))...)
}

// TLS makes [App.Run] or [App.Serve] serve HTTPS with config, offering
// HTTP/2, as RunTLS does with PEM files: for certificates held in memory,
// or fetched from Let's Encrypt by autocert (flasky.TLS(m.TLSConfig())).
// [ConfigureServer] may still change the config it puts on the server.
func TLS(config *tls.Config) RunOption {
	return func(c *runConfig) { c.tlsConfig, c.serveTLS = config, serveTLS }
}

func serveTLS(srv *http.Server, ln net.Listener) error {
	return srv.ServeTLS(ln, "", "") // certificates from srv.TLSConfig
}

// Serve serves the app on ln until ctx is cancelled, then shuts down
// gracefully like [App.Run]. It closes ln.
func (a *App) Serve(ctx context.Context, ln net.Listener, opts ...RunOption) error {
	cfg := newRunConfig(opts)
	if a.debugOn(cfg) {
		a.Config.Debug = true
	}
	var h http.Handler = a
	if console, ok := a.Logger.Handler().(*logfmt.Handler); ok && cfg.unbufferedLog {
		console.SetUnbuffered()
	}
	if cfg.accessLog {
		h = a.AccessLogged()
	}
	srv := newServer(h, a.Logger)
	srv.TLSConfig = cfg.tlsConfig
	for _, fn := range cfg.server {
		fn(srv)
	}
	useTLS := cfg.serveTLS != nil
	if err := checkTLS(srv, useTLS); err != nil {
		ln.Close()
		return err
	}
	fresh := trackNewConns(srv)
	if !cfg.child {
		a.banner(ln, useTLS)
	}

	a.stop.renew()
	errc := make(chan error, 1)
	queue := newAcceptQueue(ln)
	go func() {
		if useTLS {
			errc <- cfg.serveTLS(srv, queue)
			return
		}
		errc <- srv.Serve(queue)
	}()
	if cfg.ready != nil {
		cfg.ready()
	}
	select {
	case err := <-errc:
		return fmt.Errorf("flasky: serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	a.stop.begin()
	if cfg.stopDelay > 0 {
		a.Logger.Info(fmt.Sprintf(" * Stopping: serving %v more while load balancers take this instance out (StopDelay)", cfg.stopDelay))
		time.Sleep(cfg.stopDelay)
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	defer a.flushLog()
	fresh.drain(queue, errc, min(time.Second, cfg.shutdownTimeout/2))
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
		return fmt.Errorf("flasky: requests still running after %s were cut off: %w", cfg.shutdownTimeout, err)
	}
	if err != nil {
		return fmt.Errorf("flasky: shutdown: %w", err)
	}
	return nil
}

// checkTLS refuses what would quietly serve plain HTTP, or not at all:
// a TLSConfig set with ConfigureServer but no TLS option, and HTTPS
// without a source of certificates.
func checkTLS(srv *http.Server, useTLS bool) error {
	c := srv.TLSConfig
	switch {
	case c != nil && !useTLS:
		return errors.New("flasky: ConfigureServer set a TLSConfig, which would be ignored: pass it with flasky.TLS(config) (or use RunTLS) to serve HTTPS")
	case useTLS && (c == nil || len(c.Certificates) == 0 && c.GetCertificate == nil && c.GetConfigForClient == nil):
		return errors.New("flasky: the TLS config has no certificate (set Certificates or GetCertificate, or use RunTLS)")
	}
	return nil
}

// banner prints the lines Flask's development server starts with.
func (a *App) banner(ln net.Listener, useTLS bool) {
	if a.Config.Debug {
		a.Logger.Info(" * Debug mode: on")
		if host, _, _ := net.SplitHostPort(ln.Addr().String()); !isLoopback(host) {
			a.Logger.Warn(" * WARNING: debug mode shows your code to anyone who can reach " + ln.Addr().String() + "; listen on 127.0.0.1 instead")
		}
	}
	scheme := "http://"
	if useTLS {
		scheme = "https://"
	}
	a.Logger.Info(" * Running on " + scheme + displayAddr(ln.Addr()) + "/ (Press CTRL+C to quit)")
}

// flushLog writes out access-log lines still buffered by the default
// console handler.
func (a *App) flushLog() {
	if h, ok := a.Logger.Handler().(*logfmt.Handler); ok {
		h.Flush()
	}
}

// newServer sets timeouts so slow or idle clients cannot hold the server:
// a client must send its headers within 10 s. Bodies have no deadline, so
// large uploads and downloads work; ConfigureServer changes any of this.
func newServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// displayAddr prints the address as a browser would take it.
func displayAddr(addr net.Addr) string {
	s := addr.String()
	if host, port, err := net.SplitHostPort(s); err == nil && (host == "::" || host == "") {
		return "0.0.0.0:" + port
	}
	return s
}
