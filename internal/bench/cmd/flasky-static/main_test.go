package main

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// TestStatic serves the site's 64 KiB file through flasky's static route.
func TestStatic(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join("..", "..", "..", "..", "examples", "template", "templates", site.TemplateFile)
	if err := site.Write(dir, tmpl); err != nil {
		t.Fatal(err)
	}
	app, err := newApp(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		code       int
		body       []byte
	}{
		{"static file", "/static/" + site.StaticFile, 200, site.StaticContent()},
		{"missing", "/static/nope.bin", 404, nil},
		{"out of static", "/static/../" + site.FlaskStaticModule + ".py", 404, nil},
		{"root", "/", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			if w.Code != tt.code || (tt.body != nil && !bytes.Equal(w.Body.Bytes(), tt.body)) {
				t.Errorf("GET %s: %d, %d bytes; want %d", tt.path, w.Code, w.Body.Len(), tt.code)
			}
		})
	}
}

// TestNoStatic refuses a root without static/.
func TestNoStatic(t *testing.T) {
	if _, err := newApp(t.TempDir()); err == nil {
		t.Error("root without static/ accepted")
	}
}
