// Run's server writes one line per request in Werkzeug's format.

package flasky

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/flasky-go/flasky/internal/logfmt"
)

// accessLogger wraps the app for the server that Run starts.
type accessLogger struct {
	app  *App
	next http.Handler
	pool sync.Pool
}

type accessState struct {
	rw  responseWriter
	buf []byte
}

func (l *accessLogger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st, _ := l.pool.Get().(*accessState)
	if st == nil {
		st = &accessState{buf: make([]byte, 0, 256)}
	}
	st.rw.reset(w, false)
	defer l.done(st, r)
	l.next.ServeHTTP(&st.rw, r)
}

func (l *accessLogger) done(st *accessState, r *http.Request) {
	status := st.rw.status
	if status == 0 {
		status = http.StatusOK
	}
	lg := l.app.Logger
	if lg.Enabled(context.Background(), slog.LevelInfo) {
		host, _ := l.app.clientIP(r) // the proxied client's, when trusted
		st.buf = logfmt.AppendAccess(st.buf[:0], host, time.Now(), r.Method, r.RequestURI, r.Proto, status)
		if h, ok := lg.Handler().(*logfmt.Handler); ok {
			h.WriteLine(st.buf) // the default console: buffered, no allocation
		} else {
			lg.Info(string(st.buf))
		}
	}
	st.rw.w = nil
	l.pool.Put(st)
}
