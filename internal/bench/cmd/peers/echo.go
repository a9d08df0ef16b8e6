package main

import (
	"html/template"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// echoRenderer renders html/template pages for echo's c.Render.
type echoRenderer struct{ t *template.Template }

// Render executes the template name with data into w.
func (r echoRenderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	return r.t.ExecuteTemplate(w, name, data)
}

// newEcho is echo (echo.New, no middleware), with its c.String, c.HTML,
// c.Render, c.Blob and Static.
func newEcho(s *peerSite) http.Handler {
	e := echo.New()
	e.Renderer = echoRenderer{s.tmpl}
	e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, site.Hello) })
	e.GET("/s5/:name", func(c echo.Context) error { return c.String(http.StatusOK, "data="+c.Param("name")) })
	e.GET("/s6/:file", func(c echo.Context) error {
		slug, ok := complexSlug(c.Param("file"))
		if !ok {
			return echo.ErrNotFound
		}
		return c.String(http.StatusOK, "data="+slug)
	})
	e.GET("/formget", func(c echo.Context) error {
		return c.HTML(http.StatusOK, formAnswer(c.QueryParam("name"), c.QueryParam("email")))
	})
	e.GET("/s2", func(c echo.Context) error { return c.Render(http.StatusOK, s.tmpl.Name(), templateData()) })
	e.GET("/get_image2", func(c echo.Context) error {
		b, err := drawImage()
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "image/jpeg", b)
	})
	e.Static("/static", s.static)
	return e
}
