package safepath

import (
	"errors"
	"strings"
	"testing"

	"github.com/flasky-go/flasky/internal/casename"
)

func TestClean(t *testing.T) {
	ok := []struct{ in, want string }{
		{"a.txt", "a.txt"},
		{"css/site.css", "css/site.css"},
		{"./a.txt", "a.txt"},
		{"a//b", "a/b"},
		{"a/./b/", "a/b"},
		{".hidden", ".hidden"},
		{"..a", "..a"},
		{"a..", "a.."},
		{"...", "..."},
		{"사진.jpg", "사진.jpg"},
		{"a b/c%2e", "a b/c%2e"}, // already decoded: '%' is an ordinary byte
		{"console.txt", "console.txt"},
		{"com10", "com10"},
		{"lpt", "lpt"},
		{"auxiliary/x", "auxiliary/x"},
		{strings.Repeat("a", 4096), strings.Repeat("a", 4096)},
	}
	for _, tt := range ok {
		t.Run(casename.Of(tt.in), func(t *testing.T) {
			got, err := Clean(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("Clean(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	bad := []string{
		"",
		".",
		"./",
		"..",
		"../",
		"../etc/passwd",
		"a/../../b",
		"a/..",
		"a/../b", // refused, not repaired, though it stays inside
		"/etc/passwd",
		"//server/share",
		`\\server\share`,
		`..\windows`,
		`a\b`,
		`C:\Windows`,
		"C:/Windows",
		"C:",
		"a:b",
		"a\x00b",
		"a\x00",
		"\x00",
		"a\nb",
		"a\rb",
		"a\tb",
		"a\x7fb",
		"CON",
		"con",
		"nul.txt",
		"NUL.tar.gz",
		"AUX.tar.gz",
		"aux",
		"prn.",
		"COM1",
		"com1/x",
		"x/LPT9.log",
		"com¹",
		"lpt³.txt",
		"CONIN$",
		"conout$.x",
		"CON ",
		"nul ./x",
		"a/con/b",
		strings.Repeat("a", 4097),
		strings.Repeat("a/", 2500),
	}
	for _, in := range bad {
		t.Run(casename.Of(in), func(t *testing.T) {
			got, err := Clean(in)
			if err == nil {
				t.Errorf("Clean(%q) = %q, want an error", in, got)
				return
			}
			if !errors.Is(err, ErrUnsafe) {
				t.Errorf("Clean(%q): error %v does not wrap ErrUnsafe", in, err)
			}
		})
	}
}

func TestIsWindowsDevice(t *testing.T) {
	tests := []struct {
		seg  string
		want bool
	}{
		{"CON", true}, {"con", true}, {"Con.txt", true}, {"PRN", true}, {"AUX", true},
		{"NUL", true}, {"nul.txt", true}, {"NUL.tar.gz", true}, {"COM0", true}, {"COM9", true},
		{"lpt1", true}, {"LPT9.x", true}, {"COM¹", true}, {"com²", true}, {"LPT³", true},
		{"CON.", true}, {"CON ", true}, {"CON . .txt", true}, {"CONIN$", true}, {"conout$", true},
		{"CONX", false}, {"COM", false}, {"COM10", false}, {"COMA", false}, {"LPT", false},
		{"xCON", false}, {"console", false}, {"nul_", false}, {".con", false}, {"", false},
		{"com⁴", false},
	}
	for _, tt := range tests {
		t.Run(casename.Of(tt.seg), func(t *testing.T) {
			if got := IsWindowsDevice(tt.seg); got != tt.want {
				t.Errorf("IsWindowsDevice(%q) = %v, want %v", tt.seg, got, tt.want)
			}
		})
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"a/b", "../x", "a/./b", "C:\\x", "nul.txt", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := Clean(name)
		if err != nil {
			return
		}
		if got == "" || got[0] == '/' || got == ".." || strings.HasPrefix(got, "../") ||
			strings.Contains(got, "/../") || strings.HasSuffix(got, "/..") {
			t.Fatalf("Clean(%q) = %q leaves the folder", name, got)
		}
		if strings.ContainsAny(got, "\\:\x00") {
			t.Fatalf("Clean(%q) = %q holds a separator, colon or NUL", name, got)
		}
		for _, seg := range strings.Split(got, "/") {
			if IsWindowsDevice(seg) {
				t.Fatalf("Clean(%q) = %q names a device", name, got)
			}
		}
		if again, err := Clean(got); err != nil || again != got {
			t.Fatalf("Clean(Clean(%q)) = %q, %v; want %q", name, again, err, got)
		}
	})
}
