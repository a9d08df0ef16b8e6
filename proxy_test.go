package flasky_test

import (
	"crypto/tls"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestTrustProxiesRejectsBadEntries(t *testing.T) {
	tests := []struct {
		entry string
		ok    bool
	}{
		{"127.0.0.1", true},
		{" 10.0.0.0/8 ", true},
		{"::1", true},
		{"fd00::/8", true},
		{"::ffff:10.0.0.0/104", true},
		{"0.0.0.0/0", true},
		{"localhost", false},
		{"", false},
		{"10.0.0.0/33", false},
		{"10.0.0.1/", false},
		{"300.1.1.1", false},
		{"fe80::1%eth0", false},
		{"127.0.0.1:80", false},
		{"10.0.0.0/8,192.168.0.0/16", false},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.entry), func(t *testing.T) {
			app := flasky.New()
			err := app.TrustProxies("192.0.2.1", tt.entry)
			if tt.ok && err != nil {
				t.Errorf("TrustProxies(%q) = %v, want nil", tt.entry, err)
			}
			if !tt.ok {
				if err == nil {
					t.Errorf("TrustProxies(%q) = nil, want an error", tt.entry)
				} else if !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.entry)) || !strings.HasPrefix(err.Error(), "flasky: ") {
					t.Errorf("TrustProxies(%q) error %q does not start with flasky: and name the entry", tt.entry, err)
				}
			}
		})
	}
}

// A failed call keeps the list set before; a call with no argument
// trusts nobody again.
func TestTrustProxiesReplaces(t *testing.T) {
	app := flasky.New()
	app.Route("/", whoAmI)
	ask := func() string {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "10.0.0.1:5000"
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		return w.Body.String()
	}
	if err := app.TrustProxies("10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if got := ask(); got != "203.0.113.9 http" {
		t.Errorf("trusting 10.0.0.1: %q", got)
	}
	if err := app.TrustProxies("10.0.0.2", "nonsense"); err == nil {
		t.Fatal("TrustProxies with a bad entry returned nil")
	}
	if got := ask(); got != "203.0.113.9 http" {
		t.Errorf("after a failed TrustProxies the list changed: %q", got)
	}
	if err := app.TrustProxies(); err != nil {
		t.Fatal(err)
	}
	if got := ask(); got != "10.0.0.1 http" {
		t.Errorf("after TrustProxies(): %q, want the peer", got)
	}
}

