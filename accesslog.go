// The access log writes one record per request: Werkzeug's line as its
// message, and for any handler but the default console the request's
// facts as slog attributes too.

package flasky

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flasky-go/flasky/internal/logfmt"
)

// AccessLogged returns the app as an http.Handler that writes the access
// log, for a server other than [App.Run] and [App.Serve] (which log by
// default):
//
//	http.ListenAndServe(addr, app.AccessLogged())
//
// Each request gets a request id, sent back in X-Request-ID and put in
// the record and in [Ctx.Logger]. A request's X-Request-ID is kept only
// when it comes from a proxy trusted with [App.TrustProxies]; otherwise
// the client could choose ids that collide with others.
func (a *App) AccessLogged() http.Handler {
	a.accessLog = true
	return &accessLogger{app: a, next: a}
}

// accessLogger wraps the app with the access log.
type accessLogger struct {
	app  *App
	next http.Handler
	pool sync.Pool
}

// accessState is one request's record. Dispatch finds it through the
// writer chain (see accessFor) and fills in what only it knows.
type accessState struct {
	rw     responseWriter
	buf    []byte
	start  time.Time
	id     string
	rule   string
	ctx    context.Context // the handler's request context, for the record
	status int             // when set (499, client gone), replaces rw.status
}

func (l *accessLogger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st, _ := l.pool.Get().(*accessState)
	if st == nil {
		st = &accessState{buf: make([]byte, 0, 256)}
		st.rw.access = st
	}
	st.rw.reset(w, false)
	if _, console := l.app.Logger.Handler().(*logfmt.Handler); !console {
		st.start = time.Now() // for the duration attribute; the console has none
	}
	st.id = l.app.requestID(r)
	w.Header()["X-Request-Id"] = []string{st.id}
	defer l.done(st, r)
	l.next.ServeHTTP(&st.rw, r)
}

func (l *accessLogger) done(st *accessState, r *http.Request) {
	status := st.status
	if status == 0 {
		status = st.rw.status
	}
	if status == 0 {
		status = http.StatusOK
	}
	ctx := st.ctx
	if ctx == nil {
		ctx = r.Context()
	}
	lg := l.app.Logger
	if lg.Enabled(ctx, slog.LevelInfo) {
		host, _ := l.app.clientIP(r) // the proxied client's, when trusted
		if h, ok := lg.Handler().(*logfmt.Handler); ok {
			h.WriteAccess(host, r.Method, r.RequestURI, r.Proto, status) // buffered, no allocation
		} else {
			st.buf = logfmt.AppendAccess(st.buf[:0], host, time.Now(), r.Method, r.RequestURI, r.Proto, status)
			lg.LogAttrs(ctx, slog.LevelInfo, string(st.buf),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("rule", st.rule),
				slog.Int("status", status),
				slog.Int64("bytes", st.rw.size),
				slog.Duration("duration", time.Since(st.start)),
				slog.String("client", host),
				slog.String("request_id", st.id))
		}
	}
	st.rw.w, st.ctx, st.rule, st.id, st.status = nil, nil, "", "", 0
	l.pool.Put(st)
}

// accessRecord returns the access log's record of the request, or nil
// when it is not logged. It is looked for only when asked, so a request
// nobody logs pays nothing.
func (c *Ctx) accessRecord() *accessState {
	if !c.app.accessLog {
		return nil
	}
	w := c.rw.w
	for {
		if rw, ok := w.(*responseWriter); ok && rw.access != nil {
			return rw.access
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
}

// requestIDPrefix makes ids unique across processes; the counter, within
// one. Random bits per id would cost a system call or a lock each.
var (
	requestIDPrefix = func() string {
		var b [8]byte
		_, _ = rand.Read(b[:])
		return strconv.FormatUint(binary.LittleEndian.Uint64(b[:]), 16) + "-"
	}()
	requestIDCount atomic.Uint64
)

// requestID returns the request's id: the X-Request-ID a trusted proxy
// sent, or a new one.
func (a *App) requestID(r *http.Request) string {
	if len(a.proxies) > 0 {
		if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 200 && printableASCII(id) && a.fromTrustedProxy(r) {
			return id
		}
	}
	var b [40]byte
	out := append(b[:0], requestIDPrefix...)
	out = strconv.AppendUint(out, requestIDCount.Add(1), 16)
	return string(out)
}

// fromTrustedProxy reports whether the connection's peer is a proxy the
// app trusts.
func (a *App) fromTrustedProxy(r *http.Request) bool {
	if len(a.proxies) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	peer, err := netip.ParseAddr(host)
	return err == nil && a.proxies.trusts(peer.WithZone("").Unmap())
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
