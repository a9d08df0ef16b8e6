package flasky_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// sparseForm is the shape of gorilla/schema's CVE-2024-37298: a slice of
// structs that an index like a.1000000000.b would grow.
type sparseForm struct {
	Name string `schema:"name"`
	A    []struct {
		B string `schema:"b"`
	} `schema:"a"`
	N []int `schema:"n"`
}

// formsApp has one route per way a handler reads request values; each
// returns what it read, or the error.
func formsApp(t *testing.T) *flasky.App {
	app := uploadApp(t, func(c *flasky.Ctx) error { return c.NoContent() }) // TMPDIR checked empty at the end
	dest := t.TempDir()
	all := []string{"GET", "POST", "PUT"}
	app.Route("/args", func(c *flasky.Ctx) error {
		if err := c.Args.Err(); err != nil {
			return err
		}
		return c.String(fmt.Sprint(len(c.Args.All())))
	}, all...)
	app.Route("/bind", func(c *flasky.Ctx) error {
		var f sparseForm
		if err := c.Bind(&f); err != nil {
			return err
		}
		return c.String(fmt.Sprint(len(f.A), len(f.N)))
	}, all...)
	app.Route("/form", func(c *flasky.Ctx) error {
		if err := c.Form.Err(); err != nil {
			return err
		}
		return c.String(fmt.Sprint(len(c.Form.All())))
	}, all...)
	app.Route("/files", func(c *flasky.Ctx) error {
		n := 0
		for f, err := range c.Files.All() {
			if err != nil {
				return err
			}
			if _, err := f.Save(dest, flasky.Unique()); err != nil {
				return err
			}
			n++
		}
		if err := c.Form.Err(); err != nil {
			return err
		}
		return c.String(fmt.Sprint(n))
	}, all...)
	app.Route("/json", func(c *flasky.Ctx) error {
		var v any
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		return c.String("ok")
	}, all...)
	return app
}

// filler streams n bytes of b without holding them.
type filler struct {
	n int64
	b byte
}

func (f *filler) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), f.n)]
	for i := range p {
		p[i] = f.b
	}
	f.n -= int64(len(p))
	return len(p), nil
}

// body is a request body made when needed: head, n filler bytes, tail.
type body struct {
	head string
	n    int64
	fill byte
	tail string
	cut  int64 // when > 0, the client stops after this many bytes
}

func (b body) size() int64 { return int64(len(b.head)) + b.n + int64(len(b.tail)) }

func (b body) reader() io.Reader {
	r := io.MultiReader(strings.NewReader(b.head), &filler{b.n, b.fill}, strings.NewReader(b.tail))
	if b.cut > 0 {
		r = io.LimitReader(r, b.cut)
	}
	return r
}

// manyKeys is "k0=1&k1=1&..." with n keys.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		fmt.Fprintf(&b, "k%d=1", i)
	}
	return b.String()
}

// manyParts is a multipart body of n small text fields.
func manyParts(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "--B\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i)
	}
	b.WriteString("--B--\r\n")
	return b.String()
}

const (
	multipartB = "multipart/form-data; boundary=B"
	urlencoded = "application/x-www-form-urlencoded"
	mb50       = 50 << 20
)

// formCase is one hostile request.
type formCase struct {
	name, method, target, ctype string
	body                        body
	codes                       []int  // acceptable answers
	wantBody                    string // when the answer is a 200
}

