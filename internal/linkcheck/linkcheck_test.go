package linkcheck

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxRatio is how large examples/hello may be against a plain net/http
// hello: the goal of issue 14. flasky registers no image decoder (see
// TestNoImageDecoderRegistered), so a program that decodes no image links
// none.
const maxRatio = 1.3

// netHTTPHello is the plain program flasky's hello is measured against.
const netHTTPHello = `package main

import "net/http"

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello~~")) })
	http.ListenAndServe(":8080", nil)
}
`

// unlinked are symbols a program that only serves a string must not
// link, each with what used to pull it in.
var unlinked = []struct{ prefix, why string }{
	{"text/template.(*state).evalField", "executing a template: its reflective method calls keep every exported method"},
	{"encoding/json.(*decodeState)", "a JSON decoder, once used by the reloader's go list"},
	{"regexp.(*Regexp).FindStringSubmatch", "regexp matching, once used by the reloader's pages"},
	{"github.com/gorilla/schema.(*Decoder).Decode", "Bind's form decoder"},
	{"image/png.Encode", "an image encoder"},
	{"image/jpeg.Encode", "an image encoder"},
	{"github.com/flasky-go/flasky/internal/jpegenc.Encode", "an image encoder"},
	{"golang.org/x/crypto/scrypt.Key", "password hashing, in package security"},
	{"github.com/flasky-go/flasky.(*Ctx).openSession", "the session, opened only by Ctx.Session"},
	{"github.com/flasky-go/flasky.(*TestClient)", "the test client"},
	{"github.com/flasky-go/flasky/internal/reloader.(*supervisor)", "the debug reloader's supervisor, linked only into the build that debug mode makes with the flasky_supervisor tag"},
}

