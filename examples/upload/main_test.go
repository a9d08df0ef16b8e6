package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// post sends one multipart form, as curl -F does: file parts are
// (field, filename, data) triples.
func post(t *testing.T, dir string, files ...string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+2 < len(files); i += 3 {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, files[i], files[i+1]))
		h.Set("Content-Type", "application/octet-stream")
		w, _ := mw.CreatePart(h)
		_, _ = io.WriteString(w, files[i+2])
	}
	_ = mw.WriteField("comment", "from the test")
	_ = mw.Close()
	app := newApp(dir, 1<<30)
	app.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	req := httptest.NewRequest("POST", "/fileUpload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	app.ServeHTTP(w, req)
	return w
}

func TestUpload(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	photo := make([]byte, 3<<20)
	_, _ = rand.Read(photo)
	tests := []struct {
		name, filename, data, saved string
	}{
		{"text", "hello.txt", "hello~~\n", "hello.txt"},
		{"hangul photo", "사진.jpg", string(photo), "사진.jpg"},
		{"dot dot", "../../escape.txt", "trying to get out", "escape.txt"},
		{"absolute", "/etc/passwd", "root::0:0", "passwd"},
	}
	ran := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran++
			w := post(t, dir, "file1", tt.filename, tt.data)
			if w.Code != 200 || w.Body.String() != "파일 업로드 성공!" {
				t.Errorf("%s: %d %q", tt.filename, w.Code, w.Body.String())
				return
			}
			got, err := os.ReadFile(filepath.Join(dir, "static", "downloads", tt.saved))
			if err != nil || string(got) != tt.data {
				t.Errorf("%s: saved as %s: %d bytes, %v; want %d bytes, byte-identical", tt.filename, tt.saved, len(got), err, len(tt.data))
			}
		})
	}
	if ran < len(tests) {
		return // -run picked some cases: the files below are not all there
	}
	// Nothing outside static/downloads/, nothing hidden inside.
	var all []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			all = append(all, filepath.ToSlash(rel))
		}
		return err
	})
	slices.Sort(all)
	want := []string{"site/static/downloads/escape.txt", "site/static/downloads/hello.txt",
		"site/static/downloads/passwd", "site/static/downloads/사진.jpg"}
	if !slices.Equal(all, want) {
		t.Errorf("files on disk: %q, want %q", all, want)
	}
}

func TestUploadWithoutFile(t *testing.T) {
	dir := t.TempDir()
	w := post(t, dir, "other", "a.txt", "x")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "file1") {
		t.Errorf("form without file1: %d %q, want 400 naming file1", w.Code, w.Body.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "static", "downloads")); err == nil {
		if ents, _ := os.ReadDir(filepath.Join(dir, "static", "downloads")); len(ents) > 0 {
			t.Errorf("something was saved: %v", ents)
		}
	}
}

func TestUploadPage(t *testing.T) {
	w := httptest.NewRecorder()
	newApp(t.TempDir(), 0).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	body := w.Body.String()
	for _, want := range []string{
		`<input type="file" name="file1" accept="image/*" capture="camera"/>`, // slide 18
		`action="/fileUpload" method="post" enctype="multipart/form-data"`,
		`<progress id="bar"`, "xhr.upload.onprogress",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("upload page lacks %s", want)
		}
	}
	if w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
	}
}
