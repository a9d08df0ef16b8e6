package jpegenc

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// slide33 draws slide 33's picture: 220x190 black, rectangle
// (40,40)-(210,180) inclusive, fill #ffff33, outline red.
func slide33() *image.RGBA {
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

// photo makes a deterministic photograph-like image: smooth gradients,
// seeded noise and a few hard edges.
func photo(w, h int, seed uint64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 42))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 90*math.Sin(6*fx+2*fy) + 20*rng.NormFloat64()
			g := 100 + 80*math.Cos(5*fy-3*fx) + 15*rng.NormFloat64()
			b := 60 + 150*fx*fy + 10*rng.NormFloat64()
			if (x/37+y/29)%3 == 0 { // edges
				r, g = g, r
			}
			if (x-w/2)*(x-w/2)+(y-h/3)*(y-h/3) < (w/6)*(w/6) {
				b = 230 - 40*fy
			}
			i := m.PixOffset(x, y)
			m.Pix[i] = clamp8(r)
			m.Pix[i+1] = clamp8(g)
			m.Pix[i+2] = clamp8(b)
			m.Pix[i+3] = 0xff
		}
	}
	return m
}

func clamp8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}

// psnr compares the RGB channels of a and b over a's bounds (the Y, Cb
// and Cr channels when a is an *image.YCbCr, whose random contents may lie
// outside the RGB gamut); identical images give 99.
func psnr(a, b image.Image) float64 {
	ab, bb := a.Bounds(), b.Bounds()
	if ya, ok := a.(*image.YCbCr); ok {
		if yb, ok := b.(*image.YCbCr); ok {
			var se float64
			for y := 0; y < ab.Dy(); y++ {
				for x := 0; x < ab.Dx(); x++ {
					c1 := ya.YCbCrAt(ab.Min.X+x, ab.Min.Y+y)
					c2 := yb.YCbCrAt(bb.Min.X+x, bb.Min.Y+y)
					for _, d := range [3]float64{float64(c1.Y) - float64(c2.Y), float64(c1.Cb) - float64(c2.Cb), float64(c1.Cr) - float64(c2.Cr)} {
						se += d * d
					}
				}
			}
			if se == 0 {
				return 99
			}
			return math.Min(99, 10*math.Log10(255*255*3*float64(ab.Dx()*ab.Dy())/se))
		}
	}
	var se float64
	n := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range [3]float64{float64(r1>>8) - float64(r2>>8), float64(g1>>8) - float64(g2>>8), float64(b1>>8) - float64(b2>>8)} {
				se += d * d
			}
			n += 3
		}
	}
	if se == 0 {
		return 99
	}
	return math.Min(99, 10*math.Log10(255*255*float64(n)/se))
}

// roundTrip encodes m with Encode and decodes it with image/jpeg.
func roundTrip(t testing.TB, m image.Image, q int) (image.Image, int) {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, m, q); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	n := buf.Len()
	d, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatalf("decode q=%d %v: %v", q, m.Bounds(), err)
	}
	if d.Bounds().Dx() != m.Bounds().Dx() || d.Bounds().Dy() != m.Bounds().Dy() {
		t.Fatalf("decoded size %v, want %v", d.Bounds(), m.Bounds())
	}
	return d, n
}

// stdPSNR is what image/jpeg's own encoder achieves on m.
func stdPSNR(t testing.TB, m image.Image, q int) (float64, int) {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	n := buf.Len()
	d, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return psnr(m, d), n
}

func flat(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m
}

func testImages() map[string]image.Image {
	gray := image.NewGray(image.Rect(0, 0, 45, 31))
	p := photo(45, 31, 7)
	for y := 0; y < 31; y++ {
		for x := 0; x < 45; x++ {
			gray.Set(x, y, p.At(x, y))
		}
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, 50, 38), image.YCbCrSubsampleRatio420)
	p2 := photo(50, 38, 9)
	for y := 0; y < 38; y++ {
		for x := 0; x < 50; x++ {
			r, g, b, _ := p2.At(x, y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(b>>8))
			ycc.Y[ycc.YOffset(x, y)] = yy
			ci := ycc.COffset(x, y)
			ycc.Cb[ci], ycc.Cr[ci] = cb, cr
		}
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, 33, 20))
	p3 := photo(33, 20, 11)
	for i := range nrgba.Pix {
		nrgba.Pix[i] = p3.Pix[i]
		if i%4 == 3 && i%16 == 3 {
			nrgba.Pix[i] = 200 // some translucent pixels
		}
	}
	return map[string]image.Image{
		"flat":      flat(64, 48, color.RGBA{10, 200, 30, 255}),
		"slide33":   slide33(),
		"photo":     photo(320, 240, 1),
		"1x1":       photo(1, 1, 2),
		"7x9":       photo(7, 9, 3),
		"17x33":     photo(17, 33, 4),
		"gray":      gray,
		"ycbcr":     ycc,
		"nrgba":     nrgba,
		"subimage":  photo(100, 80, 5).SubImage(image.Rect(13, 7, 90, 61)),
		"paletted":  image.NewPaletted(image.Rect(0, 0, 20, 20), []color.Color{color.White}),
		"flat-odd":  flat(17, 33, color.RGBA{255, 255, 255, 255}),
		"black-odd": flat(7, 9, color.RGBA{0, 0, 0, 255}),
	}
}

