package flasky_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/flasky-go/flasky"
)

type ctxKey struct{}

// Middleware added with app.Use learns the matched rule from r.Pattern
// after the handler returns, also when it passed down a copy of the
// request (as otelhttp does); the handler reads it with c.Rule().
func TestMatchedRuleReachesMiddleware(t *testing.T) {
	var seen, inHandler string
	app := flasky.New()
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, 1))
			next.ServeHTTP(w, r)
			seen = r.Pattern
		})
	})
	show := func(c *flasky.Ctx) error { inHandler = c.Rule(); return c.String("ok") }
	app.Route("/s5/<name>", show)
	app.Route("/user/<int:id>", show, "POST")
	app.Blueprint("admin", "/admin").Route("/users/<int:id>", show)
	for _, tc := range []struct {
		name, method, path string
		code               int
		rule               string
	}{
		{"variable rule", "GET", "/s5/kim", 200, "/s5/<name>"},
		{"percent-encoded value", "GET", "/s5/%ED%99%8D", 200, "/s5/<name>"},
		{"HEAD of a GET rule", "HEAD", "/s5/kim", 200, "/s5/<name>"},
		{"blueprint prefix", "GET", "/admin/users/7", 200, "/admin/users/<int:id>"},
		{"converter refuses: 404", "GET", "/admin/users/x", 404, ""},
		{"no rule: 404", "GET", "/nowhere", 404, ""},
		{"wrong method: 405", "GET", "/user/1", 405, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen, inHandler = "unset", ""
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
			if w.Code != tc.code || seen != tc.rule {
				t.Errorf("%s %s: %d with r.Pattern %q, want %d with %q", tc.method, tc.path, w.Code, seen, tc.code, tc.rule)
			}
			if tc.code == 200 && inHandler != tc.rule {
				t.Errorf("c.Rule() = %q, want %q", inHandler, tc.rule)
			}
		})
	}
}
