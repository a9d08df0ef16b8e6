package flasky

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
)

// TB is the part of *testing.T (and *testing.B) the test client uses to
// report a request it cannot build (Fatalf) and, in testing mode, a
// request that failed (Errorf).
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// TestClient sends requests to an app without a network, like Flask's
// app.test_client(): cookies the app sets are sent back on later
// requests (so sessions work), and redirects are followed when
// FollowRedirects is set. Create one with [App.TestClient].
//
// Requests look like Werkzeug's test requests: for Config.ServerName
// (http://localhost/ without it) with Config.PreferredURLScheme, as
// Flask's environ defaults, from 127.0.0.1, with User-Agent
// "flasky-testclient" unless a header says otherwise. A method's target
// is a path with an optional query ("/search?q=go"), or a full URL
// ("http://admin.example.com/users?page=2") for another host or scheme.
//
// With Config.Testing, Config.Debug or Config.PropagateExceptions on, a
// request whose handler failed (an error no error handler of its type
// took, or a panic) fails the test with the error and its stack, as
// Flask's test client raises the view's exception; the 500 response is
// returned all the same.
type TestClient struct {
	// FollowRedirects makes a 301, 302, 303, 307 or 308 answer lead to
	// the next request, as follow_redirects=True does in Flask; the
	// answers on the way are in TestResponse.History.
	FollowRedirects bool
	// Header is added to every request.
	Header http.Header

	h   http.Handler
	app *App // when h is one, for Session
	t   TB
	jar http.CookieJar
}

// TestResponse is the app's answer to a TestClient request.
type TestResponse struct {
	// Code is the status code, like Flask's response.status_code.
	Code int
	// Header holds the response headers.
	Header http.Header
	// Body is the response body, like Flask's response.data.
	Body []byte
	// Path is the path (and query) of the request that got this answer:
	// after redirects, the last one.
	Path string
	// History lists the redirect answers that led here, oldest first.
	History []*TestResponse
}

// Text returns the body as a string (Flask's get_data(as_text=True)).
func (r *TestResponse) Text() string { return string(r.Body) }

// JSON decodes the body into v.
func (r *TestResponse) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// TestFile is a file to upload with [TestClient.PostFiles].
type TestFile struct {
	Field    string // the form field, like "file1"
	Filename string // the name the browser sends
	Content  []byte
}

// TestOption adds a header or a body to a request of a [TestClient], as
// the keyword arguments of Flask's test client do (headers=, data=,
// json=): see [Header], [FormBody], [JSONBody] and [Body].
type TestOption func(*testRequest)

type testRequest struct {
	header      http.Header
	body        []byte
	contentType string
	hasBody     bool
	err         error
}

func (tr *testRequest) setBody(contentType string, b []byte, err error) {
	switch {
	case tr.err != nil:
	case err != nil:
		tr.err = err
	case tr.hasBody:
		tr.err = errors.New("two bodies given")
	default:
		tr.body, tr.contentType, tr.hasBody = b, contentType, true
	}
}

// Header adds a request header (Flask's headers={name: value}).
func Header(name, value string) TestOption {
	return func(tr *testRequest) { tr.header.Add(name, value) }
}

// FormBody sends form as an application/x-www-form-urlencoded body
// (Flask's data={...}).
func FormBody(form url.Values) TestOption {
	return func(tr *testRequest) { tr.setBody("application/x-www-form-urlencoded", []byte(form.Encode()), nil) }
}

// JSONBody sends v encoded as JSON, as application/json (Flask's
// json=v).
func JSONBody(v any) TestOption {
	return func(tr *testRequest) {
		b, err := json.Marshal(v)
		tr.setBody("application/json", b, err)
	}
}

// Body sends data with the given Content-Type (Flask's data= with
// content_type=); an empty contentType sends none.
func Body(contentType string, data []byte) TestOption {
	return func(tr *testRequest) { tr.setBody(contentType, data, nil) }
}

