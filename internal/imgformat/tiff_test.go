package imgformat

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
)

// tiffSpec is a TIFF for makeTIFF to write.
type tiffSpec struct {
	bigEndian    bool
	w, h         int
	bps, spp     int
	photometric  int
	extraSamples int // with spp above the photometric's samples
	compression  int // none, deflate (8 or 32946) or PackBits
	predictor    bool
	rowsPerStrip int // or tiles:
	tileW, tileH int
	colorMap     []uint16
}

// packBitsEncode compresses with PackBits: runs of 3 or more equal bytes
// as repeats, the rest as literals of up to 128 bytes.
func packBitsEncode(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && j-i < 128 && b[j] == b[i] {
			j++
		}
		if j-i >= 3 {
			out = append(out, byte(int8(1-(j-i))), b[i])
			i = j
			continue
		}
		j = i
		for j < len(b) && j-i < 128 && !(j+2 < len(b) && b[j] == b[j+1] && b[j] == b[j+2]) {
			j++
		}
		out = append(out, byte(j-i-1))
		out = append(out, b[i:j]...)
		i = j
	}
	return out
}

// makeTIFF writes s with samples (row-major, spp a pixel).
func makeTIFF(s tiffSpec, samples []uint16) []byte {
	var bo interface {
		binary.ByteOrder
		binary.AppendByteOrder
	} = binary.LittleEndian
	sig := "II*\x00"
	if s.bigEndian {
		bo, sig = binary.BigEndian, "MM\x00*"
	}
	bw, bh := s.w, s.rowsPerStrip
	if bh == 0 {
		bh = s.h
	}
	if s.tileW > 0 {
		bw, bh = s.tileW, s.tileH
	}
	across, down := (s.w+bw-1)/bw, (s.h+bh-1)/bh
	var data []byte
	var offsets, counts []uint32
	for j := range down {
		for i := range across {
			var block []byte
			rows := bh
			if s.tileW == 0 {
				rows = min(bh, s.h-j*bh)
			}
			for y := j * bh; y < j*bh+rows; y++ {
				vals := make([]uint16, bw*s.spp)
				for x := range bw {
					for k := range s.spp {
						if px, py := i*bw+x, y; px < s.w && py < s.h {
							vals[x*s.spp+k] = samples[(py*s.w+px)*s.spp+k]
						}
					}
				}
				if s.predictor {
					for k := len(vals) - 1; k >= s.spp; k-- {
						vals[k] -= vals[k-s.spp]
						if s.bps == 8 {
							vals[k] &= 0xff
						}
					}
				}
				row := make([]byte, (bw*s.spp*s.bps+7)/8)
				for k, v := range vals {
					switch s.bps {
					case 8:
						row[k] = byte(v)
					case 16:
						bo.PutUint16(row[2*k:], v)
					case 1, 2, 4:
						bit := k * s.bps
						row[bit/8] |= byte(v) << (8 - s.bps - bit%8)
					}
				}
				block = append(block, row...)
			}
			switch s.compression {
			case compDeflate, compDeflateOld:
				var z bytes.Buffer
				zw := zlib.NewWriter(&z)
				zw.Write(block)
				zw.Close()
				block = z.Bytes()
			case compPackBits:
				block = packBitsEncode(block)
			}
			offsets = append(offsets, uint32(8+len(data)))
			counts = append(counts, uint32(len(block)))
			data = append(data, block...)
		}
	}
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	type entry struct {
		tag, typ uint16
		vals     []uint32
	}
	const short, long = 3, 4
	comp := s.compression
	if comp == 0 {
		comp = compNone
	}
	bpsVals := slices.Repeat([]uint32{uint32(s.bps)}, s.spp)
	entries := []entry{
		{tagImageWidth, long, []uint32{uint32(s.w)}}, {tagImageLength, long, []uint32{uint32(s.h)}},
		{tagBitsPerSample, short, bpsVals}, {tagCompression, short, []uint32{uint32(comp)}},
		{tagPhotometric, short, []uint32{uint32(s.photometric)}}, {tagSamplesPerPixel, short, []uint32{uint32(s.spp)}},
	}
	if s.tileW > 0 {
		entries = append(entries, entry{tagTileWidth, long, []uint32{uint32(s.tileW)}}, entry{tagTileLength, long, []uint32{uint32(s.tileH)}},
			entry{tagTileOffsets, long, offsets}, entry{tagTileByteCounts, long, counts})
	} else {
		entries = append(entries, entry{tagStripOffsets, long, offsets}, entry{tagRowsPerStrip, long, []uint32{uint32(bh)}},
			entry{tagStripByteCounts, long, counts})
	}
	if s.predictor {
		entries = append(entries, entry{tagPredictor, short, []uint32{2}})
	}
	if s.colorMap != nil {
		cm := make([]uint32, len(s.colorMap))
		for i, v := range s.colorMap {
			cm[i] = uint32(v)
		}
		entries = append(entries, entry{tagColorMap, short, cm})
	}
	if s.extraSamples != 0 {
		entries = append(entries, entry{tagExtraSamples, short, []uint32{uint32(s.extraSamples)}})
	}
	slices.SortFunc(entries, func(a, b entry) int { return int(a.tag) - int(b.tag) })
	var out bytes.Buffer
	out.WriteString(sig)
	ifd := 8 + len(data)
	out.Write(bo.AppendUint32(nil, uint32(ifd)))
	out.Write(data)
	extra := ifd + 2 + 12*len(entries) + 4
	var ext []byte
	out.Write(bo.AppendUint16(nil, uint16(len(entries))))
	for _, e := range entries {
		size := 2
		if e.typ == long {
			size = 4
		}
		var raw []byte
		for _, v := range e.vals {
			if size == 2 {
				raw = bo.AppendUint16(raw, uint16(v))
			} else {
				raw = bo.AppendUint32(raw, v)
			}
		}
		out.Write(bo.AppendUint16(nil, e.tag))
		out.Write(bo.AppendUint16(nil, e.typ))
		out.Write(bo.AppendUint32(nil, uint32(len(e.vals))))
		if len(raw) <= 4 {
			out.Write(append(raw, make([]byte, 4-len(raw))...))
		} else {
			out.Write(bo.AppendUint32(nil, uint32(extra+len(ext))))
			ext = append(ext, raw...)
		}
	}
	out.Write(make([]byte, 4))
	out.Write(ext)
	return out.Bytes()
}

