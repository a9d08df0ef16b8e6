package flasky_test

import (
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

// TestSendFileWorkingDirectory: a relative path is the app's, not the
// working directory's.
func TestSendFileWorkingDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	app, _ := newTestApp() // root: this test's source folder
	app.Route("/photo", func(c *flasky.Ctx) error { return c.SendFile("testdata/files/11.jpg") })
	app.Route("/nope", func(c *flasky.Ctx) error { return c.SendFile("11.jpg") })
	if w := get(app, "/photo"); w.Code != 200 || w.Header().Get("Content-Type") != "image/jpeg" {
		t.Errorf("GET /photo = %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if w := get(app, "/nope"); w.Code != 404 {
		t.Errorf("GET /nope = %d", w.Code)
	}

	// WithFS: relative paths are inside the file system.
	app = flasky.New(flasky.WithFS(fstest.MapFS{"11.jpg": {Data: []byte("\xff\xd8\xff\xe0jpeg")}}))
	app.Route("/photo", func(c *flasky.Ctx) error { return c.SendFile("11.jpg") })
	if w := get(app, "/photo"); w.Code != 200 || w.Header().Get("Content-Type") != "image/jpeg" || w.Body.String() != "\xff\xd8\xff\xe0jpeg" {
		t.Errorf("WithFS GET /photo = %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}
