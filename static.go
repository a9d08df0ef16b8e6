package flasky

import (
	"io/fs"
	"net/http"
	"os"
	"path"
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
	folder, rule := "static", staticRule
	if s := a.static; s != nil {
		folder, rule = s.folder, s.rule
	}
	if !a.hasStaticFolder(folder) {
		return
	}
	r, err := a.root.addRoute(rule, serveStatic, nil)
	if err != nil {
		panic(err) // the table is empty: cannot happen
	}
	r.SetEndpoint("static")
}

// staticPlace is where WithStaticFolder put the static route.
type staticPlace struct{ folder, rule string }

// WithStaticFolder serves the app's static files from folder (a path in
// the app's files, such as "public"; "" is the app's folder itself) at
// urlPath + "/<path:filename>" instead of static/ at /static, as Flask's
// Flask(static_folder=..., static_url_path=...). An empty urlPath is "/"
// and the folder's last element, or "" (the site's root) for the app's
// folder; a trailing slash is dropped, so "/foo/" is "/foo". The endpoint
// is still "static", and the route exists only when the folder does. A
// folder of "" serves every file of the app's folder (templates and
// source too), as Flask's static_folder="" does; give it the folder of
// the public files instead.
func WithStaticFolder(folder, urlPath string) Option {
	folder = strings.Trim(path.Clean("/"+folder), "/")
	if urlPath == "" && folder != "" {
		urlPath = "/" + path.Base(folder)
	}
	if urlPath != "" && urlPath[0] != '/' {
		urlPath = "/" + urlPath
	}
	rule := strings.TrimRight(urlPath, "/") + "/<path:filename>"
	return func(a *App) { a.static = &staticPlace{folder, rule} }
}

// hasStaticFolder reports whether the app's files have the folder.
func (a *App) hasStaticFolder(folder string) bool {
	var st fs.FileInfo
	var err error
	if a.embedded {
		if folder == "" {
			folder = "."
		}
		st, err = fs.Stat(a.files, folder)
	} else {
		st, err = os.Stat(filepath.Join(a.rootPath, filepath.FromSlash(folder)))
	}
	return err == nil && st.IsDir()
}

// serveStatic is the static route's handler.
func serveStatic(c *Ctx) error {
	folder := "static"
	if s := c.app.static; s != nil {
		folder = s.folder
	}
	return c.app.serveFolder(c, folder)
}

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
	return c.sendFS(f, a.appFS(), path.Join(folder, name), folder, fileOptions{})
}