// TestClient returns a client that sends requests to the app in process.
// Pass the test's t: a request that cannot be built ends the test. With a
// nil t (in an Example, say) such a request panics instead.
//
//	client := app.TestClient(t)
//	res := client.Post("/login", url.Values{"user": {"kim"}})
//	res = client.Get("/profile") // the session cookie goes with it
func (a *App) TestClient(t TB) *TestClient {
	return NewTestClient(a, t)
}

// NewTestClient returns a test client for any http.Handler, such as an
// app wrapped in middleware.
func NewTestClient(h http.Handler, t TB) *TestClient {
	// cookiejar.New fails only with options that set a bad list.
	jar, _ := cookiejar.New(nil)
	app, _ := h.(*App)
	return &TestClient{h: h, app: app, t: t, jar: jar, Header: http.Header{}}
}

func (tc *TestClient) helper() {
	if tc.t != nil {
		tc.t.Helper()
	}
}

func (tc *TestClient) fatalf(format string, args ...any) {
	if tc.t == nil {
		panic(fmt.Sprintf(format, args...))
	}
	tc.t.Helper()
	tc.t.Fatalf(format, args...)
}

func (tc *TestClient) errorf(format string, args ...any) {
	if tc.t == nil {
		panic(fmt.Sprintf(format, args...))
	}
	tc.t.Helper()
	tc.t.Errorf(format, args...)
}

// testOrigin is where the test client's requests claim to go.
var testOrigin = &url.URL{Scheme: "http", Host: "localhost"}

// Werkzeug's test defaults: the host, the client's address, and a
// User-Agent in the place of Werkzeug/x.y.
const (
	testHost       = "localhost"
	testRemoteAddr = "127.0.0.1:1234"
	testUserAgent  = "flasky-testclient"
)

// Get sends a GET request for target, a path with an optional query
// ("/search?q=go").
func (tc *TestClient) Get(target string, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(http.MethodGet, target, nil, "", opts)
}

// Post sends form as an application/x-www-form-urlencoded body, as an
// HTML form does; with a nil form, an option may give the body.
func (tc *TestClient) Post(target string, form url.Values, opts ...TestOption) *TestResponse {
	tc.helper()
	if form == nil {
		return tc.send(http.MethodPost, target, nil, "", opts)
	}
	return tc.send(http.MethodPost, target, []byte(form.Encode()), "application/x-www-form-urlencoded", opts)
}

// PostJSON sends v encoded as JSON.
func (tc *TestClient) PostJSON(target string, v any, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(http.MethodPost, target, nil, "", append([]TestOption{JSONBody(v)}, opts...))
}

// Put sends a PUT request; the options give its body and headers:
// client.Put("/items/1", flasky.JSONBody(item)).
func (tc *TestClient) Put(target string, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(http.MethodPut, target, nil, "", opts)
}

// Patch sends a PATCH request, like [TestClient.Put].
func (tc *TestClient) Patch(target string, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(http.MethodPatch, target, nil, "", opts)
}

// Delete sends a DELETE request (a body is allowed, as in Flask).
func (tc *TestClient) Delete(target string, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(http.MethodDelete, target, nil, "", opts)
}

// Head sends a HEAD request: the response has the headers of a GET and
// no body.
func (tc *TestClient) Head(target string, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(http.MethodHead, target, nil, "", opts)
}

// Options sends an OPTIONS request; the answer's Allow header lists the
// methods of the path.
func (tc *TestClient) Options(target string, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(http.MethodOptions, target, nil, "", opts)
}

// Request sends a request with any method, like Flask's client.open:
// client.Request("PROPFIND", "/dav/", flasky.Header("Depth", "1")).
func (tc *TestClient) Request(method, target string, opts ...TestOption) *TestResponse {
	tc.helper()
	return tc.send(method, target, nil, "", opts)
}

