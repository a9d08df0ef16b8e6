package flasky_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
	"github.com/flasky-go/flasky/internal/imgformat"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// fuzzImagePixels is MaxImagePixels while FuzzDecodeImage runs: small,
// so that an image the guard lets through costs little, and so that a
// decoder that allocates past the guard stands out.
const fuzzImagePixels = 1 << 16

// FuzzDecodeImage feeds any bytes to DecodeImage. It must never panic;
// an image it returns has at most MaxImagePixels pixels and lies within
// the size its header declared (the size the guard checked); and one
// call allocates no more than a bound that depends on the pixel limit and
// the input's length, never on what a header claims.
func FuzzDecodeImage(f *testing.F) {
	for _, seed := range imageSeeds(f) {
		f.Add(seed)
	}
	old := flasky.MaxImagePixels
	flasky.MaxImagePixels = fuzzImagePixels
	f.Cleanup(func() { flasky.MaxImagePixels = old })
	f.Fuzz(func(t *testing.T, data []byte) {
		// 8 bytes a pixel (RGBA64) plus a JPEG's coefficients (4 bytes a
		// pixel for each of up to 4 components), copies of the input, and
		// a decompressor's own tables. (x/image's TIFF decoder, used
		// until issue 14, read a whole 1024x1024 tile of a 1x1 picture,
		// about 33 MB; internal/imgformat reads one row of a tile at a
		// time.) A decoder that believed a header past the guard would
		// allocate far more: 16384x16384 RGBA is 1 GiB.
		bound := uint64(96<<20) + 40*fuzzImagePixels + 16*uint64(len(data))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, format, err := flasky.DecodeImage(bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		if used := after.TotalAlloc - before.TotalAlloc; used > bound {
			t.Fatalf("DecodeImage of %d bytes allocated %d bytes (bound %d): %s %v", len(data), used, bound, format, err)
		}
		if err != nil {
			if img != nil || !strings.HasPrefix(err.Error(), "flasky: DecodeImage: ") {
				t.Fatalf("DecodeImage: image %v with error %q", img != nil, err)
			}
			return
		}
		b := img.Bounds()
		if b.Empty() || b.Dx()*b.Dy() > flasky.MaxImagePixels {
			t.Fatalf("DecodeImage returned a %s image of %v: empty or over %d pixels", format, b, flasky.MaxImagePixels)
		}
		cfg, cerr := declaredConfig(format, data)
		if cerr != nil || !b.In(image.Rect(0, 0, cfg.Width, cfg.Height)) {
			t.Fatalf("DecodeImage returned a %s image of %v, outside the declared %dx%d (%v)", format, b, cfg.Width, cfg.Height, cerr)
		}
		switch format {
		case "jpeg", "png", "gif", "bmp", "tiff", "webp":
		default:
			t.Fatalf("DecodeImage: format %q", format)
		}
		_ = img.At(b.Min.X, b.Min.Y)
		_ = img.At(b.Max.X-1, b.Max.Y-1)
	})
}

// declaredConfig reads data's header with its format's own DecodeConfig:
// image.DecodeConfig would not know WebP, which flasky does not register.
func declaredConfig(format string, data []byte) (image.Config, error) {
	config := map[string]func(io.Reader) (image.Config, error){
		"png": png.DecodeConfig, "jpeg": jpeg.DecodeConfig, "gif": gif.DecodeConfig,
		"bmp": imgformat.DecodeBMPConfig, "tiff": imgformat.DecodeTIFFConfig, "webp": imgformat.DecodeWebPConfig,
	}[format]
	if config == nil {
		return image.Config{}, fmt.Errorf("no format %q", format)
	}
	return config(bytes.NewReader(data))
}

// imageSeeds returns small valid images of every format DecodeImage
// reads, and headers of each format that claim far more pixels than the
// limit allows (decompression bombs), or contradict themselves.
func imageSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 37)
	}
	enc := func(fn func(*bytes.Buffer) error) []byte {
		var b bytes.Buffer
		if err := fn(&b); err != nil {
			tb.Fatal(err)
		}
		return b.Bytes()
	}
	gray16 := image.NewGray16(image.Rect(0, 0, 2, 2))
	seeds := [][]byte{
		enc(func(b *bytes.Buffer) error { return png.Encode(b, src) }),
		enc(func(b *bytes.Buffer) error { return png.Encode(b, gray16) }),
		enc(func(b *bytes.Buffer) error { return gif.Encode(b, src, nil) }),
		enc(func(b *bytes.Buffer) error { return jpeg.Encode(b, src, nil) }),
		enc(func(b *bytes.Buffer) error { return bmp.Encode(b, src) }),
		enc(func(b *bytes.Buffer) error { return tiff.Encode(b, src, nil) }),
		enc(func(b *bytes.Buffer) error {
			return tiff.Encode(b, src, &tiff.Options{Compression: tiff.Deflate, Predictor: true})
		}),
		webpLossless1x1,
		// Bombs: a few bytes that claim a huge picture.
		bombPNG(100000, 100000),
		bombPNG(1, 1<<31-1),
		bombPNG(257, 256), // just over the fuzz limit
		bombGIF(65535, 65535, 65535, 65535),
		bombGIF(1, 1, 65535, 65535), // a frame larger than its screen
		bombJPEG(0xc0, 65535, 65535),
		bombJPEG(0xc2, 65535, 65535), // progressive
		bombBMP(100000, 100000),
		bombBMP(100000, -100000), // top-down
		bombTIFF(1000000, 1000000, 1),
		bombTIFF(1<<31-1, 1<<31-1, 8),
		deflateTIFF1x1(),
		bombWebP("VP8X", 16384, 16384),
		bombWebP("VP8L", 16384, 16384),
		bombWebP("VP8 ", 16383, 16383),
		// Nothing, or only a signature.
		nil,
		[]byte("\x89PNG\r\n\x1a\n"),
		[]byte("GIF89a"),
		[]byte("\xff\xd8"),
		[]byte("BM"),
		[]byte("II*\x00"),
		[]byte("MM\x00*"),
		[]byte("RIFF\x00\x00\x00\x00WEBP"),
	}
	// Good images cut short: the header passes the guard, the data ends.
	for _, s := range seeds[:8] {
		seeds = append(seeds, s[:len(s)*3/4])
	}
	// The hand-made WebP must really decode, or it seeds nothing.
	if _, format, err := flasky.DecodeImage(bytes.NewReader(webpLossless1x1)); err != nil || format != "webp" {
		tb.Fatalf("the 1x1 WebP seed does not decode: %q %v", format, err)
	}
	return seeds
}

