// Package srcpage renders flasky's debug pages: an error, the places in
// the program's source it concerns with the lines around each, and tables
// of facts such as the request. The reloader's compile-error page and the
// debug-mode 500 page both use it, so they look alike. Every value is
// escaped as html/template escapes HTML text.
//
// The pages are written by hand rather than with html/template: App.Run
// reaches them in every flasky program, and executing any template makes
// the linker keep every exported method of every type (text/template
// calls methods by name through reflect), which added megabytes to
// programs that never render one.
package srcpage

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
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

// style is the pages' fixed head: the stylesheet and the opening of the
// div that scopes it, so a fragment appended to another page leaves that
// page's look alone.
const style = `<style>
.dbg{font:14px/1.4 system-ui,sans-serif;max-width:70em}
.dbg pre,.dbg code{font:13px/1.35 ui-monospace,Menlo,Consolas,monospace;tab-size:4}
.dbg .msg{background:#fdecea;border:1px solid #e0a0a0;padding:.6em .8em;white-space:pre-wrap}
.dbg .place{margin:.8em 0;border:1px solid #ccc}
.dbg .place h3{margin:0;padding:.3em .6em;background:#eee;font-size:13px;font-weight:normal}
.dbg .src{margin:0;padding:.3em 0;overflow-x:auto}
.dbg .src span{display:block;padding:0 .6em}
.dbg .src .here{background:#fbd3d0;font-weight:bold}
.dbg .lib{color:#777;margin:.15em 0;font-size:12px}
.dbg table{border-collapse:collapse;margin:.3em 0 1em}
.dbg th,.dbg td{text-align:left;vertical-align:top;padding:.15em .8em .15em 0;font:13px ui-monospace,Menlo,Consolas,monospace}
.dbg th{color:#555;font-weight:normal}
.dbg .foot{color:#a33;font-size:12px;margin-top:2em}
</style>
<div class=dbg>
`

// foot closes every page with a warning worth repeating on each.
const foot = "<p class=foot>flasky debug mode: this page shows your source code. Never let others reach a server in debug mode.</p>\n</div>\n"

// Render writes p as HTML; the only error is w's.
func Render(w io.Writer, p *Page) error {
	var b strings.Builder
	if p.Title != "" {
		b.WriteString("<!doctype html>\n<html lang=en>\n<meta charset=utf-8>\n<title>")
		escape(&b, p.Title)
		b.WriteString(" // flasky debug mode</title>\n<h1>")
		escape(&b, p.Title)
		b.WriteString("</h1>\n")
	}
	b.WriteString(style)
	if p.Message != "" {
		b.WriteString("<pre class=msg>")
		escape(&b, p.Message)
		b.WriteString("</pre>\n")
	}
	if p.Note != "" {
		b.WriteString("<p>")
		escape(&b, p.Note)
		b.WriteString("</p>\n")
	}
	for _, pl := range p.Places {
		writePlace(&b, &pl)
	}
	for _, t := range p.Tables {
		b.WriteString("<h2>")
		escape(&b, t.Name)
		b.WriteString("</h2>\n")
		if len(t.Rows) == 0 {
			b.WriteString("<p>")
			escape(&b, t.Empty)
			b.WriteString("</p>\n")
			continue
		}
		b.WriteString("<table>")
		for _, r := range t.Rows {
			b.WriteString("<tr><th>")
			escape(&b, r.Key)
			b.WriteString("<td>")
			escape(&b, r.Value)
		}
		b.WriteString("</table>\n")
	}
	if p.Output != "" {
		b.WriteString("<h2>Output</h2>\n<pre>")
		escape(&b, p.Output)
		b.WriteString("</pre>\n")
	}
	b.WriteString(foot)
	_, err := io.WriteString(w, b.String())
	return err
}

// writePlace writes a dim place on one line, any other in a box with
// its source.
func writePlace(b *strings.Builder, pl *Place) {
	if pl.Dim {
		b.WriteString("<div class=lib>")
		writeWhere(b, pl)
		b.WriteString("</div>\n")
		return
	}
	b.WriteString("<div class=place><h3>")
	writeWhere(b, pl)
	b.WriteString("</h3>\n")
	if len(pl.Lines) > 0 {
		b.WriteString("<pre class=src>")
		for _, l := range pl.Lines {
			if l.Here {
				b.WriteString("<span class=here>")
			} else {
				b.WriteString("<span>")
			}
			n := strconv.Itoa(l.N)
			for i := len(n); i < 5; i++ {
				b.WriteByte(' ') // numbers right-aligned in five columns
			}
			b.WriteString(n)
			b.WriteString("  ")
			escape(b, l.Text)
			b.WriteString("</span>")
		}
		b.WriteString("</pre>\n")
	}
	b.WriteString("</div>\n")
}

// writeWhere writes a place's label and position.
func writeWhere(b *strings.Builder, pl *Place) {
	escape(b, pl.Label)
	b.WriteString(" <code>")
	escape(b, pl.File)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(pl.Line))
	b.WriteString("</code>")
}

// escape writes s as HTML text with html/template's replacements, so the
// pages read as they did when a template wrote them: html.EscapeString's
// five characters, '+' too (against UTF-7 sniffing), and NUL as U+FFFD.
// Every value is escaped this way, in text and <title> alike, and none
// is written inside an attribute.
func escape(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case 0:
			rep = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(rep)
		start = i + 1
	}
	b.WriteString(s[start:])
}
