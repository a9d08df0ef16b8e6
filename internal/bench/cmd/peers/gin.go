package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// newGin is gin in release mode without middleware (gin.New), with its
// c.String, c.HTML, c.Data and Static.
func newGin(s *peerSite) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.SetHTMLTemplate(s.tmpl)
	e.GET("/", func(c *gin.Context) { c.String(http.StatusOK, site.Hello) })
	e.GET("/s5/:name", func(c *gin.Context) { c.String(http.StatusOK, "data="+c.Param("name")) })
	e.GET("/s6/:file", func(c *gin.Context) {
		slug, ok := complexSlug(c.Param("file"))
		if !ok {
			c.String(http.StatusNotFound, "404 page not found")
			return
		}
		c.String(http.StatusOK, "data="+slug)
	})
	e.GET("/formget", func(c *gin.Context) {
		c.Data(http.StatusOK, textHTML, []byte(formAnswer(c.Query("name"), c.Query("email"))))
	})
	e.GET("/s2", func(c *gin.Context) { c.HTML(http.StatusOK, s.tmpl.Name(), templateData()) })
	e.GET("/get_image2", func(c *gin.Context) {
		b, err := drawImage()
		if err != nil {
			c.String(http.StatusInternalServerError, err.Error())
			return
		}
		c.Data(http.StatusOK, "image/jpeg", b)
	})
	e.Static("/static", s.static)
	return e
}
