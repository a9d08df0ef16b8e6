// Command fileserver is slide 20's `python -m http.server 9000`: it serves
// a folder's files, with a listing for each directory, to anyone who can
// reach the address.
//
//	go run ./examples/fileserver                     # the working directory, http://0.0.0.0:9000/
//	go run ./examples/fileserver -dir ~/Pictures -addr 127.0.0.1:9000
//
// Nothing outside the folder is served: the files are opened through an
// os.Root, so "..", encoded slashes and symbolic links that point out of
// the folder all end in a 404.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"

	"github.com/flasky-go/flasky"
)

// newApp serves dir, so the test serves the same routes as main.
func newApp(dir string) (*flasky.App, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	files := http.FileServerFS(inside{root.FS()}) // listings, types, ranges
	serve := func(c *flasky.Ctx) error {
		files.ServeHTTP(c.Writer, c.Request)
		return nil
	}
	app := flasky.New()
	app.Route("/", serve).SetEndpoint("index")
	app.Route("/<path:name>", serve).SetEndpoint("file")
	return app, nil
}

// inside reports every failed open but a permission error as a missing
// file: a link out of the folder is a 404, not http.FileServer's 500.
type inside struct{ fs.FS }

func (in inside) Open(name string) (fs.File, error) {
	f, err := in.FS.Open(name)
	if err != nil && !errors.Is(err, fs.ErrPermission) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f, err
}

func main() {
	addr := flag.String("addr", "0.0.0.0:9000", "host:port to listen on")
	dir := flag.String("dir", ".", "folder to serve")
	flag.Parse()
	app, err := newApp(*dir)
	if err == nil && flag.Arg(0) == "routes" { // like flask routes
		app.PrintRoutes(os.Stdout)
		return
	}
	if err == nil {
		err = app.Run(*addr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
