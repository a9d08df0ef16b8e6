package bench

// This file holds what the benchmarks share: the fake response writer,
// the routes and requests of each benchmark, and one builder per router
// that registers the same handlers on it.

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/flasky-go/flasky"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/julienschmidt/httprouter"
	"github.com/labstack/echo/v4"
)

// fakeWriter is the http.ResponseWriter that every router writes to in the
// benchmarks: a header map that is reused (cleared between requests), a
// status, and a body that is thrown away. Every router gets the same one,
// so none pays for a writer the others do not.
type fakeWriter struct {
	header http.Header
	status int
}

// newFakeWriter returns a fakeWriter with an empty header map.
func newFakeWriter() *fakeWriter { return &fakeWriter{header: make(http.Header, 4)} }

// reset makes the writer ready for the next request without allocating:
// clear keeps the map's buckets.
func (w *fakeWriter) reset() {
	clear(w.header)
	w.status = 0
}

// Header returns the reusable header map.
func (w *fakeWriter) Header() http.Header { return w.header }

// WriteHeader records the status.
func (w *fakeWriter) WriteHeader(code int) { w.status = code }

// Write discards the body.
func (w *fakeWriter) Write(b []byte) (int, error) { return len(b), nil }

// WriteString discards the body too. It is here because net/http's real
// response writer has it (*http.response implements io.StringWriter), and
// io.WriteString, flasky's Ctx.String and gin's writer use it when it is
// there. Without it they would fall back to Write([]byte(s)), a copy and an
// allocation that a real server never makes, and the fake would penalize
// exactly the routers that avoid that copy.
func (w *fakeWriter) WriteString(s string) (int, error) { return len(s), nil }

// route is one registered route and what its handler writes.
type route struct {
	method string
	path   string // httprouter syntax: /repos/:owner/:repo
	// text is written as the body; when param is set, the value of that
	// path parameter is appended to it (text may then be empty).
	text  string
	param string
}

// request is one request a benchmark sends, with the body it must get.
type request struct {
	method string
	path   string
	body   string
}

// scenario is one benchmark: the routes every router registers and the
// requests sent, in order, in one benchmark iteration.
type scenario struct {
	name     string
	routes   []route
	requests []request
}

// helloScenario is GET / answering "hello~~".
func helloScenario() scenario {
	return scenario{
		name:     "Hello",
		routes:   []route{{method: "GET", path: "/", text: "hello~~"}},
		requests: []request{{method: "GET", path: "/", body: "hello~~"}},
	}
}

// paramScenario is GET /s5/:name answering "data=" + name.
func paramScenario() scenario {
	return scenario{
		name:     "Param",
		routes:   []route{{method: "GET", path: "/s5/:name", text: "data=", param: "name"}},
		requests: []request{{method: "GET", path: "/s5/gopher", body: "data=gopher"}},
	}
}

// githubScenarios are the three benchmarks over the 203 routes of the
// GitHub API: one request with parameters, one static request, and every
// route once. An error means the routes file could not be read.
func githubScenarios() ([]scenario, error) {
	routes, err := githubRoutes()
	if err != nil {
		return nil, err
	}
	all := make([]request, len(routes))
	for i, rt := range routes {
		all[i] = sampleRequest(rt)
	}
	find := func(method, path string) (request, error) {
		for _, rq := range all {
			if rq.method == method && rq.path == path {
				return rq, nil
			}
		}
		return request{}, fmt.Errorf("bench: the GitHub routes answer no %s %s", method, path)
	}
	param, err := find("GET", "/repos/julienschmidt/httprouter/stargazers")
	if err != nil {
		return nil, err
	}
	static, err := find("GET", "/user/repos")
	if err != nil {
		return nil, err
	}
	return []scenario{
		{name: "GithubParam", routes: routes, requests: []request{param}},
		{name: "GithubStatic", routes: routes, requests: []request{static}},
		{name: "GithubAll", routes: routes, requests: all},
	}, nil
}

// routesFileName is where the GitHub API routes are kept, relative to a
// directory above this module (the project's shared folder). The file is
// read where it is and never copied into the repository.
var routesFileName = filepath.Join("shared", "data", "github-api-routes.txt")

