// Package srcpage renders flasky's debug pages: an error, the places in
// the program's source it concerns with the lines around each, and tables
// of facts such as the request. The reloader's compile-error page and the
// debug-mode 500 page both use it, so they look alike. Every value is
// escaped by html/template.
package srcpage

import (
	"bufio"
	_ "embed"
	"html/template"
	"io"
	"os"
)

// Page is one debug page.
type Page struct {
	// Title, when set, makes the page a whole document with this title
	// and heading; without it the page is a fragment to append to
	// another page (the 500 page keeps Werkzeug's heading first).
	Title string
	// Message is the error, shown preformatted.
	Message string
	// Note is a sentence of help under the message.
	Note string
	// Places are stack frames or compiler errors, in order.
	Places []Place
	// Tables hold facts such as the request's headers.
	Tables []Table
	// Output is a tool's raw output (the compiler's, a crash's), shown
	// last.
	Output string
}

// Place is a position in a source file.
type Place struct {
	Label string // function name or compiler message
	File  string
	Line  int
	Lines []Line // the source around Line, from Excerpt
	// Dim shows the place on one grey line: a frame of the runtime,
	// net/http or flasky itself, which the reader rarely needs.
	Dim bool
}

// Line is one numbered source line.
type Line struct {
	N    int
	Text string
	Here bool // the line the place points at
}

// Table is a titled list of key-value rows.
type Table struct {
	Name  string
	Rows  []Row
	Empty string // shown instead of the rows when there are none
}

// Row is one line of a Table.
type Row struct{ Key, Value string }

// maxSourceSize keeps a huge generated file from being read for a page.
const maxSourceSize = 4 << 20

// Excerpt returns the lines of file from line-around to line+around, the
// line itself marked, or nil when the file cannot be read or is shorter.
func Excerpt(file string, line, around int) []Line {
	f, err := os.Open(file)
	if err != nil || line < 1 {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, maxSourceSize))
	sc.Buffer(nil, 1<<20)
	var out []Line
	for n := 1; n <= line+around && sc.Scan(); n++ {
		if n >= line-around {
			out = append(out, Line{N: n, Text: sc.Text(), Here: n == line})
		}
	}
	if len(out) == 0 || out[len(out)-1].N < line {
		return nil
	}
	return out
}

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Parse(pageHTML))

// Render writes p as HTML.
func Render(w io.Writer, p *Page) error { return page.Execute(w, p) }