func formCases() []formCase {
	fieldHead := "--B\r\nContent-Disposition: form-data; name=\"big\"\r\n\r\n"
	fileHead := "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
	ok := []int{200}
	return []formCase{
		{name: "10000 query keys", method: "GET", target: "/args?" + manyKeys(10000), codes: ok, wantBody: "10000"},
		{name: "10000 query keys into Bind", method: "GET", target: "/bind?" + manyKeys(10000), codes: ok, wantBody: "0 0"},
		{name: "10001 query keys (Go's limit)", method: "GET", target: "/args?" + manyKeys(10001), codes: []int{400}},
		{name: "10001 query keys into Bind", method: "GET", target: "/bind?" + manyKeys(10001), codes: []int{400}},
		{name: "malformed query", method: "GET", target: "/args?a=%zz&b=1", codes: []int{400}},
		{name: "100000 query keys", method: "GET", target: "/args?" + strings.Repeat("a&", 100000), codes: []int{400}},
		{name: "10000 urlencoded keys", method: "POST", target: "/form", ctype: urlencoded, body: body{head: manyKeys(10000)}, codes: ok, wantBody: "10000"},
		{name: "20000 urlencoded keys", method: "POST", target: "/form", ctype: urlencoded, body: body{head: manyKeys(20000)}, codes: []int{400}},
		{name: "sparse index a.1000000000.b", method: "GET", target: "/bind?a.1000000000.b=1", codes: []int{400}},
		{name: "sparse index a.1000000000", method: "GET", target: "/bind?a.1000000000=1", codes: []int{400}},
		{name: "sparse index n.1000000000", method: "GET", target: "/bind?n.1000000000=1", codes: []int{200, 400}},
		{name: "sparse index in a form body", method: "POST", target: "/bind", ctype: urlencoded, body: body{head: "a.1000000000.b=1&name=x"}, codes: []int{400}},
		{name: "sparse index in a multipart body", method: "POST", target: "/bind", ctype: multipartB,
			body: body{head: "--B\r\nContent-Disposition: form-data; name=\"a.999999999.b\"\r\n\r\n1\r\n--B--\r\n"}, codes: []int{400}},
		{name: "1000 multipart parts", method: "POST", target: "/form", ctype: multipartB, body: body{head: manyParts(1000)}, codes: ok, wantBody: "1000"},
		{name: "1001 multipart parts", method: "POST", target: "/form", ctype: multipartB, body: body{head: manyParts(1001)}, codes: []int{413}},
		{name: "1001 multipart parts to Files", method: "POST", target: "/files", ctype: multipartB, body: body{head: manyParts(1001)}, codes: []int{413}},
		{name: "50 MB text field", method: "POST", target: "/form", ctype: multipartB,
			body: body{head: fieldHead, n: mb50, fill: 'x', tail: "\r\n--B--\r\n"}, codes: []int{413}},
		{name: "50 MB text field to Files", method: "POST", target: "/files", ctype: multipartB,
			body: body{head: fieldHead, n: mb50, fill: 'x', tail: "\r\n--B--\r\n"}, codes: []int{413}},
		{name: "50 MB urlencoded value", method: "POST", target: "/form", ctype: urlencoded, body: body{head: "a=", n: mb50, fill: 'x'}, codes: []int{413}},
		{name: "50 MB JSON string", method: "POST", target: "/json", ctype: "application/json", body: body{head: `{"a":"`, n: mb50, fill: 'x', tail: `"}`}, codes: []int{413}},
		{name: "JSON nested 100000 deep", method: "POST", target: "/json", ctype: "application/json", body: body{n: 100000, fill: '['}, codes: []int{400}},
		{name: "a part with 10 MB of headers", method: "POST", target: "/files", ctype: multipartB,
			body: body{head: fileHead + "X-Big: ", n: 10 << 20, fill: 'h', tail: "\r\n\r\ndata\r\n--B--\r\n"}, codes: []int{400, 413}},
		{name: "a second part with 10 MB of headers", method: "POST", target: "/files", ctype: multipartB,
			body: body{head: "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" + fileHead + "X-Big: ", n: 10 << 20, fill: 'h',
				tail: "\r\n\r\ndata\r\n--B--\r\n"}, codes: []int{413}},
		{name: "a part with a million header lines", method: "POST", target: "/form", ctype: multipartB,
			body: body{head: fileHead + strings.Repeat("X-A: b\r\n", 1<<20), tail: "\r\ndata\r\n--B--\r\n"}, codes: []int{400, 413}},
		{name: "multipart without a boundary parameter", method: "POST", target: "/files", ctype: "multipart/form-data",
			body: body{head: manyParts(3)}, codes: []int{400}},
		{name: "multipart with an empty boundary", method: "POST", target: "/form", ctype: `multipart/form-data; boundary=""`,
			body: body{head: manyParts(3)}, codes: []int{400}},
		{name: "50 MB with no boundary line", method: "POST", target: "/files", ctype: multipartB, body: body{n: mb50, fill: 'z'}, codes: []int{400}},
		{name: "multipart cut halfway", method: "POST", target: "/files", ctype: multipartB,
			body: body{head: fileHead + "\r\n", n: 1 << 20, fill: 'd', tail: "\r\n--B--\r\n", cut: 512 << 10}, codes: []int{400}},
		{name: "text field cut halfway", method: "POST", target: "/form", ctype: multipartB,
			body: body{head: fieldHead, n: 100, fill: 'x', tail: "\r\n--B--\r\n", cut: 80}, codes: []int{400}},
		{name: "urlencoded body cut halfway", method: "POST", target: "/form", ctype: urlencoded,
			body: body{head: "a=", n: 1000, fill: 'x', cut: 500}, codes: []int{400}},
		{name: "JSON body cut halfway", method: "POST", target: "/json", ctype: "application/json",
			body: body{head: `{"a":"`, n: 1000, fill: 'x', tail: `"}`, cut: 500}, codes: []int{400}},
	}
}

