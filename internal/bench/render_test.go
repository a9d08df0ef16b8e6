package bench

import (
	"bytes"
	"html/template"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/flasky-go/flasky"
)

// templateDir is examples/template, whose home.html is the slide-30 page.
func templateDir(tb testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "template")
}

// slide30Data is what the slide renders.
func slide30Data() flasky.M {
	return flasky.M{"name": "홍길동", "list": []string{"홍길동", "이순신", "임꺽정"}}
}

// BenchmarkRender compares flasky's whole request for the slide-30 page
// (routing, Ctx, c.Render) with the least a Go program can do: a bare
// html/template Execute of the same parsed template into the same writer,
// with the same Content-Type set.
func BenchmarkRender(b *testing.B) {
	dir := templateDir(b)
	b.Run("flasky", func(b *testing.B) {
		app := flasky.New(flasky.WithRoot(dir))
		app.Route("/s2", func(c *flasky.Ctx) error { return c.Render("home.html", slide30Data()) })
		r := httptest.NewRequest("GET", "/s2", nil)
		w := newFakeWriter()
		app.ServeHTTP(w, r) // parse once, as the first request of a server does
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			w.reset()
			app.ServeHTTP(w, r)
		}
	})
	b.Run("htmltemplate", func(b *testing.B) {
		t := template.Must(template.ParseFiles(filepath.Join(dir, "templates", "home.html")))
		w := newFakeWriter()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			w.reset()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if err := t.Execute(w, slide30Data()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRenderSame checks both sides of BenchmarkRender write the same page.
func TestRenderSame(t *testing.T) {
	dir := templateDir(t)
	app := flasky.New(flasky.WithRoot(dir))
	app.Route("/s2", func(c *flasky.Ctx) error { return c.Render("home.html", slide30Data()) })
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/s2", nil))
	var want bytes.Buffer
	tpl := template.Must(template.ParseFiles(filepath.Join(dir, "templates", "home.html")))
	if err := tpl.Execute(&want, slide30Data()); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || rec.Body.String() != want.String() {
		t.Fatalf("flasky rendered %d %q, html/template %q", rec.Code, rec.Body.String(), want.String())
	}
}
