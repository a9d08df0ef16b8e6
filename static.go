package flasky

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// staticRule is Flask's static route; its endpoint is "static", so
// URLFor("static", M{"filename": "css/site.css"}) is /static/css/site.css.
const staticRule = "/static/<path:filename>"

// registerStatic adds Flask's static route, GET /static/<path:filename>
// with the endpoint "static", serving the app's static/ folder (on disk,
// or in the WithFS file system) like SendFromDirectory: types, ETag,
// Last-Modified, 304, ranges, Cache-Control: no-cache; directories and
// anything outside the folder are a 404.
//
// The route exists only when the app has a static/ folder when New runs
// (Flask adds it always): an app without one routes exactly as before,
// and may use /static and the name "static" for itself.
func (a *App) registerStatic() {
	if !a.hasStaticFolder() {
		return
	}
	r, err := a.root.addRoute(staticRule, serveStatic, nil)
	if err != nil {
		panic(err) // the table is empty: cannot happen
	}
	r.SetEndpoint("static")
}

// hasStaticFolder reports whether the app's files have a static/ folder.
func (a *App) hasStaticFolder() bool {
	var st fs.FileInfo
	var err error
	if a.embedded {
		st, err = fs.Stat(a.files, "static")
	} else {
		st, err = os.Stat(filepath.Join(a.rootPath, "static"))
	}
	return err == nil && st.IsDir()
}

// serveStatic is the static route's handler.
func serveStatic(c *Ctx) error { return c.app.serveFolder(c, "static") }

// serveFolder answers with the file <filename> of folder in the app's
// files, for the static routes of the app and of blueprints.
func (a *App) serveFolder(c *Ctx, folder string) error {
	name := c.Param("filename")
	if strings.HasSuffix(name, "/") {
		// A folder's name: never a file (Clean would drop the slash).
		return &HTTPError{Code: http.StatusNotFound}
	}
	f, err := a.openIn(folder, name)
	if err != nil {
		// The name is the client's: a 404, not logged.
		return fileHTTPError(folder, name, err)
	}
	defer f.Close()
	return c.sendFS(f, a.appFS(), folder+"/"+name, folder, fileOptions{})
}
