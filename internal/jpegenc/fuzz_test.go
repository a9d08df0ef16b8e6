package jpegenc

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// FuzzEncode encodes small images built from the fuzz input, decodes them
// with image/jpeg and checks the size and a PSNR bound relative to
// image/jpeg's own encoder (within 3 dB of it or at
// least 40 dB; looser for thin images and qualities below 25).
func FuzzEncode(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(75), uint8(0), []byte{1, 2, 3})
	f.Add(uint8(16), uint8(16), uint8(100), uint8(1), []byte{255, 0, 255, 0})
	f.Add(uint8(23), uint8(9), uint8(1), uint8(2), []byte("photographic-ish noise"))
	f.Fuzz(func(t *testing.T, w, h, q, kind uint8, data []byte) {
		wi, hi := int(w%48)+1, int(h%48)+1
		quality := int(q%100) + 1
		var m image.Image
		fill := func(pix []uint8) {
			if len(data) == 0 {
				return
			}
			for i := range pix {
				pix[i] = data[i%len(data)] + uint8(i/len(data))*31
			}
		}
		switch kind % 4 {
		case 0:
			r := image.NewRGBA(image.Rect(0, 0, wi, hi))
			fill(r.Pix)
			for i := 3; i < len(r.Pix); i += 4 {
				r.Pix[i] = 0xff
			}
			m = r
		case 1:
			g := image.NewGray(image.Rect(0, 0, wi, hi))
			fill(g.Pix)
			m = g
		case 2:
			n := image.NewNRGBA(image.Rect(0, 0, wi, hi))
			fill(n.Pix)
			m = n
		default:
			y := image.NewYCbCr(image.Rect(0, 0, wi, hi), image.YCbCrSubsampleRatio420)
			fill(y.Y)
			fill(y.Cb)
			fill(y.Cr)
			m = y
		}
		var buf bytes.Buffer
		if err := Encode(&buf, m, quality); err != nil {
			t.Fatal(err)
		}
		d, err := jpeg.Decode(&buf)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if d.Bounds().Dx() != wi || d.Bounds().Dy() != hi {
			t.Fatalf("decoded %v, want %dx%d", d.Bounds(), wi, hi)
		}
		got := psnr(m, d)
		want, _ := stdPSNR(t, m, quality)
		// The two encoders' DCTs round some coefficients differently (our
		// float AAN transform is exact to ~0.01; image/jpeg's integer one
		// is not), and the fuzzer finds patterns where that costs up to a
		// few decibels; random images average the same PSNR to 0.01 dB.
		// Past 40 dB both are visually lossless. In images under 8 pixels
		// wide or high, and at qualities below 25 (chroma steps up to
		// 255), one coefficient at an exact rounding tie moves whole
		// rows by tens of levels (a column of Cb 48,166 at quality 21
		// has F(4,0)/Q = -0.5 exactly), so there the bound is 12 dB
		// below image/jpeg or 20 dB.
		bound := min(want-3, 40)
		if wi < 8 || hi < 8 || quality < 25 {
			bound = min(want-12, 20)
		}
		if got < bound {
			t.Fatalf("PSNR %.2f dB, image/jpeg %.2f (%dx%d q=%d kind=%d)", got, want, wi, hi, quality, kind%4)
		}
	})
}
