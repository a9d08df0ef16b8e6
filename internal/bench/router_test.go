package bench

// Benchmarks are named Benchmark<Case>/<router> so benchstat and
// cmd/ratios group each case's routers together. Run them all with
//
//	go test -run '^$' -bench . -benchmem
//
// or, for medians and ratios to raw httprouter, go run ./cmd/ratios.

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

// BenchmarkHello is GET / answering "hello~~".
func BenchmarkHello(b *testing.B) { benchScenario(b, helloScenario()) }

// BenchmarkParam is GET /s5/gopher on /s5/:name, answering "data=gopher".
func BenchmarkParam(b *testing.B) { benchScenario(b, paramScenario()) }

// BenchmarkGithubParam is GET /repos/julienschmidt/httprouter/stargazers
// among the 203 GitHub API routes.
func BenchmarkGithubParam(b *testing.B) { benchScenario(b, githubScenario(b, "GithubParam")) }

// BenchmarkGithubStatic is GET /user/repos among the 203 GitHub API routes.
func BenchmarkGithubStatic(b *testing.B) { benchScenario(b, githubScenario(b, "GithubStatic")) }

// BenchmarkGithubAll requests each of the 203 GitHub API routes once per
// iteration, so its ns/op is for 203 requests.
func BenchmarkGithubAll(b *testing.B) { benchScenario(b, githubScenario(b, "GithubAll")) }

// BenchmarkComplexRule compares, on flasky alone, a rule httprouter
// cannot carry (/<slug>.json requested as /post.json, matched by flasky's
// own matcher) with a plain <name> rule (/<name> requested as /post).
func BenchmarkComplexRule(b *testing.B) {
	for _, s := range []scenario{
		{
			name:     "plain",
			routes:   []route{{method: "GET", path: "/<name>", text: "data=", param: "name"}},
			requests: []request{{method: "GET", path: "/post", body: "data=post"}},
		},
		{
			name:     "complex",
			routes:   []route{{method: "GET", path: "/<slug>.json", text: "data=", param: "slug"}},
			requests: []request{{method: "GET", path: "/post.json", body: "data=post"}},
		},
	} {
		b.Run(s.name, func(b *testing.B) {
			h := buildFlasky(s.routes)
			reqs := newRequests(s)
			checkResponses(b, "flasky", h, s, reqs)
			serveLoop(b, h, reqs)
		})
	}
}

// githubScenario returns the GitHub scenario called name, skipping the
// benchmark or test when the routes file is not there.
func githubScenario(tb testing.TB, name string) scenario {
	tb.Helper()
	all, err := githubScenarios()
	if errors.Is(err, errNoRoutesFile) {
		if _, ok := tb.(*testing.B); ok {
			// go test -bench shows a benchmark's skip message only with -v.
			skipNote.Do(func() { fmt.Fprintln(os.Stderr, "skipping the GitHub API benchmarks:", err) })
		}
		tb.Skip(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range all {
		if s.name == name {
			return s
		}
	}
	tb.Fatalf("no GitHub scenario %q", name)
	return scenario{}
}

// skipNote prints the reason the GitHub benchmarks are skipped once.
var skipNote sync.Once

// benchScenario runs one sub-benchmark per router. Each first checks that
// its router answers every request of s correctly, so a benchmark can never
// measure 404s.
func benchScenario(b *testing.B, s scenario) {
	for _, p := range peers {
		b.Run(p.name, func(b *testing.B) {
			h := p.build(s.routes)
			reqs := newRequests(s)
			checkResponses(b, p.name, h, s, reqs)
			serveLoop(b, h, reqs)
		})
	}
}

// serveLoop sends reqs to h, in order, once per iteration, each into the
// same fake writer reset in between.
func serveLoop(b *testing.B, h http.Handler, reqs []*http.Request) {
	w := newFakeWriter()
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range reqs {
			w.reset()
			h.ServeHTTP(w, r)
		}
	}
}

// checkResponses sends every request of s to h twice, through the very
// http.Request values the benchmark reuses, and fails unless each answer
// is 200 with a text/plain UTF-8 Content-Type and the expected body. It
// also checks that the fake writer sees the Content-Type and no error
// status.
func checkResponses(tb testing.TB, router string, h http.Handler, s scenario, reqs []*http.Request) {
	tb.Helper()
	fw := newFakeWriter()
	for round := 0; round < 2; round++ {
		for i, r := range reqs {
			want := s.requests[i]
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK || rec.Body.String() != want.body {
				tb.Fatalf("%s %s: %s %s = %d %q, want 200 %q", s.name, router, want.method, want.path, rec.Code, rec.Body.String(), want.body)
			}
			if ct := strings.ToLower(rec.Header().Get("Content-Type")); ct != "text/plain; charset=utf-8" {
				tb.Fatalf("%s %s: %s %s: Content-Type %q, want text/plain; charset=utf-8", s.name, router, want.method, want.path, ct)
			}
			fw.reset()
			h.ServeHTTP(fw, r)
			if (fw.status != 0 && fw.status != http.StatusOK) || fw.header.Get("Content-Type") == "" {
				tb.Fatalf("%s %s: %s %s into the fake writer: status %d, Content-Type %q", s.name, router, want.method, want.path, fw.status, fw.header.Get("Content-Type"))
			}
		}
	}
}

// TestRoutersAnswer checks that every router answers every benchmark
// request with 200 and the expected body.
func TestRoutersAnswer(t *testing.T) {
	cases := []struct {
		name string
		mk   func(testing.TB) scenario
	}{
		{"Hello", func(testing.TB) scenario { return helloScenario() }},
		{"Param", func(testing.TB) scenario { return paramScenario() }},
		{"GithubParam", func(tb testing.TB) scenario { return githubScenario(tb, "GithubParam") }},
		{"GithubStatic", func(tb testing.TB) scenario { return githubScenario(tb, "GithubStatic") }},
		{"GithubAll", func(tb testing.TB) scenario { return githubScenario(tb, "GithubAll") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.mk(t)
			for _, p := range peers {
				t.Run(p.name, func(t *testing.T) {
					checkResponses(t, p.name, p.build(s.routes), s, newRequests(s))
				})
			}
		})
	}
}

// TestGithubRoutes checks the routes file as the benchmarks read it: 203
// routes, and sample requests that are all different, so GithubAll sends
// 203 distinct requests.
func TestGithubRoutes(t *testing.T) {
	s := githubScenario(t, "GithubAll")
	if len(s.routes) != 203 {
		t.Errorf("read %d GitHub API routes, want 203", len(s.routes))
	}
	seen := map[string]bool{}
	for _, rq := range s.requests {
		key := rq.method + " " + rq.path
		if seen[key] {
			t.Errorf("two routes make the request %s", key)
		}
		seen[key] = true
		if strings.Contains(rq.path, ":") {
			t.Errorf("request %s still has a parameter", key)
		}
	}
}

// TestConvertParams checks the rewriting of httprouter parameters.
func TestConvertParams(t *testing.T) {
	for _, c := range []struct{ name, in, open, close, want string }{
		{"root", "/", "<", ">", "/"},
		{"one param, angle brackets", "/s5/:name", "<", ">", "/s5/<name>"},
		{"two params, braces", "/repos/:owner/:repo/stargazers", "{", "}", "/repos/{owner}/{repo}/stargazers"},
		{"no param", "/user/repos", "{", "}", "/user/repos"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := convertParams(c.in, c.open, c.close); got != c.want {
				t.Errorf("convertParams(%q, %q, %q) = %q, want %q", c.in, c.open, c.close, got, c.want)
			}
		})
	}
}
