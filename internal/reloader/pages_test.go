package reloader

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

const brokenMain = `package main

import "fmt"

func main() {
	fmt.Println("a" +)
}
`

// TestBuildPage checks the compile-error page: each error's file, line,
// message and source line, escaped, then the whole output.
func TestBuildPage(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "main.go", brokenMain)
	write(t, dir, "lib/lib.go", "package lib\n\nvar X int = \"<b>\"\n")
	tests := []struct {
		name string
		out  string
		want []string
	}{
		{
			name: "syntax error, relative path",
			out:  "# example.com/app\n./main.go:6:19: syntax error: unexpected ), expected expression\n",
			want: []string{
				"<title>Build failed", filepath.Join(dir, "main.go") + ":6: syntax error: unexpected ), expected expression",
				"<span class=here>    6  \tfmt.Println(&#34;a&#34; &#43;)</span>", // the line, marked
				"    5  func main() {", // its neighbours
				"# example.com/app",    // the raw output
			},
		},
		{
			name: "error in another package, with a continuation line",
			out:  "# example.com/app/lib\nlib/lib.go:3:14: cannot use \"<b>\" (untyped string constant) as int value in variable declaration\n\tmore about it\n",
			want: []string{
				filepath.Join(dir, "lib", "lib.go") + ":3</code>",
				"cannot use &#34;&lt;b&gt;&#34; (untyped string constant) as int value in variable declaration more about it",
				"<span class=here>    3  var X int = &#34;&lt;b&gt;&#34;</span>",
			},
		},
		{
			name: "markup in the message and the output",
			out:  "# example.com/app\n./main.go:6:2: undefined: <script>alert(1)</script>\n",
			want: []string{
				"undefined: &lt;script&gt;alert(1)&lt;/script&gt;</pre>",                                          // the message
				"undefined: &lt;script&gt;alert(1)&lt;/script&gt; <code>",                                         // the place
				"<pre># example.com/app\n./main.go:6:2: undefined: &lt;script&gt;alert(1)&lt;/script&gt;\n</pre>", // the output
			},
		},
		{
			name: "no file named",
			out:  "go: example.com/gone@v1.0.0: missing go.sum entry\n",
			want: []string{"<pre class=msg>go: example.com/gone@v1.0.0: missing go.sum entry</pre>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := string(buildPage(dir, []byte(tt.out)))
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q:\n%s", w, page)
				}
			}
			if strings.Contains(page, "<b>") || strings.Contains(page, "<script") {
				t.Errorf("page holds unescaped text:\n%s", page)
			}
		})
	}
}

// TestCrashPage checks the page shown when a child exits on its own: its
// exit, its output, and the source of the program's frames only.
func TestCrashPage(t *testing.T) {
	mod := t.TempDir()
	main := filepath.Join(mod, "main.go")
	write(t, mod, "main.go", "package main\n\nfunc main() {\n\tpanic(\"init <failed>\")\n}\n")
	c := &child{bin: "/tmp/flasky-reload-1/app-3", tail: &tail{}, err: errors.New("exit status 2")}
	_, _ = c.tail.Write([]byte("panic: init <failed>\n\ngoroutine 1 [running]:\nmain.main()\n\t" + main +
		":4 +0x25\nruntime.goexit({})\n\t/usr/local/go/src/runtime/asm_amd64.s:1771 +0x1\nexit status 2\n"))
	page := string(crashPage(c, []string{mod}))
	for _, w := range []string{
		"The program exited", "app-3: exit status 2", "panic: init &lt;failed&gt;",
		"<h3>main.main() <code>" + main + ":4</code>", "<span class=here>    4  \tpanic(&#34;init &lt;failed&gt;&#34;)</span>",
		"<div class=lib>runtime.goexit({}) <code>/usr/local/go/src/runtime/asm_amd64.s:1771</code>",
	} {
		if !strings.Contains(page, w) {
			t.Errorf("crash page lacks %q:\n%s", w, page)
		}
	}
}

// TestTail checks that a child's output is cut to its last tailSize bytes.
func TestTail(t *testing.T) {
	var tl tail
	_, _ = tl.Write([]byte(strings.Repeat("a", tailSize)))
	_, _ = tl.Write([]byte("the end"))
	if s := tl.String(); len(s) != tailSize || !strings.HasSuffix(s, "the end") {
		t.Errorf("tail kept %d bytes ending %q, want %d ending with the last write", len(s), s[len(s)-10:], tailSize)
	}
}

// TestLineParsers checks the hand-written parsers of compiler messages
// and trace frames on the edges the pages rely on.
func TestLineParsers(t *testing.T) {
	compile := []struct {
		line, file, num, msg string
		ok                   bool
	}{
		{"./main.go:6:19: syntax error", "./main.go", "6", "syntax error", true},
		{"lib/lib.go:3: no column", "lib/lib.go", "3", "no column", true},
		{"a.go:b.go:7:1: the first .go: that fits", "a.go:b.go", "7", "the first .go: that fits", true},
		{"x.go:1: ", "x.go", "1", "", true},
		{".go:1: no name", "", "", "", false},
		{"main.go:1:2:: two colons", "", "", "", false},
		{"main.go: no line", "", "", "", false},
		{"# example.com/app", "", "", "", false},
	}
	for _, tt := range compile {
		t.Run("compile "+tt.line, func(t *testing.T) {
			file, num, msg, ok := compileError(tt.line)
			if file != tt.file || num != tt.num || msg != tt.msg || ok != tt.ok {
				t.Errorf("= %q %q %q %v, want %q %q %q %v", file, num, msg, ok, tt.file, tt.num, tt.msg, tt.ok)
			}
		})
	}
	frames := []struct {
		line, file, num string
		ok              bool
	}{
		{"\t/home/me/app/main.go:12 +0x1d", "/home/me/app/main.go", "12", true},
		{"\t/home/me/app/main.go:12", "/home/me/app/main.go", "12", true},
		{"\t/a:b.go:3", "/a:b.go", "3", true},
		{"\t/a.go:12 +0x", "", "", false},
		{"\t/a.go:12 +0xG", "", "", false},
		{"\trelative.go:12", "", "", false},
		{"\t/:12", "", "", false},
		{"main.main()", "", "", false},
	}
	for _, tt := range frames {
		t.Run("frame "+tt.line, func(t *testing.T) {
			file, num, ok := traceFrame(tt.line)
			if file != tt.file || num != tt.num || ok != tt.ok {
				t.Errorf("= %q %q %v, want %q %q %v", file, num, ok, tt.file, tt.num, tt.ok)
			}
		})
	}
}
