package reloader

import (
	"bytes"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/flasky-go/flasky/internal/reloader/srcpage"
)

// around is how many source lines a page shows on each side of a place.
const around = 3

// compileError matches a compiler message: "./main.go:12:5: message".
var compileError = regexp.MustCompile(`^(.+?\.go):(\d+)(?::\d+)?: (.*)$`)

// buildPage is the page served while the source does not compile: each
// error with its file, line and the source around it, then the
// compiler's whole output. dir is the folder go build ran in, against
// which the compiler's relative paths resolve.
func buildPage(dir string, out []byte) []byte {
	p := &srcpage.Page{
		Title:  "Build failed",
		Note:   "The last change does not compile. The server keeps its port open and serves the new code as soon as a build succeeds: fix the error and save.",
		Output: string(out),
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "\t") && len(p.Places) > 0 {
			p.Places[len(p.Places)-1].Label += " " + strings.TrimSpace(line)
			continue
		}
		m := compileError.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		file := m[1]
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		n, _ := strconv.Atoi(m[2])
		p.Places = append(p.Places, srcpage.Place{Label: m[3], File: file, Line: n, Lines: srcpage.Excerpt(file, n, around)})
		if p.Message == "" {
			p.Message = fmt.Sprintf("%s:%d: %s", file, n, m[3])
		}
	}
	if p.Message == "" {
		p.Message = firstLine(out)
	}
	return render(p)
}

// traceFrame matches a frame's position in a goroutine trace:
// "\t/home/me/app/main.go:12 +0x1d".
var traceFrame = regexp.MustCompile(`^\t(/.+):(\d+)(?: \+0x[0-9a-f]+)?$`)

// crashPage is the page served after a child exited on its own: how it
// exited, the frames of a panic's trace found in its standard error
// (with source for the files of the program's modules), and the output.
func crashPage(c *child, mods []string) []byte {
	out := c.tail.String()
	p := &srcpage.Page{
		Title:   "The program exited",
		Message: fmt.Sprintf("%s: %v", filepath.Base(c.bin), c.err),
		Note:    "It stopped on its own; its output is below and on the console. Save a change to build and start it again.",
		Output:  out,
	}
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		m := traceFrame.FindStringSubmatch(line)
		if m == nil || i == 0 {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		pl := srcpage.Place{Label: lines[i-1], File: m[1], Line: n, Dim: true}
		if inside(m[1], mods) {
			pl.Dim, pl.Lines = false, srcpage.Excerpt(m[1], n, around)
		}
		p.Places = append(p.Places, pl)
	}
	return render(p)
}

// inside reports whether file is under one of the folders.
func inside(file string, dirs []string) bool {
	for _, d := range dirs {
		if rel, err := filepath.Rel(d, file); err == nil && filepath.IsLocal(rel) {
			return true
		}
	}
	return false
}

func firstLine(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return "go build failed"
}

func render(p *srcpage.Page) []byte {
	var b bytes.Buffer
	if err := srcpage.Render(&b, p); err != nil {
		// Unreached, a bytes.Buffer takes every write; still say something.
		return []byte("<!doctype html><title>flasky</title><pre>" + html.EscapeString(err.Error()) + "</pre>")
	}
	return b.Bytes()
}
