package site

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// TestStaticContent is the same 64 KiB every time, not a repeated byte.
func TestStaticContent(t *testing.T) {
	a, b := StaticContent(), StaticContent()
	if len(a) != StaticSize || !bytes.Equal(a, b) {
		t.Fatalf("%d bytes, same: %v", len(a), bytes.Equal(a, b))
	}
	if bytes.Count(a, a[:1]) > StaticSize/64 {
		t.Error("content is not varied")
	}
}

// TestWrite writes the site's files.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "in.html")
	if err := os.WriteFile(tmpl, []byte("{{.name}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, tmpl); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{
		filepath.Join("static", StaticFile):      StaticContent(),
		filepath.Join("templates", TemplateFile): []byte("{{.name}}"),
	} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, %v", name, len(got), err)
		}
	}
	for _, mod := range []string{FlaskStaticModule, FlaskComplexModule} {
		py, err := os.ReadFile(filepath.Join(dir, mod+".py"))
		if err != nil || !bytes.Contains(py, []byte("app = Flask(__name__)")) {
			t.Errorf("Flask program %s: %v\n%s", mod, err, py)
		}
	}
	if err := Write(dir, filepath.Join(dir, "missing.html")); err == nil {
		t.Error("missing template accepted")
	}
}

// TestCheckImage accepts slide 33's picture and refuses others.
func TestCheckImage(t *testing.T) {
	draw := func(w, h int, box color.RGBA) []byte {
		im := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 40; y <= 180; y++ {
			for x := 40; x <= 210; x++ {
				im.Set(x, y, box)
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, im, &jpeg.Options{Quality: 70}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	yellow := color.RGBA{0xff, 0xff, 0x33, 0xff}
	tests := []struct {
		name string
		body []byte
		ok   bool
	}{
		{"slide 33", draw(220, 190, yellow), true},
		{"white box", draw(220, 190, color.RGBA{0xff, 0xff, 0xff, 0xff}), false},
		{"other size", draw(221, 190, yellow), false},
		{"not a JPEG", []byte("\xff\xd8\xff garbage"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckImage(tt.body); (err == nil) != tt.ok {
				t.Errorf("%s: %v, want ok %v", tt.name, err, tt.ok)
			}
		})
	}
}
