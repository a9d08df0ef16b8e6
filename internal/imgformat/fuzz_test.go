package imgformat

import (
	"bytes"
	"image"
	"runtime"
	"testing"
)

// fuzzPixels is the pixel limit the fuzz targets check DecodeXConfig's
// size against before calling DecodeX, as flasky.DecodeImage does with
// MaxImagePixels: small, so that a decoder allocating past what the
// header declared stands out.
const fuzzPixels = 1 << 16

// fuzzSeeds returns the corpus files of a format small enough to seed a
// fuzzer with (the committed seeds are under testdata/fuzz).
func fuzzSeeds(f *testing.F, files []corpusFile) {
	for _, c := range files {
		if len(c.data) <= 4096 {
			f.Add(c.data)
		}
	}
}

// fuzzFormat checks one format's pair of functions on any bytes: no
// panic; an image only without an error, of the size DecodeXConfig
// reported; and allocations bounded by the pixel limit and the input's
// length, never by a size field.
func fuzzFormat(f *testing.F, format string) {
	d := ours[format]
	f.Fuzz(func(t *testing.T, data []byte) {
		bound := uint64(16<<20) + 40*fuzzPixels + 16*uint64(len(data))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cfg, err := d.config(bytes.NewReader(data))
		var (
			m    image.Image
			derr error
		)
		decoded := err == nil && cfg.Width > 0 && cfg.Height > 0 && cfg.Width*cfg.Height <= fuzzPixels
		if decoded {
			m, derr = d.decode(bytes.NewReader(data))
		}
		runtime.ReadMemStats(&after)
		if used := after.TotalAlloc - before.TotalAlloc; used > bound {
			t.Fatalf("%s of %d bytes (%dx%d) allocated %d bytes, over %d", format, len(data), cfg.Width, cfg.Height, used, bound)
		}
		if !decoded {
			return
		}
		if derr != nil {
			if m != nil {
				t.Fatalf("an image with the error %v", derr)
			}
			return
		}
		if b := m.Bounds(); b != image.Rect(0, 0, cfg.Width, cfg.Height) {
			t.Fatalf("image of %v, config %dx%d", b, cfg.Width, cfg.Height)
		}
		_ = m.At(0, 0)
		_ = m.At(cfg.Width-1, cfg.Height-1)
	})
}

func FuzzBMP(f *testing.F) {
	fuzzSeeds(f, bmpCorpus(f))
	fuzzFormat(f, "bmp")
}

func FuzzTIFF(f *testing.F) {
	fuzzSeeds(f, tiffCorpus(f))
	fuzzFormat(f, "tiff")
}

func FuzzWebP(f *testing.F) {
	fuzzSeeds(f, webpCorpus(f))
	fuzzFormat(f, "webp")
}
