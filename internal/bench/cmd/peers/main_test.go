package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// writeSite writes the benchmark's site into a temporary folder, with the
// template of examples/template.
func writeSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	tmpl := filepath.Join("..", "..", "..", "..", "examples", "template", "templates", site.TemplateFile)
	if err := site.Write(dir, tmpl); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRoutersAnswer sends every case's request to every router, in
// process, and checks the answer e2e expects of all servers.
func TestRoutersAnswer(t *testing.T) {
	root := writeSite(t)
	static := site.StaticContent()
	tests := []struct {
		name, path, typ string
		check           func(body []byte) error
	}{
		{"hello", "/", "text/plain", exact(site.Hello)},
		{"param", "/s5/" + site.ParamName, "text/plain", exact(site.ParamAnswer)},
		{"param escaped", "/s5/%ED%99%8D", "text/plain", exact("data=홍")},
		{"complex", site.ComplexPath, "text/plain", exact(site.ParamAnswer)},
		{"complex dots", "/s6/a.b.json", "text/plain", exact("data=a.b")},
		{"formget", "/formget?" + site.FormQuery, "text/html", exact(site.FormAnswer)},
		{"formget escapes", "/formget?name=%3Cb%3E", "text/html", exact("name = &lt;b&gt;<br/>email = <br/>")},
		{"template", "/s2", "text/html", contains(site.TemplateHas...)},
		{"image", "/get_image2", "image/jpeg", site.CheckImage},
		{"static", "/static/" + site.StaticFile, "", func(b []byte) error {
			if !bytes.Equal(b, static) {
				return fmt.Errorf("%d bytes, not the static file", len(b))
			}
			return nil
		}},
	}
	for _, router := range Routers {
		t.Run(router, func(t *testing.T) {
			h, err := newHandler(router, root)
			if err != nil {
				t.Fatalf("%s: %v", router, err)
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
					if w.Code != 200 {
						t.Errorf("%s %s: status %d, body %.200q", router, tt.name, w.Code, w.Body.String())
						return
					}
					if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.typ) {
						t.Errorf("%s %s: Content-Type %q, want %s", router, tt.name, ct, tt.typ)
					}
					if err := tt.check(w.Body.Bytes()); err != nil {
						t.Errorf("%s %s: %v", router, tt.name, err)
					}
				})
			}
			for _, nf := range []struct{ name, path string }{
				{"no route", "/nope"}, {"no static file", "/static/nope.bin"}, {"empty param", "/s5/"},
				{"complex without .json", "/s6/gopher"}, {"complex empty slug", "/s6/.json"},
			} {
				t.Run(nf.name, func(t *testing.T) {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest("GET", nf.path, nil))
					if w.Code != 404 {
						t.Errorf("%s GET %s: status %d, want 404", router, nf.path, w.Code)
					}
				})
			}
		})
	}
}

// TestNewHandlerErrors refuses an unknown router and a site without its
// template.
func TestNewHandlerErrors(t *testing.T) {
	if _, err := newHandler("nope", writeSite(t)); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown router: %v", err)
	}
	if _, err := newHandler("gin", t.TempDir()); err == nil {
		t.Error("empty site accepted")
	}
}

func exact(want string) func([]byte) error {
	return func(b []byte) error {
		if string(b) != want {
			return fmt.Errorf("body %q, want %q", b, want)
		}
		return nil
	}
}

func contains(want ...string) func([]byte) error {
	return func(b []byte) error {
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return fmt.Errorf("body %q lacks %q", b, w)
			}
		}
		return nil
	}
}
