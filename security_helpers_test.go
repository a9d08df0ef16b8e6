package flasky_test

// Helpers of the security corpora (security_*_test.go): requests parsed
// the way the server parses them, tallies for the logs, and checks of
// redirect targets and header blocks. The raw keep-alive client that
// writes request lines byte for byte, rawClient, is in helpers_test.go.

import (
	"bufio"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
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
