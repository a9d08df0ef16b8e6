package srcpage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(file, []byte("one\ntwo\nthree\nfour\nfive\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file   string
		line, around int
		want         string // numbers, * on the marked line
	}{
		{"middle", file, 3, 1, "2 3* 4"},
		{"first line", file, 1, 2, "1* 2 3"},
		{"last line", file, 5, 2, "3 4 5*"},
		{"past the end", file, 6, 2, ""},
		{"line zero", file, 0, 2, ""},
		{"missing file", file + ".missing", 1, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range Excerpt(tt.file, tt.line, tt.around) {
				s := strings.Fields("x one two three four five")[l.N]
				if s != l.Text {
					t.Errorf("line %d reads %q, want %q", l.N, l.Text, s)
				}
				n := string(rune('0' + l.N))
				if l.Here {
					n += "*"
				}
				got = append(got, n)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("Excerpt(%s, %d, %d) = %q, want %q", filepath.Base(tt.file), tt.line, tt.around, g, tt.want)
			}
		})
	}
}

func TestRenderEscapes(t *testing.T) {
	var b strings.Builder
	p := &Page{
		Title: "<t>", Message: "<m>", Note: "<n>", Output: "<o>",
		Places: []Place{{Label: "<f>", File: "<file>", Line: 1, Lines: []Line{{N: 1, Text: "<src>", Here: true}}}, {Label: "<dim>", Dim: true}},
		Tables: []Table{{Name: "<tbl>", Rows: []Row{{Key: "<k>", Value: "<v>"}}}, {Name: "empty", Empty: "<none>"}},
	}
	if err := Render(&b, p); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, s := range []string{"<t>", "<m>", "<n>", "<o>", "<f>", "<file>", "<src>", "<dim>", "<tbl>", "<k>", "<v>", "<none>"} {
		if strings.Contains(page, s) {
			t.Errorf("%s is not escaped:\n%s", s, page)
		}
		if esc := "&lt;" + s[1:len(s)-1] + "&gt;"; !strings.Contains(page, esc) {
			t.Errorf("%s is missing:\n%s", esc, page)
		}
	}
}
