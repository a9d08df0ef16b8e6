package reloader

import (
	"bytes"
	"fmt"
	"html"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/flasky-go/flasky/internal/reloader/srcpage"
)

// around is how many source lines a page shows on each side of a place.
const around = 3

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
		file, num, msg, ok := compileError(line)
		if !ok {
			continue
		}
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		n, _ := strconv.Atoi(num)
		p.Places = append(p.Places, srcpage.Place{Label: msg, File: file, Line: n, Lines: srcpage.Excerpt(file, n, around)})
		if p.Message == "" {
			p.Message = fmt.Sprintf("%s:%d: %s", file, n, msg)
		}
	}
	if p.Message == "" {
		p.Message = firstLine(out)
	}
	return render(p)
}

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
		file, num, ok := traceFrame(line)
		if !ok || i == 0 {
			continue
		}
		n, _ := strconv.Atoi(num)
		pl := srcpage.Place{Label: lines[i-1], File: file, Line: n, Dim: true}
		if inside(file, mods) {
			pl.Dim, pl.Lines = false, srcpage.Excerpt(file, n, around)
		}
		p.Places = append(p.Places, pl)
	}
	return render(p)
}

// The two line parsers below are written by hand rather than with
// regexp: App.Run reaches them in every flasky program, and regexp's
// compiler and matcher are about 250 kB of each binary (binary size).

// compileError splits a compiler message, "./main.go:12:5: message"
// (the column is optional), at the first ".go:" that such a message
// follows.
func compileError(line string) (file, num, msg string, ok bool) {
	for from := 0; ; {
		i := strings.Index(line[from:], ".go:")
		if i < 0 {
			return "", "", "", false
		}
		end := from + i + len(".go")
		from += i + 1
		if end == len(".go") {
			continue // a file name needs something before ".go"
		}
		rest := line[end+1:]
		num = digits(rest)
		if num == "" {
			continue
		}
		rest = rest[len(num):]
		if col := digits(strings.TrimPrefix(rest, ":")); col != "" && rest[0] == ':' {
			rest = rest[1+len(col):]
		}
		if msg, ok := strings.CutPrefix(rest, ": "); ok {
			return line[:end], num, msg, true
		}
	}
}

// traceFrame splits a frame's position in a goroutine trace,
// "\t/home/me/app/main.go:12 +0x1d" (the offset is optional), into the
// absolute file and the line.
func traceFrame(line string) (file, num string, ok bool) {
	colon := strings.LastIndexByte(line, ':')
	if colon < 0 || !strings.HasPrefix(line, "\t/") || colon < len("\t/x") {
		return "", "", false
	}
	rest := line[colon+1:]
	num = digits(rest)
	rest = rest[len(num):]
	if hex, ok := strings.CutPrefix(rest, " +0x"); ok {
		if hex == "" || strings.Trim(hex, "0123456789abcdef") != "" {
			return "", "", false
		}
		rest = ""
	}
	if num == "" || rest != "" {
		return "", "", false
	}
	return line[1:colon], num, true
}

// digits returns the ASCII digits s starts with.
func digits(s string) string {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i]
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
