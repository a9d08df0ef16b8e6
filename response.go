// The response side of Ctx, and the ResponseWriter wrapper that runs
// after-request hooks.

package flasky

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Content types are shared, never-modified slices: assigning them to the
// header map costs no allocation, unlike Header.Set.
var (
	ctText = []string{"text/plain; charset=utf-8"}
	ctHTML = []string{"text/html; charset=utf-8"}
	ctJSON = []string{"application/json"}
)

// Status sets the status code of the response the next call writes, like
// the second value a Flask view returns: c.Status(201).JSON(v).
func (c *Ctx) Status(code int) *Ctx {
	c.status = code
	return c
}

func (c *Ctx) statusOr(def int) int {
	if c.status != 0 {
		return c.status
	}
	return def
}

// SetHeader sets a response header. Control characters in value are
// sent as spaces (net/http does so for CR and LF only), so user data
// cannot end the line or make clients refuse the response.
func (c *Ctx) SetHeader(name, value string) { c.rw.Header().Set(name, headerValue(value)) }

// headerValue returns v with each control character but tab, which a
// header value may not hold, replaced by a space.
func headerValue(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 && v[i] != '\t' || v[i] == 0x7f {
			b := []byte(v)
			for j := i; j < len(b); j++ {
				if b[j] < 0x20 && b[j] != '\t' || b[j] == 0x7f {
					b[j] = ' '
				}
			}
			return string(b)
		}
	}
	return v
}

// SetCookie adds a Set-Cookie header. net/http drops a cookie whose name
// or value is invalid rather than let it break the header. A cookie over
// Config.MaxCookieSize (4093 bytes) is set with a warning in the app's
// log, since browsers may drop it.
func (c *Ctx) SetCookie(ck *http.Cookie) {
	c.app.warnCookieSize(ck, "")
	http.SetCookie(&c.rw, ck)
}

// String writes s as text/plain; charset=utf-8. Flask sends a returned str
// as text/html; flasky does not, so a string holding user input can never
// run as HTML in the browser. Use [Ctx.HTML] for markup.
func (c *Ctx) String(s string) error { return c.writeString(ctText, s) }

// HTML writes s as text/html; charset=utf-8. s is sent as it is: escape
// any user input in it (html.EscapeString), or use a template.
func (c *Ctx) HTML(s string) error { return c.writeString(ctHTML, s) }

func (c *Ctx) writeString(ct []string, s string) error {
	h := c.rw.Header()
	h["Content-Type"] = ct
	if c.buffer && !c.rw.wroteHeader {
		// Kept for the after hooks, copied here rather than handed to
		// keep, so that s does not escape (see the copy below).
		if !c.kept {
			c.kept, c.keptStatus, c.keptBody = true, c.statusOr(http.StatusOK), c.keptBody[:0]
		}
		c.keptBody = append(c.keptBody, s...)
		return nil
	}
	if c.rw.head {
		h["Content-Length"] = []string{strconv.Itoa(len(s))}
	}
	if c.status != 0 && c.status != http.StatusOK {
		c.rw.WriteHeader(c.status)
	} else {
		// The write below sends the 200 itself: one call less per request.
		c.rw.startOK()
	}
	if c.rw.head {
		return nil
	}
	// s is copied through the Ctx's buffer rather than handed to the
	// writer: then s does not escape, and a short string the handler built
	// by concatenation ("data=" + name) can live on the handler's stack
	// instead of the heap.
	for len(s) > 0 {
		n := copy(c.wbuf[:], s)
		m, err := c.rw.w.Write(c.wbuf[:n])
		c.rw.size += int64(m)
		if err != nil {
			return err
		}
		s = s[n:]
	}
	return nil
}

