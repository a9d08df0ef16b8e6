package filename

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/flasky-go/flasky/internal/casename"
	"github.com/flasky-go/flasky/internal/safepath"
)

func TestSecure(t *testing.T) {
	korean300 := strings.Repeat("가", 100) // 300 bytes
	tests := []struct {
		in, want string // want "" is ErrEmpty
	}{
		// Kept as they are.
		{"hello.txt", "hello.txt"},
		{"사진.jpg", "사진.jpg"},
		{"사진", "사진"},
		{"my photo (1).jpeg", "my photo (1).jpeg"},
		{"résumé.pdf", "résumé.pdf"},
		{"日本語のファイル.txt", "日本語のファイル.txt"},
		{"файл.doc", "файл.doc"},
		{"😀.png", "😀.png"},
		{"a..b.txt", "a..b.txt"},
		{"archive.tar.gz", "archive.tar.gz"},
		{"-rf", "-rf"},
		{"_config.yml", "_config.yml"},
		{"COM10", "COM10"},
		{"CONSOLE.txt", "CONSOLE.txt"},
		// Paths: the last element only.
		{"../../etc/passwd", "passwd"},
		{"../../escape.txt", "escape.txt"},
		{"/etc/passwd", "passwd"},
		{`C:\Windows\x.ini`, "x.ini"},
		{`..\..\boot.ini`, "boot.ini"},
		{`\\server\share\f.txt`, "f.txt"},
		{"dir/", "dir"},
		{"a/b\\c", "c"},
		{"../..", ""},
		{"..", ""},
		{".", ""},
		{"/", ""},
		{"", ""},
		{"a/..", ""},
		// Hidden files and dots.
		{".bashrc", "bashrc"},
		{" .bashrc", "bashrc"},
		{"...hidden", "hidden"},
		{".", ""},
		{"...", ""},
		{"name.", "name"},
		{"name. . .", "name"},
		{"name ", "name"},
		{"  spaced  .txt  ", "spaced  .txt"},
		// Control characters, NUL, invisible controls.
		{"a\x00b", "ab"},
		{"a\x00/../b", "b"},
		{"new\nline\r.txt", "newline.txt"},
		{"tab\t.txt", "tab.txt"},
		{"del\x7f.txt", "del.txt"},
		{"c1\u0085.txt", "c1.txt"},
		{"photo\u202egpj.exe", "photogpj.exe"},
		{"\u200fr\u2066l\u2069.txt", "rl.txt"},
		{"\ufeffbom.txt", "bom.txt"},
		{"\x00", ""},
		{"\u202e", ""},
		// Characters Windows forbids.
		{`a<b>c:d"e|f?g*h.txt`, "a_b_c_d_e_f_g_h.txt"},
		{"file.txt:stream", "file.txt_stream"},
		{"C:", "C_"},
		{"a／b＼c.txt", "a_b_c.txt"},
		// Windows devices.
		{"CON", "_CON"},
		{"con", "_con"},
		{"con.txt", "_con.txt"},
		{"nul.txt", "_nul.txt"},
		{"NUL.tar.gz", "_NUL.tar.gz"},
		{"COM1", "_COM1"},
		{"com9.log", "_com9.log"},
		{"LPT1", "_LPT1"},
		{"lpt0.txt", "_lpt0.txt"},
		{"PRN", "_PRN"},
		{"AUX.", "_AUX"},
		{"COM¹", "_COM¹"},
		{"CONIN$", "_CONIN$"},
		{"con .txt", "_con .txt"},
		// Invalid UTF-8.
		{"caf\xe9.txt", "caf_.txt"},
		{"\xff\xfe", "_"},
		// Length: 255 bytes at most, extension kept, no cut character.
		{korean300, strings.Repeat("가", 85)},
		{korean300 + ".jpg", strings.Repeat("가", 83) + ".jpg"},
		{strings.Repeat("a", 300), strings.Repeat("a", 255)},
		{strings.Repeat("a", 254) + ".txt", strings.Repeat("a", 251) + ".txt"},
		{"a." + strings.Repeat("x", 300), "a." + strings.Repeat("x", 253)},
		{strings.Repeat("a", 250) + "    .txt", strings.Repeat("a", 250) + ".txt"},
		// Hangul from macOS (conjoining jamo) is composed, as NFC does.
		{"\u1109\u1161\u110c\u1175\u11ab.jpg", "사진.jpg"},
		{"\u1112\u1161\u11ab\u1100\u1173\u11af", "한글"},
		{"\uac00\u11a8", "각"},
		{"\u1100", "\u1100"},
		{"e\u0301", "e\u0301"}, // not Hangul: kept as sent
	}
	for _, tt := range tests {
		t.Run(casename.Of(tt.in), func(t *testing.T) {
			got, err := Secure(tt.in)
			if tt.want == "" {
				if !errors.Is(err, ErrEmpty) {
					t.Errorf("Secure(%q) = %q, %v; want ErrEmpty", tt.in, got, err)
				}
				return
			}
			if got != tt.want || err != nil {
				t.Errorf("Secure(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			checkSafe(t, tt.in, got)
		})
	}
}

func TestNumbered(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"사진.jpg", 0, "사진.jpg"},
		{"사진.jpg", 1, "사진 (1).jpg"},
		{"a.tar.gz", 12, "a.tar (12).gz"},
		{"README", 3, "README (3)"},
		{strings.Repeat("가", 85), 1, strings.Repeat("가", 83) + " (1)"},
		{strings.Repeat("a", 251) + ".txt", 100, strings.Repeat("a", 245) + " (100).txt"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", casename.Of(tt.name), tt.n), func(t *testing.T) {
			got := Numbered(tt.name, tt.n)
			if got != tt.want {
				t.Errorf("Numbered(%q, %d) = %q, want %q", tt.name, tt.n, got, tt.want)
			}
			if len(got) > MaxBytes || !utf8.ValidString(got) {
				t.Errorf("Numbered(%q, %d) = %q: too long or not UTF-8", tt.name, tt.n, got)
			}
		})
	}
}

