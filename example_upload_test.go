package flasky_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/flasky-go/flasky"
)

// upload posts files (field name, file name, content triples) to h as
// multipart/form-data, as a browser's form does, and prints the answer.
func upload(h *flasky.App, target string, files ...string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+2 < len(files); i += 3 {
		w, _ := mw.CreateFormFile(files[i], files[i+1])
		io.WriteString(w, files[i+2])
	}
	mw.WriteField("title", "여행")
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
}

// Slide 31's upload, the safe way: the client's name goes through
// SecureFilename, so "../../escape.txt" lands inside the folder.
func ExampleFiles_Get() {
	dir, _ := os.MkdirTemp("", "uploads")
	defer os.RemoveAll(dir)

	app := flasky.New()
	app.Route("/fileUpload", func(c *flasky.Ctx) error {
		f, err := c.Files.Get("file1") // no file1: a 400 that names it
		if err != nil {
			return err
		}
		path, err := f.Save(filepath.Join(dir, "static", "downloads"))
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		return c.String(fmt.Sprintf("%s: %s (%s)", f.Filename, filepath.ToSlash(rel), c.Form.Get("title")))
	}, "POST")

	upload(app, "/fileUpload", "file1", "사진.jpg", "JPEG data")
	upload(app, "/fileUpload", "file1", "../../escape.txt", "text")
	upload(app, "/fileUpload", "other", "a.txt", "text")
	// Output:
	// 200 사진.jpg: static/downloads/사진.jpg (여행)
	// 200 ../../escape.txt: static/downloads/escape.txt (여행)
	// 400 <!doctype html>
	// <html lang=en>
	// <title>400 Bad Request</title>
	// <h1>Bad Request</h1>
	// <p>The request has no file in field &#34;file1&#34;.</p>
}

// Every file of an <input type="file" name="photos" multiple>, each
// streamed to disk as it arrives; Unique keeps files of the same name.
func ExampleFiles_All() {
	dir, _ := os.MkdirTemp("", "uploads")
	defer os.RemoveAll(dir)

	app := flasky.New()
	app.Route("/photos", func(c *flasky.Ctx) error {
		var saved []string
		for f, err := range c.Files.All() {
			if err != nil {
				return err
			}
			path, err := f.Save(dir, flasky.Unique())
			if err != nil {
				return err
			}
			saved = append(saved, filepath.Base(path))
		}
		return c.String(strings.Join(saved, ", "))
	}, "POST")

	upload(app, "/photos", "photos", "a.jpg", "1", "photos", "b.jpg", "2", "photos", "a.jpg", "3")
	// Output:
	// 200 a.jpg, b.jpg, a (1).jpg
}

// Save streams the file to a temporary file in the folder and renames it;
// Size and Open then read the saved file.
func ExampleFile_Save() {
	dir, _ := os.MkdirTemp("", "uploads")
	defer os.RemoveAll(dir)

	app := flasky.New()
	app.Route("/up", func(c *flasky.Ctx) error {
		f, err := c.Files.Get("doc")
		if err != nil {
			return err
		}
		path, err := f.Save(dir)
		if err != nil {
			return err
		}
		size, _ := f.Size()
		rd, err := f.Open()
		if err != nil {
			return err
		}
		data, _ := io.ReadAll(rd)
		return c.String(fmt.Sprintf("%s %d %q %s", filepath.Base(path), size, data, f.ContentType))
	}, "POST")

	upload(app, "/up", "doc", "C:\\Users\\me\\report.txt", "hello")
	// Output:
	// 200 report.txt 5 "hello" application/octet-stream
}

func ExampleSecureFilename() {
	for _, name := range []string{"사진.jpg", "../../etc/passwd", `C:\Windows\x.ini`, "a\x00b.txt", "nul.txt", " .bashrc", ".."} {
		safe, err := flasky.SecureFilename(name)
		fmt.Printf("%q -> %q %v\n", name, safe, err != nil)
	}
	// Output:
	// "사진.jpg" -> "사진.jpg" false
	// "../../etc/passwd" -> "passwd" false
	// "C:\\Windows\\x.ini" -> "x.ini" false
	// "a\x00b.txt" -> "ab.txt" false
	// "nul.txt" -> "_nul.txt" false
	// " .bashrc" -> "bashrc" false
	// ".." -> "" true
}

// One route takes bigger bodies than the rest of the app.
func ExampleRoute_SetMaxContentLength() {
	app := flasky.New()
	app.Config.MaxContentLength = 16 // bytes, for the example
	save := func(c *flasky.Ctx) error {
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		n, _ := f.Size()
		return c.String(fmt.Sprint(n, " bytes"))
	}
	app.Route("/small", save, "POST")
	app.Route("/big", save, "POST").SetMaxContentLength(1 << 30)

	upload(app, "/small", "f", "a.bin", "0123456789")
	upload(app, "/big", "f", "a.bin", "0123456789")
	// Output:
	// 413 <!doctype html>
	// <html lang=en>
	// <title>413 Request Entity Too Large</title>
	// <h1>Request Entity Too Large</h1>
	// <p>The data value transmitted exceeds the capacity limit.</p>
	// 200 10 bytes
}
