package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// TestComplex serves the complex case's request and the paths around it.
func TestComplex(t *testing.T) {
	app := newApp()
	tests := []struct {
		name, path string
		code       int
		body       string
	}{
		{"complex", site.ComplexPath, 200, site.ParamAnswer},
		{"dots in the slug", "/s6/a.b.json", 200, "data=a.b"},
		{"encoded", "/s6/%ED%99%8D.json", 200, "data=홍"},
		{"no .json", "/s6/" + site.ParamName, 404, ""},
		{"empty slug", "/s6/.json", 404, ""},
		{"two segments", "/s6/a/b.json", 404, ""},
		{"param rule still there", "/s5/" + site.ParamName, 200, site.ParamAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			if w.Code != tt.code || (tt.code == 200 && w.Body.String() != tt.body) {
				t.Errorf("GET %s: %d %q; want %d %q", tt.path, w.Code, w.Body.String(), tt.code, tt.body)
			}
			if tt.code == 200 && !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
				t.Errorf("GET %s: Content-Type %q, want text/plain", tt.path, w.Header().Get("Content-Type"))
			}
		})
	}
}
