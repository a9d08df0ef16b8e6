package imgformat

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// riffWebP wraps chunks (fourCC, payload pairs) in a RIFF WEBP form.
func riffWebP(chunks ...any) []byte {
	var body bytes.Buffer
	body.WriteString("WEBP")
	for i := 0; i < len(chunks); i += 2 {
		p := chunks[i+1].([]byte)
		body.WriteString(chunks[i].(string))
		_ = binary.Write(&body, binary.LittleEndian, uint32(len(p)))
		body.Write(p)
		if len(p)%2 == 1 {
			body.WriteByte(0)
		}
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(body.Len()))
	b.Write(body.Bytes())
	return b.Bytes()
}

// cwebpFiles encodes a picture with alpha with cwebp in many ways, when
// cwebp is installed (apt-get install webp).
func cwebpFiles(t *testing.T) []corpusFile {
	cwebp, err := exec.LookPath("cwebp")
	if err != nil {
		t.Log("no cwebp on PATH: only x/image's WebP files (apt-get install webp for more)")
		return nil
	}
	dir := t.TempDir()
	src := image.NewNRGBA(image.Rect(0, 0, 67, 45))
	for y := range 45 {
		for x := range 67 {
			src.SetNRGBA(x, y, color.NRGBA{uint8(x * 3), uint8(y * 5), uint8(x * y), uint8(255 - x*2 - y)})
		}
	}
	in := filepath.Join(dir, "in.png")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var files []corpusFile
	for _, args := range [][]string{
		{"-lossless"}, {"-lossless", "-exact", "-z", "9"}, {"-near_lossless", "40"},
		{"-q", "80"}, {"-q", "10", "-noalpha"}, {"-q", "90", "-sharp_yuv"},
		{"-alpha_method", "0"}, {"-alpha_method", "1"},
		{"-alpha_filter", "none"}, {"-alpha_filter", "fast"}, {"-alpha_filter", "best"},
		{"-alpha_q", "50"}, {"-alpha_q", "0", "-alpha_method", "0"},
		{"-metadata", "all", "-q", "70"}, {"-f", "100", "-sns", "100", "-segments", "1"},
	} {
		out := filepath.Join(dir, "out.webp")
		cmd := exec.Command(cwebp, append(append([]string{"-quiet"}, args...), in, "-o", out)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cwebp %v: %v\n%s", args, err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, corpusFile{"cwebp " + strings.Join(args, " "), "webp", b})
	}
	return files
}

// webpCorpus is x/image's WebP files and hand-made ones.
func webpCorpus(tb testing.TB) []corpusFile {
	lossless1x1 := []byte{0x2f, 0, 0, 0, 0, 0x88, 0x88, 0x08}
	vp8x1x1 := []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	return append(xImageFiles(tb, "webp"),
		corpusFile{"made/lossless-1x1", "webp", riffWebP("VP8L", lossless1x1)},
		corpusFile{"made/extended-lossless-1x1-with-metadata", "webp", riffWebP("VP8X", vp8x1x1, "ICCP", []byte{1, 2, 3}, "VP8L", lossless1x1, "EXIF", []byte{0})})
}

func TestWebPAgainstXImage(t *testing.T) {
	compareCorpus(t, append(webpCorpus(t), cwebpFiles(t)...))
}

// TestWebPAlphaFilters checks the ALPH filters and raw alpha on a 1x1
// lossy frame made by x/image's testdata: the frame's own pixels do not
// matter, only the alpha plane.
func TestWebPAlphaFilters(t *testing.T) {
	tests := []struct {
		name   string
		filter byte
		stored []byte // 3x2 values as stored
		want   []byte
	}{
		{"none", 0, []byte{1, 2, 3, 4, 5, 6}, []byte{1, 2, 3, 4, 5, 6}},
		{"horizontal", 1, []byte{10, 1, 1, 5, 1, 1}, []byte{10, 11, 12, 15, 16, 17}},
		{"vertical", 2, []byte{10, 1, 1, 5, 1, 2}, []byte{10, 11, 12, 15, 12, 14}},
		{"gradient", 3, []byte{10, 1, 1, 5, 1, 0}, []byte{10, 11, 12, 15, 17, 18}},
		{"gradient clipped", 3, []byte{250, 10, 0, 0, 0, 0}, []byte{250, 4, 4, 250, 4, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := decodeAlpha(append([]byte{tt.filter << 2}, tt.stored...), 3, 2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, tt.want) {
				t.Errorf("alpha %v, want %v", a, tt.want)
			}
		})
	}
}

// TestWebPRefuses checks the errors for what the reader does not take.
func TestWebPRefuses(t *testing.T) {
	vp8x := func(flags byte, w, h int) []byte {
		return []byte{flags, 0, 0, 0, byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16), byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	}
	lossless1x1 := []byte{0x2f, 0, 0, 0, 0, 0x88, 0x88, 0x08}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "unexpected EOF"},
		{"not RIFF", []byte("RIFX\x04\x00\x00\x00WEBP"), "no RIFF WEBP signature"},
		{"no chunk", riffWebP(), "no image data"},
		{"animated", riffWebP("VP8X", vp8x(vp8xAnimation, 1, 1), "ANIM", make([]byte, 6)), "animation"},
		{"ANMF without the flag", riffWebP("VP8X", vp8x(0, 1, 1), "ANMF", make([]byte, 16)), "animation"},
		{"canvas past 2^32-1", riffWebP("VP8X", vp8x(0, 1<<24, 1<<24)), "past 2^32-1"},
		{"VP8L size against the canvas", riffWebP("VP8X", vp8x(0, 2, 1), "VP8L", lossless1x1), "VP8L image of 1x1 in a canvas of 2x1"},
		{"VP8L version", riffWebP("VP8L", []byte{0x2f, 0, 0, 0, 0x20}), "VP8L version 1"},
		{"unknown first chunk", riffWebP("ABCD", []byte{1}), `first chunk is "ABCD"`},
		{"chunk past the RIFF", append(riffWebP("VP8L", lossless1x1)[:16], 0xff, 0xff, 0, 0), "past the RIFF's end"},
		{"ALPH in a simple file", riffWebP("ALPH", []byte{0}, "VP8L", lossless1x1), "ALPH chunk without VP8X"},
		{"VP8 cut short", riffWebP("VP8 ", []byte{0x10, 2}), "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeWebP(bytes.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DecodeWebP: %v, want an error with %q", err, tt.want)
			}
		})
	}
	// The hand-made 1x1 lossless file itself reads, also after metadata.
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"1x1 lossless", riffWebP("VP8L", lossless1x1)},
		{"1x1 lossless after metadata", riffWebP("VP8X", vp8x(0, 1, 1), "ICCP", []byte{1, 2, 3}, "VP8L", lossless1x1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := DecodeWebP(bytes.NewReader(tt.data)); err != nil || m.Bounds() != image.Rect(0, 0, 1, 1) {
				t.Errorf("1x1 lossless: %v %v", m, err)
			}
		})
	}
}