// PostFiles sends a multipart/form-data body with the form's fields and
// the files, as a form with enctype="multipart/form-data" does.
func (tc *TestClient) PostFiles(target string, form url.Values, files ...TestFile) *TestResponse {
	tc.helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				tc.fatalf("flasky: TestClient.PostFiles field %q: %v", k, err)
				return nil
			}
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.Field, f.Filename)
		if err == nil {
			_, err = w.Write(f.Content)
		}
		if err != nil {
			tc.fatalf("flasky: TestClient.PostFiles file %q: %v", f.Filename, err)
			return nil
		}
	}
	if err := mw.Close(); err != nil {
		tc.fatalf("flasky: TestClient.PostFiles: %v", err)
		return nil
	}
	return tc.send(http.MethodPost, target, body.Bytes(), mw.FormDataContentType(), nil)
}

// send builds a request from a body and the options, and sends it.
func (tc *TestClient) send(method, target string, body []byte, contentType string, opts []TestOption) *TestResponse {
	tc.helper()
	tr := testRequest{header: http.Header{}}
	if body != nil {
		tr.setBody(contentType, body, nil)
	}
	for _, o := range opts {
		o(&tr)
	}
	if tr.err != nil {
		tc.fatalf("flasky: TestClient: %s %s: %v", method, target, tr.err)
		return nil
	}
	r, err := newTestRequest(tc.app, method, target, tr.body, tr.hasBody)
	if err != nil {
		tc.fatalf("%v", err)
		return nil
	}
	if tr.contentType != "" {
		r.Header.Set("Content-Type", tr.contentType)
	}
	for k, vs := range tr.header {
		r.Header[k] = append(r.Header[k][:0:0], vs...)
	}
	return tc.Do(r)
}

// newTestRequest builds a request for target as Werkzeug's test client
// builds one, from 127.0.0.1: target is a path that may hold any Unicode
// ("/s5/홍길동", percent-encoded as a browser would), for a's
// Config.ServerName (or localhost) with its Config.PreferredURLScheme (or
// http), as Flask's environ defaults; or a full URL
// ("https://x.example.com/a?b=1"), whose scheme and host it is for. a
// may be nil (a handler that is not an App).
func newTestRequest(a *App, method, target string, body []byte, hasBody bool) (*http.Request, error) {
	u, err := url.Parse(target)
	full := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	if err != nil || !full && (!strings.HasPrefix(target, "/") || u.Host != "") {
		return nil, fmt.Errorf("flasky: TestClient: target %q: want a path such as /s5/name?x=1, or a full URL", target)
	}
	if !full {
		u.Scheme, u.Host = "http", testHost
		if a != nil {
			if a.Config.PreferredURLScheme != "" {
				u.Scheme = a.Config.PreferredURLScheme
			}
			if a.Config.ServerName != "" {
				u.Host = a.Config.ServerName
			}
		}
	}
	r := httptest.NewRequest(method, u.RequestURI(), bytes.NewReader(body))
	r.Host, r.RemoteAddr = u.Host, testRemoteAddr
	if u.Scheme == "https" {
		r.TLS = &tls.ConnectionState{Version: tls.VersionTLS12, HandshakeComplete: true, ServerName: u.Hostname()}
	}
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	if !hasBody {
		r.Body, r.GetBody = http.NoBody, nil
	}
	return r, nil
}

// maxRedirects stops a redirect loop, as browsers do.
const maxRedirects = 20

