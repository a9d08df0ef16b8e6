package flasky_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/flasky-go/flasky"
)

// fetch sends one request to h and prints the status and chosen headers.
func fetch(h http.Handler, target string, hdr ...string) {
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	out := fmt.Sprint(target, " ", w.Code)
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Disposition"} {
		if v := w.Header().Get(k); v != "" {
			out += " " + v
		}
	}
	fmt.Println(out)
}

// Slide 32: send a picture, or the same JPEG labelled as a GIF. The path
// is relative to the app's folder (here, this file's), whatever the
// working directory is.
func ExampleCtx_SendFile() {
	app := flasky.New()
	app.Route("/photo", func(c *flasky.Ctx) error {
		return c.SendFile("testdata/files/11.jpg")
	})
	app.Route("/gif", func(c *flasky.Ctx) error {
		return c.SendFile("testdata/files/11.jpg", flasky.Mimetype("image/gif"))
	})
	app.Route("/download", func(c *flasky.Ctx) error {
		return c.SendFile("testdata/files/11.jpg", flasky.AsAttachment(), flasky.DownloadName("사진.jpg"))
	})
	fetch(app, "/photo")
	fetch(app, "/gif")
	fetch(app, "/download")
	fetch(app, "/photo", "Range", "bytes=0-9")
	// Output:
	// /photo 200 image/jpeg 620 inline; filename="11.jpg"
	// /gif 200 image/gif 620 inline; filename="11.jpg"
	// /download 200 image/jpeg 620 attachment; filename="__.jpg"; filename*=UTF-8''%EC%82%AC%EC%A7%84.jpg
	// /photo 206 image/jpeg 10 inline; filename="11.jpg"
}

// The name comes from the URL; nothing outside the folder can be reached.
func ExampleCtx_SendFromDirectory() {
	app := flasky.New()
	app.Route("/uploads/<path:name>", func(c *flasky.Ctx) error {
		return c.SendFromDirectory("testdata/files/uploads", c.Param("name"))
	})
	fetch(app, "/uploads/report.txt")
	fetch(app, "/uploads/sub/deep.txt")
	fetch(app, "/uploads/..%2fsecret.txt")
	fetch(app, "/uploads/nul.txt")
	// Output:
	// /uploads/report.txt 200 text/plain; charset=utf-8 16 inline; filename="report.txt"
	// /uploads/sub/deep.txt 200 text/plain; charset=utf-8 14 inline; filename="deep.txt"
	// /uploads/..%2fsecret.txt 404 text/html; charset=utf-8
	// /uploads/nul.txt 404 text/html; charset=utf-8
}

// Slide 33: an image made in memory, sent like Flask's
// send_file(BytesIO(...)).
func ExampleCtx_SendReader() {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	app := flasky.New()
	app.Route("/chart", func(c *flasky.Ctx) error {
		return c.SendReader(bytes.NewReader(png), flasky.DownloadName("chart.png"))
	})
	app.Route("/sniffed", func(c *flasky.Ctx) error {
		return c.SendReader(bytes.NewReader(png))
	})
	fetch(app, "/chart")
	fetch(app, "/sniffed")
	fetch(app, "/chart", "Range", "bytes=0-7")
	// Output:
	// /chart 200 image/png 33 inline; filename="chart.png"
	// /sniffed 200 image/png 33
	// /chart 206 image/png 8 inline; filename="chart.png"
}

func ExampleCtx_Stream() {
	app := flasky.New()
	app.Route("/count", func(c *flasky.Ctx) error {
		return c.Stream("text/plain; charset=utf-8", func(w io.Writer) error {
			for i := 1; i <= 3; i++ {
				if _, err := fmt.Fprintf(w, "%d\n", i); err != nil {
					return err // the client left
				}
			}
			return nil
		})
	})
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/count", nil))
	fmt.Print(w.Code, " ", w.Flushed, "\n", w.Body.String())
	// Output:
	// 200 true
	// 1
	// 2
	// 3
}
