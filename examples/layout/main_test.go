package main

import (
	"fmt"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
	"time"
)

func TestLayoutPages(t *testing.T) {
	tests := []struct {
		name, path string
		want       []string
	}{
		{"home", "/", []string{"<title>Home - flasky</title>", "<h1>Hello 홍길동</h1>", `href="/static/css/style.css"`, `src="/static/img/logo.png"`, `src="/static/js/app.js"`,
			`<a href="/" aria-current="page">Home</a>`, `<a href="/about">About</a>`, fmt.Sprintf("<footer>© %d flasky</footer>", time.Now().Year())}},
		// The header block's default shows the page's title.
		{"about", "/about", []string{"<title>About - flasky</title>", "<h1>About</h1>", `href="/static/css/style.css"`,
			`<a href="/">Home</a>`, `<a href="/about" aria-current="page">About</a>`}},
	}
	app := newApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			body := w.Body.String()
			if w.Code != 200 {
				t.Fatalf("GET %s: %d %s", tt.path, w.Code, body)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s lacks %s:\n%s", tt.path, s, body)
				}
			}
			// Slide 17: presentation stays in static/css.
			if strings.Contains(body, "<style") || strings.Contains(body, "style=") {
				t.Errorf("GET %s has inline CSS", tt.path)
			}
		})
	}
}

func TestLayoutStatic(t *testing.T) {
	tests := []struct {
		path, ctype, want string
	}{
		{"/static/css/style.css", "text/css; charset=utf-8", "h1 { color: #c33; }"},
		{"/static/js/app.js", "text/javascript; charset=utf-8", "getElementById"},
		{"/static/img/logo.png", "image/png", "\x89PNG"},
	}
	app := newApp()
	for _, tt := range tests {
		t.Run(path.Base(tt.path), func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			if w.Code != 200 || w.Header().Get("Content-Type") != tt.ctype || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("GET %s: %d %q, body starts %q", tt.path, w.Code, w.Header().Get("Content-Type"), w.Body.String()[:min(20, w.Body.Len())])
			}
		})
	}
}