// checkSafe fails the test when out, Secure's result for in, breaks one
// of the rule's promises.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	switch {
	case out == "" || out == "." || out == "..":
		t.Errorf("Secure(%q) = %q", in, out)
	case len(out) > MaxBytes:
		t.Errorf("Secure(%q) = %q: %d bytes", in, out, len(out))
	case !utf8.ValidString(out):
		t.Errorf("Secure(%q) = %q: not UTF-8", in, out)
	case strings.ContainsAny(out, "/\\\x00:<>\"|?*"):
		t.Errorf("Secure(%q) = %q: holds a separator or a forbidden character", in, out)
	case strings.IndexFunc(out, unicode.IsControl) >= 0:
		t.Errorf("Secure(%q) = %q: holds a control character", in, out)
	case out[0] == '.' || out[0] == ' ' || strings.HasSuffix(out, ".") || strings.HasSuffix(out, " "):
		t.Errorf("Secure(%q) = %q: leading dot or space, or trailing dot or space", in, out)
	case safepath.IsWindowsDevice(out):
		t.Errorf("Secure(%q) = %q: a Windows device", in, out)
	}
	dir := filepath.FromSlash("/srv/uploads")
	if p := filepath.Join(dir, out); filepath.Dir(p) != dir || filepath.Base(p) != out {
		t.Errorf("Secure(%q) = %q: Join gives %q, outside %s", in, out, p, dir)
	}
	if again, err := Secure(out); again != out || err != nil {
		t.Errorf("Secure(%q) = %q, but Secure(%q) = %q, %v", in, out, out, again, err)
	}
	for _, n := range []int{1, 10000} {
		num := Numbered(out, n)
		if len(num) > MaxBytes || strings.ContainsAny(num, "/\\") || safepath.IsWindowsDevice(num) {
			t.Errorf("Numbered(%q, %d) = %q", out, n, num)
		}
	}
}

// FuzzSecure: whatever the input, the result is one safe name inside the
// folder, or ErrEmpty.
func FuzzSecure(f *testing.F) {
	for _, s := range []string{"사진.jpg", "../../etc/passwd", `C:\Windows\x.ini`, "a\x00b", "CON", "con.txt",
		" .bashrc", strings.Repeat("가", 100) + ".jpg", "\u1109\u1161.jpg", "..", "photo\u202egpj.exe", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Secure(in)
		if err != nil {
			if !errors.Is(err, ErrEmpty) || out != "" {
				t.Fatalf("Secure(%q) = %q, %v", in, out, err)
			}
			return
		}
		checkSafe(t, in, out)
	})
}
