// A request names the site it wants in its Host header, and the client
// chooses it: an app that builds links or emails from it, or that sits
// behind a proxy forwarding any host, checks it against the hosts it
// serves (Flask's TRUSTED_HOSTS).

package flasky

import (
	"net"
	"net/http"
	"strconv"
	"strings"
)

// hostTrusted reports whether the request's host (without its port) is
// one of Config.TrustedHosts: "example.com" matches that host only,
// ".example.com" that host and every subdomain of it, as in Werkzeug.
func (a *App) hostTrusted(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, t := range a.Config.TrustedHosts {
		t = strings.ToLower(t)
		if sub, ok := strings.CutPrefix(t, "."); ok {
			if host == sub || strings.HasSuffix(host, t) {
				return true
			}
			continue
		}
		if host == t {
			return true
		}
	}
	return false
}

// refuseHost answers a request for a host the app does not serve.
func (a *App) refuseHost(c *Ctx) {
	a.handleError(c, &HTTPError{Code: http.StatusBadRequest,
		Message: "The Host header names a host this server does not serve.",
		Err:     errUntrustedHost{c.Request.Host}})
}

type errUntrustedHost struct{ host string }

func (e errUntrustedHost) Error() string {
	h := e.host
	if len(h) > 200 {
		h = h[:200] + "..."
	}
	return "flasky: Host " + strconv.Quote(h) + " is not in Config.TrustedHosts"
}
