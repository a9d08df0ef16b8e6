package flasky_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

func TestServeNoAccessLogAndDebug(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/boom", func(c *flasky.Ctx) error { return errors.New("visible in debug") })
	base, cancel, done := startServe(t, app, flasky.NoAccessLog(), flasky.Debug())
	resp, err := client.Get(base + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cancel()
	if err := done(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	if resp.StatusCode != 500 || !strings.Contains(string(body), "visible in debug") {
		t.Errorf("Debug(): GET /boom = %d %q, want the error shown", resp.StatusCode, body)
	}
	if !app.Config.Debug {
		t.Errorf("Debug() did not set Config.Debug")
	}
	var sawDebug bool
	for _, m := range rec.messages() {
		if strings.Contains(m, `"GET /boom`) {
			t.Errorf("access line logged despite NoAccessLog: %q", m)
		}
		sawDebug = sawDebug || m == " * Debug mode: on"
	}
	if !sawDebug {
		t.Errorf("no \" * Debug mode: on\" line: %q", rec.messages())
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(newRecordMessages())
	started := make(chan struct{}, 1)
	finished := make(chan struct{})
	app.Route("/slow", func(c *flasky.Ctx) error {
		started <- struct{}{}
		time.Sleep(300 * time.Millisecond)
		defer close(finished)
		return c.String(strings.Repeat("slow body ", 100))
	})
	base, cancel, done := startServe(t, app, flasky.ShutdownTimeout(5*time.Second))

	type result struct {
		code int
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := client.Get(base + "/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{resp.StatusCode, string(b), err}
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow handler never started")
	}
	cancel()
	err := done()
	if err != nil {
		t.Errorf("Serve returned %v, want nil after a graceful shutdown", err)
	}
	select {
	case <-finished:
	default:
		t.Errorf("Serve returned before the in-flight request finished")
	}
	r := <-res
	if r.err != nil || r.code != 200 || r.body != strings.Repeat("slow body ", 100) {
		t.Errorf("in-flight request: %d, %d bytes, err %v; want 200 with the full body", r.code, len(r.body), r.err)
	}
	// The listener is closed: new connections are refused.
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second); err == nil {
		t.Errorf("the listener still accepts connections after Serve returned")
	}
}

func TestServeShutdownTimeout(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(newRecordMessages())
	started := make(chan struct{}, 1)
	finished := make(chan struct{})
	app.Route("/slow", func(c *flasky.Ctx) error {
		defer close(finished)
		started <- struct{}{}
		time.Sleep(300 * time.Millisecond)
		return c.String("late")
	})
	base, cancel, done := startServe(t, app, flasky.ShutdownTimeout(50*time.Millisecond))
	go func() {
		resp, err := client.Get(base + "/slow")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	<-started
	cancel()
	err := done()
	if err == nil {
		t.Fatalf("Serve returned nil although a request outlived the shutdown timeout")
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "flasky:") {
		t.Errorf("Serve error %q, want a flasky: error wrapping context.DeadlineExceeded", err)
	}
	select {
	case <-finished:
		t.Errorf("Serve waited for the 300ms request despite its 50ms shutdown timeout")
	default:
	}
	<-finished
}

func TestServeServerSettings(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	app := flasky.New()
	app.Logger = slog.New(newRecordMessages())
	var seen http.Server
	var calls int
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Serve starts, runs the options and stops at once.
	err = app.Serve(ctx, ln,
		flasky.ConfigureServer(func(s *http.Server) {
			calls++
			seen.ReadHeaderTimeout = s.ReadHeaderTimeout
			seen.ReadTimeout = s.ReadTimeout
			seen.WriteTimeout = s.WriteTimeout
			seen.IdleTimeout = s.IdleTimeout
			seen.MaxHeaderBytes = s.MaxHeaderBytes
			seen.Handler = s.Handler
			seen.ErrorLog = s.ErrorLog
		}),
		flasky.ConfigureServer(func(s *http.Server) { calls++ }))
	if err != nil {
		t.Errorf("Serve with a cancelled context: %v", err)
	}
	if calls != 2 {
		t.Errorf("ConfigureServer functions ran %d times, want 2", calls)
	}
	tests := []struct {
		name string
		ok   bool
		got  any
	}{
		{"ReadHeaderTimeout set", seen.ReadHeaderTimeout > 0 && seen.ReadHeaderTimeout <= 10*time.Second, seen.ReadHeaderTimeout},
		{"IdleTimeout set", seen.IdleTimeout > 0, seen.IdleTimeout},
		{"no ReadTimeout (uploads)", seen.ReadTimeout == 0, seen.ReadTimeout},
		{"no WriteTimeout (downloads)", seen.WriteTimeout == 0, seen.WriteTimeout},
		{"MaxHeaderBytes set", seen.MaxHeaderBytes > 0, seen.MaxHeaderBytes},
		{"Handler set", seen.Handler != nil, seen.Handler},
		{"ErrorLog set", seen.ErrorLog != nil, seen.ErrorLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Errorf("%s: got %v", tt.name, tt.got)
			}
		})
	}
	// The listener was closed by Serve.
	if _, err := ln.Accept(); err == nil {
		t.Errorf("Serve did not close its listener")
	}

	// A ConfigureServer option's changes are used.
	app2 := flasky.New()
	app2.Logger = slog.New(newRecordMessages())
	app2.Route("/", text("default"))
	base, cancel2, done := startServe(t, app2, flasky.ConfigureServer(func(s *http.Server) {
		s.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "replaced") })
	}))
	resp, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "replaced" {
		t.Errorf("ConfigureServer's handler not used: %q", b)
	}
	cancel2()
	if err := done(); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestServeReadHeaderTimeoutEnforced(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(newRecordMessages())
	app.Route("/", text("ok"))
	base, _, _ := startServe(t, app, flasky.ConfigureServer(func(s *http.Server) { s.ReadHeaderTimeout = 100 * time.Millisecond }))
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: x\r\n") // never ends the headers
	_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	t0 := time.Now()
	_, err = io.ReadAll(conn)
	if d := time.Since(t0); err != nil || d > 2*time.Second {
		t.Errorf("a client that never finishes its headers held the connection for %v (err %v)", d, err)
	}
}

