// Command upload is slides 18 and 31: a page whose file input opens the
// camera on a phone (slide 18), and the route that saves the upload under
// static/downloads/ and answers "파일 업로드 성공!" (slide 31).
//
//	go run ./examples/upload                 # http://0.0.0.0:3000/
//	go run ./examples/upload -dir /srv/www   # saves in /srv/www/static/downloads/
//
// Try it without a browser:
//
//	curl -F file1=@사진.jpg http://127.0.0.1:3000/fileUpload
//
// A big file shows a progress bar while it uploads (a few lines of
// JavaScript on the upload's progress events); without JavaScript the
// plain form posts the same request.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/flasky-go/flasky"
)

// uploadPage is slide 18's form. The input is the slide's, byte for byte:
// accept="image/*" offers images, and the capture attribute asks a phone
// to open its camera ("camera" is the value of an old draft; today's
// standard names "environment" or "user", the back or front camera).
// enctype="multipart/form-data" is what sends the file itself rather than
// only its name.
//
// The script is an extra: it sends the same form with XMLHttpRequest to
// show the upload's progress, and puts the answer in the page as text
// (textContent, never HTML).
const uploadPage = `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>파일 업로드</title></head>
<body>
<h1>파일 업로드</h1>
<form id="upload" action="/fileUpload" method="post" enctype="multipart/form-data">
<input type="file" name="file1" accept="image/*" capture="camera"/>
<input type="submit" value="업로드">
</form>
<p><progress id="bar" max="100" value="0" hidden></progress> <span id="status"></span></p>
<script>
document.getElementById("upload").addEventListener("submit", function (e) {
  e.preventDefault();
  var bar = document.getElementById("bar"), status = document.getElementById("status");
  var xhr = new XMLHttpRequest();
  xhr.upload.onprogress = function (p) {
    if (p.lengthComputable) {
      bar.hidden = false;
      bar.value = 100 * p.loaded / p.total;
      status.textContent = Math.floor(bar.value) + "%";
    }
  };
  xhr.onload = function () {
    status.textContent = xhr.status === 200 ? xhr.responseText : "업로드 실패 (" + xhr.status + ")";
  };
  xhr.onerror = function () { status.textContent = "업로드 실패 (연결 끊김)"; };
  xhr.open("POST", this.action);
  xhr.send(new FormData(this));
});
</script>
</body>
</html>
`

// newApp builds the app, so the test serves the same routes as main.
// Uploads go to dir/static/downloads/; maxSize caps a request body in
// bytes (0: no limit).
func newApp(dir string, maxSize int64) *flasky.App {
	app := flasky.New()
	app.Config.MaxContentLength = maxSize
	downloads := filepath.Join(dir, "static", "downloads")
	app.Route("/", func(c *flasky.Ctx) error { return c.HTML(uploadPage) }).SetEndpoint("index")
	app.Route("/fileUpload", func(c *flasky.Ctx) error {
		f, err := c.Files.Get("file1") // request.files['file1']; none: 400
		if err != nil {
			return err
		}
		// Slide 31 writes f.save("./static/downloads/" + f.filename). The
		// file name is whatever the client sends, and a client is not
		// always a browser: with "../../main.go" (curl -F
		// 'file1=@x;filename=../../main.go') that path leaves
		// static/downloads/ and overwrites the program; "/etc/cron.d/x"
		// or "..\..\x" on Windows go anywhere the server may write. Save
		// keeps only a safe file name (flasky.SecureFilename:
		// "../../main.go" becomes "main.go", Korean names stay as they
		// are) and writes inside the folder, atomically.
		path, err := f.Save(downloads)
		if err != nil {
			return err
		}
		size, _ := f.Size()
		app.Logger.Info(fmt.Sprintf(" * saved %s (%d bytes)", path, size))
		return c.String("파일 업로드 성공!")
	}, "POST").SetEndpoint("fileUpload")
	return app
}

func main() {
	addr := flag.String("addr", "0.0.0.0:3000", "host:port to listen on")
	dir := flag.String("dir", ".", "folder whose static/downloads/ receives the uploads")
	maxSize := flag.Int64("max", 1<<30, "largest upload in bytes (0: no limit)")
	flag.Parse()
	app := newApp(*dir, *maxSize)
	if flag.Arg(0) == "routes" { // like flask routes
		app.PrintRoutes(os.Stdout)
		return
	}
	if err := app.Run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
