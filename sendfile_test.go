package flasky_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flasky-go/flasky"
)

func TestSendFile(t *testing.T) {
	fx := newFixture(t)
	app, log := fx.app()
	jpg, _ := os.ReadFile("testdata/files/11.jpg")
	outside := filepath.Join(fx.outside, "outside.txt")
	send := func(p string, opts ...flasky.FileOption) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error { return c.SendFile(p, opts...) }
	}
	app.Route("/photo", send("11.jpg"))
	app.Route("/gif", send("11.jpg", flasky.Mimetype("image/gif")))
	app.Route("/csv", send("uploads/report.txt", flasky.Mimetype("text/csv")))
	app.Route("/attach", send("11.jpg", flasky.AsAttachment()))
	app.Route("/korean", send("11.jpg", flasky.AsAttachment(), flasky.DownloadName("사진.jpg")))
	app.Route("/inline-name", send("11.jpg", flasky.DownloadName("photo.jpg")))
	app.Route("/pdf-name", send("uploads/report.txt", flasky.DownloadName("report.pdf")))
	app.Route("/evil", send("uploads/report.txt", flasky.AsAttachment(), flasky.DownloadName("a\"b\r\nX: y.txt")))
	app.Route("/cache", send("11.jpg", flasky.MaxAge(time.Hour)))
	app.Route("/cache0", send("11.jpg", flasky.MaxAge(0)))
	app.Route("/nested", send("static/css/site.css"))
	app.Route("/abs", send(outside))
	app.Route("/missing", send("nope.jpg"))
	app.Route("/dir", send("static"))
	app.Route("/leave", send("../secret.txt"))
	app.Route("/leave2", send("static/../../x"))
	app.Route("/own-headers", func(c *flasky.Ctx) error {
		c.SetHeader("Cache-Control", "private, max-age=5")
		c.SetHeader("Content-Type", "application/x-custom")
		return c.SendFile("11.jpg")
	})
	tests := []struct {
		path string
		code int
		body string
		hdr  map[string]string
	}{
		{"/photo", 200, string(jpg), map[string]string{"Content-Type": "image/jpeg", "Content-Length": fmt.Sprint(len(jpg)),
			"Content-Disposition": `inline; filename="11.jpg"`, "Cache-Control": "no-cache", "Accept-Ranges": "bytes"}},
		{"/gif", 200, string(jpg), map[string]string{"Content-Type": "image/gif"}},
		{"/csv", 200, "report contents\n", map[string]string{"Content-Type": "text/csv; charset=utf-8"}},
		{"/attach", 200, string(jpg), map[string]string{"Content-Disposition": `attachment; filename="11.jpg"`}},
		{"/korean", 200, string(jpg), map[string]string{"Content-Type": "image/jpeg",
			"Content-Disposition": `attachment; filename="__.jpg"; filename*=UTF-8''%EC%82%AC%EC%A7%84.jpg`}},
		{"/inline-name", 200, string(jpg), map[string]string{"Content-Disposition": `inline; filename="photo.jpg"`}},
		{"/pdf-name", 200, "report contents\n", map[string]string{"Content-Type": "application/pdf"}},
		{"/cache", 200, string(jpg), map[string]string{"Cache-Control": "public, max-age=3600"}},
		{"/cache0", 200, string(jpg), map[string]string{"Cache-Control": "no-cache", "Expires": ""}},
		{"/nested", 200, "body { color: #333; }\n", map[string]string{"Content-Type": "text/css; charset=utf-8"}},
		{"/abs", 200, secretOutside + "\n", map[string]string{"Content-Type": ctText}},
		{"/own-headers", 200, string(jpg), map[string]string{"Cache-Control": "private, max-age=5", "Content-Type": "application/x-custom"}},
		{"/missing", 404, notFoundPage, nil},
		{"/dir", 404, notFoundPage, nil},
		{"/leave", 404, notFoundPage, nil},
		{"/leave2", 404, notFoundPage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != tt.code || w.Body.String() != tt.body {
				t.Errorf("GET %s = %d %q, want %d %q", tt.path, w.Code, shorten(w.Body.String()), tt.code, shorten(tt.body))
				return
			}
			for k, v := range tt.hdr {
				if got := w.Header().Get(k); got != v {
					t.Errorf("GET %s: %s = %q, want %q", tt.path, k, got, v)
				}
			}
		})
	}

	// Expires follows max-age.
	w := get(app, "/cache")
	exp, err := http.ParseTime(w.Header().Get("Expires"))
	if err != nil || exp.Before(time.Now().Add(59*time.Minute)) || exp.After(time.Now().Add(61*time.Minute)) {
		t.Errorf("Expires %q (%v), want an hour from now", w.Header().Get("Expires"), err)
	}

	// 사진.jpg comes back whole through Go's own parser.
	_, params, err := mime.ParseMediaType(get(app, "/korean").Header().Get("Content-Disposition"))
	if err != nil || params["filename"] != "사진.jpg" {
		t.Errorf("ParseMediaType: %q, %v; want 사진.jpg", params, err)
	}

	// The program's missing file is logged with its path; folders too.
	for _, want := range []string{`SendFile \"nope.jpg\"`, `SendFile \"static\": not a regular file`, `SendFile \"../secret.txt\"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, log.String())
		}
	}

	// Debug mode shows the cause, naming the path.
	app.Config.Debug = true
	if w := get(app, "/missing"); w.Code != 404 || !strings.Contains(w.Body.String(), "nope.jpg") {
		t.Errorf("debug 404 = %d %q", w.Code, w.Body.String())
	}
}

// TestSendFileHeaderInjection checks on the wire that a download name
// cannot add a header line.
func TestSendFileHeaderInjection(t *testing.T) {
	fx := newFixture(t)
	app, _ := fx.app()
	names := []string{"a\"b\r\nX: y.txt", "a\nX-Injected: 1", "x\rX-Injected: 1", "\"; filename=\"evil.exe", "a\\\"b"}
	app.Route("/dl/<int:i>", func(c *flasky.Ctx) error {
		return c.SendFile("uploads/report.txt", flasky.AsAttachment(), flasky.DownloadName(names[c.ParamInt("i")]))
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	rc := newRawClient(t, srv.Listener.Addr().String())
	for i, name := range names {
		a := rc.do("GET", fmt.Sprintf("/dl/%d", i), nil, "")
		if a.code != 200 {
			t.Errorf("%q: status %d", name, a.code)
			continue
		}
		head, _, _ := strings.Cut(a.head, "\r\n\r\n")
		var cd []string
		for _, line := range strings.Split(head, "\r\n") {
			if strings.HasPrefix(line, "X:") || strings.HasPrefix(line, "X-Injected") {
				t.Errorf("%q: injected header line %q", name, line)
			}
			if strings.HasPrefix(line, "Content-Disposition:") {
				cd = append(cd, line)
			}
			if strings.ContainsAny(line, "\r\n") {
				t.Errorf("%q: bare CR or LF in %q", name, line)
			}
		}
		if len(cd) != 1 {
			t.Errorf("%q: Content-Disposition lines %q, want one", name, cd)
			continue
		}
		_, params, err := mime.ParseMediaType(strings.TrimPrefix(cd[0], "Content-Disposition: "))
		if err != nil || len(params) != 1 || strings.ContainsAny(params["filename"], "\r\n") {
			t.Errorf("%q: %s parses to %q, %v", name, cd[0], params, err)
		}
	}
}

// TestSendFileRangeOverHTTP checks ranges and conditional requests of
// SendFile on a real server.
func TestSendFileRangeOverHTTP(t *testing.T) {
	fx := newFixture(t)
	app, _ := fx.app()
	app.Route("/photo", func(c *flasky.Ctx) error { return c.SendFile("11.jpg", flasky.AsAttachment()) })
	srv := httptest.NewServer(app)
	defer srv.Close()
	jpg, _ := os.ReadFile("testdata/files/11.jpg")
	req := func(hdr ...string) (*http.Response, []byte) {
		r, _ := http.NewRequest("GET", srv.URL+"/photo", nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, b := req("Range", "bytes=0-9")
	if resp.StatusCode != 206 || !bytes.Equal(b, jpg[:10]) || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 0-9/%d", len(jpg)) {
		t.Errorf("Range 0-9 = %d %d bytes %q", resp.StatusCode, len(b), resp.Header.Get("Content-Range"))
	}
	resp, _ = req("Range", "bytes=999999-")
	if resp.StatusCode != 416 || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes */%d", len(jpg)) {
		t.Errorf("Range 999999- = %d %q", resp.StatusCode, resp.Header.Get("Content-Range"))
	}
	resp, _ = req()
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp, b := req("If-None-Match", etag); resp.StatusCode != 304 || len(b) != 0 || resp.Header.Get("Content-Disposition") == "" {
		t.Errorf("If-None-Match %s = %d %d bytes %v", etag, resp.StatusCode, len(b), resp.Header)
	}
	if resp, _ := req("If-Modified-Since", lm); resp.StatusCode != 304 {
		t.Errorf("If-Modified-Since %s = %d", lm, resp.StatusCode)
	}
	// Multiple ranges: multipart/byteranges.
	resp, b = req("Range", "bytes=0-1,4-5")
	if resp.StatusCode != 206 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "multipart/byteranges; boundary=") ||
		!bytes.Contains(b, jpg[0:2]) || !bytes.Contains(b, []byte(fmt.Sprintf("bytes 4-5/%d", len(jpg)))) {
		t.Errorf("two ranges = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestSendFromDirectory(t *testing.T) {
	fx := newFixture(t)
	app, log := fx.app()
	absUploads := filepath.Join(fx.root, "uploads")
	app.Route("/u/<path:name>", func(c *flasky.Ctx) error { return c.SendFromDirectory("uploads", c.Param("name")) })
	app.Route("/abs/<path:name>", func(c *flasky.Ctx) error { return c.SendFromDirectory(absUploads, c.Param("name")) })
	// A query value carries any bytes: NUL, backslashes, drive letters.
	app.Route("/q", func(c *flasky.Ctx) error { return c.SendFromDirectory("uploads", c.Args.Get("name")) })
	app.Route("/att/<path:name>", func(c *flasky.Ctx) error {
		return c.SendFromDirectory("uploads", c.Param("name"), flasky.AsAttachment())
	})
	app.Route("/nodir/<path:name>", func(c *flasky.Ctx) error { return c.SendFromDirectory("no-such-folder", c.Param("name")) })
	app.Route("/updir/<path:name>", func(c *flasky.Ctx) error { return c.SendFromDirectory("../uploads", c.Param("name")) })

	for _, prefix := range []string{"/u/", "/abs/"} {
		for path, body := range map[string]string{"report.txt": "report contents\n", "sub/deep.txt": "nested upload\n"} {
			w := get(app, prefix+path)
			if w.Code != 200 || w.Body.String() != body || w.Header().Get("Content-Type") != ctText {
				t.Errorf("GET %s%s = %d %q %q", prefix, path, w.Code, w.Body.String(), w.Header().Get("Content-Type"))
			}
		}
		if fx.links {
			if w := get(app, prefix+"link-in"); w.Code != 200 || w.Body.String() != "report contents\n" {
				t.Errorf("GET %slink-in = %d", prefix, w.Code)
			}
		}
		for _, target := range append(traversalCorpus(prefix), prefix+"sub", prefix+"sub/", prefix+"report.txt/") {
			w := get(app, target)
			body := strings.ReplaceAll(w.Body.String(), "nested upload", "") // uploads/sub is inside
			checkNoSecret(t, "GET "+shorten(target), body)
			if w.Code != 404 && !(w.Code == 308 && strings.HasPrefix(w.Header().Get("Location"), prefix)) {
				t.Errorf("GET %s = %d, want 404", shorten(target), w.Code)
			}
		}
	}
	if w := get(app, "/att/report.txt"); w.Header().Get("Content-Disposition") != `attachment; filename="report.txt"` {
		t.Errorf("attachment: %q", w.Header().Get("Content-Disposition"))
	}

	long := strings.Repeat("a", 5000)
	for _, name := range []string{
		"", ".", "..", "../secret.txt", "../../secret.txt", "sub/../../secret.txt", "/etc/passwd", "//etc/passwd",
		fx.outside + "/outside.txt", `C:\`, `C:\Windows\win.ini`, "C:/Windows/win.ini", `\\server\share`, `\\?\C:\x`,
		`..\secret.txt`, "report.txt\x00", "report.txt\x00.jpg", "\x00", long, strings.Repeat("a/", 2500),
		"CON", "nul.txt", "com1/x", "AUX.tar.gz", "lpt1", "NUL ", "con.", "link-out", "link-up", "link-dir-out/outside.txt",
		"report.txt\n", "sub/", "sub",
	} {
		w := get(app, "/q?name="+url.QueryEscape(name))
		body := strings.ReplaceAll(w.Body.String(), "nested upload", "")
		checkNoSecret(t, fmt.Sprintf("name %q", shorten(name)), body)
		if w.Code != 404 {
			t.Errorf("name %q = %d %q, want 404", shorten(name), w.Code, shorten(w.Body.String()))
		}
	}
	if strings.Contains(log.String(), "level=WARN") || strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("client names were logged:\n%s", log.String())
	}

	// The program's folder mistakes are logged.
	for _, p := range []string{"/nodir/x", "/updir/report.txt"} {
		if w := get(app, p); w.Code != 404 {
			t.Errorf("GET %s = %d, want 404", p, w.Code)
		}
	}
	for _, want := range []string{`SendFromDirectory(\"no-such-folder\"`, `SendFromDirectory(\"../uploads\"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, log.String())
		}
	}
}