func TestServeListenError(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(newRecordMessages())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := app.Run(ln.Addr().String()); err == nil || !strings.HasPrefix(err.Error(), "flasky:") {
		t.Errorf("Run on a busy port: %v, want a flasky: error", err)
	}
}

// TestDefaultLoggerFormat checks the console output of the default
// logger: plain lines as Flask's development server prints them, and a
// panic's stack on the lines below its message.
func TestDefaultLoggerFormat(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	app := flasky.New() // its logger writes to the pipe
	os.Stderr = saved

	var out strings.Builder
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&out, r)
		close(copied)
	}()

	app.Route("/s1", text("Hello s1"))
	app.Route("/panic", func(c *flasky.Ctx) error { panic("logged panic") })
	base, cancel, done := startServe(t, app)
	for _, p := range []string{"/s1", "/panic"} {
		resp, err := client.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	cancel()
	if err := done(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	w.Close()
	<-copied
	r.Close()

	lines := strings.Split(out.String(), "\n")
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	access := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\] "GET /s1 HTTP/1\.1" 200 -$`)
	access500 := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\] "GET /panic HTTP/1\.1" 500 -$`)
	var running, ok200, ok500, panicLine, goroutineLine bool
	for _, l := range lines {
		running = running || l == " * Running on http://127.0.0.1:"+port+"/ (Press CTRL+C to quit)"
		ok200 = ok200 || access.MatchString(l)
		ok500 = ok500 || access500.MatchString(l)
		panicLine = panicLine || strings.HasPrefix(l, "flasky: panic serving GET /panic: logged panic")
		goroutineLine = goroutineLine || strings.HasPrefix(l, "goroutine ")
	}
	for name, ok := range map[string]bool{"running line": running, "access line 200": ok200, "access line 500": ok500,
		"panic message line": panicLine, "stack on its own lines": goroutineLine} {
		t.Run(name, func(t *testing.T) {
			if !ok {
				t.Errorf("default logger output lacks the %s:\n%s", name, out.String())
			}
		})
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a client that trusts
// it, offering HTTP/2.
func selfSigned(t *testing.T) (tls.Certificate, []byte, []byte, *http.Client) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "flasky test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	t.Cleanup(c.CloseIdleConnections)
	return cert, certPEM, keyPEM, c
}

// The TLS option serves HTTPS with HTTP/2 and the banner says https://;
// a TLSConfig set with ConfigureServer alone, or one without a
// certificate, is an error, not a server that quietly speaks plain HTTP.
func TestServeTLS(t *testing.T) {
	cert, _, _, httpsClient := selfSigned(t)
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/", func(c *flasky.Ctx) error { return c.String(c.Scheme() + " " + c.Request.Proto) })
	base, cancel, done := startServe(t, app, flasky.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}))
	resp, err := httpsClient.Get(strings.Replace(base, "http://", "https://", 1) + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "https HTTP/2.0" {
		t.Errorf("GET over TLS: %q, want \"https HTTP/2.0\"", body)
	}
	cancel()
	if err := done(); err != nil {
		t.Error(err)
	}
	if msgs := strings.Join(rec.messages(), "\n"); !strings.Contains(msgs, " * Running on https://127.0.0.1:") {
		t.Errorf("banner does not say https:\n%s", msgs)
	}

	for _, tc := range []struct {
		name string
		opt  flasky.RunOption
		want string
	}{
		{"ConfigureServer alone", flasky.ConfigureServer(func(s *http.Server) { s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}} }), "flasky.TLS"},
		{"no certificate", flasky.TLS(&tls.Config{}), "no certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			if err := app.Serve(context.Background(), ln, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Serve: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// HTTP/2 in clear text (h2c), for a proxy that speaks it to the app, is
// the server's Protocols set through ConfigureServer.
func TestServeH2C(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/", func(c *flasky.Ctx) error { return c.String(c.Request.Proto) })
	base, cancel, done := startServe(t, app, flasky.ConfigureServer(func(s *http.Server) {
		s.Protocols = new(http.Protocols)
		s.Protocols.SetHTTP1(true)
		s.Protocols.SetUnencryptedHTTP2(true)
	}))
	defer func() { cancel(); _ = done() }()
	tr := &http.Transport{Protocols: new(http.Protocols)}
	tr.Protocols.SetUnencryptedHTTP2(true)
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "HTTP/2.0" {
		t.Errorf("h2c request served as %q, want HTTP/2.0", body)
	}
}