func TestClientIPAndScheme(t *testing.T) {
	const (
		xff = "X-Forwarded-For"
		xfp = "X-Forwarded-Proto"
		fwd = "Forwarded"
	)
	local := []string{"127.0.0.1", "::1"}
	tests := []struct {
		name   string
		trust  []string
		remote string
		tls    bool
		hdr    []string // name, value pairs; a name may repeat
		want   string   // "ip scheme"
	}{
		// Default: nobody is trusted, headers are ignored.
		{"default ignores XFF", nil, "203.0.113.5:1234", false, []string{xff, "1.2.3.4", xfp, "https"}, "203.0.113.5 http"},
		{"default ignores Forwarded", nil, "203.0.113.5:1234", false, []string{fwd, "for=1.2.3.4;proto=https"}, "203.0.113.5 http"},
		{"default TLS", nil, "203.0.113.5:1234", true, nil, "203.0.113.5 https"},
		{"default loopback peer still ignored", nil, "127.0.0.1:1234", false, []string{xff, "1.2.3.4"}, "127.0.0.1 http"},

		// A peer outside the list cannot choose its address.
		{"untrusted peer spoofs XFF", local, "198.51.100.7:4000", false, []string{xff, "1.1.1.1", xfp, "https"}, "198.51.100.7 http"},
		{"untrusted peer spoofs Forwarded", local, "198.51.100.7:4000", false, []string{fwd, "for=1.1.1.1;proto=https"}, "198.51.100.7 http"},
		{"untrusted TLS peer keeps https", local, "198.51.100.7:4000", true, []string{xfp, "http"}, "198.51.100.7 https"},

		// A trusted proxy.
		{"trusted XFF", local, "127.0.0.1:4000", false, []string{xff, "203.0.113.9", xfp, "https"}, "203.0.113.9 https"},
		{"trusted no header", local, "127.0.0.1:4000", false, nil, "127.0.0.1 http"},
		{"client prepends a lie", local, "127.0.0.1:4000", false, []string{xff, "6.6.6.6, 203.0.113.9"}, "203.0.113.9 http"},
		{"client sends a trusted lie", local, "127.0.0.1:4000", false, []string{xff, "127.0.0.1, 203.0.113.9"}, "203.0.113.9 http"},
		{"chain of trusted proxies", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{xff, "6.6.6.6, 203.0.113.9, 10.1.2.3, 10.9.9.9"}, "203.0.113.9 http"},
		{"untrusted hop in the middle stops the walk", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{xff, "203.0.113.9, 198.51.100.1, 10.1.2.3"}, "198.51.100.1 http"},
		{"every hop trusted", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{xff, "10.0.0.5, 10.0.0.6"}, "10.0.0.5 http"},
		{"several XFF headers", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{xff, "6.6.6.6, 203.0.113.9", xff, "10.0.0.2"}, "203.0.113.9 http"},
		{"several XFF headers, client in the last", local, "127.0.0.1:4000", false, []string{xff, "6.6.6.6", xff, "203.0.113.9"}, "203.0.113.9 http"},
		{"empty elements ignored", local, "127.0.0.1:4000", false, []string{xff, ",203.0.113.9, ,"}, "203.0.113.9 http"},
		{"empty header", local, "127.0.0.1:4000", false, []string{xff, ""}, "127.0.0.1 http"},
		{"XFF with a port", local, "127.0.0.1:4000", false, []string{xff, "203.0.113.9:5555"}, "203.0.113.9 http"},

		// Garbage never reaches the result.
		{"garbage last", local, "127.0.0.1:4000", false, []string{xff, "203.0.113.9, not-an-ip"}, "127.0.0.1 http"},
		{"garbage before the client", local, "127.0.0.1:4000", false, []string{xff, "<script>, 203.0.113.9"}, "203.0.113.9 http"},
		{"garbage after trusted hops", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{xff, "x\r\ny, 10.0.0.7"}, "10.0.0.7 http"},
		{"overlong address", local, "127.0.0.1:4000", false, []string{xff, strings.Repeat("9", 5000)}, "127.0.0.1 http"},
		{"address with zone", local, "127.0.0.1:4000", false, []string{xff, "fe80::1%eth0"}, "fe80::1 http"},
		{"XFP garbage", local, "127.0.0.1:4000", false, []string{xff, "203.0.113.9", xfp, "javascript"}, "203.0.113.9 http"},
		{"XFP garbage keeps TLS", local, "127.0.0.1:4000", true, []string{xff, "203.0.113.9", xfp, "gopher"}, "203.0.113.9 https"},
		{"XFP upper case", local, "127.0.0.1:4000", false, []string{xff, "203.0.113.9", xfp, "HTTPS"}, "203.0.113.9 https"},
		{"XFP says http over TLS to the proxy", local, "127.0.0.1:4000", true, []string{xfp, "http"}, "127.0.0.1 http"},

		// X-Forwarded-Proto with one entry per hop.
		{"XFP per hop", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{xff, "203.0.113.9, 10.0.0.1", xfp, "https, http"}, "203.0.113.9 https"},
		{"XFP one entry for two hops", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{xff, "203.0.113.9, 10.0.0.1", xfp, "https"}, "203.0.113.9 https"},
		{"XFP extra entries: the last", local, "127.0.0.1:4000", false, []string{xff, "203.0.113.9", xfp, "http, https"}, "203.0.113.9 https"},

		// IPv6.
		{"IPv6 proxy and client", local, "[::1]:4000", false, []string{xff, "2001:db8::1"}, "2001:db8::1 http"},
		{"IPv6 client in brackets with port", local, "127.0.0.1:4000", false, []string{xff, "[2001:db8::1]:443"}, "2001:db8::1 http"},
		{"IPv6 client in brackets", local, "127.0.0.1:4000", false, []string{xff, "[2001:db8::1]"}, "2001:db8::1 http"},
		{"IPv6 written long", local, "127.0.0.1:4000", false, []string{xff, "2001:DB8:0:0:0:0:0:1"}, "2001:db8::1 http"},
		{"IPv4-mapped peer", local, "[::ffff:127.0.0.1]:4000", false, []string{xff, "203.0.113.9"}, "203.0.113.9 http"},
		{"IPv4-mapped client", local, "127.0.0.1:4000", false, []string{xff, "::ffff:203.0.113.9"}, "203.0.113.9 http"},
		{"IPv6 network", []string{"fd00::/8"}, "[fd12::3]:4000", false, []string{xff, "2001:db8::7"}, "2001:db8::7 http"},
		{"IPv6 peer outside network", []string{"fd00::/8"}, "[2001:db8::9]:4000", false, []string{xff, "2001:db8::7"}, "2001:db8::9 http"},
		{"mapped IPv4 network", []string{"::ffff:10.0.0.0/104"}, "10.1.1.1:4000", false, []string{xff, "203.0.113.9"}, "203.0.113.9 http"},

		// RFC 7239 Forwarded.
		{"Forwarded", local, "127.0.0.1:4000", false, []string{fwd, "for=192.0.2.60;proto=https;by=203.0.113.43"}, "192.0.2.60 https"},
		{"Forwarded names in any case", local, "127.0.0.1:4000", false, []string{fwd, "For=192.0.2.60; PROTO=HTTPS"}, "192.0.2.60 https"},
		{"Forwarded quoted IPv6 with port", local, "127.0.0.1:4000", false, []string{fwd, `for="[2001:db8:cafe::17]:4711"`}, "2001:db8:cafe::17 http"},
		{"Forwarded quoted IPv4 with port", local, "127.0.0.1:4000", false, []string{fwd, `for="192.0.2.43:47011";proto=https`}, "192.0.2.43 https"},
		{"Forwarded chain", []string{"127.0.0.1", "10.0.0.0/8"}, "127.0.0.1:4000", false, []string{fwd, "for=6.6.6.6;proto=http, for=192.0.2.43;proto=https, for=10.0.0.1;proto=http"}, "192.0.2.43 https"},
		{"Forwarded several headers", local, "127.0.0.1:4000", false, []string{fwd, "for=6.6.6.6", fwd, "for=192.0.2.43"}, "192.0.2.43 http"},
		{"Forwarded unknown", local, "127.0.0.1:4000", false, []string{fwd, "for=unknown;proto=https"}, "127.0.0.1 http"},
		{"Forwarded obfuscated", local, "127.0.0.1:4000", false, []string{fwd, `for="_hidden", for=192.0.2.43`}, "192.0.2.43 http"},
		{"Forwarded quoted comma", local, "127.0.0.1:4000", false, []string{fwd, `for="1.2.3.4, 5.6.7.8"`}, "127.0.0.1 http"},
		{"Forwarded unterminated quote", local, "127.0.0.1:4000", false, []string{fwd, `for="192.0.2.43`}, "127.0.0.1 http"},
		{"Forwarded escaped quote", local, "127.0.0.1:4000", false, []string{fwd, `for="192.0.2.\"43"`}, "127.0.0.1 http"},
		{"Forwarded without for", local, "127.0.0.1:4000", false, []string{fwd, "proto=https;by=10.0.0.1"}, "127.0.0.1 http"},
		{"Forwarded bad proto", local, "127.0.0.1:4000", false, []string{fwd, "for=192.0.2.43;proto=ftp"}, "192.0.2.43 http"},
		{"XFF wins over Forwarded", local, "127.0.0.1:4000", false, []string{fwd, "for=6.6.6.6;proto=https", xff, "203.0.113.9"}, "203.0.113.9 http"},
		{"XFP wins over Forwarded proto", local, "127.0.0.1:4000", false, []string{fwd, "for=192.0.2.43;proto=http", xfp, "https"}, "192.0.2.43 https"},

		// A peer that is not an IP address.
		{"unix socket peer", local, "@", false, []string{xff, "203.0.113.9"}, "@ http"},
		{"empty peer", local, "", false, []string{xff, "203.0.113.9"}, " http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := flasky.New()
			if err := app.TrustProxies(tt.trust...); err != nil {
				t.Fatal(err)
			}
			app.Route("/", whoAmI)
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tt.remote
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				req.Header.Add(tt.hdr[i], tt.hdr[i+1])
			}
			w := httptest.NewRecorder()
			app.ServeHTTP(w, req)
			if got := w.Body.String(); got != tt.want {
				t.Errorf("trust %q, peer %q, headers %q: got %q, want %q", tt.trust, tt.remote, tt.hdr, got, tt.want)
			}
		})
	}
}