func TestSendFromDirectoryFS(t *testing.T) {
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"uploads/report.txt": {Data: []byte("report contents\n")},
		"uploads/CON":        {Data: []byte(secretDevice)},
		"secret.txt":         {Data: []byte(secretBeside)},
	}))
	app.Route("/q", func(c *flasky.Ctx) error { return c.SendFromDirectory("uploads", c.Args.Get("name")) })
	if w := get(app, "/q?name=report.txt"); w.Code != 200 || w.Body.String() != "report contents\n" || w.Header().Get("ETag") == "" {
		t.Errorf("report.txt = %d %q ETag %q", w.Code, w.Body.String(), w.Header().Get("ETag"))
	}
	for _, name := range []string{"../secret.txt", "/secret.txt", `..\secret.txt`, "CON", "a\x00", "", "."} {
		w := get(app, "/q?name="+url.QueryEscape(name))
		checkNoSecret(t, fmt.Sprintf("name %q", name), w.Body.String())
		if w.Code != 404 {
			t.Errorf("name %q = %d", name, w.Code)
		}
	}
}

// pngBytes is the start of a PNG file: enough for sniffing.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

// onlyReader hides every method but Read.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestSendReader(t *testing.T) {
	app, _ := newTestApp()
	big := bytes.Repeat([]byte("0123456789"), 1000) // more than the sniffed head and net/http's buffer
	tests := []struct {
		name   string
		reader func() io.Reader
		opts   []flasky.FileOption
		ctype  string
		length string
		cd     string
		body   []byte
	}{
		{"mimetype", func() io.Reader { return bytes.NewReader(pngBytes) }, []flasky.FileOption{flasky.Mimetype("image/png")}, "image/png", fmt.Sprint(len(pngBytes)), "", pngBytes},
		{"download name", func() io.Reader { return bytes.NewReader([]byte("x")) }, []flasky.FileOption{flasky.DownloadName("chart.png")}, "image/png", "1", `inline; filename="chart.png"`, []byte("x")},
		{"attachment", func() io.Reader { return strings.NewReader("a,b\n") }, []flasky.FileOption{flasky.AsAttachment(), flasky.DownloadName("사진.csv")}, "text/csv; charset=utf-8", "4", `attachment; filename="__.csv"; filename*=UTF-8''%EC%82%AC%EC%A7%84.csv`, []byte("a,b\n")},
		{"attachment without a name", func() io.Reader { return strings.NewReader("x") }, []flasky.FileOption{flasky.AsAttachment()}, ctText, "1", "attachment", []byte("x")},
		{"sniffed png", func() io.Reader { return bytes.NewReader(pngBytes) }, nil, "image/png", fmt.Sprint(len(pngBytes)), "", pngBytes},
		{"sniffed html is text", func() io.Reader { return strings.NewReader("<html><script>x</script>") }, nil, ctText, "24", "", []byte("<html><script>x</script>")},
		{"plain reader, small", func() io.Reader { return onlyReader{bytes.NewReader(pngBytes)} }, nil, "image/png", fmt.Sprint(len(pngBytes)), "", pngBytes},
		{"plain reader, big", func() io.Reader { return onlyReader{bytes.NewReader(big)} }, nil, ctText, "", "", big},
		{"plain reader, mimetype", func() io.Reader { return onlyReader{strings.NewReader("{}")} }, []flasky.FileOption{flasky.Mimetype("application/json")}, "application/json", "2", "", []byte("{}")},
		{"empty", func() io.Reader { return strings.NewReader("") }, nil, ctText, "0", "", nil},
		{"seeker not at start", func() io.Reader { r := strings.NewReader("abcdef"); r.Seek(3, io.SeekStart); return r }, nil, ctText, "6", "", []byte("abcdef")},
	}
	for i, tt := range tests {
		app.Route(fmt.Sprintf("/r%d", i), func(c *flasky.Ctx) error { return c.SendReader(tt.reader(), tt.opts...) })
	}
	srv := httptest.NewServer(app)
	defer srv.Close()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{"GET", "HEAD"} {
				req, _ := http.NewRequest(method, fmt.Sprintf("%s/r%d", srv.URL, i), nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := tt.body
				if method == "HEAD" {
					want = nil
				}
				if resp.StatusCode != 200 || !bytes.Equal(b, want) {
					t.Errorf("%s %s: %d %q, want %q", method, tt.name, resp.StatusCode, shorten(string(b)), shorten(string(want)))
				}
				got := map[string]string{"Content-Type": resp.Header.Get("Content-Type"), "Content-Length": resp.Header.Get("Content-Length"), "Content-Disposition": resp.Header.Get("Content-Disposition")}
				wantH := map[string]string{"Content-Type": tt.ctype, "Content-Length": tt.length, "Content-Disposition": tt.cd}
				if fmt.Sprint(got) != fmt.Sprint(wantH) {
					t.Errorf("%s %s: headers %v, want %v", method, tt.name, got, wantH)
				}
			}
		})
	}

	// A seeker answers ranges; a plain reader sends everything.
	app.Route("/range", func(c *flasky.Ctx) error { return c.SendReader(bytes.NewReader(big)) })
	app.Route("/norange", func(c *flasky.Ctx) error { return c.SendReader(onlyReader{bytes.NewReader(big)}) })
	if w := serve(app, "GET", "/range", nil, "Range", "bytes=0-9"); w.Code != 206 || w.Body.String() != "0123456789" {
		t.Errorf("range = %d %q", w.Code, w.Body.String())
	}
	if w := serve(app, "GET", "/norange", nil, "Range", "bytes=0-9"); w.Code != 200 || w.Body.Len() != len(big) {
		t.Errorf("plain reader with Range = %d %d bytes", w.Code, w.Body.Len())
	}
}

