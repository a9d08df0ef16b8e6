//go:build unix

package flasky_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// TestRunDebugNoReloader runs Run itself with Debug and NoReloader: the
// debug page answers a panic from this very process, nothing about
// reloading is logged, and SIGINT stops it.
func TestRunDebugNoReloader(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/boom", func(c *flasky.Ctx) error { panic("shown by this process") })
	addr := freeAddr(t)
	done := make(chan error, 1)
	go func() { done <- app.Run(addr, flasky.Debug(), flasky.NoReloader(), flasky.NoAccessLog()) }()
	code, body := getOnceUp(t, client, "http://"+addr+"/boom")
	// Run has registered for SIGINT before it listened, so this reaches it.
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitReturn(t, done, 15*time.Second, "Run")
	if code != 500 || !strings.Contains(body, "shown by this process") {
		t.Errorf("GET /boom = %d, want the debug page with the panic:\n%.300s", code, body)
	}
	for _, m := range rec.messages() {
		if strings.Contains(strings.ToLower(m), "reload") || strings.Contains(m, "Restarting") {
			t.Errorf("NoReloader: logged %q", m)
		}
	}
}

// RunTLS serves HTTPS with HTTP/2 from PEM files, says https:// in its
// banner, and stops on SIGINT.
func TestRunTLS(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	_, certPEM, keyPEM, httpsClient := selfSigned(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := flasky.New().RunTLS("127.0.0.1:0", filepath.Join(dir, "missing.pem"), keyFile); err == nil || !strings.Contains(err.Error(), "missing.pem") {
		t.Errorf("RunTLS with a missing certificate file: %v, want an error naming it", err)
	}
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/", func(c *flasky.Ctx) error { return c.String(c.Request.Proto) })
	addr := freeAddr(t)
	done := make(chan error, 1)
	go func() { done <- app.RunTLS(addr, certFile, keyFile, flasky.NoAccessLog()) }()
	_, proto := getOnceUp(t, httpsClient, "https://"+addr+"/")
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitReturn(t, done, 15*time.Second, "RunTLS")
	if proto != "HTTP/2.0" {
		t.Errorf("RunTLS served %q, want HTTP/2.0", proto)
	}
	if msgs := strings.Join(rec.messages(), "\n"); !strings.Contains(msgs, " * Running on https://"+addr+"/") {
		t.Errorf("banner does not say https://%s:\n%s", addr, msgs)
	}
}