// webpLossless1x1 is a 1x1 lossless WebP made by hand: a VP8L header
// (width and height 1, no alpha, version 0), no transform, no color
// cache, no meta codes, then five one-symbol prefix codes, so the single
// pixel takes no bits.
var webpLossless1x1 = riff("VP8L", []byte{0x2f, 0, 0, 0, 0, 0x88, 0x88, 0x08})

// riff wraps one chunk in a RIFF WEBP container.
func riff(fourcc string, payload []byte) []byte {
	var chunk bytes.Buffer
	chunk.WriteString(fourcc)
	_ = binary.Write(&chunk, binary.LittleEndian, uint32(len(payload)))
	chunk.Write(payload)
	if len(payload)%2 == 1 {
		chunk.WriteByte(0)
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+chunk.Len()))
	b.WriteString("WEBP")
	b.Write(chunk.Bytes())
	return b.Bytes()
}

// bombWebP is a WebP header of the given kind claiming w x h pixels.
func bombWebP(kind string, w, h uint32) []byte {
	switch kind {
	case "VP8X":
		p := make([]byte, 10)
		p[4], p[5], p[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
		p[7], p[8], p[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
		return riff(kind, p)
	case "VP8L":
		bits := (w - 1) | (h-1)<<14
		return riff(kind, []byte{0x2f, byte(bits), byte(bits >> 8), byte(bits >> 16), byte(bits >> 24), 0, 0, 0})
	default: // "VP8 ": a key frame
		p := []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, byte(w), byte(w >> 8), byte(h), byte(h >> 8), 0, 0, 0, 0}
		return riff(kind, p)
	}
}

// bombGIF is a GIF whose screen is sw x sh and whose first frame is
// fw x fh, with a few bytes of LZW data.
func bombGIF(sw, sh, fw, fh uint16) []byte {
	var b bytes.Buffer
	b.WriteString("GIF89a")
	_ = binary.Write(&b, binary.LittleEndian, [2]uint16{sw, sh})
	b.Write([]byte{0x80, 0, 0})                      // a global table of 2 colors
	b.Write([]byte{0, 0, 0, 0xff, 0xff, 0xff, 0x2c}) // the table, then a frame
	_ = binary.Write(&b, binary.LittleEndian, [4]uint16{0, 0, fw, fh})
	b.Write([]byte{0, 2, 2, 0x44, 0x01, 0, 0x3b})
	return b.Bytes()
}

// bombJPEG is a JPEG start with a SOF marker (0xc0 baseline, 0xc2
// progressive) claiming w x h pixels.
func bombJPEG(sof byte, w, h uint16) []byte {
	return []byte{0xff, 0xd8, 0xff, sof, 0, 11, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 1, 1, 0x11, 0,
		0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0, 0, 0xff, 0xd9}
}

// bombBMP is a 24-bit BMP header claiming w x h pixels.
func bombBMP(w, h int32) []byte {
	var b bytes.Buffer
	b.WriteString("BM")
	_ = binary.Write(&b, binary.LittleEndian, []uint32{54 + 16, 0, 54, 40})
	_ = binary.Write(&b, binary.LittleEndian, []int32{w, h})
	_ = binary.Write(&b, binary.LittleEndian, []uint16{1, 24})
	_ = binary.Write(&b, binary.LittleEndian, []uint32{0, 16, 2835, 2835, 0, 0})
	b.Write(make([]byte, 16))
	return b.Bytes()
}

// tiffEntry is one entry of a TIFF image file directory.
type tiffEntry struct {
	tag, typ    uint16
	count, data uint32
}

// tiffFile is a little-endian TIFF with one directory of entries (sorted
// by tag), followed by extra bytes.
func tiffFile(entries []tiffEntry, extra []byte) []byte {
	var b bytes.Buffer
	b.WriteString("II*\x00")
	_ = binary.Write(&b, binary.LittleEndian, uint32(8))
	_ = binary.Write(&b, binary.LittleEndian, uint16(len(entries)))
	for _, e := range entries {
		_ = binary.Write(&b, binary.LittleEndian, e)
	}
	_ = binary.Write(&b, binary.LittleEndian, uint32(0))
	b.Write(extra)
	return b.Bytes()
}

// tiffDataOffset is where tiffFile puts extra bytes for n entries.
func tiffDataOffset(n int) uint32 { return uint32(8 + 2 + 12*n + 4) }

// bombTIFF is a grey TIFF claiming w x h pixels in strips of rows rows.
func bombTIFF(w, h, rows uint32) []byte {
	const short, long = 3, 4
	entries := []tiffEntry{
		{256, long, 1, w}, {257, long, 1, h}, {258, short, 1, 8}, {259, short, 1, 1}, {262, short, 1, 1},
		{273, long, 1, 0}, {277, short, 1, 1}, {278, long, 1, rows}, {279, long, 1, 16},
	}
	entries[5].data = tiffDataOffset(len(entries))
	return tiffFile(entries, make([]byte, 16))
}

// deflateTIFF1x1 is a 1x1 grey TIFF in one 64x64 tile whose deflate data
// would inflate to 1 MiB of zeros: the reader stops at the rows the
// picture needs. The fuzzer may grow the tile to the 1024x1024 accepted
// for so small a picture.
func deflateTIFF1x1() []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	_, _ = zw.Write(make([]byte, 1<<20))
	_ = zw.Close()
	const short, long = 3, 4
	entries := []tiffEntry{
		{256, long, 1, 1}, {257, long, 1, 1}, {258, short, 1, 8}, {259, short, 1, 8}, {262, short, 1, 1},
		{277, short, 1, 1}, {322, long, 1, 64}, {323, long, 1, 64}, {324, long, 1, 0}, {325, long, 1, uint32(z.Len())},
	}
	entries[8].data = tiffDataOffset(len(entries))
	return tiffFile(entries, z.Bytes())
}

