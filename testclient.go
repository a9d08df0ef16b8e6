package flasky

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
)

// TB is the part of *testing.T (and *testing.B) the test client uses to
// report a request it cannot build.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// TestClient sends requests to an app without a network, like Flask's
// app.test_client(): cookies the app sets are sent back on later
// requests (so sessions work), and redirects are followed when
// FollowRedirects is set. Create one with [App.TestClient].
type TestClient struct {
	// FollowRedirects makes a 301, 302, 303, 307 or 308 answer lead to
	// the next request, as follow_redirects=True does in Flask; the
	// answers on the way are in TestResponse.History.
	FollowRedirects bool
	// Header is added to every request.
	Header http.Header

	h   http.Handler
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
	return &TestClient{h: h, t: t, jar: jar, Header: http.Header{}}
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

// testOrigin is where the test client's requests claim to go.
var testOrigin = &url.URL{Scheme: "http", Host: "localhost"}

// Get sends a GET request for target, a path with an optional query
// ("/search?q=go").
func (tc *TestClient) Get(target string) *TestResponse {
	tc.helper()
	return tc.Do(tc.newRequest(http.MethodGet, target, nil, ""))
}

// Post sends form as an application/x-www-form-urlencoded body, as an
// HTML form does.
func (tc *TestClient) Post(target string, form url.Values) *TestResponse {
	tc.helper()
	return tc.Do(tc.newRequest(http.MethodPost, target, []byte(form.Encode()), "application/x-www-form-urlencoded"))
}

// PostJSON sends v encoded as JSON.
func (tc *TestClient) PostJSON(target string, v any) *TestResponse {
	tc.helper()
	b, err := json.Marshal(v)
	if err != nil {
		tc.fatalf("flasky: TestClient.PostJSON %s: %v", target, err)
		return nil
	}
	return tc.Do(tc.newRequest(http.MethodPost, target, b, "application/json"))
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
	return tc.Do(tc.newRequest(http.MethodPost, target, body.Bytes(), mw.FormDataContentType()))
}

// newRequest builds a request for target, a path that may hold any
// Unicode ("/s5/홍길동"): it is percent-encoded as a browser would.
func (tc *TestClient) newRequest(method, target string, body []byte, contentType string) *http.Request {
	tc.helper()
	u, err := url.Parse(target)
	if err != nil || !strings.HasPrefix(target, "/") || u.Host != "" {
		tc.fatalf("flasky: TestClient: target %q: want a path such as /s5/name?x=1", target)
		return nil
	}
	r := httptest.NewRequest(method, u.RequestURI(), bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	if body == nil {
		r.Body, r.GetBody = http.NoBody, nil
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// maxRedirects stops a redirect loop, as browsers do.
const maxRedirects = 20

// Do sends r, with the client's cookies and Header, and returns the
// answer, following redirects when FollowRedirects is set. A 303, or a
// 301 or 302 after a POST, is followed with a GET, as browsers do.
func (tc *TestClient) Do(r *http.Request) *TestResponse {
	tc.helper()
	if r == nil {
		return nil // newRequest already failed the test
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

// roundTrip serves one request and stores the cookies it sets.
func (tc *TestClient) roundTrip(r *http.Request) *TestResponse {
	for k, vs := range tc.Header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	for _, ck := range tc.jar.Cookies(testOrigin.ResolveReference(&url.URL{Path: r.URL.Path})) {
		r.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	tc.h.ServeHTTP(rec, r)
	res := rec.Result()
	if cks := res.Cookies(); len(cks) > 0 {
		tc.jar.SetCookies(testOrigin.ResolveReference(&url.URL{Path: r.URL.Path}), cks)
	}
	return &TestResponse{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes(), Path: r.URL.RequestURI()}
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