// errNoRoutesFile tells the benchmarks to skip rather than fail.
var errNoRoutesFile = errors.New("bench: " + routesFileName + " not found in the working directory or any directory above it; the GitHub API benchmarks need it")

// githubRoutes reads the routes file once.
var githubRoutes = sync.OnceValues(loadGithubRoutes)

// findRoutesFile walks up from the working directory looking for
// shared/data/github-api-routes.txt.
func findRoutesFile() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, routesFileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errNoRoutesFile
		}
		dir = parent
	}
}

// loadGithubRoutes parses the routes file: one "METHOD /path" a line, in
// httprouter syntax. Blank lines and lines starting with '#' are skipped.
// A static route writes its own path; a route with parameters writes the
// value of its first parameter.
func loadGithubRoutes() ([]route, error) {
	name, err := findRoutesFile()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var routes []route
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 || !strings.HasPrefix(fields[1], "/") {
			return nil, fmt.Errorf("%s:%d: want \"METHOD /path\", got %q", name, n, line)
		}
		if seen[line] {
			return nil, fmt.Errorf("%s:%d: %q appears twice", name, n, line)
		}
		seen[line] = true
		rt := route{method: fields[0], path: fields[1], text: fields[1]}
		if ps := paramNames(rt.path); len(ps) > 0 {
			rt.text, rt.param = "", ps[0]
		}
		routes = append(routes, rt)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(routes) == 0 {
		return nil, fmt.Errorf("%s holds no routes", name)
	}
	return routes, nil
}

// paramNames returns the names of the :params of an httprouter path.
func paramNames(path string) []string {
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, ":") {
			names = append(names, seg[1:])
		}
	}
	return names
}

// sampleValues fills parameters in requests. None equals a static segment
// of the GitHub API, so every request reaches the route it was made from.
var sampleValues = map[string]string{
	"owner":        "julienschmidt",
	"repo":         "httprouter",
	"repository":   "httprouter",
	"user":         "gopher",
	"target_user":  "rsc",
	"assignee":     "gopher",
	"org":          "golang",
	"id":           "42",
	"number":       "7",
	"sha":          "3f9c2a1",
	"ref":          "main",
	"branch":       "main",
	"name":         "bug",
	"keyword":      "router",
	"state":        "open",
	"email":        "gopher@example.com",
	"client_id":    "c1d2",
	"access_token": "t0k3n",
}

// sampleValue is the value a request puts in the parameter name.
func sampleValue(name string) string {
	if v, ok := sampleValues[name]; ok {
		return v
	}
	return "v-" + name
}

// sampleRequest is the request for rt with sample parameter values, and
// the body rt's handler answers it with.
func sampleRequest(rt route) request {
	segs := strings.Split(rt.path, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") {
			segs[i] = sampleValue(seg[1:])
		}
	}
	body := rt.text
	if rt.param != "" {
		body += sampleValue(rt.param)
	}
	return request{method: rt.method, path: strings.Join(segs, "/"), body: body}
}

// convertParams rewrites the :params of an httprouter path with open and
// close around each name: "<", ">" for flasky, "{", "}" for chi and
// http.ServeMux.
func convertParams(path, open, close string) string {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") {
			segs[i] = open + seg[1:] + close
		}
	}
	return strings.Join(segs, "/")
}

// peer is one router under test.
type peer struct {
	name  string
	build func([]route) http.Handler
}

// peers are the routers compared, raw httprouter (the baseline) first.
var peers = []peer{
	{"httprouter", buildHttprouter},
	{"flasky", buildFlasky},
	{"gin", buildGin},
	{"echo", buildEcho},
	{"chi", buildChi},
	{"servemux", buildServeMux},
}

// The handlers below all do the same work: set Content-Type to
// text/plain; charset=utf-8 and write the text, with the parameter's
// value when the route has one. Routers with a helper for that (flasky,
// gin, echo) use it; the others are written by hand like the baseline.

