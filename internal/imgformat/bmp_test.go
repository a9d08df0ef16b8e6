package imgformat

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/color/palette"
	"testing"

	"golang.org/x/image/bmp"
)

// testImages returns pictures of the kinds the encoders write, at a few
// sizes (odd widths exercise row padding).
func testImages() map[string]image.Image {
	imgs := map[string]image.Image{}
	for _, sz := range []image.Point{{1, 1}, {3, 2}, {17, 5}, {64, 33}} {
		r := image.Rect(0, 0, sz.X, sz.Y)
		gray, gray16 := image.NewGray(r), image.NewGray16(r)
		rgba, nrgba := image.NewRGBA(r), image.NewNRGBA(r)
		rgba64, nrgba64 := image.NewRGBA64(r), image.NewNRGBA64(r)
		pal := image.NewPaletted(r, palette.WebSafe)
		bw := image.NewPaletted(r, color.Palette{color.Black, color.White})
		for y := range sz.Y {
			for x := range sz.X {
				v := uint8(x*37 + y*101)
				gray.SetGray(x, y, color.Gray{v})
				gray16.SetGray16(x, y, color.Gray16{uint16(x*4099 + y*7919)})
				rgba.SetRGBA(x, y, color.RGBA{v, v ^ 0x55, uint8(y * 40), 0xff})
				a := uint8(x * 30)
				nrgba.SetNRGBA(x, y, color.NRGBA{v, uint8(y * 60), 200, a})
				rgba64.SetRGBA64(x, y, color.RGBA64{uint16(x) * 1000, uint16(y) * 3000, 65535, 65535})
				nrgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(x) * 900, 500, uint16(y) * 2000, uint16(x*y) * 100})
				pal.SetColorIndex(x, y, uint8(x+y*7)%216)
				bw.SetColorIndex(x, y, uint8((x/3+y/2)%2))
			}
		}
		for name, m := range map[string]image.Image{"gray": gray, "gray16": gray16, "rgba": rgba, "nrgba": nrgba,
			"rgba64": rgba64, "nrgba64": nrgba64, "paletted": pal, "bilevel": bw} {
			imgs[name+"-"+sizeName(sz)] = m
		}
	}
	return imgs
}

func sizeName(p image.Point) string { return itoa(p.X) + "x" + itoa(p.Y) }

// bmpTopDown turns a bottom-up BMP into the same picture top-down: a
// negative height and the rows in the other order.
func bmpTopDown(b []byte) []byte {
	le := binary.LittleEndian
	out := bytes.Clone(b)
	off := int(le.Uint32(b[10:]))
	w, h, bpp := int(int32(le.Uint32(b[18:]))), int(int32(le.Uint32(b[22:]))), int(le.Uint16(b[28:]))
	le.PutUint32(out[22:], uint32(int32(-h)))
	row := (w*bpp + 31) / 32 * 4
	for y := range h {
		copy(out[off+y*row:off+(y+1)*row], b[off+(h-1-y)*row:off+(h-y)*row])
	}
	return out
}

// bmpCorpus is x/image's BMP files, bmp.Encode's output for each test
// image, and each of those top-down.
func bmpCorpus(t testing.TB) []corpusFile {
	files := xImageFiles(t, "bmp")
	for name, m := range testImages() {
		var b bytes.Buffer
		if err := bmp.Encode(&b, m); err != nil {
			continue // a kind bmp.Encode does not write
		}
		files = append(files, corpusFile{"encoded/" + name, "bmp", b.Bytes()},
			corpusFile{"encoded/" + name + "-top-down", "bmp", bmpTopDown(b.Bytes())})
	}
	return files
}

func TestBMPAgainstXImage(t *testing.T) {
	compareCorpus(t, bmpCorpus(t))
}

// makeBMP writes a BMP with the given info header length, bits a pixel,
// compression, masks (after a 40-byte header, or in a longer one) and
// rows (bottom-up, already padded).
func makeBMP(infoLen, w, h, bpp int, compression uint32, masks []uint32, rows []byte) []byte {
	le := binary.LittleEndian
	info := make([]byte, infoLen)
	le.PutUint32(info[0:], uint32(infoLen))
	le.PutUint32(info[4:], uint32(int32(w)))
	le.PutUint32(info[8:], uint32(int32(h)))
	le.PutUint16(info[12:], 1)
	le.PutUint16(info[14:], uint16(bpp))
	le.PutUint32(info[16:], compression)
	var extra []byte
	for i, m := range masks {
		if infoLen == 40 {
			extra = le.AppendUint32(extra, m)
		} else {
			le.PutUint32(info[40+4*i:], m)
		}
	}
	off := 14 + infoLen + len(extra)
	var b bytes.Buffer
	b.WriteString("BM")
	_ = binary.Write(&b, le, []uint32{uint32(off + len(rows)), 0, uint32(off)})
	b.Write(info)
	b.Write(extra)
	b.Write(rows)
	return b.Bytes()
}