// Bounds of every case: memory allocated while it runs (the server's
// included) and time. Generous: what they catch is a body read whole
// (50 MB) or a hang.
const (
	formAllocBound = 40 << 20
	formTimeBound  = 20 * time.Second
)

// TestSecurityForms sends each hostile form through httptest and over a
// real connection (the body streamed, a cut body ended with a half
// close), and checks the answer, the time and the memory it took.
func TestSecurityForms(t *testing.T) {
	app := formsApp(t)
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, tc := range formCases() {
		var code int
		var got string
		used, took := allocated(func() { code, got = formInProcess(app, tc) })
		checkFormAnswer(t, "httptest", tc, code, got, used, took)

		used, took = allocated(func() { code, got = formOverTCP(t, srv.Listener.Addr().String(), tc) })
		checkFormAnswer(t, "tcp", tc, code, got, used, took)
	}
	t.Logf("held: each case answered as listed within %v, allocating under %d MiB", formTimeBound, formAllocBound>>20)
}

func checkFormAnswer(t *testing.T, how string, tc formCase, code int, got string, used uint64, took time.Duration) {
	t.Helper()
	t.Logf("%-8s %-42s %d in %v, %.1f MiB allocated", how, tc.name, code, took.Round(time.Millisecond), float64(used)/(1<<20))
	okCode := false
	for _, c := range tc.codes {
		okCode = okCode || c == code
	}
	if !okCode {
		t.Errorf("%s %s: %d %q, want one of %v", how, tc.name, code, shorten(got), tc.codes)
	}
	if code == 200 && tc.wantBody != "" && got != tc.wantBody {
		t.Errorf("%s %s: body %q, want %q", how, tc.name, shorten(got), tc.wantBody)
	}
	if used > formAllocBound {
		t.Errorf("%s %s: %d bytes allocated, over %d", how, tc.name, used, formAllocBound)
	}
	if took > formTimeBound {
		t.Errorf("%s %s: took %v", how, tc.name, took)
	}
}