// buildHttprouter is the baseline: httprouter v1.3 with hand-written
// handlers that call Header().Set and Write([]byte(...)).
func buildHttprouter(routes []route) http.Handler {
	r := httprouter.New()
	for _, rt := range routes {
		text, param := rt.text, rt.param
		var h httprouter.Handle
		switch {
		case param == "":
			h = func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(text))
			}
		case text == "":
			h = func(w http.ResponseWriter, _ *http.Request, ps httprouter.Params) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(ps.ByName(param)))
			}
		default:
			h = func(w http.ResponseWriter, _ *http.Request, ps httprouter.Params) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(text + ps.ByName(param)))
			}
		}
		r.Handle(rt.method, rt.path, h)
	}
	return r
}

// buildFlasky registers the routes on a flasky App with all its defaults;
// Ctx.String sets text/plain; charset=utf-8.
func buildFlasky(routes []route) http.Handler {
	app := flasky.New()
	for _, rt := range routes {
		text, param := rt.text, rt.param
		var h flasky.HandlerFunc
		switch {
		case param == "":
			h = func(c *flasky.Ctx) error { return c.String(text) }
		case text == "":
			h = func(c *flasky.Ctx) error { return c.String(c.Param(param)) }
		default:
			h = func(c *flasky.Ctx) error { return c.String(text + c.Param(param)) }
		}
		app.Route(convertParams(rt.path, "<", ">"), h, rt.method)
	}
	return app
}

// buildGin registers the routes on gin.New() in release mode; c.String
// sets text/plain; charset=utf-8. The text is passed as the format with
// no arguments, which gin writes as it is, without fmt.
func buildGin(routes []route) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	for _, rt := range routes {
		text, param := rt.text, rt.param
		var h gin.HandlerFunc
		switch {
		case param == "":
			h = func(c *gin.Context) { c.String(http.StatusOK, text) }
		case text == "":
			h = func(c *gin.Context) { c.String(http.StatusOK, c.Param(param)) }
		default:
			h = func(c *gin.Context) { c.String(http.StatusOK, text+c.Param(param)) }
		}
		r.Handle(rt.method, rt.path, h)
	}
	return r
}

// buildEcho registers the routes on echo.New(); c.String sets
// text/plain; charset=UTF-8.
func buildEcho(routes []route) http.Handler {
	e := echo.New()
	for _, rt := range routes {
		text, param := rt.text, rt.param
		var h echo.HandlerFunc
		switch {
		case param == "":
			h = func(c echo.Context) error { return c.String(http.StatusOK, text) }
		case text == "":
			h = func(c echo.Context) error { return c.String(http.StatusOK, c.Param(param)) }
		default:
			h = func(c echo.Context) error { return c.String(http.StatusOK, text+c.Param(param)) }
		}
		e.Add(rt.method, rt.path, h)
	}
	return e
}

// buildChi registers the routes on a chi.Mux with {name} parameters and
// hand-written handlers like the baseline's.
func buildChi(routes []route) http.Handler {
	r := chi.NewRouter()
	for _, rt := range routes {
		text, param := rt.text, rt.param
		var h http.HandlerFunc
		switch {
		case param == "":
			h = func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(text))
			}
		case text == "":
			h = func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(chi.URLParam(r, param)))
			}
		default:
			h = func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(text + chi.URLParam(r, param)))
			}
		}
		r.MethodFunc(rt.method, convertParams(rt.path, "{", "}"), h)
	}
	return r
}

// buildServeMux registers the routes on an http.ServeMux with Go 1.22
// patterns ("GET /users/{user}") and hand-written handlers like the
// baseline's; "/{$}" keeps "/" from matching every path.
func buildServeMux(routes []route) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		text, param := rt.text, rt.param
		var h http.HandlerFunc
		switch {
		case param == "":
			h = func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(text))
			}
		case text == "":
			h = func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(r.PathValue(param)))
			}
		default:
			h = func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(text + r.PathValue(param)))
			}
		}
		p := convertParams(rt.path, "{", "}")
		if p == "/" {
			p = "/{$}"
		}
		mux.HandleFunc(rt.method+" "+p, h)
	}
	return mux
}

// newRequests makes the http.Requests of s once; the benchmarks send the
// same ones again and again.
func newRequests(s scenario) []*http.Request {
	out := make([]*http.Request, len(s.requests))
	for i, rq := range s.requests {
		out[i] = httptest.NewRequest(rq.method, rq.path, nil)
	}
	return out
}
