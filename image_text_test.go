package flasky_test

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/flasky-go/flasky"
	"golang.org/x/image/font"
)

// nanumGothic is Debian's fonts-nanum Korean font.
const nanumGothic = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"

// dejaVuSans is Debian's fonts-dejavu-core Latin font.
const dejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// inked returns the bounds of the pixels of m that are not bg, and how
// many there are.
func inked(m image.Image, bg color.NRGBA) (image.Rectangle, int) {
	var r image.Rectangle
	n := 0
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if nrgba(m.At(x, y)) != bg {
				r = r.Union(image.Rect(x, y, x+1, y+1))
				n++
			}
		}
	}
	return r, n
}

func loadFontOrSkip(t *testing.T, path string, size float64) font.Face {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("font %s is absent (on Debian: apt-get install -y %s): %v", path,
			map[bool]string{true: "fonts-nanum", false: "fonts-dejavu-core"}[strings.Contains(path, "nanum")], err)
	}
	face, err := flasky.LoadFont(path, size)
	if err != nil {
		t.Fatal(err)
	}
	return face
}

func TestTextDefaultFont(t *testing.T) {
	m, _ := flasky.NewImage("RGB", 60, 40)
	d := flasky.Draw(m)
	if err := d.Text(5, 7, "Hi!", flasky.Fill("yellow")); err != nil {
		t.Fatal(err)
	}
	w, h := flasky.TextSize(nil, "Hi!")
	if w != 21 || h != 13 {
		t.Errorf("TextSize(Hi!) = %d, %d; want 21, 13", w, h)
	}
	r, n := inked(m, color.NRGBA{0, 0, 0, 255})
	if n == 0 || !r.In(image.Rect(5, 7, 5+w, 7+h)) {
		t.Errorf("ink at %v (%d pixels), want inside %v", r, n, image.Rect(5, 7, 5+w, 7+h))
	}
	// basicfont is a 1-bit font: every inked pixel is the fill.
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := nrgba(m.At(x, y)); c != (color.NRGBA{0, 0, 0, 255}) && c != (color.NRGBA{255, 255, 0, 255}) {
				t.Fatalf("pixel (%d,%d) %v: neither fill nor background", x, y, c)
			}
		}
	}
	// Two lines: 13 + 4 + 13 pixels.
	if w, h := flasky.TextSize(nil, "ab\nabcd"); w != 28 || h != 30 {
		t.Errorf("TextSize(2 lines) = %d, %d; want 28, 30", w, h)
	}
	m2, _ := flasky.NewImage("L", 40, 40)
	if err := flasky.Draw(m2).Text(0, 0, "ab\nabcd"); err != nil {
		t.Fatal(err)
	}
	if r, _ := inked(m2, color.NRGBA{0, 0, 0, 255}); r.Max.Y <= 17 || r.Max.Y > 30 || r.Max.X > 28 {
		t.Errorf("two lines inked at %v", r)
	}
	if err := d.Text(0, 0, "x", flasky.Fill("nocolour")); err == nil || !strings.Contains(err.Error(), "nocolour") {
		t.Errorf("unknown color: %v", err)
	}
}