// madeTIFFs are makeTIFF's variants: both byte orders, the compressions
// tiff.Encode does not write, 16-bit predictors, tiles, strips, 1-bit
// gray and palettes, alpha of both kinds.
func madeTIFFs() []corpusFile {
	var files []corpusFile
	w, h := 37, 21
	samples := func(spp, bps int) []uint16 {
		s := make([]uint16, w*h*spp)
		for i := range s {
			s[i] = uint16(i*7919+i/spp*31) & uint16(1<<bps-1)
		}
		return s
	}
	cm := make([]uint16, 3*256)
	for i := range cm {
		cm[i] = uint16(i * 85)
	}
	kinds := []struct {
		name string
		spec tiffSpec
	}{
		{"gray1", tiffSpec{bps: 1, spp: 1, photometric: photoBlackIsZero}},
		{"white-is-zero8", tiffSpec{bps: 8, spp: 1, photometric: photoWhiteIsZero}},
		{"gray16", tiffSpec{bps: 16, spp: 1, photometric: photoBlackIsZero}},
		{"palette8", tiffSpec{bps: 8, spp: 1, photometric: photoPalette, colorMap: cm}},
		{"palette1", tiffSpec{bps: 1, spp: 1, photometric: photoPalette, colorMap: cm[:6]}},
		{"rgb8", tiffSpec{bps: 8, spp: 3, photometric: photoRGB}},
		{"rgb16", tiffSpec{bps: 16, spp: 3, photometric: photoRGB}},
		{"rgba8-associated", tiffSpec{bps: 8, spp: 4, photometric: photoRGB, extraSamples: 1}},
		{"rgba8-unassociated", tiffSpec{bps: 8, spp: 4, photometric: photoRGB, extraSamples: 2}},
		{"rgba16-associated", tiffSpec{bps: 16, spp: 4, photometric: photoRGB, extraSamples: 1}},
		{"rgba16-unassociated", tiffSpec{bps: 16, spp: 4, photometric: photoRGB, extraSamples: 2}},
	}
	for _, k := range kinds {
		for _, layout := range []struct {
			name            string
			rows, tileW, tl int
		}{{"one-strip", 0, 0, 0}, {"strips-of-4", 4, 0, 0}, {"tiles-16x16", 0, 16, 16}, {"tiles-32x16", 0, 32, 16}} {
			for _, comp := range []int{compNone, compDeflate, compDeflateOld, compPackBits} {
				for _, be := range []bool{false, true} {
					for _, pred := range []bool{false, true} {
						if pred && (k.spec.bps < 8 || k.spec.photometric == photoPalette) {
							continue
						}
						s := k.spec
						s.w, s.h, s.bigEndian, s.predictor, s.compression = w, h, be, pred, comp
						s.rowsPerStrip, s.tileW, s.tileH = layout.rows, layout.tileW, layout.tl
						name := fmt.Sprintf("made/%s-%s-comp%d-be%v-pred%v", k.name, layout.name, comp, be, pred)
						files = append(files, corpusFile{name, "tiff", makeTIFF(s, samples(s.spp, s.bps))})
					}
				}
			}
		}
	}
	return files
}

