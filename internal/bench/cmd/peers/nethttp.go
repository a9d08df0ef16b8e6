package main

import (
	"io"
	"net/http"
	"strconv"

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

// writeText answers 200 with a text of the given type, as a hand-written
// handler does.
func writeText(w http.ResponseWriter, contentType, text string) {
	w.Header().Set("Content-Type", contentType)
	io.WriteString(w, text)
}
