package flasky_test

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/flasky-go/flasky"
)

// TestThumbnailSizes checks Thumbnail's sizes against those Pillow 9.4's
// im.thumbnail gives (computed with python3-pil).
func TestThumbnailSizes(t *testing.T) {
	for _, c := range [][6]int{
		// w, h, maxW, maxH, want w, want h
		{220, 190, 100, 100, 100, 86},
		{640, 480, 128, 128, 128, 96},
		{480, 640, 128, 128, 96, 128},
		{100, 10, 50, 200, 50, 5},
		{10, 100, 200, 50, 5, 50},
		{50, 50, 100, 100, 50, 50},
		{50, 50, 50, 50, 50, 50},
		{300, 200, 300, 100, 150, 100},
		{1000, 3, 100, 100, 100, 1},
		{3, 1000, 100, 100, 1, 100},
		{333, 777, 64, 64, 27, 64},
		{1920, 1080, 160, 90, 160, 90},
		{7, 5, 3, 3, 3, 2},
	} {
		t.Run(fmt.Sprintf("%dx%d in %dx%d", c[0], c[1], c[2], c[3]), func(t *testing.T) {
			src, err := flasky.NewImage("RGB", c[0], c[1], "red")
			if err != nil {
				t.Fatal(err)
			}
			got, err := flasky.Thumbnail(src, c[2], c[3])
			if err != nil {
				t.Fatal(err)
			}
			if b := got.Bounds(); b.Dx() != c[4] || b.Dy() != c[5] {
				t.Errorf("Thumbnail(%dx%d, %d, %d) is %dx%d, want %dx%d", c[0], c[1], c[2], c[3], b.Dx(), b.Dy(), c[4], c[5])
			}
			if got.Mode() != "RGB" {
				t.Errorf("mode %q", got.Mode())
			}
			if p := nrgba(got.At(got.Bounds().Dx()/2, got.Bounds().Dy()/2)); p != (color.NRGBA{255, 0, 0, 255}) {
				t.Errorf("Thumbnail(%dx%d): centre %v, want red", c[0], c[1], p)
			}
		})
	}
	if _, err := flasky.Thumbnail(image.NewRGBA(image.Rect(0, 0, 4, 4)), 0, 4); err == nil {
		t.Error("Thumbnail to 0x4: no error")
	}
}