// TestBMPMasks reads 16 and 32-bit files with color masks, which x/image
// refuses, against the pixels they were made from.
func TestBMPMasks(t *testing.T) {
	px16 := func(vs ...uint16) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint16(b, v)
		}
		return b
	}
	px32 := func(vs ...uint32) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want []color.NRGBA // left to right, top to bottom
	}{
		{"16-bit 555 default", makeBMP(40, 2, 1, 16, biRGB, nil, px16(0x7c00, 0x03ff)),
			[]color.NRGBA{{255, 0, 0, 255}, {0, 255, 255, 255}}},
		{"16-bit 565 bitfields after a 40-byte header", makeBMP(40, 2, 1, 16, biBitfields, []uint32{0xf800, 0x07e0, 0x001f}, px16(0x07e0, 0x0010)),
			[]color.NRGBA{{0, 255, 0, 255}, {0, 0, 132, 255}}},
		{"16-bit 4444 alpha bitfields", makeBMP(40, 2, 1, 16, biAlphaBitfields, []uint32{0x0f00, 0x00f0, 0x000f, 0xf000}, px16(0x8f00, 0xf00f)),
			[]color.NRGBA{{255, 0, 0, 136}, {0, 0, 255, 255}}},
		{"32-bit RGBA bitfields in a V5 header", makeBMP(124, 1, 2, 32, biBitfields, []uint32{0xff, 0xff00, 0xff0000, 0xff000000}, px32(0x80332211, 0xff665544)),
			[]color.NRGBA{{0x44, 0x55, 0x66, 0xff}, {0x11, 0x22, 0x33, 0x80}}},
		{"32-bit 10-bit bitfields in a V3 header", makeBMP(56, 1, 1, 32, biBitfields, []uint32{0x3ff00000, 0xffc00, 0x3ff, 0}, px32(0x3ff00000)),
			[]color.NRGBA{{255, 0, 0, 255}}},
		{"32-bit BI_RGB in a 40-byte header ignores the fourth byte", makeBMP(40, 1, 1, 32, biRGB, nil, px32(0x00112233)),
			[]color.NRGBA{{0x11, 0x22, 0x33, 0xff}}},
		{"32-bit BI_RGB in a V4 header keeps alpha", makeBMP(108, 1, 1, 32, biRGB, nil, px32(0x40112233)),
			[]color.NRGBA{{0x11, 0x22, 0x33, 0x40}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeBMP(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			b := m.Bounds()
			i := 0
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if got := color.NRGBAModel.Convert(m.At(x, y)); got != tt.want[i] {
						t.Errorf("pixel (%d, %d) = %v, want %v", x, y, got, tt.want[i])
					}
					i++
				}
			}
		})
	}
}

// TestBMPRefuses checks the errors for what the reader does not take.
func TestBMPRefuses(t *testing.T) {
	good := makeBMP(40, 1, 1, 24, biRGB, nil, make([]byte, 4))
	patch := func(off int, v ...byte) []byte {
		b := bytes.Clone(good)
		copy(b[off:], v)
		return b
	}
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "unexpected EOF"},
		{"not BM", "BX" + string(good[2:]), "no BM signature"},
		{"OS/2 header", string(patch(14, 12)), "OS/2"},
		{"odd header", string(patch(14, 41)), "info header of 41 bytes"},
		{"RLE8", string(patch(30, 1)), "run-length"},
		{"two planes", string(patch(26, 2)), "2 planes"},
		{"12 bits", string(patch(28, 12)), "12 bits a pixel"},
		{"width 0, height 1", string(patch(18, 0)), "0x1 pixels"},
		{"negative width", string(patch(18, 0xff, 0xff, 0xff, 0xff)), "negative width"},
		{"offset inside the header", string(patch(10, 10)), "inside the 54 bytes of headers"},
		{"pixels cut short", string(good[:55]), "ends at row 0"},
		{"gapped mask", string(makeBMP(40, 1, 1, 16, biBitfields, []uint32{0xf0f0, 0, 0}, make([]byte, 4))), "not one run of bits"},
		{"palette index past the palette", string(makeBMPPaletted()), "palette index 3 past the palette's 2 colors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeBMP(bytes.NewReader([]byte(tt.data)))
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
				t.Errorf("DecodeBMP: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// makeBMPPaletted is a 1x1 8-bit BMP with 2 colors whose pixel is 3.
func makeBMPPaletted() []byte {
	le := binary.LittleEndian
	b := makeBMP(40, 1, 1, 8, biRGB, nil, nil)
	le.PutUint32(b[46:], 2)
	b = append(b, 0, 0, 0, 0, 255, 255, 255, 0) // the palette
	le.PutUint32(b[10:], uint32(len(b)))
	return append(b, 3, 0, 0, 0)
}
