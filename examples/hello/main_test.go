package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHello(t *testing.T) {
	tests := []struct {
		name, method, path string
		code               int
		body               string
	}{
		{"get root", "GET", "/", 200, "hello~~"},
		{"head root", "HEAD", "/", 200, ""},
		{"post root", "POST", "/", 405, ""},
		{"get missing", "GET", "/nope", 404, ""},
	}
	app := newApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != tt.code {
				t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, w.Code, tt.code)
			}
			if tt.code == http.StatusOK && w.Body.String() != tt.body {
				t.Errorf("%s %s: body %q, want %q", tt.method, tt.path, w.Body.String(), tt.body)
			}
		})
	}
}
