// Error pages are written in Werkzeug's words and markup.

package flasky

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// HTTPError is an error that carries an HTTP status. Handlers return one
// (usually through [Abort]) to answer with that status; the app's error
// handlers turn it into a response.
type HTTPError struct {
	// Code is the HTTP status code, such as 404.
	Code int
	// Message replaces the default sentence of the error page. It is
	// shown to the client, escaped, so it must not hold secrets.
	Message string
	// Err is the underlying cause, if any. It is logged and shown only in
	// debug mode, never to clients in normal mode.
	Err error
	// Header holds extra response headers, such as Allow for a 405.
	Header http.Header
	// Response, when set, is sent as it is instead of an error page, and
	// no error handler runs (Flask's abort(response)); see [AbortWith].
	Response *Response
}

// Abort returns an [HTTPError] with the given status code, as Flask's
// abort(code) does; its page has the status's standard description.
//
//	if user == nil {
//		return flasky.Abort(404)
//	}
func Abort(code int) *HTTPError { return &HTTPError{Code: code} }

// Abortf is [Abort] with a description of its own for the error page,
// formatted as fmt.Sprintf does, like Flask's abort(code,
// description=...). The page escapes it.
//
//	return flasky.Abortf(404, "no user named %q", name)
func Abortf(code int, format string, args ...any) *HTTPError {
	return &HTTPError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error implements the error interface.
func (e *HTTPError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Code)
	}
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Code, msg, e.Err)
	}
	return strconv.Itoa(e.Code) + " " + msg
}

// Unwrap returns the underlying cause.
func (e *HTTPError) Unwrap() error { return e.Err }

// Description is the sentence shown on the error page: Message when set,
// else the standard sentence for the code.
func (e *HTTPError) Description() string {
	if e.Message != "" {
		return e.Message
	}
	if d, ok := descriptions[e.Code]; ok {
		return d
	}
	if e.Code >= 500 {
		return descriptions[500]
	}
	return descriptions[400]
}

// asHTTPError converts any error to an *HTTPError: HTTP errors keep their
// status, anything else becomes a 500 that keeps the cause for the log.
func asHTTPError(err error) *HTTPError {
	var he *HTTPError
	if errors.As(err, &he) {
		return he
	}
	return &HTTPError{Code: http.StatusInternalServerError, Err: err}
}

// descriptions are Werkzeug's sentences, so a Flask user sees the same page.
var descriptions = map[int]string{
	400: "The browser (or proxy) sent a request that this server could not understand.",
	401: "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.",
	403: "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
	404: "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
	405: "The method is not allowed for the requested URL.",
	408: "The server closed the network connection because the browser didn't finish the request within the specified time.",
	409: "A conflict happened while processing the request. The resource might have been modified while the request was being processed.",
	410: "The requested URL is no longer available on this server and there is no forwarding address. If you followed a link from a foreign page, please contact the author of this page.",
	411: "A request with this method requires a valid <code>Content-Length</code> header.",
	413: "The data value transmitted exceeds the capacity limit.",
	414: "The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed.",
	415: "The server does not support the media type transmitted in the request.",
	416: "The server cannot provide the requested range.",
	422: "The request was well-formed but was unable to be followed due to semantic errors.",
	429: "This user has exceeded an allotted request count. Try again later.",
	431: "One or more header fields exceeds the maximum size.",
	500: "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.",
	501: "The server does not support the action requested by the browser.",
	502: "The proxy server received an invalid response from an upstream server.",
	503: "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.",
	504: "The connection to an upstream server timed out.",
}

// errorPage renders Werkzeug's default error page for e.
func errorPage(e *HTTPError) string {
	title := strconv.Itoa(e.Code) + " " + statusText(e.Code)
	desc := e.Description()
	if e.Message != "" || e.Code != 411 {
		desc = html.EscapeString(desc)
	}
	return "<!doctype html>\n<html lang=en>\n<title>" + title + "</title>\n<h1>" +
		statusText(e.Code) + "</h1>\n<p>" + desc + "</p>\n"
}

// errorJSON is the error answer for a client that asked for JSON:
// {"code": 404, "name": "Not Found", "description": "..."}, the fields of
// Werkzeug's HTTPException; in debug mode also "error", the cause.
func errorJSON(e *HTTPError, debug bool) []byte {
	desc := e.Description()
	if e.Message == "" && e.Code == 411 {
		desc = strings.NewReplacer("<code>", "", "</code>", "").Replace(desc)
	}
	b := append(make([]byte, 0, 256), `{"code":`...)
	b = strconv.AppendInt(b, int64(e.Code), 10)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, statusText(e.Code))
	b = append(b, `,"description":`...)
	b = appendJSONString(b, desc)
	if debug && e.Err != nil {
		b = append(b, `,"error":`...)
		b = appendJSONString(b, e.Err.Error())
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string; '<', '>' and '&' are
// escaped as encoding/json does, so the answer is safe inside HTML too.
// Written by hand so that every program's error path does not link
// encoding/json's reflection.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
		case r == utf8.RuneError:
			b = append(b, `\ufffd`...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

// wantsJSON reports whether the client prefers JSON to HTML in its
// Accept header, as an API client does; a browser, or a client that says
// nothing, gets HTML.
func wantsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	if !strings.Contains(accept, "json") {
		return false
	}
	return acceptQuality(accept, "application", "json") > acceptQuality(accept, "text", "html")
}

// acceptQuality is the q value that the most specific range of an Accept
// header gives to type/subtype (a "+json" suffix counts as json), 0 when
// none does.
func acceptQuality(accept, typ, sub string) float64 {
	best, q := -1, 0.0
	for _, part := range strings.Split(accept, ",") {
		mediaRange, params, _ := strings.Cut(part, ";")
		t, s, _ := strings.Cut(strings.TrimSpace(mediaRange), "/")
		spec := -1
		switch {
		case strings.EqualFold(t, typ) && (strings.EqualFold(s, sub) || strings.HasSuffix(strings.ToLower(s), "+"+sub)):
			spec = 2
		case strings.EqualFold(t, typ) && s == "*":
			spec = 1
		case t == "*" && s == "*":
			spec = 0
		}
		if spec <= best {
			continue
		}
		best, q = spec, 1
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
	}
	return q
}

// statusText is http.StatusText with a fallback, so a page never has an
// empty heading.
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error"
}
