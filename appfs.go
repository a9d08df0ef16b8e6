// The app's folder is found beside the program's source, like Flask's
// root_path, or is an embed.FS; files are opened there without ever
// leaving it.

package flasky

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/flasky-go/flasky/internal/safepath"
)

// Option configures an App in [New].
type Option func(*App)

// WithRoot sets the app's root folder, where templates/ and static/ live
// and against which relative paths given to SendFile resolve. By default
// it is the folder of the source file that called New, when that folder
// exists (go run, go test, a binary run beside its source), else the
// folder of the executable.
func WithRoot(dir string) Option {
	return func(a *App) { a.rootPath = dir; a.files = nil }
}

// WithFS serves the app's files from fsys instead of the disk: templates
// from fsys's templates/ folder, static files from its static/ folder,
// and relative SendFile paths from its root. With Go's embed package a
// built binary carries them:
//
//	//go:embed templates static
//	var files embed.FS
//
//	app := flasky.New(flasky.WithFS(files))
func WithFS(fsys fs.FS) Option {
	return func(a *App) { a.files = fsys; a.embedded = true }
}

// RootPath returns the app's root folder on disk ("" when the app's files
// come from an fs.FS given with WithFS).
func (a *App) RootPath() string {
	if a.embedded {
		return ""
	}
	return a.rootPath
}

// findRoot picks the default root: the caller's source folder, else the
// executable's folder, else the working directory.
func findRoot(skip int) string {
	if _, file, _, ok := runtime.Caller(skip + 1); ok && filepath.IsAbs(file) {
		dir := filepath.Dir(file)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	if exe, err := os.Executable(); err == nil {
		return filepath.Dir(exe)
	}
	if wd, err := os.Getwd(); err == nil {
		return wd
	}
	return "."
}

// appFS returns the file system of the app's files.
func (a *App) appFS() fs.FS {
	if a.files == nil {
		a.files = &rootedFS{dir: a.rootPath}
	}
	return a.files
}

// OpenResource opens a file of the app's own files for reading, as
// Flask's app.open_resource: name is a slash-separated path from the
// app's folder ("schema.sql", "static/index.html"), on disk or in the
// WithFS file system, and never leads out of it ('..', absolute paths
// and links that point out are refused). The file cannot be written:
// there is no mode to ask for it.
func (a *App) OpenResource(name string) (fs.File, error) {
	return a.openIn("", name)
}

// openIn opens name (a slash-separated path that may come from a client)
// inside folder dir of the app's files. Anything that could leave the
// folder is fs.ErrNotExist: "..", absolute paths, backslashes, NUL,
// Windows device names, and symbolic links that point outside.
func (a *App) openIn(dir, name string) (fs.File, error) {
	clean, err := safepath.Clean(name)
	if err != nil {
		return nil, fmt.Errorf("flasky: %w: %w", err, fs.ErrNotExist)
	}
	return a.appFS().Open(path.Join(dir, clean))
}

// rootedFS is the app's folder on disk. Every Open goes through an
// os.Root, so a symbolic link cannot lead out: a path under a first-level
// folder (static/..., templates/...) is opened in an os.Root of that
// folder, so a link in static/ cannot reach templates/ or the source
// either; a file at the top is opened in an os.Root of the folder itself.
// The roots are opened once and kept for the app's life.
type rootedFS struct {
	dir   string
	mu    sync.Mutex
	roots map[string]*os.Root
}

// root returns the os.Root of a folder below dir ("" for dir itself).
func (r *rootedFS) root(sub string) (*os.Root, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rt := r.roots[sub]; rt != nil {
		return rt, nil
	}
	rt, err := os.OpenRoot(filepath.Join(r.dir, filepath.FromSlash(sub)))
	if err != nil {
		return nil, err // not kept: the folder may appear later
	}
	if r.roots == nil {
		r.roots = map[string]*os.Root{}
	}
	r.roots[sub] = rt
	return rt, nil
}

// Open opens name, a valid fs.FS path, inside the folder.
func (r *rootedFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	top, rest, nested := strings.Cut(name, "/")
	if !nested {
		top, rest = "", name
	}
	rt, err := r.root(top)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return rt.Open(filepath.FromSlash(rest))
}

// openFile opens a path given by the program to SendFile: an absolute
// path as it is, a relative one inside the app's files.
func (a *App) openFile(p string) (fs.File, error) {
	if filepath.IsAbs(p) {
		return os.Open(p)
	}
	clean := path.Clean(filepath.ToSlash(p))
	if clean == ".." || strings.HasPrefix(clean, "../") || strings.HasPrefix(clean, "/") {
		return nil, fmt.Errorf("flasky: %q leaves the app's folder: %w", p, fs.ErrNotExist)
	}
	return a.appFS().Open(clean)
}