// Data writes b with the given content type; "" sets none (net/http
// then sniffs one from a body that has no type).
func (c *Ctx) Data(contentType string, b []byte) error {
	h := c.rw.Header()
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	if c.buffer {
		c.app.hooks.keep(c, c.statusOr(http.StatusOK), "", b)
		return nil
	}
	if c.rw.head {
		h["Content-Length"] = []string{strconv.Itoa(len(b))}
	}
	c.rw.WriteHeader(c.statusOr(http.StatusOK))
	if c.rw.head {
		return nil
	}
	_, err := c.rw.Write(b)
	return err
}

// JSON writes v encoded as JSON (application/json), like Flask's jsonify.
// A value that cannot be encoded is a 500 and nothing is sent.
func (c *Ctx) JSON(v any) error {
	var b []byte
	var err error
	if c.app.Config.Debug {
		b, err = json.MarshalIndent(v, "", "  ") // readable while debugging, as Flask's
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		return fmt.Errorf("flasky: JSON response: %w", err)
	}
	b = append(b, '\n')
	h := c.rw.Header()
	h["Content-Type"] = ctJSON
	if c.buffer {
		c.app.hooks.keep(c, c.statusOr(http.StatusOK), "", b)
		return nil
	}
	if c.rw.head {
		h["Content-Length"] = []string{strconv.Itoa(len(b))}
	}
	c.rw.WriteHeader(c.statusOr(http.StatusOK))
	if c.rw.head {
		return nil
	}
	_, err = c.rw.Write(b)
	return err
}

// Redirect sends the client to location with status 302, Flask's default.
// Another 3xx code is set the way every status is,
// c.Status(301).Redirect(url); a status outside 3xx is an error. Control
// characters in location are refused, so user data cannot split the
// header.
func (c *Ctx) Redirect(location string) error {
	status := c.statusOr(http.StatusFound)
	if status < 300 || status > 399 {
		return fmt.Errorf("flasky: Redirect to %q: status %d is not a redirect", location, status)
	}
	for i := 0; i < len(location); i++ {
		if location[i] < 0x20 || location[i] == 0x7f {
			return &HTTPError{Code: http.StatusBadRequest, Message: "The redirect target contains a control character.",
				Err: fmt.Errorf("flasky: Redirect: control character in %q", location)}
		}
	}
	c.SetHeader("Location", location)
	esc := html.EscapeString(location)
	c.status = status
	return c.HTML("<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
		"<p>You should be redirected automatically to the target URL: <a href=\"" + esc + "\">" + esc + "</a>. If not, click the link.\n")
}

// RedirectTo redirects to the URL of an endpoint, as Flask's
// redirect(url_for(endpoint, **values)) does: the URL is built by
// [Ctx.URLFor] (so it keeps the request's prefix) and sent by
// [Ctx.Redirect] (302, or the status set with c.Status). An endpoint
// that cannot be built is the URLFor error, a 500.
//
//	return c.RedirectTo("blog.index", nil)
//	return c.RedirectTo("user", flasky.M{"id": 7})
func (c *Ctx) RedirectTo(endpoint string, values M) error {
	u, err := c.URLFor(endpoint, values)
	if err != nil {
		return err
	}
	return c.Redirect(u)
}

// NoContent answers 204 No Content.
func (c *Ctx) NoContent() error {
	c.answer(http.StatusNoContent)
	return nil
}

// Written reports whether the handler has answered: a response was
// written, or is kept for the after hooks.
func (c *Ctx) Written() bool { return c.responded() }

func (c *Ctx) responded() bool { return c.rw.wroteHeader || c.kept }

// responseWriter wraps the server's writer: it runs after-request hooks
// before the headers go out and counts what was written. Bodies written
// through it for HEAD requests go on to the server, which drops them after
// taking their length, as it does for any handler; flasky's own helpers
// set Content-Length and skip the body.
type responseWriter struct {
	w           http.ResponseWriter
	ctx         *Ctx // nil when used by the access log
	status      int
	size        int64
	wroteHeader bool
	head        bool
	// discard drops what the handler writes after an after hook failed
	// on its streamed response and the error page was sent instead.
	discard bool
	// access is set on the access log's writer only: its record.
	access *accessState
	// ownReadDeadline is set when the handler sets the connection's read
	// deadline itself; Config.BodyIdleTimeout then leaves it alone.
	// Atomic: a handler may read the body in another goroutine.
	ownReadDeadline atomic.Bool
}

