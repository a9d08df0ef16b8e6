package main

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHello checks the answer cmd/e2e's cold start waits for, and that
// other paths are not it.
func TestHello(t *testing.T) {
	h := handler()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 200 || w.Body.String() != "hello~~" || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("GET /: %d %q %q", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/nope", nil))
	if w.Code != 404 {
		t.Errorf("GET /nope: %d, want 404", w.Code)
	}
}
