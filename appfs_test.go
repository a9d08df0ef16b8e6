package flasky_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

func TestOpenResource(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("create table x;"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "secret"), []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, app := range []*flasky.App{
		flasky.New(flasky.WithRoot(dir)),
		flasky.New(flasky.WithFS(fstest.MapFS{"schema.sql": {Data: []byte("create table x;")}})),
	} {
		f, err := app.OpenResource("schema.sql")
		if err != nil {
			t.Fatalf("OpenResource(schema.sql): %v", err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(b) != "create table x;" {
			t.Errorf("schema.sql = %q, %v", b, err)
		}
		for _, bad := range []string{"../secret", "/etc/passwd", "nope.sql"} {
			if f, err := app.OpenResource(bad); err == nil {
				f.Close()
				t.Errorf("OpenResource(%q): no error", bad)
			} else if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("OpenResource(%q) = %v, want an error wrapping fs.ErrNotExist", bad, err)
			}
		}
	}
	// On disk, the file is opened read-only.
	f, err := flasky.New(flasky.WithRoot(dir)).OpenResource("schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if w, ok := f.(io.Writer); ok {
		if _, err := w.Write([]byte("x")); err == nil {
			t.Error("writing a resource succeeded")
		}
	}
}
