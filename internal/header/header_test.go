package header

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/flasky-go/flasky/internal/casename"
)

func TestContentDisposition(t *testing.T) {
	tests := []struct {
		attachment bool
		name       string
		want       string
		parsed     string // the filename mime.ParseMediaType gives back
	}{
		{true, "report.pdf", `attachment; filename="report.pdf"`, "report.pdf"},
		{false, "11.jpg", `inline; filename="11.jpg"`, "11.jpg"},
		{true, "a b.txt", `attachment; filename="a b.txt"`, "a b.txt"},
		{true, "사진.jpg", `attachment; filename="__.jpg"; filename*=UTF-8''%EC%82%AC%EC%A7%84.jpg`, "사진.jpg"},
		{true, "café.txt", `attachment; filename="caf_.txt"; filename*=UTF-8''caf%C3%A9.txt`, "café.txt"},
		{true, `a"b.txt`, `attachment; filename="a_b.txt"; filename*=UTF-8''a%22b.txt`, `a"b.txt`},
		{true, `a\b.txt`, `attachment; filename="a_b.txt"; filename*=UTF-8''a%5Cb.txt`, `a\b.txt`},
		{true, "a;b.txt", `attachment; filename="a_b.txt"; filename*=UTF-8''a%3Bb.txt`, "a;b.txt"},
		{true, "100%.txt", `attachment; filename="100_.txt"; filename*=UTF-8''100%25.txt`, "100%.txt"},
		{true, "%41.txt", `attachment; filename="_41.txt"; filename*=UTF-8''%2541.txt`, "%41.txt"},
		{true, "a\"b\r\nX: y.txt", `attachment; filename="a_bX: y.txt"; filename*=UTF-8''a%22bX%3A%20y.txt`, `a"bX: y.txt`},
		{true, "a\x00b\x1f\x7f\u0085.txt", `attachment; filename="ab.txt"`, "ab.txt"},
		{true, "gpj\u202e.exe", `attachment; filename="gpj.exe"`, "gpj.exe"},
		{true, "bad\xffutf8.txt", `attachment; filename="badutf8.txt"`, "badutf8.txt"},
		{true, "  padded.txt \t", `attachment; filename="padded.txt"`, "padded.txt"},
		{true, "", "attachment", ""},
		{false, "\r\n", "inline", ""},
		{true, "x'y*z.txt", `attachment; filename="x'y*z.txt"`, "x'y*z.txt"},
	}
	for _, tt := range tests {
		t.Run(casename.Of(tt.name), func(t *testing.T) {
			got := ContentDisposition(tt.attachment, tt.name)
			if got != tt.want {
				t.Errorf("ContentDisposition(%v, %q) =\n %s\nwant\n %s", tt.attachment, tt.name, got, tt.want)
			}
			typ, params, err := mime.ParseMediaType(got)
			if err != nil {
				t.Errorf("ParseMediaType(%q): %v", got, err)
				return
			}
			if wantTyp := map[bool]string{true: "attachment", false: "inline"}[tt.attachment]; typ != wantTyp {
				t.Errorf("%q: type %q, want %q", got, typ, wantTyp)
			}
			if params["filename"] != tt.parsed {
				t.Errorf("%q: parsed filename %q, want %q", got, params["filename"], tt.parsed)
			}
		})
	}
}

// TestContentDispositionOneLine writes the value as net/http does and
// checks that it stays one header line with nothing added.
func TestContentDispositionOneLine(t *testing.T) {
	for _, name := range []string{
		"a\"b\r\nX: y.txt",
		"a\nSet-Cookie: x=1",
		"a\rb",
		"\"; filename=evil.exe; x=\"",
		"\\\"\\\"",
		"x\u2028y\u2029z",
	} {
		t.Run(casename.Of(name), func(t *testing.T) {
			v := ContentDisposition(true, name)
			for i := 0; i < len(v); i++ {
				if v[i] < 0x20 || v[i] >= 0x7f {
					t.Errorf("%q: byte %#x in %q", name, v[i], v)
				}
			}
			var buf bytes.Buffer
			h := http.Header{"Content-Disposition": {v}}
			if err := h.Write(&buf); err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(buf.String(), "\r\n"); lines != 1 {
				t.Errorf("%q: %d header lines: %q", name, lines, buf.String())
			}
			_, params, err := mime.ParseMediaType(v)
			if err != nil {
				t.Errorf("%q: ParseMediaType(%q): %v", name, v, err)
				return
			}
			if len(params) != 1 || params["filename"] != CleanFilename(name) {
				t.Errorf("%q: params %q, want only filename %q", name, params, CleanFilename(name))
			}
		})
	}
}

func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"사진.jpg", "a\"b\r\nX: y.txt", "%41", "a;b", "\xff", "\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		v := ContentDisposition(true, name)
		for i := 0; i < len(v); i++ {
			if v[i] < 0x20 || v[i] >= 0x7f {
				t.Fatalf("%q: byte %#x in %q", name, v[i], v)
			}
		}
		_, params, err := mime.ParseMediaType(v)
		if err != nil {
			t.Fatalf("%q: ParseMediaType(%q): %v", name, v, err)
		}
		if want := CleanFilename(name); params["filename"] != want {
			t.Fatalf("%q: %q parses to %q, want %q", name, v, params["filename"], want)
		}
	})
}