// formInProcess serves tc through httptest: the body is streamed, and a
// cut body ends early with io.ErrUnexpectedEOF, as a server's body
// reader reports a connection closed mid-body.
func formInProcess(app http.Handler, tc formCase) (int, string) {
	var r io.Reader
	if tc.body.size() > 0 {
		r = tc.body.reader()
		if tc.body.cut > 0 {
			r = io.MultiReader(r, errReader{io.ErrUnexpectedEOF})
		}
	}
	req := httptest.NewRequest(tc.method, tc.target, r)
	req.ContentLength = tc.body.size()
	if tc.ctype != "" {
		req.Header.Set("Content-Type", tc.ctype)
	}
	w := httptest.NewRecorder()
	app.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// formOverTCP writes tc byte for byte on a new connection while reading
// the answer; a cut body is followed by a half close, so the server sees
// the body end early and can still answer.
func formOverTCP(t *testing.T, addr string, tc formCase) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(formTimeBound))
	var head strings.Builder
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: good.example\r\nConnection: close\r\n", tc.method, tc.target)
	if tc.ctype != "" {
		fmt.Fprintf(&head, "Content-Type: %s\r\n", tc.ctype)
	}
	if tc.body.size() > 0 {
		fmt.Fprintf(&head, "Content-Length: %d\r\n", tc.body.size())
	}
	head.WriteString("\r\n")
	go func() {
		if _, err := io.WriteString(conn, head.String()); err != nil {
			return
		}
		_, _ = io.Copy(conn, tc.body.reader())
		if tc.body.cut > 0 {
			_ = conn.(*net.TCPConn).CloseWrite()
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err.Error()
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

// TestSecurityStalledBody: a client that sends half a body and then
// nothing holds only its own request. By default (bodies have no
// deadline, so slow uploads work) other clients are served meanwhile and
// the handler ends when the client goes; with ConfigureServer setting
// ReadTimeout the stalled request is answered 400 once it passes.
func TestSecurityStalledBody(t *testing.T) {
	serve := func(idle time.Duration, opts ...flasky.RunOption) (string, chan struct{}, chan error, func()) {
		app := formsApp(t)
		app.Logger = slog.New(slog.DiscardHandler)
		app.Config.BodyIdleTimeout = idle
		started, done := make(chan struct{}, 10), make(chan error, 10)
		app.Route("/slow", func(c *flasky.Ctx) error {
			started <- struct{}{}
			err := c.Form.Err()
			done <- err
			return err
		}, "POST")
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan struct{})
		go func() {
			_ = app.Serve(ctx, ln, append(opts, flasky.NoAccessLog(), flasky.ShutdownTimeout(time.Second))...)
			close(served)
		}()
		return ln.Addr().String(), started, done, func() { cancel(); <-served }
	}

	// BodyIdleTimeout off: the stalled request does not stop others; it
	// ends when its client leaves.
	addr, started, done, stop := serve(0)
	conn := stalledTo(t, addr, "/slow")
	select {
	case <-started: // the handler is reading the stalled body
	case <-time.After(formTimeBound):
		t.Fatal("the stalled request never reached its handler")
	}
	start := time.Now()
	resp, err := http.Get("http://" + addr + "/args?a=1")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("another client while one stalls: %v %v", resp, err)
	}
	resp.Body.Close()
	t.Logf("idle timeout off: another client was served in %v while one stalled mid-body", time.Since(start).Round(time.Millisecond))
	_ = conn.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("the stalled form read without an error")
		}
		t.Logf("idle timeout off: the stalled handler ended %v after its client left: %v", time.Since(start).Round(time.Millisecond), err)
	case <-time.After(formTimeBound):
		t.Fatal("the stalled handler did not end after its client left")
	}
	stop()

	// BodyIdleTimeout (default a minute): a 408 once the body has sent
	// nothing for that long, while other clients are served.
	addr, started, done, stop = serve(500 * time.Millisecond)
	conn = stalledTo(t, addr, "/slow")
	<-started
	if resp, err := http.Get("http://" + addr + "/args?a=1"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("another client while one stalls: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	start = time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(formTimeBound))
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("BodyIdleTimeout 500ms: no answer to the stalled body: %v", err)
	}
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("BodyIdleTimeout 500ms: stalled body answered %d, want 408", resp.StatusCode)
	}
	if err := <-done; err == nil {
		t.Error("the stalled form read without an error")
	}
	t.Logf("BodyIdleTimeout 500ms: the stalled body was answered %d after %v", resp.StatusCode, time.Since(start).Round(time.Millisecond))
	conn.Close()
	stop()

	// With a server ReadTimeout (which replaces the idle timeout): a 400
	// once it passes.
	addr, _, done, stop = serve(time.Hour, flasky.ConfigureServer(func(s *http.Server) { s.ReadTimeout = 500 * time.Millisecond }))
	defer stop()
	conn = stalledTo(t, addr, "/slow")
	defer conn.Close()
	start = time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(formTimeBound))
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("ReadTimeout 500ms: no answer to the stalled body: %v", err)
	}
	if resp.StatusCode != 400 {
		t.Errorf("ReadTimeout 500ms: stalled body answered %d, want 400", resp.StatusCode)
	}
	if err := <-done; err == nil {
		t.Error("the stalled form read without an error")
	}
	t.Logf("ReadTimeout 500ms: the stalled body was answered %d after %v", resp.StatusCode, time.Since(start).Round(time.Millisecond))
}

// stalledTo starts a multipart POST to target that declares 1 MiB and
// sends a few bytes of it.
func stalledTo(t *testing.T, addr, target string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: good.example\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		target, multipartB, 1<<20, "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhalf a va")
	return conn
}