func TestResizeSizes(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 30, 20))
	nrgbaImg := image.NewNRGBA(image.Rect(10, 10, 40, 30)) // not at the origin, transparent
	ycc := image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio420)
	for _, c := range []struct {
		src        image.Image
		w, h       int
		mode       string
		wantErr    bool
		wantW, wah int
	}{
		{gray, 60, 40, "L", false, 60, 40},
		{gray, 1, 1, "L", false, 1, 1},
		{nrgbaImg, 15, 100, "RGBA", false, 15, 100},
		{ycc, 8, 8, "RGB", false, 8, 8},
		{ycc, 0, 8, "", true, 0, 0},
		{ycc, 8, -1, "", true, 0, 0},
	} {
		t.Run(fmt.Sprintf("%T to %dx%d", c.src, c.w, c.h), func(t *testing.T) {
			got, err := flasky.Resize(c.src, c.w, c.h)
			if c.wantErr {
				if err == nil {
					t.Errorf("Resize(%T, %d, %d): no error", c.src, c.w, c.h)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b := got.Bounds(); b != image.Rect(0, 0, c.wantW, c.wah) || got.Mode() != c.mode {
				t.Errorf("Resize(%T, %d, %d): %v %q, want %dx%d %q", c.src, c.w, c.h, b, got.Mode(), c.wantW, c.wah, c.mode)
			}
		})
	}
	// A flat color stays flat through Catmull-Rom.
	src, _ := flasky.NewImage("RGB", 31, 17, "#336699")
	got, err := flasky.Resize(src, 64, 9)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []image.Point{{0, 0}, {63, 8}, {30, 4}} {
		if c := nrgba(got.At(p.X, p.Y)); c != (color.NRGBA{0x33, 0x66, 0x99, 0xff}) {
			t.Errorf("pixel %v: %v", p, c)
		}
	}
}

func TestCrop(t *testing.T) {
	src, _ := flasky.NewImage("RGB", 40, 30)
	if err := flasky.Draw(src).Rectangle(10, 10, 19, 19, flasky.Fill("red")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x0, y0, x1, y1 int
		wantErr        bool
		red, black     image.Point // a red and a black pixel of the result
	}{
		{10, 10, 20, 20, false, image.Pt(0, 0), image.Pt(-1, -1)},
		{5, 5, 25, 25, false, image.Pt(5, 5), image.Pt(4, 4)},
		{-5, -5, 15, 15, false, image.Pt(15, 15), image.Pt(0, 0)}, // outside is black
		{30, 20, 50, 40, false, image.Pt(-1, -1), image.Pt(19, 19)},
		{10, 10, 10, 20, true, image.Point{}, image.Point{}},
		{20, 10, 10, 20, true, image.Point{}, image.Point{}},
	} {
		t.Run(fmt.Sprintf("%d,%d-%d,%d", c.x0, c.y0, c.x1, c.y1), func(t *testing.T) {
			got, err := flasky.Crop(src, c.x0, c.y0, c.x1, c.y1)
			if c.wantErr {
				if err == nil {
					t.Errorf("Crop(%d, %d, %d, %d): no error", c.x0, c.y0, c.x1, c.y1)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b := got.Bounds(); b != image.Rect(0, 0, c.x1-c.x0, c.y1-c.y0) {
				t.Errorf("Crop(%d, %d, %d, %d): bounds %v", c.x0, c.y0, c.x1, c.y1, b)
			}
			if c.red.X >= 0 && nrgba(got.At(c.red.X, c.red.Y)) != (color.NRGBA{255, 0, 0, 255}) {
				t.Errorf("Crop(%d, %d, %d, %d): %v is %v, want red", c.x0, c.y0, c.x1, c.y1, c.red, got.At(c.red.X, c.red.Y))
			}
			if c.black.X >= 0 && nrgba(got.At(c.black.X, c.black.Y)) != (color.NRGBA{0, 0, 0, 255}) {
				t.Errorf("Crop(%d, %d, %d, %d): %v is %v, want black", c.x0, c.y0, c.x1, c.y1, c.black, got.At(c.black.X, c.black.Y))
			}
		})
	}
	// Coordinates are relative to the image's corner, even when its
	// bounds do not start at (0, 0).
	sub := image.NewNRGBA(image.Rect(100, 100, 110, 110))
	sub.Set(102, 103, color.NRGBA{1, 2, 3, 255})
	got, err := flasky.Crop(sub, 2, 3, 4, 5)
	if err != nil {
		t.Fatal(err)
	}
	if c := nrgba(got.At(0, 0)); c != (color.NRGBA{1, 2, 3, 255}) || got.Mode() != "RGBA" {
		t.Errorf("Crop of offset image: %v %q", c, got.Mode())
	}
}

func ExampleThumbnail() {
	photo, err := flasky.NewImage("RGB", 640, 480, "teal")
	if err != nil {
		panic(err)
	}
	th, err := flasky.Thumbnail(photo, 128, 128) // like im.thumbnail((128, 128))
	if err != nil {
		panic(err)
	}
	fmt.Println(th.Bounds().Dx(), th.Bounds().Dy())
	// Output: 128 96
}

// psnr is the peak signal-to-noise ratio of got against want, in dB,
// over R, G and B.
func psnr(got, want image.Image) float64 {
	var se float64
	n := 0
	b := want.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g, w := nrgba(got.At(x, y)), nrgba(want.At(x, y))
			for _, d := range []float64{float64(g.R) - float64(w.R), float64(g.G) - float64(w.G), float64(g.B) - float64(w.B)} {
				se += d * d
				n++
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// TestResizeLikePillow scales the source Pillow drew and compares with
// Pillow's own im.resize and im.thumbnail (BICUBIC): the filters differ
// a little (Catmull-Rom here), so the bar is a PSNR of 40 dB (it is about 48 today).
func TestResizeLikePillow(t *testing.T) {
	src := readPillowPNG(t, "resize_src")
	for _, c := range []struct {
		name string
		do   func() (*flasky.Image, error)
	}{
		{"resize_down", func() (*flasky.Image, error) { return flasky.Resize(src, 40, 30) }},
		{"resize_up", func() (*flasky.Image, error) { return flasky.Resize(src, 150, 110) }},
		{"thumbnail_50", func() (*flasky.Image, error) { return flasky.Thumbnail(src, 50, 50) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := readPillowPNG(t, c.name)
			got, err := c.do()
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("bounds %v, Pillow %v", got.Bounds(), want.Bounds())
			}
			if p := psnr(got, want); p < 40 {
				t.Errorf("PSNR %.1f dB against Pillow, want >= 40", p)
			} else {
				t.Logf("PSNR %.1f dB against Pillow", p)
			}
		})
	}
}
