// The client's address and scheme are read from forwarding headers only
// when the connection comes from a proxy the app trusts.

package flasky

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxyList is the set of trusted proxy networks; empty trusts nobody.
type proxyList []netip.Prefix

// TrustProxies sets the reverse proxies whose forwarding headers the app
// believes, as IP addresses ("127.0.0.1", "::1") or CIDR networks
// ("10.0.0.0/8", "fd00::/8"). It replaces the list set before; with no
// argument the app trusts nobody, which is the default.
//
// Only a request whose direct peer is in the list has its
// X-Forwarded-For, X-Forwarded-Proto and RFC 7239 Forwarded headers read,
// by [Ctx.ClientIP], [Ctx.Scheme] and the access log. Anyone can send
// these headers, so trusting a network that clients can connect from
// lets them choose the address the app sees (as gin's trust-everyone
// default did, CVE-2020-28483).
//
// It returns an error naming the first entry that is neither an address
// nor a network, and then changes nothing. Call it before serving.
func (a *App) TrustProxies(proxies ...string) error {
	list := make(proxyList, 0, len(proxies))
	for _, s := range proxies {
		p, err := parseProxy(s)
		if err != nil {
			return err
		}
		list = append(list, p)
	}
	a.proxies = list
	return nil
}

// parseProxy reads one TrustProxies entry. An IPv4 network written in
// IPv6's mapped form (::ffff:10.0.0.0/104) becomes the IPv4 network, since
// peers are compared unmapped.
func parseProxy(s string) (netip.Prefix, error) {
	t := strings.TrimSpace(s)
	if !strings.Contains(t, "/") {
		addr, err := netip.ParseAddr(t)
		if err != nil || addr.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("flasky: trusted proxy %q is not an IP address or CIDR network", s)
		}
		addr = addr.Unmap()
		return netip.PrefixFrom(addr, addr.BitLen()), nil
	}
	p, err := netip.ParsePrefix(t)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("flasky: trusted proxy %q is not an IP address or CIDR network: %w", s, err)
	}
	p = p.Masked()
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p, nil
}

func (l proxyList) trusts(addr netip.Addr) bool {
	for _, p := range l {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// ClientIP returns the address of the client that made the request.
//
// By default it is the address of the connection's peer. When the peer
// is a proxy trusted with [App.TrustProxies], ClientIP reads the hops
// the proxies recorded in X-Forwarded-For (or, when the request has
// none, in RFC 7239 Forwarded "for=" values) from right to left, skips
// the trusted ones, and returns the first address that is not trusted:
// the one the outermost trusted proxy saw. Addresses a client wrote
// before that are ignored, since any client can send the header. An
// entry that is not an IP address ("unknown", an obfuscated name,
// garbage) stops the walk at the last address known to be good.
//
// The result is the host part of the peer's address as net/http gives
// it ("192.0.2.1", "2001:db8::1", or "@" for a Unix socket), or an
// address read from a header, always in canonical form: nothing a client
// wrote reaches the result unparsed.
func (c *Ctx) ClientIP() string {
	ip, _ := c.app.clientIP(c.Request)
	return ip
}

// Scheme returns "https" when the client reached the app over TLS and
// "http" otherwise.
//
// When the connection's peer is a proxy trusted with [App.TrustProxies],
// it is the scheme the proxy reports: X-Forwarded-Proto (the entry that
// belongs to the hop [Ctx.ClientIP] found, when each hop appended one;
// else the last), or when the request has no X-Forwarded-Proto, the
// "proto=" of that hop's Forwarded element. A value other than http or
// https is ignored.
func (c *Ctx) Scheme() string {
	r := c.Request
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	_, hop := c.app.clientIP(r)
	if !hop.trusted {
		return scheme
	}
	if protos := r.Header.Values("X-Forwarded-Proto"); len(protos) > 0 {
		if s, ok := forwardedProto(protos, hop); ok {
			return s
		}
		return scheme
	}
	if hop.header == "Forwarded" {
		if s, ok := httpScheme(hop.proto); ok {
			return s
		}
	}
	return scheme
}

// hop says where ClientIP stopped: whether the peer is trusted, in which
// header, at which entry counted from the right, and the proto= of a
// Forwarded element.
type hop struct {
	trusted bool
	header  string
	xff     []string // the X-Forwarded-For values walked
	index   int
	proto   string
}

// clientIP finds the client's address for r; the access log shares it.
// Without trusted proxies it costs what splitting RemoteAddr costs.
func (a *App) clientIP(r *http.Request) (string, hop) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(a.proxies) == 0 {
		return host, hop{}
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host, hop{}
	}
	best, raw := peer.WithZone("").Unmap(), host
	if !a.proxies.trusts(best) {
		return host, hop{}
	}
	h := hop{trusted: true}
	if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
		h.header, h.xff = "X-Forwarded-For", xff
		walkList(xff, func(entry string) bool {
			if entry == "" {
				return true // empty list elements are allowed and ignored
			}
			addr, ok := parseHopAddr(entry)
			if !ok {
				return false
			}
			best, raw = addr, entry
			h.index++
			return a.proxies.trusts(addr)
		})
		return addrString(best, raw), h
	}
	if fwd := r.Header.Values("Forwarded"); len(fwd) > 0 {
		h.header = "Forwarded"
		elems := forwardedElements(fwd)
		for i := len(elems) - 1; i >= 0; i-- {
			if elems[i] == "" {
				continue
			}
			forVal, proto := forwardedPairs(elems[i])
			addr, ok := parseHopAddr(forVal)
			if !ok {
				break
			}
			best, raw = addr, forVal
			h.index++
			h.proto = proto
			if !a.proxies.trusts(addr) {
				break
			}
		}
		return addrString(best, raw), h
	}
	return addrString(best, raw), h
}

