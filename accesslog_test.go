package flasky_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestServeLogs(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/s1", text("Hello s1"))
	base, cancel, done := startServe(t, app)

	resp, err := client.Get(base + "/s1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "Hello s1" {
		t.Fatalf("GET /s1 = %d %q", resp.StatusCode, body)
	}
	resp, err = client.Get(base + "/missing?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := done(); err != nil {
		t.Errorf("Serve returned %v after cancel, want nil", err)
	}

	msgs := rec.messages()
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	wantRunning := " * Running on http://127.0.0.1:" + port + "/ (Press CTRL+C to quit)"
	access := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\] "GET /s1 HTTP/1\.1" 200 -$`)
	access404 := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\] "GET /missing\?x=1 HTTP/1\.1" 404 -$`)
	var sawRunning, sawAccess, saw404 bool
	for _, m := range msgs {
		sawRunning = sawRunning || m == wantRunning
		sawAccess = sawAccess || access.MatchString(m)
		saw404 = saw404 || access404.MatchString(m)
	}
	if !sawRunning {
		t.Errorf("no %q line; logged %q", wantRunning, msgs)
	}
	if !sawAccess {
		t.Errorf("no access line for GET /s1 in Werkzeug's format; logged %q", msgs)
	}
	if !saw404 {
		t.Errorf("no access line for GET /missing?x=1 with 404; logged %q", msgs)
	}
	for _, m := range msgs {
		if strings.Contains(m, "Debug mode") {
			t.Errorf("debug mode announced without Debug(): %q", m)
		}
	}
}

// The access log written by Serve shows the client's address: the
// forwarded one only when the peer is trusted.
func TestAccessLogShowsClientIP(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	tests := []struct {
		trust []string
		want  string
	}{
		{nil, "127.0.0.1 - - ["},
		{[]string{"198.51.100.0/24"}, "127.0.0.1 - - ["},
		{[]string{"127.0.0.1"}, "203.0.113.9 - - ["},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("trust %v", tt.trust), func(t *testing.T) {
			app := flasky.New()
			rec := newRecordMessages()
			app.Logger = slog.New(rec)
			if err := app.TrustProxies(tt.trust...); err != nil {
				t.Fatal(err)
			}
			app.Route("/", whoAmI)
			base, cancel, done := startServe(t, app)
			req, _ := http.NewRequest("GET", base+"/", nil)
			req.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.9")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cancel()
			if err := done(); err != nil {
				t.Errorf("Serve: %v", err)
			}
			if wantIP, _, _ := strings.Cut(tt.want, " "); string(body) != wantIP+" http" {
				t.Errorf("trust %q: handler saw %q, want %q", tt.trust, body, wantIP+" http")
			}
			var line string
			for _, m := range rec.messages() {
				if strings.Contains(m, `"GET / HTTP/1.1" 200`) {
					line = m
				}
			}
			if !strings.HasPrefix(line, tt.want) {
				t.Errorf("trust %q: access line %q, want it to start with %q", tt.trust, line, tt.want)
			}
		})
	}
}

type tenantKey struct{}

// ctxAttrHandler is a JSON handler that adds the tenant a handler put in
// the request's context, as a tracing or multi-tenant handler would.
type ctxAttrHandler struct{ slog.Handler }

func (h ctxAttrHandler) Handle(ctx context.Context, r slog.Record) error {
	if v, ok := ctx.Value(tenantKey{}).(string); ok {
		r.AddAttrs(slog.String("tenant", v))
	}
	return h.Handler.Handle(ctx, r)
}

// accessRecords serves app through AccessLogged (as a server other than
// Run would) and returns the JSON records it logged.
func accessRecords(t *testing.T, app *flasky.App, reqs ...*http.Request) ([]*httptest.ResponseRecorder, []map[string]any) {
	t.Helper()
	var out bytes.Buffer
	app.Logger = slog.New(ctxAttrHandler{slog.NewJSONHandler(&out, nil)})
	h := app.AccessLogged()
	var ws []*httptest.ResponseRecorder
	for _, r := range reqs {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		ws = append(ws, w)
	}
	var recs []map[string]any
	dec := json.NewDecoder(&out)
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, m)
	}
	return ws, recs
}