func TestLoadFontErrors(t *testing.T) {
	if _, err := flasky.LoadFont(filepath.Join(t.TempDir(), "none.ttf"), 12); err == nil {
		t.Error("missing file: no error")
	}
	bad := filepath.Join(t.TempDir(), "bad.ttf")
	if err := os.WriteFile(bad, []byte("not a font at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := flasky.LoadFont(bad, 12); err == nil {
		t.Error("not a font: no error")
	}
	if _, err := flasky.LoadFont(dejaVuSans, 0); err == nil {
		t.Error("size 0: no error")
	}
}

// TestTextTrueType writes with DejaVu Sans, anti-aliased.
func TestTextTrueType(t *testing.T) {
	face := loadFontOrSkip(t, dejaVuSans, 20)
	m, _ := flasky.NewImage("RGB", 120, 40, "white")
	if err := flasky.Draw(m).Text(4, 4, "Hello", flasky.Font(face), flasky.Fill("navy")); err != nil {
		t.Fatal(err)
	}
	w, h := flasky.TextSize(face, "Hello")
	r, n := inked(m, color.NRGBA{255, 255, 255, 255})
	if n < 50 || !r.In(image.Rect(4, 4, 4+w+1, 4+h+1)) {
		t.Errorf("ink at %v (%d pixels), want inside %dx%d at (4,4)", r, n, w, h)
	}
	if w < 40 || h < 20 {
		t.Errorf("TextSize = %d, %d", w, h)
	}
}

// TestTextKorean writes 홍길동 with NanumGothic, as the README shows.
func TestTextKorean(t *testing.T) {
	face := loadFontOrSkip(t, nanumGothic, 24)
	for _, r := range "홍길동" {
		if _, ok := face.GlyphAdvance(r); !ok {
			t.Fatalf("NanumGothic has no glyph for %q", r)
		}
	}
	m, _ := flasky.NewImage("RGB", 120, 40)
	if err := flasky.Draw(m).Text(10, 5, "홍길동", flasky.Font(face), flasky.Fill("#ffff33")); err != nil {
		t.Fatal(err)
	}
	r, n := inked(m, color.NRGBA{0, 0, 0, 255})
	if n < 100 || r.Dx() < 50 || r.Min.X < 10 || r.Min.Y < 5 {
		t.Errorf("홍길동 inked %d pixels at %v", n, r)
	}
}

// TestTextConcurrent shares one loaded face between goroutines, as
// handlers do; run with -race.
func TestTextConcurrent(t *testing.T) {
	face := loadFontOrSkip(t, dejaVuSans, 16)
	want, _ := flasky.NewImage("RGB", 100, 30)
	if err := flasky.Draw(want).Text(2, 2, "concurrent", flasky.Font(face)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				m, _ := flasky.NewImage("RGB", 100, 30)
				if err := flasky.Draw(m).Text(2, 2, "concurrent", flasky.Font(face)); err != nil {
					t.Error(err)
					return
				}
				flasky.TextSize(face, "concurrent")
				if string(m.Image().(*image.RGBA).Pix) != string(want.Image().(*image.RGBA).Pix) {
					t.Error("concurrent drawing differs")
					return
				}
			}
		})
	}
	wg.Wait()
}

func ExampleDrawer_Text() {
	im, err := flasky.NewImage("RGB", 120, 40, "white")
	if err != nil {
		panic(err)
	}
	d := flasky.Draw(im)
	// The default font is basicfont.Face7x13; flasky.Font(face) with a
	// face from flasky.LoadFont writes in a TrueType font, 홍길동 with
	// NanumGothic.
	if err := d.Text(10, 10, "Hello", flasky.Fill("black")); err != nil {
		panic(err)
	}
	fmt.Println(flasky.TextSize(nil, "Hello"))
	// Output: 35 13
}

// TestTextPlacementLikePillow checks that text lands where Pillow 9.4
// puts it (anchor "la"): the inked box of d.text((10, 10), s, font=f)
// as Pillow's im.getbbox() gives it, within a pixel (FreeType and
// x/image/font/opentype anti-alias the edges differently).
func TestTextPlacementLikePillow(t *testing.T) {
	for _, c := range []struct {
		path string
		size float64
		s    string
		want image.Rectangle // from Pillow 9.4, python3-pil
	}{
		{dejaVuSans, 20, "Hello", image.Rect(11, 14, 60, 29)},
		{nanumGothic, 24, "홍길동", image.Rect(10, 14, 77, 36)},
		{dejaVuSans, 40, "Tg", image.Rect(9, 19, 56, 56)},
	} {
		t.Run(c.s, func(t *testing.T) {
			face := loadFontOrSkip(t, c.path, c.size)
			m, _ := flasky.NewImage("L", 200, 80)
			if err := flasky.Draw(m).Text(10, 10, c.s, flasky.Font(face)); err != nil {
				t.Fatal(err)
			}
			got, _ := inked(m, color.NRGBA{0, 0, 0, 255})
			d := []int{got.Min.X - c.want.Min.X, got.Min.Y - c.want.Min.Y, got.Max.X - c.want.Max.X, got.Max.Y - c.want.Max.Y}
			for _, v := range d {
				if v < -1 || v > 1 {
					t.Errorf("inked %v, Pillow %v", got, c.want)
					break
				}
			}
		})
	}
}