// addrString returns addr in canonical form, reusing raw, the text it
// was parsed from, when that is already canonical: the common case costs
// no allocation.
func addrString(addr netip.Addr, raw string) string {
	var buf [64]byte
	b := addr.AppendTo(buf[:0])
	if string(b) == raw {
		return raw
	}
	return string(b)
}

// walkList calls fn on each element of a comma-separated header list,
// trimmed, from the last header's last element back to the first, until
// fn returns false. X-Forwarded-For and X-Forwarded-Proto have no quoted
// strings; a quote only makes its element garbage.
func walkList(values []string, fn func(string) bool) {
	for i := len(values) - 1; i >= 0; i-- {
		v := values[i]
		for {
			cut := strings.LastIndexByte(v, ',')
			if !fn(strings.TrimSpace(v[cut+1:])) {
				return
			}
			if cut < 0 {
				break
			}
			v = v[:cut]
		}
	}
}

// countList counts the non-empty elements of a comma-separated list.
func countList(values []string) int {
	n := 0
	walkList(values, func(e string) bool {
		if e != "" {
			n++
		}
		return true
	})
	return n
}

// forwardedElements splits Forwarded header values into their elements,
// trimmed, in order. Quoted strings may hold commas, so the values are
// read from the left, once: the cost stays linear in the header's size.
func forwardedElements(values []string) []string {
	var elems []string
	for _, v := range values {
		start, quoted := 0, false
		for i := 0; i < len(v); i++ {
			switch v[i] {
			case '\\':
				if quoted {
					i++
				}
			case '"':
				quoted = !quoted
			case ',':
				if !quoted {
					elems = append(elems, strings.TrimSpace(v[start:i]))
					start = i + 1
				}
			}
		}
		elems = append(elems, strings.TrimSpace(v[start:]))
	}
	return elems
}

// forwardedPairs returns the for= and proto= values of one Forwarded
// element ("for=192.0.2.60;proto=http;by=203.0.113.43"), unquoted.
// Parameter names are case-insensitive (RFC 7239, section 4).
func forwardedPairs(elem string) (forVal, proto string) {
	for pair := range strings.SplitSeq(elem, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			continue
		}
		value = unquoteHeader(strings.TrimSpace(value))
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "for":
			forVal = value
		case "proto":
			proto = value
		}
	}
	return forVal, proto
}

// unquoteHeader removes the quotes and backslash escapes of an HTTP
// quoted-string; a value without quotes is returned as it is.
func unquoteHeader(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseHopAddr reads one recorded hop: an IP address, possibly with a
// port ("192.0.2.1:8080", "[2001:db8::1]:443") or in brackets
// ("[2001:db8::1]"), as proxies write them. A zone is dropped: it names
// an interface of the proxy, not the client.
func parseHopAddr(s string) (netip.Addr, bool) {
	if addr, err := netip.ParseAddr(s); err == nil {
		return addr.WithZone("").Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().WithZone("").Unmap(), true
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if addr, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && addr.Is6() {
			return addr.WithZone("").Unmap(), true
		}
	}
	return netip.Addr{}, false
}

// forwardedProto picks the X-Forwarded-Proto entry of the client's hop
// when every hop appended one, else the last entry.
func forwardedProto(protos []string, h hop) (string, bool) {
	want := 1 // counted from the right
	if h.header == "X-Forwarded-For" && h.index > 0 && countList(protos) == countList(h.xff) {
		want = h.index
	}
	var got string
	n := 0
	walkList(protos, func(e string) bool {
		if e == "" {
			return true
		}
		n++
		if n == want {
			got = e
			return false
		}
		return true
	})
	return httpScheme(got)
}

// httpScheme accepts http and https in any case.
func httpScheme(s string) (string, bool) {
	switch {
	case strings.EqualFold(s, "https"):
		return "https", true
	case strings.EqualFold(s, "http"):
		return "http", true
	}
	return "", false
}
