package main

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	tests := []struct {
		name, path string
		code       int
		body       string
	}{
		{"s1", "/s1", 200, "Hello s1"},
		{"s2", "/s2", 200, "Hello s2"},
		{"s3 shares s2", "/s3", 200, "Hello s2"},
		{"s5 ascii", "/s5/abc", 200, "data=abc"},
		{"s5 encoded space", "/s5/a%20b", 200, "data=a b"},
		{"s5 encoded hangul", "/s5/%ED%99%8D%EA%B8%B8%EB%8F%99", 200, "data=홍길동"},
		{"s5 markup", "/s5/<script>", 200, "data=<script>"},
		{"s5 empty name", "/s5/", 404, ""},
		{"s4 unrouted", "/s4", 404, ""},
	}
	app := newApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			if w.Code != tt.code {
				t.Errorf("GET %s: status %d, want %d", tt.path, w.Code, tt.code)
				return
			}
			if tt.code == 200 && w.Body.String() != tt.body {
				t.Errorf("GET %s: body %q, want %q", tt.path, w.Body.String(), tt.body)
			}
			if strings.HasPrefix(tt.path, "/s5/") && tt.code == 200 && !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
				t.Errorf("GET %s: user input sent as %q, want text/plain", tt.path, w.Header().Get("Content-Type"))
			}
		})
	}
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if !strings.Contains(w.Body.String(), `href="/s5/홍길동"`) {
		t.Errorf("home page lacks the /s5 link: %q", w.Body.String())
	}
}

func TestRouteTable(t *testing.T) {
	var buf bytes.Buffer
	newApp().PrintRoutes(&buf)
	for _, want := range []string{"Endpoint", "s2 ", "/s3", "s5 ", "/s5/<name>"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("route table lacks %q:\n%s", want, buf.String())
		}
	}
}
