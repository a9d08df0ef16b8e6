package flasky_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// FuzzMultipartBody sends any body as multipart/form-data with boundary
// "B" to a handler that saves every file and reads the form. The answer
// is always a 200, 400 or 413; nothing lands outside the folder, and no
// temporary file is left after the request.
func FuzzMultipartBody(f *testing.F) {
	good, _ := form(field("a", "1"), file("f", "사진.jpg", "data"), file("f", "../x", "y"))
	good = strings.ReplaceAll(good, good[2:strings.Index(good, "\r\n")], "B")
	for _, s := range []string{
		good,
		"",
		"--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nx",
		"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"..\"\r\n\r\nx\r\n--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%EC%82%AC.jpg\r\n\r\nx\r\n--B--\r\n",
		"preamble\r\n--B\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nv\r\n--B--\r\n",
	} {
		f.Add([]byte(s))
	}
	root := f.TempDir()
	tmp := filepath.Join(root, "tmp")
	dest := filepath.Join(root, "dest", "in")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		f.Fatal(err)
	}
	f.Setenv("TMPDIR", tmp)
	app := flasky.New()
	app.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	app.Config.MaxFormParts = 20
	app.Config.MaxFormMemory = 4096
	app.Config.MaxContentLength = 1 << 20
	app.Route("/", func(c *flasky.Ctx) error {
		for fl, err := range c.Files.All() {
			if err != nil {
				return err
			}
			if _, err := fl.Save(dest, flasky.Unique()); err != nil {
				var he *flasky.HTTPError
				if errors.As(err, &he) && he.Code == 400 {
					continue // a name nothing safe is left of
				}
				return err
			}
		}
		if err := c.Form.Err(); err != nil {
			return err
		}
		return c.String("ok")
	}, "POST")
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		if w.Code != 200 && w.Code != 400 && w.Code != 413 {
			t.Fatalf("status %d: %q", w.Code, w.Body.String())
		}
		if ents, _ := os.ReadDir(tmp); len(ents) > 0 {
			t.Fatalf("temporary files left: %v", ents)
		}
		if ents, _ := os.ReadDir(filepath.Dir(dest)); len(ents) > 1 {
			t.Fatalf("a file outside the folder: %v", ents)
		}
		ents, _ := os.ReadDir(dest)
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() {
				t.Fatalf("saved %q (%v)", e.Name(), e.Type())
			}
		}
		if len(ents) > 100 {
			_ = os.RemoveAll(dest)
		}
	})
}
