package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const secret = "OUTSIDE-THE-SERVED-FOLDER"

// folder makes base/served with a few files, and base/outside.txt beside
// it; links out are made when the system allows.
func folder(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "served")
	files := map[string]string{
		"hello.txt":       "hello\n",
		"style.css":       "p{}\n",
		"page.html":       "<p>page</p>\n",
		"a&b <x>.txt":     "odd name\n",
		".hidden":         "dot\n",
		"sub/inner.txt":   "inner\n",
		"site/index.html": "<p>index</p>\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(base, "outside.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		_ = os.Symlink(filepath.Join(base, "outside.txt"), filepath.Join(dir, "link-out"))
		_ = os.Symlink("../outside.txt", filepath.Join(dir, "link-up"))
		_ = os.Symlink(base, filepath.Join(dir, "link-dir"))
		_ = os.Symlink("hello.txt", filepath.Join(dir, "link-in"))
	}
	return dir
}

func TestFileServer(t *testing.T) {
	app, err := newApp(folder(t))
	if err != nil {
		t.Fatal(err)
	}
	get := func(method, path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest(method, path, nil))
		return w
	}

	// The listing names every entry; odd names are escaped.
	w := get("GET", "/")
	for _, name := range []string{`href="hello.txt"`, `href="sub/"`, `href="site/"`, `href=".hidden"`, `href="a&b%20%3Cx%3E.txt"`, "a&amp;b &lt;x&gt;.txt"} {
		if w.Code != 200 || !strings.Contains(w.Body.String(), name) {
			t.Errorf("listing lacks %s: %d %q", name, w.Code, w.Body.String())
		}
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("listing type %q", ct)
	}

	type fileTest struct {
		name, method, path string
		code               int
		ctype, body        string
	}
	tests := []fileTest{
		{"text", "GET", "/hello.txt", 200, "text/plain; charset=utf-8", "hello\n"},
		{"css", "GET", "/style.css", 200, "text/css; charset=utf-8", "p{}\n"},
		{"html", "GET", "/page.html", 200, "text/html; charset=utf-8", "<p>page</p>\n"},
		{"in subfolder", "GET", "/sub/inner.txt", 200, "text/plain; charset=utf-8", "inner\n"},
		{"odd name", "GET", "/a&b%20%3Cx%3E.txt", 200, "text/plain; charset=utf-8", "odd name\n"},
		{"index.html", "GET", "/site/", 200, "text/html; charset=utf-8", "<p>index</p>\n"},
		{"head", "HEAD", "/hello.txt", 200, "text/plain; charset=utf-8", ""},
		{"folder without slash", "GET", "/sub", 301, "", ""},
		{"missing", "GET", "/missing.txt", 404, "", ""},
		{"post", "POST", "/hello.txt", 405, "", ""},
	}
	if runtime.GOOS != "windows" {
		tests = append(tests, fileTest{"link inside", "GET", "/link-in", 200, "text/plain; charset=utf-8", "hello\n"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(tt.method, tt.path)
			if w.Code != tt.code {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, w.Code, tt.code)
				return
			}
			if tt.ctype != "" && (w.Header().Get("Content-Type") != tt.ctype || w.Body.String() != tt.body) {
				t.Errorf("%s %s = %q %q, want %q %q", tt.method, tt.path, w.Header().Get("Content-Type"), w.Body.String(), tt.ctype, tt.body)
			}
		})
	}
	if loc := get("GET", "/sub").Header().Get("Location"); loc != "sub/" {
		t.Errorf("/sub redirects to %q", loc)
	}
}

// TestFileServerTraversal sends raw request lines, so that no client
// cleans them first.
func TestFileServerTraversal(t *testing.T) {
	app, err := newApp(folder(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, target := range []string{
		"/../", "/%2e%2e/", "/..%2f", "/..%5c", "/../outside.txt", "/%2e%2e/outside.txt", "/..%2foutside.txt",
		"/..%5coutside.txt", `/..\outside.txt`, "/sub/../../outside.txt", "/sub/%2e%2e/%2e%2e/outside.txt",
		"//outside.txt", "/%2f..%2foutside.txt", "/link-out", "/link-up", "/link-dir/", "/link-dir/outside.txt",
		"/hello.txt%00", "/%00/../outside.txt",
	} {
		t.Run(target, func(t *testing.T) {
			code, resp := rawGET(t, srv.Listener.Addr().String(), target)
			if strings.Contains(resp, secret) {
				t.Errorf("GET %s served the outside file: %q", target, resp)
			}
			if strings.Contains(target, "outside") || strings.HasPrefix(target, "/link-") {
				if code != 404 && code != 400 && code != 308 && code != 301 {
					t.Errorf("GET %s = %d, want 404", target, code)
				}
			}
		})
	}
}

func rawGET(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target)
	b, _ := io.ReadAll(conn)
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(string(b))), nil)
	if err != nil {
		t.Fatalf("GET %s: %v in %q", target, err, b)
	}
	return resp.StatusCode, string(b)
}
