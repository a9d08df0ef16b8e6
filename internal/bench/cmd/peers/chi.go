package main

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// newChi is chi with hand-written handlers (chi has no response
// helpers), chi.URLParam, and http.FileServer under /static/*.
func newChi(s *peerSite) http.Handler {
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, _ *http.Request) { writeText(w, textPlain, site.Hello) })
	r.Get("/s5/{name}", func(w http.ResponseWriter, req *http.Request) {
		writeText(w, textPlain, "data="+chi.URLParam(req, "name"))
	})
	// chi's /s6/{slug}.json would end the slug at its first '.' (a.b.json
	// is a 404), where Flask's [^/]+ takes a.b: the handler cuts the
	// ".json" itself, as for the other routers.
	r.Get("/s6/{file}", func(w http.ResponseWriter, req *http.Request) {
		slug, ok := complexSlug(chi.URLParam(req, "file"))
		if !ok {
			http.NotFound(w, req)
			return
		}
		writeText(w, textPlain, "data="+slug)
	})
	r.Get("/formget", func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		writeText(w, textHTML, formAnswer(q.Get("name"), q.Get("email")))
	})
	r.Get("/s2", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", textHTML)
		if err := s.tmpl.Execute(w, templateData()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	r.Get("/get_image2", func(w http.ResponseWriter, _ *http.Request) {
		b, err := drawImage()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})
	r.Get("/static/*", http.StripPrefix("/static/", http.FileServer(http.Dir(s.static))).ServeHTTP)
	return r
}