// TestHelloBinarySize builds examples/hello and a net/http hello with
// the go command that runs the test and compares them.
func TestHelloBinarySize(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipped: no go command on PATH to build the programs with")
	}
	tmp := t.TempDir()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	hello := filepath.Join(tmp, "hello")
	build(t, goCmd, root, hello, "./examples/hello")

	plainDir := filepath.Join(tmp, "plain")
	if err := os.MkdirAll(plainDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"go.mod": "module plainhello\n\ngo 1.25\n", "main.go": netHTTPHello} {
		if err := os.WriteFile(filepath.Join(plainDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plain := filepath.Join(tmp, "plainhello")
	build(t, goCmd, plainDir, plain, ".")

	helloSize, plainSize := size(t, hello), size(t, plain)
	ratio := float64(helloSize) / float64(plainSize)
	t.Logf("examples/hello %d bytes, net/http hello %d bytes: %.3fx", helloSize, plainSize, ratio)
	if ratio > maxRatio {
		t.Errorf("examples/hello is %.3fx a net/http hello (%d against %d bytes), over %.2fx: look for what it links with go build -ldflags=-dumpdep",
			ratio, helloSize, plainSize, maxRatio)
	}

	out, err := exec.Command(goCmd, "tool", "nm", hello).Output()
	if err != nil {
		t.Fatalf("go tool nm %s: %v", hello, err)
	}
	syms := symbols(out)
	for _, u := range unlinked {
		t.Run("unlinked "+u.prefix, func(t *testing.T) {
			if s := firstWithPrefix(syms, u.prefix); s != "" {
				t.Errorf("examples/hello links %s (%s)", s, u.why)
			}
		})
	}
	t.Run("unlinked golang.org/x/image decoders", func(t *testing.T) {
		for _, pkg := range []string{"bmp", "tiff", "webp", "vp8", "vp8l", "ccitt"} {
			t.Run(pkg, func(t *testing.T) {
				if s := firstWithPrefix(syms, "golang.org/x/image/"+pkg+"."); s != "" {
					t.Errorf("examples/hello links %s", s)
				}
			})
		}
	})
}

// build runs go build -o out pkg in dir, with default flags, as the
// binary sizes in BENCHMARKS.md are measured.
func build(t *testing.T, goCmd, dir, out, pkg string) {
	t.Helper()
	cmd := exec.Command(goCmd, "build", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s in %s: %v\n%s", pkg, dir, err, b)
	}
}

func size(t *testing.T, file string) int64 {
	t.Helper()
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// symbols returns the names in go tool nm's output.
func symbols(out []byte) []string {
	var names []string
	for line := range bytes.Lines(out) {
		// "  4a3f20 T name with spaces"
		f := strings.SplitN(strings.TrimSpace(string(line)), " ", 3)
		if len(f) == 3 {
			names = append(names, strings.TrimSpace(f[2]))
		}
	}
	return names
}

// firstWithPrefix returns the first name that starts with prefix,
// ignoring the linker's "type:" and "go:itab." forms, or "".
func firstWithPrefix(names []string, prefix string) string {
	for _, n := range names {
		for _, p := range []string{"", "type:", "type:*", "go:itab.", "go:itab.*"} {
			if strings.HasPrefix(n, p+prefix) {
				return n
			}
		}
	}
	return ""
}

// sideEffects is a program that imports flasky and nothing that decodes
// BMP, TIFF or WebP, and says for each file given what image.Decode and
// flasky.DecodeImage make of it.
const sideEffects = `package main

import (
	"bytes"
	"fmt"
	"image"
	"os"

	"github.com/flasky-go/flasky"
)

func main() {
	for _, name := range os.Args[1:] {
		b, err := os.ReadFile(name)
		if err != nil {
			panic(err)
		}
		_, _, ierr := image.Decode(bytes.NewReader(b))
		m, format, ferr := flasky.DecodeImage(bytes.NewReader(b))
		size := ""
		if m != nil {
			size = m.Bounds().String()
		}
		fmt.Printf("%s\t%v\t%s %s %v\n", name, ierr, format, size, ferr)
	}
}
`

// TestNoImageDecoderRegistered builds a program that imports flasky and
// runs it on a BMP, a TIFF and a WebP (issue 14): image.Decode must not
// know them (flasky registers no decoder in package image), while
// flasky.DecodeImage reads them. It runs as its own program because this
// test binary, like flasky's, may link golang.org/x/image's decoders.
func TestNoImageDecoderRegistered(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipped: no go command on PATH to build the program with")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goSum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	goMod := "module sideeffects\n\ngo 1.25\n\nrequire github.com/flasky-go/flasky v0.0.0\n\nreplace github.com/flasky-go/flasky => " + root + "\n"
	images := map[string][]byte{
		"a.bmp":  bmp1x1,
		"a.tiff": tiff1x1,
		"a.webp": webp1x1,
	}
	files := map[string][]byte{"go.mod": []byte(goMod), "go.sum": goSum, "main.go": []byte(sideEffects)}
	for name, b := range images {
		files[name] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tidy := exec.Command(goCmd, "mod", "tidy")
	tidy.Dir = dir
	tidy.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	if b, err := tidy.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy in %s: %v\n%s", dir, err, b)
	}
	prog := filepath.Join(dir, "sideeffects")
	build(t, goCmd, dir, prog, ".")
	cmd := exec.Command(prog, "a.bmp", "a.tiff", "a.webp")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", prog, err)
	}
	want := map[string]string{"a.bmp": "bmp", "a.tiff": "tiff", "a.webp": "webp"}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(want) {
		t.Fatalf("program printed %q, want a line for each of %d files", out, len(want))
	}
	for _, line := range lines {
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			t.Fatalf("program printed %q", line)
		}
		t.Run(f[0], func(t *testing.T) {
			if f[1] != "image: unknown format" {
				t.Errorf("image.Decode of a %s after importing flasky: %s, want image: unknown format (flasky registered a decoder)", want[f[0]], f[1])
			}
			if wantDecoded := want[f[0]] + " (0,0)-(1,1) <nil>"; f[2] != wantDecoded {
				t.Errorf("flasky.DecodeImage: %s, want %s", f[2], wantDecoded)
			}
		})
	}
}

// One-pixel files of each format flasky must not register, made by hand:
// a 24-bit BMP, an 8-bit gray TIFF, and a lossless WebP (a VP8L header
// for 1x1 without alpha, no transform, no color cache, then five
// one-symbol prefix codes, so the pixel takes no bits).
var (
	bmp1x1 = []byte("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00" + // file header
		"\x28\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x18\x00" + // 40-byte info header
		"\x00\x00\x00\x00\x04\x00\x00\x00\x13\x0b\x00\x00\x13\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
		"\x10\x20\x30\x00") // one pixel, padded to 4 bytes
	tiff1x1 = []byte("II*\x00\x08\x00\x00\x00" + "\x08\x00" + // 8 entries
		"\x00\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00" + // ImageWidth 1
		"\x01\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00" + // ImageLength 1
		"\x02\x01\x03\x00\x01\x00\x00\x00\x08\x00\x00\x00" + // BitsPerSample 8
		"\x03\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00" + // Compression none
		"\x06\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00" + // BlackIsZero
		"\x11\x01\x04\x00\x01\x00\x00\x00\x6e\x00\x00\x00" + // StripOffsets 110
		"\x16\x01\x04\x00\x01\x00\x00\x00\x01\x00\x00\x00" + // RowsPerStrip 1
		"\x17\x01\x04\x00\x01\x00\x00\x00\x01\x00\x00\x00" + // StripByteCounts 1
		"\x00\x00\x00\x00" + "\x80")
	webp1x1 = []byte("RIFF\x14\x00\x00\x00WEBPVP8L\x08\x00\x00\x00\x2f\x00\x00\x00\x00\x88\x88\x08")
)
