package flasky_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// With Config.TrustedHosts set, a request for any other host is a 400
// before routing, as Flask's TRUSTED_HOSTS makes it; without it, every
// host is served.
func TestTrustedHosts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []string
		host    string
		code    int
	}{
		{"no list serves any host", nil, "evil.example", 200},
		{"listed host", []string{"example.com"}, "example.com", 200},
		{"listed host with a port", []string{"example.com"}, "example.com:8443", 200},
		{"case and a final dot", []string{"example.com"}, "EXAMPLE.com.", 200},
		{"another host", []string{"example.com"}, "evil.example", 400},
		{"a subdomain of a plain entry", []string{"example.com"}, "www.example.com", 400},
		{"a subdomain of a dotted entry", []string{".example.com"}, "www.example.com", 200},
		{"the domain of a dotted entry", []string{".example.com"}, "example.com", 200},
		{"a look-alike of a dotted entry", []string{".example.com"}, "evilexample.com", 400},
		{"IPv6 with a port", []string{"::1"}, "[::1]:8080", 200},
		{"empty Host", []string{"example.com"}, "", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := flasky.New()
			app.Config.TrustedHosts = tc.trusted
			app.Route("/", func(c *flasky.Ctx) error { return c.String("home") })
			r := httptest.NewRequest("GET", "/", nil)
			r.Host = tc.host
			w := httptest.NewRecorder()
			app.ServeHTTP(w, r)
			if w.Code != tc.code {
				t.Errorf("Host %q with %q: %d, want %d", tc.host, tc.trusted, w.Code, tc.code)
			}
			if tc.code == 400 && !strings.Contains(w.Body.String(), "does not serve") {
				t.Errorf("400 without a reason: %q", w.Body.String())
			}
		})
	}
}