// Headers of a megabyte, with quotes and hundreds of thousands of
// commas, are walked once: a walk that rescanned the header for each
// element would take minutes here.
func TestClientIPLongHeaders(t *testing.T) {
	app := flasky.New()
	if err := app.TrustProxies("127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	app.Route("/", whoAmI)
	junk := `"` + strings.Repeat(`,"1.1.1.1`, 120000) // about 1 MB
	tests := []struct {
		name string
		hdr  []string
		want string
	}{
		{"XFF", []string{"X-Forwarded-For", junk + ", 203.0.113.9", "X-Forwarded-Proto", junk + ",https"}, "203.0.113.9 https"},
		{"XFF all garbage", []string{"X-Forwarded-For", junk + `"`}, "127.0.0.1 http"},
		{"Forwarded", []string{"Forwarded", "for=" + junk + `", for=192.0.2.43;proto=https`}, "192.0.2.43 https"},
		{"Forwarded open quote", []string{"Forwarded", "for=192.0.2.43, " + junk}, "127.0.0.1 http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = "127.0.0.1:4000"
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				req.Header.Add(tt.hdr[i], tt.hdr[i+1])
			}
			w := httptest.NewRecorder()
			app.ServeHTTP(w, req)
			if got := w.Body.String(); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// A ClientIP that walks the header costs no allocation when the proxy
// sent one address, so the access log stays cheap behind a proxy.
func BenchmarkClientIPBehindProxy(b *testing.B) {
	app := flasky.New()
	if err := app.TrustProxies("127.0.0.1", "10.0.0.0/8"); err != nil {
		b.Fatal(err)
	}
	var got string
	app.Route("/", func(c *flasky.Ctx) error { got = c.ClientIP(); return nil })
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "127.0.0.1:4000"
	req.Header.Set("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		app.ServeHTTP(w, req)
	}
	if got != "203.0.113.9" {
		b.Fatalf("ClientIP = %q", got)
	}
}

// ExampleApp_TrustProxies shows an app behind a reverse proxy on the
// same machine: the proxy's headers are believed from 127.0.0.1 only.
func ExampleApp_TrustProxies() {
	app := flasky.New()
	if err := app.TrustProxies("127.0.0.1", "::1"); err != nil {
		panic(err)
	}
	app.Route("/ip", func(c *flasky.Ctx) error {
		return c.String(c.ClientIP() + " over " + c.Scheme())
	})

	ask := func(peer string) {
		req := httptest.NewRequest("GET", "/ip", nil)
		req.RemoteAddr = peer
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		req.Header.Set("X-Forwarded-Proto", "https")
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		fmt.Println(peer, "->", w.Body.String())
	}
	ask("127.0.0.1:50000")    // the proxy: its headers count
	ask("198.51.100.7:50000") // anyone else: the headers are ignored

	fmt.Println(app.TrustProxies("localhost"))
	// Output:
	// 127.0.0.1:50000 -> 203.0.113.9 over https
	// 198.51.100.7:50000 -> 198.51.100.7 over http
	// flasky: trusted proxy "localhost" is not an IP address or CIDR network
}
