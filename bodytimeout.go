// This file holds the body idle timeout: a request body that stops
// sending is cut off, so a stalled client cannot hold its handler (and a
// temp file, and a goroutine) for ever.

package flasky

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// readDeadliner is what net/http's ResponseWriter offers (see
// http.ResponseController) to bound the next read of the connection.
type readDeadliner interface {
	SetReadDeadline(time.Time) error
}

// idleBody moves the connection's read deadline before each read of the
// body, so only a body that sends nothing for idle fails, however long a
// large upload takes in all (nginx's client_body_timeout works the same
// way).
type idleBody struct {
	io.ReadCloser
	conn readDeadliner
	idle time.Duration
}

func (b *idleBody) Read(p []byte) (int, error) {
	_ = b.conn.SetReadDeadline(time.Now().Add(b.idle))
	n, err := b.ReadCloser.Read(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		err = &HTTPError{Code: http.StatusRequestTimeout,
			Message: fmt.Sprintf("The request body sent nothing for %v and was cut off.", b.idle),
			Err:     fmt.Errorf("flasky: request body idle for %v: %w", b.idle, err)}
	}
	return n, err
}

// watchBody installs the idle timeout on the request's body, unless there
// is no body, the timeout is off, or the server has a ReadTimeout of its
// own (a bound on the whole request that the idle deadline must not
// extend).
func (c *Ctx) watchBody() {
	r := c.Request
	idle := c.app.Config.BodyIdleTimeout
	if idle <= 0 || r.Body == nil || r.Body == http.NoBody {
		return
	}
	if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.ReadTimeout > 0 {
		return
	}
	conn := findDeadliner(c.rw.w)
	if conn == nil {
		return // not a network connection (httptest)
	}
	r.Body = &idleBody{ReadCloser: r.Body, conn: conn, idle: idle}
}

// findDeadliner unwraps w (middleware writers, the access log) down to
// the writer that can set the connection's read deadline.
func findDeadliner(w http.ResponseWriter) readDeadliner {
	for w != nil {
		if d, ok := w.(readDeadliner); ok {
			return d
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}