func TestRoundTrip(t *testing.T) {
	imgs := testImages()
	for _, name := range slices.Sorted(maps.Keys(imgs)) {
		m := imgs[name]
		t.Run(name, func(t *testing.T) {
			for _, q := range []int{1, 50, 75, 100} {
				t.Run(fmt.Sprintf("q%d", q), func(t *testing.T) {
					d, _ := roundTrip(t, m, q)
					got := psnr(m, d)
					want, _ := stdPSNR(t, m, q)
					if got < want-0.5 {
						t.Errorf("%s q=%d: PSNR %.2f dB, image/jpeg gets %.2f", name, q, got, want)
					}
				})
			}
		})
	}
}

func TestPhotoSize(t *testing.T) {
	m := photo(320, 240, 1)
	_, n := roundTrip(t, m, 75)
	_, sn := stdPSNR(t, m, 75)
	ratio := float64(n) / float64(sn)
	t.Logf("jpegenc %d bytes, image/jpeg %d bytes (%.3f)", n, sn, ratio)
	if ratio < 0.95 || ratio > 1.05 {
		t.Errorf("size %d is not within 5%% of image/jpeg's %d", n, sn)
	}
}

func TestFlatBlockExact(t *testing.T) {
	// A flat mid-gray image is exactly representable at quality 100.
	m := flat(32, 32, color.RGBA{128, 128, 128, 255})
	d, _ := roundTrip(t, m, 100)
	if p := psnr(m, d); p < 99 {
		t.Errorf("flat gray PSNR %.2f, want exact", p)
	}
}

func TestQualityClamp(t *testing.T) {
	m := photo(16, 16, 1)
	for _, q := range []int{-5, 0, 101, 1000} {
		t.Run(fmt.Sprintf("q%d", q), func(t *testing.T) {
			roundTrip(t, m, q)
		})
	}
}

func TestEmpty(t *testing.T) {
	if err := Encode(&bytes.Buffer{}, image.NewRGBA(image.Rect(0, 0, 0, 5)), 75); err == nil {
		t.Error("empty image: no error")
	}
}

func TestTables(t *testing.T) {
	initTables()
	if len(acLumSyms) != 162 || len(acChromSyms) != 162 {
		t.Fatalf("AC symbol counts %d, %d", len(acLumSyms), len(acChromSyms))
	}
	seen := map[uint8]bool{}
	for _, z := range zigzag {
		seen[z] = true
	}
	if len(seen) != 64 || zigzag[1] != 1 || zigzag[2] != 8 || zigzag[63] != 63 {
		t.Fatalf("bad zigzag %v", zigzag)
	}
}

func TestExtremes(t *testing.T) {
	// Checkerboards and full-range stripes push coefficients to their
	// largest magnitudes at quality 100.
	for _, tt := range []struct {
		name string
		f    func(x, y int) uint8
	}{
		{"checker", func(x, y int) uint8 { return uint8(255 * ((x + y) & 1)) }},
		{"stripes", func(x, y int) uint8 { return uint8(255 * (x / 4 & 1)) }},
		{"corner", func(x, y int) uint8 { return uint8(255 * min(1, x/8+y/8)) }},
	} {
		name, f := tt.name, tt.f
		m := image.NewRGBA(image.Rect(0, 0, 24, 24))
		g := image.NewGray(m.Bounds())
		for y := 0; y < 24; y++ {
			for x := 0; x < 24; x++ {
				v := f(x, y)
				m.SetRGBA(x, y, color.RGBA{v, 255 - v, v, 255})
				g.Pix[g.PixOffset(x, y)] = v
			}
		}
		for _, im := range []image.Image{m, g} {
			for _, q := range []int{1, 100} {
				t.Run(fmt.Sprintf("%s %s q%d", name, strings.TrimPrefix(fmt.Sprintf("%T", im), "*image."), q), func(t *testing.T) {
					d, _ := roundTrip(t, im, q)
					got := psnr(im, d)
					want, _ := stdPSNR(t, im, q)
					if got < want-0.5 {
						t.Errorf("%s %T q=%d: PSNR %.2f dB, image/jpeg gets %.2f", name, im, q, got, want)
					}
				})
			}
		}
	}
}

func TestConcurrent(t *testing.T) {
	imgs := []image.Image{slide33(), photo(99, 77, 3), flat(5, 5, color.RGBA{1, 2, 3, 255})}
	want := make([][]byte, len(imgs))
	for i, m := range imgs {
		var b bytes.Buffer
		if err := Encode(&b, m, 70); err != nil {
			t.Fatal(err)
		}
		want[i] = b.Bytes()
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for r := 0; r < 20; r++ {
				i := (g + r) % len(imgs)
				var b bytes.Buffer
				if err := Encode(&b, imgs[i], 70); err != nil || !bytes.Equal(b.Bytes(), want[i]) {
					done <- fmt.Errorf("goroutine %d image %d: output differs (err %v)", g, i, err)
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
