package main

import (
	"net/http"
	"strconv"

	"github.com/julienschmidt/httprouter"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// newHTTPRouter is raw httprouter with hand-written handlers, and its
// ServeFiles for static files.
func newHTTPRouter(s *peerSite) http.Handler {
	r := httprouter.New()
	r.GET("/", func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
		writeText(w, textPlain, site.Hello)
	})
	r.GET("/s5/:name", func(w http.ResponseWriter, _ *http.Request, ps httprouter.Params) {
		writeText(w, textPlain, "data="+ps.ByName("name"))
	})
	r.GET("/s6/:file", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		slug, ok := complexSlug(ps.ByName("file"))
		if !ok {
			http.NotFound(w, req)
			return
		}
		writeText(w, textPlain, "data="+slug)
	})
	r.GET("/formget", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		q := req.URL.Query()
		writeText(w, textHTML, formAnswer(q.Get("name"), q.Get("email")))
	})
	r.GET("/s2", func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
		w.Header().Set("Content-Type", textHTML)
		if err := s.tmpl.Execute(w, templateData()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	r.GET("/get_image2", func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
		b, err := drawImage()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})
	r.ServeFiles("/static/*filepath", http.Dir(s.static))
	return r
}
