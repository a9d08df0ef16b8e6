package flasky_test

// Helpers of the security corpora (security_*_test.go): requests parsed
// the way the server parses them, a raw keep-alive client that writes
// request lines byte for byte, tallies for the logs, and checks of
// redirect targets and header blocks.

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// parseTarget reads a request with target written as it is, as the
// server's own parser would; an error is what a real server answers
// with a 400.
func parseTarget(method, target string) (*http.Request, error) {
	raw := method + " " + target + " HTTP/1.1\r\nHost: good.example\r\n\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		return nil, err
	}
	req.RemoteAddr = "192.0.2.1:1234"
	return req, nil
}

// rawClient sends requests over one keep-alive connection, written byte
// for byte, so no client library cleans or escapes the target. It dials
// again when the server closed the connection.
type rawClient struct {
	t    *testing.T
	addr string
	conn net.Conn
	tap  *headTap
	br   *bufio.Reader
}

func newRawClient(t *testing.T, addr string) *rawClient {
	rc := &rawClient{t: t, addr: addr}
	t.Cleanup(rc.close)
	return rc
}

func (rc *rawClient) close() {
	if rc.conn != nil {
		_ = rc.conn.Close()
		rc.conn, rc.br, rc.tap = nil, nil, nil
	}
}

// rawAnswer is what came back for a raw request: the status (0 when the
// server closed the connection without one), the header block as sent,
// and the body.
type rawAnswer struct {
	code int
	head string
	body string
	resp *http.Response
}

// header returns a header of the answer ("" when there was none).
func (a rawAnswer) header(name string) string {
	if a.resp == nil {
		return ""
	}
	return a.resp.Header.Get(name)
}

// do sends method target with the extra header lines and the body, and
// reads the answer. The request is written while the answer is read, so
// a server that answers early (a 413, a 431) is heard.
func (rc *rawClient) do(method, target string, headerLines []string, body string) rawAnswer {
	rc.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: good.example\r\n", method, target)
	for _, l := range headerLines {
		b.WriteString(l + "\r\n")
	}
	if body != "" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n" + body)
	msg := b.String()
	for attempt := 0; ; attempt++ {
		if rc.conn == nil {
			c, err := net.Dial("tcp", rc.addr)
			if err != nil {
				rc.t.Fatal(err)
			}
			rc.conn, rc.tap = c, &headTap{r: c}
			rc.br = bufio.NewReader(rc.tap)
		}
		_ = rc.conn.SetDeadline(time.Now().Add(20 * time.Second))
		wrote := make(chan error, 1)
		go func(c net.Conn) {
			_, err := io.WriteString(c, msg)
			wrote <- err
		}(rc.conn)
		rc.tap.buf = rc.tap.buf[:0]
		rc.tap.buf = append(rc.tap.buf, peeked(rc.br)...)
		resp, err := http.ReadResponse(rc.br, &http.Request{Method: method})
		werr := <-wrote
		if err != nil {
			rc.close()
			if attempt == 0 && len(msg) < 64<<10 {
				continue // the server had closed this connection: dial again
			}
			return rawAnswer{}
		}
		body, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		head := rc.tap.head()
		if rerr != nil || resp.Close || werr != nil {
			rc.close()
		}
		return rawAnswer{code: resp.StatusCode, head: head, body: string(body), resp: resp}
	}
}

// peeked returns what br holds already, unread (nothing, between
// answers, unless the server sent more than it should).
func peeked(br *bufio.Reader) []byte {
	b, _ := br.Peek(br.Buffered())
	return b
}

// headTap records the bytes read through it, so the header block can be
// checked as it came over the wire.
type headTap struct {
	r   io.Reader
	buf []byte
}

func (h *headTap) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.buf = append(h.buf, p[:n]...)
	return n, err
}

// head returns the header block of the response read since the last
// reset.
func (h *headTap) head() string {
	s := string(h.buf)
	if i := strings.Index(s, "\r\n\r\n"); i >= 0 {
		return s[:i+2]
	}
	return s
}

// tally counts outcomes for a log line.
type tally map[string]int

func (t tally) add(k string) { t[k]++ }

func (t tally) String() string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(t)) {
		parts = append(parts, fmt.Sprintf("%s x%d", k, t[k]))
	}
	return strings.Join(parts, ", ")
}

// locationStaysHere reports why a redirect target could send a browser to
// another host, or "" when it cannot. A browser drops tabs and newlines
// from a URL and reads '\' as '/', so those are applied first; what is
// left must be a path that starts with one '/'.
func locationStaysHere(loc string) string {
	if strings.ContainsAny(loc, "\r\n\x00") {
		return "holds CR, LF or NUL"
	}
	b := strings.NewReplacer("\t", "", "\\", "/").Replace(loc)
	switch {
	case !strings.HasPrefix(loc, "/"):
		return "does not start with /"
	case strings.HasPrefix(b, "//"):
		return "starts with // (another host) once a browser reads it"
	}
	base, _ := url.Parse("http://good.example/some/page")
	u, err := url.Parse(b)
	if err != nil {
		return "does not parse: " + err.Error()
	}
	if r := base.ResolveReference(u); r.Host != "good.example" || r.Scheme != "http" {
		return "resolves to " + r.String()
	}
	return ""
}

// allocated runs fn and returns the bytes allocated meanwhile (by every
// goroutine: the server's too) and how long it took.
func allocated(fn func()) (uint64, time.Duration) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, d
}