// failingReader gives some bytes, then an error.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk on fire")
	}
	n := min(len(p), f.n)
	for i := range p[:n] {
		p[i] = 'x'
	}
	f.n -= n
	return n, nil
}

func TestSendReaderReadError(t *testing.T) {
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/early", func(c *flasky.Ctx) error { return c.SendReader(&failingReader{n: 10}) })
	app.Route("/late", func(c *flasky.Ctx) error { return c.SendReader(&failingReader{n: 2000}) })
	if w := get(app, "/early"); w.Code != 500 || w.Body.String() != internalErrorPage {
		t.Errorf("early error = %d %q", w.Code, w.Body.String())
	}
	if w := get(app, "/late"); w.Code != 200 || w.Body.Len() != 2000 {
		t.Errorf("late error = %d %d bytes", w.Code, w.Body.Len())
	}
	msgs := strings.Join(rec.messages(), "\n")
	if strings.Count(msgs, "disk on fire") != 2 {
		t.Errorf("log:\n%s", msgs)
	}
}

func TestStream(t *testing.T) {
	app, log := newTestApp()
	next := make(chan struct{})
	app.Route("/events", func(c *flasky.Ctx) error {
		return c.Stream("text/event-stream", func(w io.Writer) error {
			for i := range 3 {
				if _, err := fmt.Fprintf(w, "data: %d\n\n", i); err != nil {
					return err
				}
				<-next // the client has read this piece: it was flushed
			}
			return nil
		})
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || resp.ContentLength != -1 {
		t.Errorf("stream: %d %q length %d", resp.StatusCode, resp.Header.Get("Content-Type"), resp.ContentLength)
	}
	br := bufio.NewReader(resp.Body)
	for i := range 3 {
		line, err := br.ReadString('\n')
		if err != nil || line != fmt.Sprintf("data: %d\n", i) {
			t.Fatalf("piece %d: %q, %v", i, line, err)
		}
		_, _ = br.ReadString('\n')
		next <- struct{}{}
	}
	if rest, _ := io.ReadAll(br); len(rest) != 0 {
		t.Errorf("after the pieces: %q", rest)
	}
	if log.String() != "" {
		t.Errorf("log: %s", log.String())
	}
}

func TestStreamClientGoesAway(t *testing.T) {
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	var (
		mu      sync.Mutex
		fnErr   error
		written int
	)
	done := make(chan error, 1)
	app.Route("/forever", func(c *flasky.Ctx) error {
		err := c.Stream("", func(w io.Writer) error {
			for {
				if _, err := w.Write([]byte("tick\n")); err != nil {
					mu.Lock()
					fnErr = err
					mu.Unlock()
					return err
				}
				mu.Lock()
				written++
				mu.Unlock()
				time.Sleep(time.Millisecond)
			}
		})
		done <- err
		return err
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/forever", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Type") != ctText {
		t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	if line != "tick\n" {
		t.Errorf("first line %q", line)
	}
	cancel()
	resp.Body.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Stream returned %v after the client left, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stream kept running after the client left")
	}
	mu.Lock()
	defer mu.Unlock()
	if fnErr == nil || written == 0 {
		t.Errorf("fn error %v after %d writes", fnErr, written)
	}
	time.Sleep(50 * time.Millisecond)
	for _, m := range rec.messages() {
		if strings.Contains(m, "500") || strings.Contains(m, "error") {
			t.Errorf("logged: %q", m)
		}
	}
}

func TestStreamHEADAndErrors(t *testing.T) {
	app, _ := newTestApp()
	called := false
	app.Route("/s", func(c *flasky.Ctx) error {
		return c.Stream("text/plain", func(w io.Writer) error {
			called = true
			_, err := io.WriteString(w, "body")
			return err
		})
	})
	app.Route("/deny", func(c *flasky.Ctx) error {
		return c.Stream("text/plain", func(w io.Writer) error { return flasky.Abort(403) })
	})
	app.Route("/empty", func(c *flasky.Ctx) error {
		return c.Status(201).Stream("text/plain", func(w io.Writer) error { return nil })
	})
	if w := serve(app, "HEAD", "/s", nil); w.Code != 200 || w.Body.Len() != 0 || called || w.Header().Get("Content-Type") != "text/plain" {
		t.Errorf("HEAD = %d %q called=%v %q", w.Code, w.Body.String(), called, w.Header().Get("Content-Type"))
	}
	if w := get(app, "/s"); w.Code != 200 || w.Body.String() != "body" || !w.Flushed {
		t.Errorf("GET = %d %q flushed=%v", w.Code, w.Body.String(), w.Flushed)
	}
	// An error before the first write still answers with its status.
	if w := get(app, "/deny"); w.Code != 403 || !strings.Contains(w.Body.String(), "403 Forbidden") {
		t.Errorf("error before writing = %d %q", w.Code, w.Body.String())
	}
	if w := get(app, "/empty"); w.Code != 201 || w.Body.Len() != 0 {
		t.Errorf("empty stream = %d %q", w.Code, w.Body.String())
	}
}
