package flasky_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/flasky-go/flasky"
	"github.com/julienschmidt/httprouter"
)

// benchWriter is a minimal ResponseWriter; it has WriteString as the real
// server's writer does.
type benchWriter struct{ h http.Header }

func (w *benchWriter) Header() http.Header               { return w.h }
func (w *benchWriter) Write(b []byte) (int, error)       { return len(b), nil }
func (w *benchWriter) WriteString(s string) (int, error) { return len(s), nil }
func (w *benchWriter) WriteHeader(int)                   {}

func benchServe(b *testing.B, h http.Handler, path string) {
	r := httptest.NewRequest("GET", path, nil)
	w := &benchWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

func BenchmarkDispatch(b *testing.B) {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.String("hello~~") })
	app.Route("/s5/<name>", func(c *flasky.Ctx) error { return c.String("data=" + c.Param("name")) })
	hr := httprouter.New()
	hr.GET("/", func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "hello~~")
	})
	hr.GET("/s5/:name", func(w http.ResponseWriter, _ *http.Request, ps httprouter.Params) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "data="+ps.ByName("name"))
	})
	b.Run("hello/flasky", func(b *testing.B) { benchServe(b, app, "/") })
	b.Run("hello/httprouter", func(b *testing.B) { benchServe(b, hr, "/") })
	b.Run("param/flasky", func(b *testing.B) { benchServe(b, app, "/s5/gopher") })
	b.Run("param/httprouter", func(b *testing.B) { benchServe(b, hr, "/s5/gopher") })
}