// The access record carries the request's facts as attributes a JSON
// handler writes, with Werkzeug's line as its message, and is logged
// with the handler's request context.
func TestAccessRecordFields(t *testing.T) {
	app := flasky.New()
	app.Route("/s5/<name>", func(c *flasky.Ctx) error {
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), tenantKey{}, "acme"))
		return c.String("data=" + c.Param("name"))
	})
	r := httptest.NewRequest("GET", "/s5/kim?x=1", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	ws, recs := accessRecords(t, app, r, httptest.NewRequest("POST", "/nowhere", nil))
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2: %v", len(recs), recs)
	}
	id := ws[0].Header().Get("X-Request-ID")
	for _, tc := range []struct {
		name string
		rec  map[string]any
		want map[string]any
	}{
		{"matched", recs[0], map[string]any{"level": "INFO", "method": "GET", "path": "/s5/kim", "rule": "/s5/<name>",
			"status": 200.0, "bytes": 8.0, "client": "192.0.2.7", "request_id": id, "tenant": "acme"}},
		{"404", recs[1], map[string]any{"method": "POST", "path": "/nowhere", "rule": "", "status": 404.0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.want {
				if tc.rec[k] != v {
					t.Errorf("%s = %v (%T), want %v; record %v", k, tc.rec[k], tc.rec[k], v, tc.rec)
				}
			}
			if d, ok := tc.rec["duration"].(float64); !ok || d <= 0 {
				t.Errorf("duration = %v, want a positive number of nanoseconds", tc.rec["duration"])
			}
			if msg, _ := tc.rec["msg"].(string); !strings.Contains(msg, `" `+fmt.Sprint(tc.rec["status"])+` -`) {
				t.Errorf("msg %q is not Werkzeug's line", msg)
			}
		})
	}
	if id == "" || id == ws[1].Header().Get("X-Request-ID") {
		t.Errorf("request ids %q and %q: want two different ones", id, ws[1].Header().Get("X-Request-ID"))
	}
}

// A request's own X-Request-ID is kept only from a trusted proxy; a
// handler's c.Logger() lines carry the same id as the access record.
func TestRequestID(t *testing.T) {
	app := flasky.New()
	if err := app.TrustProxies("10.0.0.0/8"); err != nil {
		t.Fatal(err)
	}
	app.Route("/", func(c *flasky.Ctx) error {
		c.Logger().Info("in handler")
		return c.String(c.RequestID())
	})
	for _, tc := range []struct {
		name, remote, header string
		keep                 bool
	}{
		{"trusted proxy", "10.1.2.3:4000", "req-42", true},
		{"untrusted client", "192.0.2.7:5555", "req-42", false},
		{"trusted proxy, unprintable id", "10.1.2.3:4000", "a b", false},
		{"no header", "10.1.2.3:4000", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.header != "" {
				r.Header.Set("X-Request-ID", tc.header)
			}
			ws, recs := accessRecords(t, app, r)
			id := ws[0].Header().Get("X-Request-ID")
			if (id == tc.header) != tc.keep || id == "" {
				t.Errorf("X-Request-ID sent back %q for %q, keep=%v", id, tc.header, tc.keep)
			}
			if ws[0].Body.String() != id {
				t.Errorf("c.RequestID() = %q, header %q", ws[0].Body.String(), id)
			}
			if len(recs) != 2 || recs[0]["msg"] != "in handler" || recs[0]["request_id"] != id || recs[0]["path"] != "/" || recs[1]["request_id"] != id {
				t.Errorf("records %v: want the handler's line and the access record, both with request_id %q", recs, id)
			}
		})
	}
}

// Without an access log, c.RequestID makes an id on first use and sends
// it back.
func TestRequestIDWithoutAccessLog(t *testing.T) {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.String(c.RequestID()) })
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if id := w.Header().Get("X-Request-ID"); id == "" || w.Body.String() != id {
		t.Errorf("id %q sent back, body %q", id, w.Body.String())
	}
}

// A handler whose client went away (its context is cancelled and it
// returns the error) is logged as 499 at Info, without an Error line or a
// stack, and nothing is written.
func TestClientGoneIs499AtInfo(t *testing.T) {
	app := flasky.New()
	app.Route("/slow", func(c *flasky.Ctx) error {
		<-c.Context().Done()
		return fmt.Errorf("query: %w", c.Context().Err())
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ws, recs := accessRecords(t, app, httptest.NewRequest("GET", "/slow", nil).WithContext(ctx))
	for _, rec := range recs {
		if rec["level"] != "INFO" {
			t.Errorf("record at %v: %v", rec["level"], rec)
		}
	}
	if len(recs) != 2 || recs[1]["status"] != 499.0 || !strings.Contains(fmt.Sprint(recs[0]["msg"]), "client went away") {
		t.Errorf("records %v, want a client-went-away line and an access record with 499", recs)
	}
	if ws[0].Body.Len() != 0 {
		t.Errorf("wrote %q to a client that left", ws[0].Body.String())
	}
}
