package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestDebug(t *testing.T) {
	tests := []struct {
		method, path string
		code         int
		body         string
	}{
		{"GET", "/", 200, "hello~~"},
		{"HEAD", "/", 200, ""},
		{"POST", "/", 405, ""},
		{"GET", "/nope", 404, ""},
	}
	app := newApp()
	for _, tt := range tests {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		if w.Code != tt.code {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, w.Code, tt.code)
		}
		if tt.code == http.StatusOK && w.Body.String() != tt.body {
			t.Errorf("%s %s: body %q, want %q", tt.method, tt.path, w.Body.String(), tt.body)
		}
	}
}
