package flasky_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// A body that keeps sending, slower than the idle timeout in all, is
// read to the end: the timeout is per read, not per request.
func TestBodyIdleTimeoutLetsSlowSteadyBodiesThrough(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Config.BodyIdleTimeout = 300 * time.Millisecond
	app.Route("/echo", func(c *flasky.Ctx) error {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("%d bytes", len(b)))
	}, "POST")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { _ = app.Serve(ctx, ln, flasky.NoAccessLog()); close(served) }()
	defer func() { cancel(); <-served }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const chunks, every = 12, 100 * time.Millisecond // 1.2 s in all, 4x the timeout
	fmt.Fprintf(conn, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", chunks*10)
	for range chunks {
		time.Sleep(every)
		if _, err := io.WriteString(conn, strings.Repeat("a", 10)); err != nil {
			t.Fatal(err)
		}
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "120 bytes" {
		t.Errorf("slow steady body: %d %q, want 200 \"120 bytes\"", resp.StatusCode, body)
	}
}

// A handler that reads its JSON body to the end (as json.Decoder does when
// it checks for trailing data) and then streams for longer than the idle
// timeout delivers every event: the timeout never fires once the body has
// ended.
func TestBodyIdleTimeoutNeverCutsAStreamAfterTheBody(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Config.BodyIdleTimeout = 300 * time.Millisecond
	const events, every = 8, 100 * time.Millisecond // 0.8 s, over twice the timeout
	app.Route("/events", func(c *flasky.Ctx) error {
		dec := json.NewDecoder(c.Request.Body)
		var in struct{ Topic string }
		if err := dec.Decode(&in); err != nil {
			return flasky.Abortf(400, "bad JSON: %v", err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return flasky.Abortf(400, "trailing data after the JSON value")
		}
		return c.Stream("text/event-stream", func(w io.Writer) error {
			for i := range events {
				if _, err := fmt.Fprintf(w, "data: %s %d\n\n", in.Topic, i); err != nil {
					return err
				}
				time.Sleep(every)
			}
			return nil
		})
	}, "POST")
	base, _, _ := startServe(t, app, flasky.NoAccessLog())
	res, err := client.Post(base+"/events", "application/json", strings.NewReader(`{"Topic":"news"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the stream: %v (after %q)", err, body)
	}
	if got := strings.Count(string(body), "data: news "); res.StatusCode != 200 || got != events {
		t.Errorf("got %d with %d events, want 200 with %d: %q", res.StatusCode, got, events, body)
	}
}

// A read deadline the handler sets with http.ResponseController wins over
// Config.BodyIdleTimeout: a body that pauses longer than the idle timeout,
// but within the handler's deadline, is read whole.
func TestHandlerReadDeadlineWinsOverBodyIdleTimeout(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Config.BodyIdleTimeout = 200 * time.Millisecond
	app.Route("/upload", func(c *flasky.Ctx) error {
		if err := http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
			return err
		}
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("%d bytes", len(b)))
	}, "POST")
	base, _, _ := startServe(t, app, flasky.NoAccessLog())
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n0123456789")
	time.Sleep(600 * time.Millisecond) // three times the idle timeout
	io.WriteString(conn, "abcdefghij")
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "20 bytes" {
		t.Errorf("paused body under the handler's deadline: %d %q, want 200 \"20 bytes\"", resp.StatusCode, body)
	}
}

// TestFormSizeLimit: Config.MaxFormMemory is documented as Werkzeug's
// max_form_memory_size (500 kB), which makes Flask answer 413 for a
// urlencoded body or a multipart text field over it, while files of any
// size are fine.
func TestFormSizeLimit(t *testing.T) {
	var big bytes.Buffer
	mw := multipart.NewWriter(&big)
	_ = mw.WriteField("a", "small")
	fw, _ := mw.CreateFormFile("f", "big.bin")
	_, _ = fw.Write(bytes.Repeat([]byte("y"), 700_000))
	mw.Close()
	var bigField bytes.Buffer
	mw2 := multipart.NewWriter(&bigField)
	_ = mw2.WriteField("a", strings.Repeat("x", 600_000))
	mw2.Close()
	const urlenc = "application/x-www-form-urlencoded"
	tests := []struct {
		name, ct, body string
		code           int
	}{
		{"urlencoded under the limit", urlenc, "a=" + strings.Repeat("x", 400_000), 200},
		{"urlencoded over the limit", urlenc, "a=" + strings.Repeat("x", 600_000), 413},
		{"multipart with a big file", mw.FormDataContentType(), big.String(), 200},
		{"multipart with a big field", mw2.FormDataContentType(), bigField.String(), 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := answer(t, "POST", "/", tt.body, func(c *flasky.Ctx) error {
				if err := c.Form.Err(); err != nil {
					return err
				}
				return c.String(fmt.Sprint(len(c.Form.Get("a"))))
			}, "Content-Type", tt.ct)
			if w.Code != tt.code {
				t.Errorf("%s: status %d, want %d (Flask)", tt.name, w.Code, tt.code)
			}
		})
	}
}

func TestMaxContentLengthCapsEveryBody(t *testing.T) {
	app, _ := newTestApp()
	app.Config.MaxContentLength = 10
	app.Route("/form", func(c *flasky.Ctx) error { return c.String(c.Form.Get("a") + fmt.Sprint(c.Form.Err() != nil)) }, "POST")
	app.Route("/json", func(c *flasky.Ctx) error {
		var v map[string]any
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		return c.String("ok")
	}, "POST")
	tests := []struct {
		path, ctype, body string
		code              int
	}{
		{"/form", "application/x-www-form-urlencoded", "a=1", 200},
		{"/form", "application/x-www-form-urlencoded", "a=" + strings.Repeat("x", 20), 413},
		{"/json", "application/json", `{"a":1}`, 200},
		{"/json", "application/json", `{"a":"` + strings.Repeat("x", 20) + `"}`, 413},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d bytes", tt.path, len(tt.body)), func(t *testing.T) {
			w := serve(app, "POST", tt.path, strings.NewReader(tt.body), "Content-Type", tt.ctype)
			if w.Code != tt.code {
				t.Errorf("POST %s (%d bytes) = %d %q, want %d", tt.path, len(tt.body), w.Code, w.Body.String(), tt.code)
			}
		})
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestUploadLimits(t *testing.T) {
	dir := t.TempDir()
	handler := func(c *flasky.Ctx) error {
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		if _, err := f.Save(dir); err != nil {
			return err
		}
		if err := c.Form.Err(); err != nil {
			return err
		}
		return c.String("ok")
	}
	app := uploadApp(t, handler)
	app.Config.MaxContentLength = 1000
	app.Route("/big", handler, "POST").SetMaxContentLength(0)
	app.Route("/small", handler, "POST").SetMaxContentLength(10).SetMaxFormParts(2).SetMaxFormMemory(5)

	send := func(target string, contentLength int64, parts ...part) (*httptest.ResponseRecorder, int) {
		body, ct := form(parts...)
		cr := &countingReader{r: strings.NewReader(body)}
		req := httptest.NewRequest("POST", target, cr)
		req.Header.Set("Content-Type", ct)
		req.ContentLength = contentLength
		if contentLength == 0 {
			req.ContentLength = int64(len(body))
		}
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		return w, cr.n
	}
	big := strings.Repeat("x", 2000)
	tests := []struct {
		name      string
		target    string
		length    int64 // 0: the body's; -1: chunked
		parts     []part
		code      int
		readsNone bool
	}{
		{"under MaxContentLength", "/up", 0, []part{file("f", "a", "small")}, 200, false},
		{"declared length over", "/up", 0, []part{file("f", "a", big)}, 413, true},
		{"chunked over", "/up", -1, []part{file("f", "a", big)}, 413, false},
		{"lying length over", "/up", 500, []part{file("f", "a", big)}, 413, false},
		{"route without limit", "/big", 0, []part{file("f", "a", big)}, 200, false},
		{"route with a smaller one", "/small", 0, []part{file("f", "a", "x")}, 413, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, n := send(tt.target, tt.length, tt.parts...)
			if w.Code != tt.code {
				t.Errorf("%s: %d, want %d", tt.name, w.Code, tt.code)
			}
			if tt.readsNone && n != 0 {
				t.Errorf("%s: %d bytes read before the 413", tt.name, n)
			}
			if tt.code == 413 && !strings.Contains(w.Body.String(), "<title>413 Request Entity Too Large</title>") {
				t.Errorf("%s: not Flask's 413 page: %q", tt.name, w.Body.String())
			}
		})
	}

	// Parts and memory.
	app = uploadApp(t, handler)
	app.Config.MaxFormParts = 3
	app.Config.MaxFormMemory = 100
	app.Route("/many", handler, "POST").SetMaxFormParts(0).SetMaxFormMemory(0)
	partTests := []struct {
		name, target string
		parts        []part
		code         int
	}{
		{"3 parts", "/up", []part{field("a", "1"), field("b", "2"), file("f", "a", "x")}, 200},
		{"4 parts", "/up", []part{field("a", "1"), field("b", "2"), field("c", "3"), file("f", "a", "x")}, 413},
		{"4 parts, file first", "/up", []part{file("f", "a", "x"), field("a", "1"), field("b", "2"), field("c", "3")}, 413},
		{"text over MaxFormMemory", "/up", []part{field("a", strings.Repeat("y", 101)), file("f", "a", "x")}, 413},
		{"text fields over MaxFormMemory together", "/up", []part{field("a", strings.Repeat("y", 60)), field("b", strings.Repeat("y", 60)), file("f", "a", "x")}, 413},
		{"a file is not text", "/up", []part{file("f", "a", strings.Repeat("z", 10000))}, 200},
		{"route override", "/many", []part{field("a", strings.Repeat("y", 1000)), field("b", "2"), field("c", "3"), file("f", "a", "x")}, 200},
	}
	for _, tt := range partTests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := form(tt.parts...)
			w := serve(app, "POST", tt.target, strings.NewReader(body), "Content-Type", ct)
			if w.Code != tt.code {
				t.Errorf("%s: %d, want %d", tt.name, w.Code, tt.code)
			}
		})
	}
	// The default is 1000 parts, as in Flask.
	app = uploadApp(t, handler)
	var many []part
	for i := range 1001 {
		many = append(many, field(fmt.Sprint("k", i), "v"))
	}
	if w := postForm(app, "/up", many...); w.Code != 413 {
		t.Errorf("1001 parts: %d, want 413", w.Code)
	}
	if w := postForm(app, "/up", append(many[:999], file("f", "a", "x"))...); w.Code != 200 {
		t.Errorf("1000 parts: %d, want 200", w.Code)
	}
}
