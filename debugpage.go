// Only debug mode shows this page; in normal mode the client gets
// Werkzeug's bare page and the details go to the log.

package flasky

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/flasky-go/flasky/internal/reloader/srcpage"
)

// sourceAround is how many lines the page shows on each side of a frame.
const sourceAround = 3

// panicError is a recovered panic with the stack where it happened, kept
// for the debug page.
type panicError struct {
	err error
	pcs []uintptr
}

// withStack records the caller's stack with err. Called in a deferred
// recover, the stack still holds the frames that panicked.
func withStack(err error) error {
	pcs := make([]uintptr, 100)
	return &panicError{err: err, pcs: pcs[:runtime.Callers(2, pcs)]}
}

func (p *panicError) Error() string { return p.err.Error() }
func (p *panicError) Unwrap() error { return p.err }

// debugPage is Werkzeug's 500 page followed by the details: the error,
// the stack (a panic's) or the handler (a returned error: Go errors
// carry no stack), the error's chain and the request. c is nil for a
// panic in middleware.
func (a *App) debugPage(r *http.Request, e *HTTPError, c *Ctx) string {
	p := &srcpage.Page{Message: e.Error()}
	var pe *panicError
	switch {
	case errors.As(e, &pe):
		p.Places = stackPlaces(pe.pcs)
	case c != nil && c.route != nil && c.route.view != nil:
		p.Note = "Go errors carry no stack: this one came from a method of the view " + c.route.view.String() + ", answering " + c.Request.Method + "."
	case c != nil && c.route != nil && c.route.funcPC != 0:
		p.Note = "Go errors carry no stack: below is the handler that returned this one."
		if fn := runtime.FuncForPC(c.route.funcPC); fn != nil {
			file, line := fn.FileLine(fn.Entry())
			p.Places = []srcpage.Place{{Label: fn.Name(), File: file, Line: line,
				Lines: srcpage.Excerpt(file, line, sourceAround)}}
		}
	}
	p.Tables = append(p.Tables, errorChain(e.Err), requestTable(r, c), headerTable(r.Header), formTable(c))
	var b bytes.Buffer
	b.WriteString(errorPage(e))
	if err := srcpage.Render(&b, p); err != nil {
		return errorPage(e) // unreached: a bytes.Buffer takes every write
	}
	return b.String()
}

// flaskyPkg is this package's import path, to tell its frames from the
// program's.
var flaskyPkg = reflect.TypeFor[App]().PkgPath()

// stackPlaces turns a recovered panic's stack into places: the frames
// below the panic, with source for the program's own frames and one grey
// line for the runtime's, the standard library's, other modules' and
// flasky's.
func stackPlaces(pcs []uintptr) []srcpage.Place {
	var frames []runtime.Frame
	it := runtime.CallersFrames(pcs)
	for {
		f, more := it.Next()
		frames = append(frames, f)
		if !more {
			break
		}
	}
	// Skip the recovering frames, down to runtime.gopanic and the
	// runtime frames that raised the panic (a nil map, an index...).
	start, goroot := 0, ""
	for i, f := range frames {
		if f.Function == "runtime.gopanic" {
			start = i + 1
			goroot = filepath.Dir(filepath.Dir(f.File)) + string(filepath.Separator)
		}
	}
	for start < len(frames) && strings.HasPrefix(frames[start].Function, "runtime.") {
		start++
	}
	var places []srcpage.Place
	for _, f := range frames[start:] {
		pl := srcpage.Place{Label: f.Function, File: f.File, Line: f.Line}
		lib := (goroot != "" && strings.HasPrefix(f.File, goroot)) ||
			strings.Contains(filepath.ToSlash(f.File), "/pkg/mod/") ||
			strings.HasPrefix(f.Function, flaskyPkg+".") || strings.HasPrefix(f.Function, flaskyPkg+"/")
		if pl.Lines = srcpage.Excerpt(f.File, f.Line, sourceAround); lib || pl.Lines == nil {
			pl.Dim, pl.Lines = true, nil
		}
		places = append(places, pl)
	}
	return places
}

// errorChain lists err and the errors it wraps, with their types.
func errorChain(err error) srcpage.Table {
	t := srcpage.Table{Name: "Error chain", Empty: "(no underlying error)"}
	for ; err != nil; err = errors.Unwrap(err) {
		if _, ok := err.(*panicError); ok {
			continue // the same message again
		}
		t.Rows = append(t.Rows, srcpage.Row{Key: fmt.Sprintf("%T", err), Value: err.Error()})
	}
	return t
}

func requestTable(r *http.Request, c *Ctx) srcpage.Table {
	t := srcpage.Table{Name: "Request", Rows: []srcpage.Row{
		{Key: "Method", Value: r.Method},
		{Key: "URL", Value: r.RequestURI},
		{Key: "Host", Value: r.Host},
		{Key: "Remote address", Value: r.RemoteAddr},
	}}
	if c != nil && c.route != nil {
		t.Rows = append(t.Rows, srcpage.Row{Key: "Rule", Value: c.route.Rule()},
			srcpage.Row{Key: "Endpoint", Value: c.route.Endpoint()})
	}
	return t
}

// secretHeaders are shown by size only: a page copied into a bug report
// must not carry a session or a password.
var secretHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true}

func headerTable(h http.Header) srcpage.Table {
	t := srcpage.Table{Name: "Headers", Empty: "(none)"}
	for _, k := range sortedKeys(h) {
		v := strings.Join(h[k], ", ")
		if secretHeaders[k] {
			v = "(hidden, " + strconv.Itoa(len(v)) + " bytes)"
		}
		t.Rows = append(t.Rows, srcpage.Row{Key: k, Value: v})
	}
	return t
}

// formTable lists the form's keys, not their values (passwords), if the
// handler read the form: the page never reads a body itself.
func formTable(c *Ctx) srcpage.Table {
	t := srcpage.Table{Name: "Form keys", Empty: "(the handler did not read a form)"}
	if c == nil || !c.Form.loaded {
		return t
	}
	for _, k := range sortedKeys(c.Form.v) {
		t.Rows = append(t.Rows, srcpage.Row{Key: k, Value: strconv.Itoa(len(c.Form.v[k])) + " value(s)"})
	}
	if len(t.Rows) == 0 {
		t.Empty = "(empty form)"
	}
	return t
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