// TestDecodeImageBombSeeds runs the seeds of FuzzDecodeImage with the
// default limit: a header over the limit is refused before any pixel is
// allocated (under 1 MiB for the whole call), and no seed costs more
// than a bounded amount.
func TestDecodeImageBombSeeds(t *testing.T) {
	seeds := imageSeeds(t)
	for i, data := range seeds {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, format, err := flasky.DecodeImage(bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		used := after.TotalAlloc - before.TotalAlloc
		switch {
		case err != nil && strings.Contains(err.Error(), "more than the limit") && used > 1<<20:
			t.Errorf("seed %d (%d bytes, %s): refused by the limit after allocating %d bytes", i, len(data), format, used)
		case used > 128<<20:
			t.Errorf("seed %d (%d bytes, %s): allocated %d bytes", i, len(data), format, used)
		}
		if err == nil {
			t.Logf("seed %d: %d bytes, decoded as %s %v, %d bytes allocated", i, len(data), format, img.Bounds(), used)
			continue
		}
		t.Logf("seed %d: %d bytes, refused (%d bytes allocated): %v", i, len(data), used, err)
	}
	for _, bomb := range [][]byte{bombPNG(100000, 100000), bombGIF(65535, 65535, 65535, 65535), bombJPEG(0xc0, 65535, 65535),
		bombBMP(100000, 100000), bombTIFF(1000000, 1000000, 1), bombWebP("VP8X", 16384, 16384),
		bombWebP("VP8L", 16384, 16384), bombWebP("VP8 ", 16383, 16383)} {
		if _, format, err := flasky.DecodeImage(bytes.NewReader(bomb)); err == nil || !strings.Contains(err.Error(), "more than the limit") {
			t.Errorf("%s bomb: %v, want the pixel limit's error", format, err)
		}
	}
}