// Do sends r, with the client's cookies and Header, and returns the
// answer, following redirects when FollowRedirects is set. A 303, or a
// 301 or 302 after a POST, is followed with a GET without the body, as
// browsers do; other redirects keep the method, the body and the
// request's headers.
func (tc *TestClient) Do(r *http.Request) *TestResponse {
	tc.helper()
	if r == nil {
		return nil // the request could not be built: the test was told
	}
	var history []*TestResponse
	for {
		res := tc.roundTrip(r)
		if !tc.FollowRedirects || !isRedirect(res.Code) {
			res.History = history
			return res
		}
		if len(history) == maxRedirects {
			tc.fatalf("flasky: TestClient: more than %d redirects, last to %q", maxRedirects, res.Header.Get("Location"))
			return res
		}
		history = append(history, res)
		next, err := url.Parse(res.Header.Get("Location"))
		if err != nil {
			tc.fatalf("flasky: TestClient: redirect to %q: %v", res.Header.Get("Location"), err)
			return res
		}
		next = r.URL.ResolveReference(next)
		method, body := r.Method, r.GetBody
		if res.Code == http.StatusSeeOther || (res.Code <= http.StatusFound && r.Method == http.MethodPost) {
			method, body = http.MethodGet, nil
		}
		nr := httptest.NewRequest(method, next.RequestURI(), nil)
		nr.Host, nr.RemoteAddr = r.Host, r.RemoteAddr
		if next.Host != "" {
			nr.Host = next.Host
		}
		for k, vs := range r.Header {
			if k != "Cookie" && k != "Content-Type" && k != "Content-Length" {
				nr.Header[k] = vs
			}
		}
		if body != nil {
			b, err := body()
			if err != nil {
				tc.fatalf("flasky: TestClient: resend body to %q: %v", next, err)
				return res
			}
			nr.Body, nr.GetBody, nr.ContentLength = b, body, r.ContentLength
			nr.Header.Set("Content-Type", r.Header.Get("Content-Type"))
		}
		r = nr
	}
}

