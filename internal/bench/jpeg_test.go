package bench

import (
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/flasky-go/flasky/internal/jpegenc"
)

// jpegSlide33 is slide 33's picture: 220x190 black, rectangle
// (40,40)-(210,180) inclusive, fill #ffff33, outline red.
func jpegSlide33() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 220, 190))
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 0xff
	}
	for y := 40; y <= 180; y++ {
		for x := 40; x <= 210; x++ {
			c := color.RGBA{0xff, 0xff, 0x33, 0xff}
			if x == 40 || x == 210 || y == 40 || y == 180 {
				c = color.RGBA{0xff, 0, 0, 0xff}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// jpegPhoto is a deterministic 640x480 photograph-like image: smooth
// gradients, seeded noise and hard edges.
func jpegPhoto() *image.RGBA {
	const w, h = 640, 480
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 42))
	c8 := func(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/w, float64(y)/h
			r := 128 + 90*math.Sin(6*fx+2*fy) + 20*rng.NormFloat64()
			g := 100 + 80*math.Cos(5*fy-3*fx) + 15*rng.NormFloat64()
			b := 60 + 150*fx*fy + 10*rng.NormFloat64()
			if (x/37+y/29)%3 == 0 {
				r, g = g, r
			}
			if (x-w/2)*(x-w/2)+(y-h/3)*(y-h/3) < (w/6)*(w/6) {
				b = 230 - 40*fy
			}
			i := m.PixOffset(x, y)
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c8(r), c8(g), c8(b), 0xff
		}
	}
	return m
}

// BenchmarkJPEG compares image/jpeg with internal/jpegenc on slide 33's
// drawn picture at quality 70 (as /get_image2 sends it) and on a
// photograph-like image at quality 75.
func BenchmarkJPEG(b *testing.B) {
	images := []struct {
		name    string
		m       image.Image
		quality int
	}{
		{"slide33", jpegSlide33(), 70},
		{"photo", jpegPhoto(), 75},
	}
	encoders := []struct {
		name string
		enc  func(io.Writer, image.Image, int) error
	}{
		{"stdlib", func(w io.Writer, m image.Image, q int) error {
			return jpeg.Encode(w, m, &jpeg.Options{Quality: q})
		}},
		{"jpegenc", jpegenc.Encode},
	}
	for _, e := range encoders {
		b.Run(e.name, func(b *testing.B) {
			for _, im := range images {
				b.Run(im.name, func(b *testing.B) {
					b.ReportAllocs()
					var n int64
					for b.Loop() {
						cw := countWriter{}
						if err := e.enc(&cw, im.m, im.quality); err != nil {
							b.Fatal(err)
						}
						n = cw.n
					}
					b.ReportMetric(float64(n), "bytes")
				})
			}
		})
	}
}

// countWriter counts and discards what is written to it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
