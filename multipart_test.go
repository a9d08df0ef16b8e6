package flasky_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// TestMalformedMultipart: broken bodies are a 400 or a 413, quickly.
func TestMalformedMultipart(t *testing.T) {
	app := uploadApp(t, func(c *flasky.Ctx) error {
		if _, err := c.Files.Get("f"); err != nil {
			return err
		}
		return c.Form.Err()
	})
	good, ct := form(field("a", "1"), file("f", "a.txt", strings.Repeat("d", 10000)))
	hugeHeader := "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\nX-Big: " +
		strings.Repeat("h", 10<<20) + "\r\n\r\ndata\r\n--B--\r\n"
	manyHeaders := "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n" +
		strings.Repeat("X-A: b\r\n", 1<<20) + "\r\ndata\r\n--B--\r\n"
	tests := []struct {
		name, ct, body string
		codes          []int
	}{
		{"wrong boundary", "multipart/form-data; boundary=nope", good, []int{400}},
		{"no boundary", "multipart/form-data", good, []int{400}},
		{"truncated", ct, good[:len(good)/2], []int{400}},
		{"no final boundary", ct, strings.TrimSuffix(good, "--\r\n"), []int{400}},
		{"garbage", "multipart/form-data; boundary=B", strings.Repeat("\x00garbage\r\n", 100000), []int{400, 413}},
		{"10 MB of headers", "multipart/form-data; boundary=B", hugeHeader, []int{400, 413}},
		{"a million header lines", "multipart/form-data; boundary=B", manyHeaders, []int{400, 413}},
		{"bad Content-Disposition", "multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--B--\r\n", []int{400}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			w := serve(app, "POST", "/up", strings.NewReader(tt.body), "Content-Type", tt.ct)
			if !slices.Contains(tt.codes, w.Code) {
				t.Errorf("%s: %d %q, want one of %v", tt.name, w.Code, w.Body.String(), tt.codes)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%s: took %v", tt.name, d)
			}
		})
	}
}

// TestUploadCleanupAfterPanic: temporary files go even when the handler
// panics.
func TestUploadCleanupAfterPanic(t *testing.T) {
	app := uploadApp(t, func(c *flasky.Ctx) error {
		_ = c.Form.Get("a") // spools the file
		panic("boom")
	})
	var hits int
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		hits++
		// An error handler after the panic cannot start reading again.
		_, err := c.Files.Get("late")
		return c.String(fmt.Sprint("500 ", err != nil))
	})
	w := postForm(app, "/up", file("f", "big.bin", strings.Repeat("x", 200<<10)), field("a", "1"),
		file("late", "late.bin", strings.Repeat("y", 200<<10)))
	if w.Code != 500 || w.Body.String() != "500 true" || hits != 1 {
		t.Errorf("%d %q", w.Code, w.Body.String())
	}
	// The TMPDIR check of uploadApp runs at the end.
}

// TestUploadRealServer: over a socket, an over-limit Content-Length with
// Expect: 100-continue is answered 413 without the body being sent, and
// a chunked body over the limit is cut.
func TestUploadRealServer(t *testing.T) {
	dir := t.TempDir()
	app := uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		p, err := f.Save(dir)
		if err != nil {
			return err
		}
		return c.String(filepath.Base(p))
	})
	app.Config.MaxContentLength = 1 << 20
	srv := httptest.NewServer(app)
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", 2<<20)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 413 {
		t.Errorf("Expect: 100-continue over the limit: %d, want 413 (not 100)", resp.StatusCode)
	}

	body, ct := form(file("f", "chunked.bin", strings.Repeat("c", 2<<20)))
	req, _ := http.NewRequest("POST", srv.URL+"/up", io.MultiReader(strings.NewReader(body))) // no length: chunked
	req.Header.Set("Content-Type", ct)
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		if res.StatusCode != 413 {
			t.Errorf("chunked over the limit: %d, want 413", res.StatusCode)
		}
		res.Body.Close()
	}
	// Under the limit, chunked, it works.
	body, ct = form(file("f", "ok.bin", strings.Repeat("c", 1000)))
	req, _ = http.NewRequest("POST", srv.URL+"/up", io.MultiReader(strings.NewReader(body)))
	req.Header.Set("Content-Type", ct)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != "ok.bin" {
		t.Errorf("chunked under the limit: %d %q", res.StatusCode, b)
	}
	srv.Close()
	if names := listDir(t, dir); !slices.Equal(names, []string{"ok.bin"}) {
		t.Errorf("folder holds %q", names)
	}
}

// TestFormErrorMultipart: a broken multipart body is c.Form.Err(), a 400.
func TestFormErrorMultipart(t *testing.T) {
	app := uploadApp(t, func(c *flasky.Ctx) error {
		if err := c.Form.Err(); err != nil {
			return err
		}
		return c.String(c.Form.Get("a"))
	})
	body, ct := form(field("a", "1"))
	if w := serve(app, "POST", "/up", strings.NewReader(body[:len(body)-10]), "Content-Type", ct); w.Code != 400 {
		t.Errorf("truncated form: %d %q", w.Code, w.Body.String())
	}
	if w := serve(app, "POST", "/up", strings.NewReader(body), "Content-Type", ct); w.Code != 200 || w.Body.String() != "1" {
		t.Errorf("form: %d %q", w.Code, w.Body.String())
	}
	// Without enctype, the 400 of Files.Get says so.
	app = uploadApp(t, func(c *flasky.Ctx) error {
		_, err := c.Files.Get("file1")
		return err
	})
	w := serve(app, "POST", "/up", strings.NewReader("file1=photo.jpg"), "Content-Type", "application/x-www-form-urlencoded")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "enctype=&#34;multipart/form-data&#34;") {
		t.Errorf("urlencoded: %d %q", w.Code, w.Body.String())
	}
}