// roundTrip serves one request, with the client's headers and cookies
// added to a copy of r, stores the cookies it sets, and reports a failure
// the app told of in testing mode.
func (tc *TestClient) roundTrip(r *http.Request) *TestResponse {
	tc.helper()
	failures := &testFailures{}
	rr := r.Clone(context.WithValue(r.Context(), testFailuresKey{}, failures))
	rr.Body = r.Body
	for k, vs := range tc.Header {
		for _, v := range vs {
			rr.Header.Add(k, v)
		}
	}
	if _, ok := rr.Header["User-Agent"]; !ok {
		rr.Header.Set("User-Agent", testUserAgent)
	}
	for _, ck := range tc.jar.Cookies(testOrigin.ResolveReference(&url.URL{Path: rr.URL.Path})) {
		rr.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	tc.h.ServeHTTP(rec, rr)
	res := rec.Result()
	if cks := res.Cookies(); len(cks) > 0 {
		tc.jar.SetCookies(testOrigin.ResolveReference(&url.URL{Path: rr.URL.Path}), cks)
	}
	for _, f := range failures.list {
		tc.errorf("%s", f)
	}
	return &TestResponse{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes(), Path: rr.URL.RequestURI()}
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// testFailuresKey holds, in the context of a TestClient's request, where
// the app reports failures in testing mode.
type testFailuresKey struct{}

// failureSink is what the request's context holds under testFailuresKey:
// an interface, so that a program without a TestClient links nothing of
// it but this call.
type failureSink interface{ failed(c *Ctx, err error) }

// reportToTest tells the TestClient that sent c's request, if one did,
// of a failure (Config.Testing, Debug or PropagateExceptions: Flask's
// exception propagation).
func reportToTest(c *Ctx, err error) {
	if s, ok := c.Request.Context().Value(testFailuresKey{}).(failureSink); ok {
		s.failed(c, err)
	}
}

// testFailures gathers the failures of one request, each written out
// with its stack.
type testFailures struct{ list []string }

func (f *testFailures) failed(c *Ctx, err error) {
	var b strings.Builder
	mode := "in testing mode (Config.Testing)"
	switch cfg := &c.app.Config; {
	case cfg.Testing:
	case cfg.Debug:
		mode = "in debug mode (Config.Debug)"
	default:
		mode = "with Config.PropagateExceptions"
	}
	fmt.Fprintf(&b, "flasky: %s %s failed %s: %v", c.Request.Method, c.Request.URL.RequestURI(), mode, err)
	var pe *panicError
	switch {
	case errors.As(err, &pe):
		b.WriteString("\npanic stack:")
		frames := runtime.CallersFrames(pe.pcs)
		for {
			fr, more := frames.Next()
			if !strings.HasPrefix(fr.Function, "runtime.") {
				fmt.Fprintf(&b, "\n\t%s\n\t\t%s:%d", fr.Function, fr.File, fr.Line)
			}
			if !more {
				break
			}
		}
	case c.route != nil && c.route.funcPC != 0:
		if fn := runtime.FuncForPC(c.route.funcPC); fn != nil {
			file, line := fn.FileLine(fn.Entry())
			fmt.Fprintf(&b, "\nreturned by the handler (Go errors carry no stack):\n\t%s\n\t\t%s:%d", fn.Name(), file, line)
		}
	}
	f.list = append(f.list, b.String())
}

// Session runs fn on the client's session between requests, as Flask's
// client.session_transaction(): the session is opened from the client's
// cookies as a request to / would open it, fn reads or changes it, and
// the cookie it is saved to goes into the client's cookies for the next
// requests.
//
//	client.Session(func(s *flasky.Session) {
//		s.Set("user_id", 1) // logged in without the login form
//	})
//
// It needs a client made by [App.TestClient]; a session that cannot be
// opened or saved (no Config.SecretKey, a store that is down) ends the
// test.
func (tc *TestClient) Session(fn func(s *Session)) {
	tc.helper()
	a := tc.app
	if a == nil {
		tc.fatalf("flasky: TestClient.Session needs a client of an App (App.TestClient), not of another handler")
		return
	}
	r, _ := newTestRequest(a, http.MethodGet, "/", nil, false)
	for k, vs := range tc.Header {
		r.Header[k] = append(r.Header[k][:0:0], vs...)
	}
	for _, ck := range tc.jar.Cookies(testOrigin) {
		r.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c := newCtx(a)
	c.reset(rec, r)
	defer c.release()
	var s *Session
	var opened any
	func() {
		defer func() { opened = recover() }()
		s = c.Session()
	}()
	if opened != nil {
		tc.fatalf("flasky: TestClient.Session: the session could not be opened: %v", opened)
		return
	}
	fn(s)
	c.rw.WriteHeader(http.StatusOK) // saves the session
	if rec.Code != http.StatusOK {
		tc.fatalf("flasky: TestClient.Session: the session could not be saved: %d %s", rec.Code, rec.Body.Bytes())
		return
	}
	if cks := rec.Result().Cookies(); len(cks) > 0 {
		tc.jar.SetCookies(testOrigin, cks)
	}
}

// TestRequestContext returns a Ctx for a request that was not sent, for
// code that needs one outside a handler, as Flask's
// app.test_request_context(): the request is for target (a path, on
// Config.ServerName or localhost, or a full URL:
// "http://admin.example.com/" for a subdomain) from 127.0.0.1, as the
// [TestClient] sends it, matched
// against the app's rules (so Param, Endpoint and URLFor work), and its
// Args, Form, Session and Set/Get can be used. No handler runs and
// nothing is sent: what the Ctx writes, the session included, goes
// nowhere. Call release when done: it runs the teardown hooks, as the
// end of Flask's context does (so a database connection a helper opened
// through the Ctx is closed), and the Ctx is not valid after it.
//
//	c, release := app.TestRequestContext("GET", "/user/7?tab=posts")
//	defer release()
//	u, _ := c.URLFor("user", flasky.M{"id": 8})
//
// c.Request may be changed before its values are read (a header, a body
// for c.Form). An invalid target panics, as httptest.NewRequest does.
func (a *App) TestRequestContext(method, target string) (c *Ctx, release func()) {
	r, err := newTestRequest(a, method, target, nil, false)
	if err != nil {
		panic(err)
	}
	r.Header.Set("User-Agent", testUserAgent)
	c = newCtx(a)
	c.reset(httptest.NewRecorder(), r)
	if ok, _ := a.match(c, r.URL.Path, methodBit(method)); !ok {
		c.route, c.params = nil, nil
	}
	return c, func() {
		if a.hasTeardown {
			a.hooks.teardown(a, c)
		}
		c.cleanupUploads()
		c.release()
	}
}
