package main

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"
	"path/filepath"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// Content types every router sends.
const (
	textPlain = "text/plain; charset=utf-8"
	textHTML  = "text/html; charset=utf-8"
)

// peerSite is what every router serves: the parsed template and the
// static folder.
type peerSite struct {
	tmpl   *template.Template
	static string
}

// loadSite parses root/templates/home.html and checks root/static.
func loadSite(root string) (*peerSite, error) {
	t, err := template.ParseFiles(filepath.Join(root, "templates", site.TemplateFile))
	if err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	static := filepath.Join(root, "static")
	if st, err := os.Stat(static); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("no static folder %s", static)
	}
	return &peerSite{tmpl: t, static: static}, nil
}

// templateData is slide 30's data, as the Go example passes it.
func templateData() map[string]any {
	return map[string]any{"name": site.TemplateName, "list": site.TemplateList}
}

// formAnswer is slide 27's answer, escaped as the Go example escapes it.
func formAnswer(name, email string) string {
	return "name = " + html.EscapeString(name) + "<br/>" +
		"email = " + html.EscapeString(email) + "<br/>"
}

// Slide 33's colours.
var (
	red    = image.NewUniform(color.RGBA{0xff, 0, 0, 0xff})
	yellow = image.NewUniform(color.RGBA{0xff, 0xff, 0x33, 0xff})
	black  = image.NewUniform(color.RGBA{0, 0, 0, 0xff})
)

// drawImage is slide 33 with the standard library: a black 220x190
// picture, a yellow box with a one-pixel red border covering (40, 40) to
// (210, 180) inclusive, as Pillow draws it, encoded by image/jpeg at
// quality 70. It is drawn on every request, as the slide's code does.
func drawImage() ([]byte, error) {
	im := image.NewRGBA(image.Rect(0, 0, 220, 190))
	draw.Draw(im, im.Bounds(), black, image.Point{}, draw.Src)
	draw.Draw(im, image.Rect(40, 40, 211, 181), red, image.Point{}, draw.Src)
	draw.Draw(im, image.Rect(41, 41, 210, 180), yellow, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, im, &jpeg.Options{Quality: 70}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
