package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// newNetHTTP is the raw net/http server: an http.ServeMux with Go 1.22
// patterns and hand-written handlers, http.FileServer for static files.
func newNetHTTP(s *peerSite) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, textPlain, site.Hello)
	})
	mux.HandleFunc("GET /s5/{name}", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, textPlain, "data="+r.PathValue("name"))
	})
	// ServeMux's wildcards take whole segments: the handler cuts the
	// ".json" itself.
	mux.HandleFunc("GET /s6/{file}", func(w http.ResponseWriter, r *http.Request) {
		slug, ok := complexSlug(r.PathValue("file"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeText(w, textPlain, "data="+slug)
	})
	mux.HandleFunc("GET /formget", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		writeText(w, textHTML, formAnswer(q.Get("name"), q.Get("email")))
	})
	mux.HandleFunc("GET /s2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", textHTML)
		if err := s.tmpl.Execute(w, templateData()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("GET /get_image2", func(w http.ResponseWriter, r *http.Request) {
		b, err := drawImage()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir(s.static))))
	return mux
}

// complexSlug cuts ".json" off a segment, for the routers whose
// variables take whole segments: the slug of /s6/<slug>.json, and
// whether there is one.
func complexSlug(file string) (string, bool) {
	slug, ok := strings.CutSuffix(file, ".json")
	return slug, ok && slug != ""
}

// writeText answers 200 with a text of the given type, as a hand-written
// handler does.
func writeText(w http.ResponseWriter, contentType, text string) {
	w.Header().Set("Content-Type", contentType)
	io.WriteString(w, text)
}