// tiffCorpus is x/image's TIFF files, tiff.Encode's output for each test
// image with each compression and predictor it writes, and madeTIFFs.
func tiffCorpus(t testing.TB) []corpusFile {
	files := xImageFiles(t, "tiff")
	for name, m := range testImages() {
		for _, opt := range []struct {
			name string
			opt  *tiff.Options
		}{
			{"none", nil},
			{"deflate", &tiff.Options{Compression: tiff.Deflate}},
			{"lzw", &tiff.Options{Compression: tiff.LZW}},
			{"lzw-predictor", &tiff.Options{Compression: tiff.LZW, Predictor: true}},
			{"ccitt3", &tiff.Options{Compression: tiff.CCITTGroup3}},
			{"ccitt4", &tiff.Options{Compression: tiff.CCITTGroup4}},
		} {
			var b bytes.Buffer
			if err := tiff.Encode(&b, m, opt.opt); err != nil {
				continue
			}
			files = append(files, corpusFile{"encoded/" + name + "-" + opt.name, "tiff", b.Bytes()})
		}
	}
	return append(files, madeTIFFs()...)
}

func TestTIFFAgainstXImage(t *testing.T) {
	compareCorpus(t, tiffCorpus(t))
}

// TestTIFFRefuses checks the errors for what the reader does not take.
func TestTIFFRefuses(t *testing.T) {
	rgb := tiffSpec{w: 2, h: 2, bps: 8, spp: 3, photometric: photoRGB}
	good := makeTIFF(rgb, make([]uint16, 12))
	with := func(f func(*tiffSpec)) []byte {
		s := rgb
		f(&s)
		return makeTIFF(s, make([]uint16, s.w*s.h*s.spp))
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "past the end of the file"},
		{"not TIFF", []byte("II+\x00\x08\x00\x00\x00"), "no II*"},
		{"IFD past the end", []byte("II*\x00\xff\xff\xff\x00"), "IFD at 16777215"},
		{"JPEG compression", with(func(s *tiffSpec) { s.compression = 7 }), "compression 7"},
		{"CMYK", with(func(s *tiffSpec) { s.photometric = 5; s.spp = 4 }), "photometric interpretation 5"},
		{"12-bit RGB", with(func(s *tiffSpec) { s.bps = 12 }), "12-bit RGB"},
		{"4-bit predictor", with(func(s *tiffSpec) { s.photometric = photoBlackIsZero; s.spp = 1; s.bps = 4; s.predictor = true }), "predictor with 4-bit"},
		{"palette without ColorMap", with(func(s *tiffSpec) { s.photometric = photoPalette; s.spp = 1 }), "ColorMap of 0 values"},
		{"tiny tiles", with(func(s *tiffSpec) { s.tileW, s.tileH = 2, 2 }), "tiles of 2x2"},
		{"huge tiles", with(func(s *tiffSpec) { s.tileW, s.tileH = 4096, 4096 }), "tiles of 4096x4096"},
		{"pixels cut short", patchTIFFTag(good, tagStripOffsets, uint32(len(good)-2)), "strip or tile 0 ends at row 0"},
		{"palette index past the ColorMap", with(func(s *tiffSpec) {
			s.photometric, s.spp, s.colorMap = photoPalette, 1, []uint16{0, 0, 0}
		}), ""},
	}
	// The last one: pixel value 0 is in a 1-color map; make it 1.
	bad := tiffSpec{w: 1, h: 1, bps: 8, spp: 1, photometric: photoPalette, colorMap: []uint16{0, 0, 0}}
	tests[len(tests)-1].data, tests[len(tests)-1].want = makeTIFF(bad, []uint16{1}), "color index 1 past the ColorMap's 1 colors"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeTIFF(bytes.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DecodeTIFF: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// patchTIFFTag sets the inline value of a tag in a little-endian TIFF
// written by makeTIFF.
func patchTIFFTag(b []byte, tag uint16, v uint32) []byte {
	b = bytes.Clone(b)
	le := binary.LittleEndian
	ifd := int(le.Uint32(b[4:]))
	for i, n := 0, int(le.Uint16(b[ifd:])); i < n; i++ {
		e := b[ifd+2+12*i:]
		if le.Uint16(e) == tag {
			le.PutUint32(e[8:], v)
		}
	}
	return b
}