func (rw *responseWriter) reset(w http.ResponseWriter, head bool) {
	rw.w, rw.status, rw.size, rw.wroteHeader, rw.head, rw.discard = w, 0, 0, false, head, false
}

// Header returns the response headers.
func (rw *responseWriter) Header() http.Header { return rw.w.Header() }

// WriteHeader runs the after hooks, then sends the status and headers.
// A response that starts this way is streamed: its hooks may change the
// status and headers but never see the body.
func (rw *responseWriter) WriteHeader(code int) {
	if rw.wroteHeader {
		return
	}
	if c := rw.ctx; c != nil {
		if c.kept || c.buffer && !c.afterRan {
			if code = c.app.hooks.startStream(c, code); code == 0 {
				return // sent already, or a hook failed and its error page went out
			}
		}
	}
	rw.sendHeader(code)
}

// sendHeader sends the status and headers, saving the session first.
func (rw *responseWriter) sendHeader(code int) {
	if c := rw.ctx; c != nil && c.sess != nil && c.sess.save != nil && !c.sess.save(c) {
		return // saving failed and the error page went out instead
	}
	rw.wroteHeader = true
	rw.status = code
	if rw.discard {
		return
	}
	rw.w.WriteHeader(code)
}

// startOK marks the response as started with 200, leaving the status
// line to the first body write. Only a request without after hooks, whose
// helpers do not keep bodies, gets here.
func (rw *responseWriter) startOK() {
	if rw.wroteHeader {
		return
	}
	if c := rw.ctx; c != nil && c.sess != nil && c.sess.save != nil && !c.sess.save(c) {
		return // saving failed: the error page went out, and rw.w drops the rest
	}
	rw.wroteHeader = true
	rw.status = http.StatusOK
}

// Write sends body bytes (none for HEAD).
func (rw *responseWriter) Write(b []byte) (int, error) {
	if !rw.wroteHeader {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.discard {
		return 0, errAfterFailed
	}
	n, err := rw.w.Write(b)
	rw.size += int64(n)
	return n, err
}

// WriteString sends body text without copying it.
func (rw *responseWriter) WriteString(s string) (int, error) {
	if !rw.wroteHeader {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.discard {
		return 0, errAfterFailed
	}
	n, err := io.WriteString(rw.w, s)
	rw.size += int64(n)
	return n, err
}

// Flush sends buffered data to the client.
func (rw *responseWriter) Flush() {
	if !rw.wroteHeader {
		rw.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(rw.w).Flush()
}

// Hijack lets the handler take over the connection (websockets).
func (rw *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	rw.wroteHeader = true
	return http.NewResponseController(rw.w).Hijack()
}

// SetReadDeadline sets the connection's read deadline, for
// http.ResponseController. A deadline the handler sets wins over
// Config.BodyIdleTimeout for the rest of the request.
func (rw *responseWriter) SetReadDeadline(t time.Time) error {
	if rw.ctx != nil {
		rw.ownReadDeadline.Store(true)
		rw.ctx.rare = true // so that release clears it
	}
	return http.NewResponseController(rw.w).SetReadDeadline(t)
}

// Unwrap returns the server's writer, for http.ResponseController.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.w }

// errCopied is what a copied Ctx reports when asked to write.
var errCopied = errors.New("flasky: a copied Ctx cannot write a response")

// copiedWriter is the writer of a Ctx made by Copy.
type copiedWriter struct{}

func (copiedWriter) Header() http.Header             { return http.Header{} }
func (copiedWriter) Write([]byte) (int, error)       { return 0, errCopied }
func (copiedWriter) WriteHeader(int)                 {}
func (copiedWriter) WriteString(string) (int, error) { return 0, errCopied }
