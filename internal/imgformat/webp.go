package imgformat

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"io"

	"golang.org/x/image/vp8"
	"golang.org/x/image/vp8l"
)

// VP8X flags (RFC 9649, section 2.7).
const (
	vp8xAnimation = 1 << 1
	vp8xAlpha     = 1 << 4
)

// maxVP8Chunk bounds a lossy frame's data: VP8's partitions are at most
// 2^24 bytes each (x/image's vp8 refuses more), and there are at most 8
// besides the first, of at most 2^19 bytes.
const maxVP8Chunk = 9 << 24

// webpChunk is a RIFF chunk's header.
type webpChunk struct {
	fourCC string
	size   uint32
}

// webpReader walks the chunks of a RIFF WEBP file.
type webpReader struct {
	r    io.Reader
	left int64 // bytes left in the RIFF form, after its "WEBP"
	pad  bool  // the previous chunk's odd size left a padding byte
}

func newWebPReader(r io.Reader) (*webpReader, error) {
	var b [12]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, noEOF(err)
	}
	if string(b[:4]) != "RIFF" || string(b[8:]) != "WEBP" {
		return nil, formatError("webp", "no RIFF WEBP signature")
	}
	size := int64(binary.LittleEndian.Uint32(b[4:]))
	if size < 4 {
		return nil, formatError("webp", "RIFF size %d", size)
	}
	return &webpReader{r: r, left: size - 4}, nil
}

// next reads the next chunk's header; its payload is then read from
// limited(size).
func (w *webpReader) next() (webpChunk, error) {
	if w.pad {
		w.pad = false
		if w.left > 0 {
			if _, err := io.ReadFull(w.r, make([]byte, 1)); err != nil {
				return webpChunk{}, noEOF(err)
			}
			w.left--
		}
	}
	if w.left < 8 {
		return webpChunk{}, formatError("webp", "no image data in the file")
	}
	var b [8]byte
	if _, err := io.ReadFull(w.r, b[:]); err != nil {
		return webpChunk{}, noEOF(err)
	}
	w.left -= 8
	c := webpChunk{fourCC: string(b[:4]), size: binary.LittleEndian.Uint32(b[4:])}
	if int64(c.size) > w.left {
		return webpChunk{}, formatError("webp", "%q chunk of %d bytes past the RIFF's end", c.fourCC, c.size)
	}
	w.left -= int64(c.size)
	w.pad = c.size%2 == 1
	return c, nil
}

// skip discards a chunk's payload.
func (w *webpReader) skip(c webpChunk) error {
	_, err := io.CopyN(io.Discard, w.r, int64(c.size))
	return noEOF(err)
}

// webpImage is what the chunks before the image data said.
type webpImage struct {
	extended      bool // a VP8X chunk came first
	width, height int  // the canvas, with extended
	alphaFlag     bool
	canvasRead    bool // the VP8X chunk was read, and is not animated
}

// DecodeWebPConfig reads a WebP file's size and color model: YCbCr for a
// lossy picture, NYCbCrA for a lossy one with alpha, NRGBA for a
// lossless one. In an extended file the VP8X chunk gives the size (the
// canvas); the chunks after it are read up to the image data for the
// color model, and when they cannot be, the canvas is reported all the
// same (with the VP8X alpha flag's model), as x/image does, so that a
// caller can refuse a huge canvas whatever follows it. DecodeWebP then
// reports what is wrong with the rest.
func DecodeWebPConfig(r io.Reader) (image.Config, error) {
	var info webpImage
	_, c, err := decodeWebP(r, &info)
	if err != nil && info.canvasRead {
		c = image.Config{ColorModel: color.YCbCrModel, Width: info.width, Height: info.height}
		if info.alphaFlag {
			c.ColorModel = color.NYCbCrAModel
		}
		return c, nil
	}
	return c, err
}

// DecodeWebP reads a still WebP image: simple lossy (an *image.YCbCr),
// lossless (an *image.NRGBA), or extended with an ALPH chunk
// (uncompressed or lossless, any filter) over a lossy frame (an
// *image.NYCbCrA). Metadata chunks (ICCP, EXIF, XMP, unknown ones) are
// skipped. Animated files are refused.
func DecodeWebP(r io.Reader) (image.Image, error) {
	m, _, err := decodeWebP(r, nil)
	return m, err
}

// decodeWebP decodes a WebP file, or with a non-nil config reads only
// its size and color model, leaving in *config what the chunks said.
func decodeWebP(r io.Reader, config *webpImage) (image.Image, image.Config, error) {
	wr, err := newWebPReader(r)
	if err != nil {
		return nil, image.Config{}, err
	}
	configOnly := config != nil
	if config == nil {
		config = new(webpImage)
	}
	var (
		info  = config
		alpha []byte // the ALPH chunk, still to decode
	)
	for first := true; ; first = false {
		c, err := wr.next()
		if err != nil {
			return nil, image.Config{}, err
		}
		body := io.LimitReader(wr.r, int64(c.size))
		switch c.fourCC {
		case "VP8X":
			if !first {
				return nil, image.Config{}, formatError("webp", "VP8X chunk after another chunk")
			}
			if c.size < 10 {
				return nil, image.Config{}, formatError("webp", "VP8X chunk of %d bytes", c.size)
			}
			var b [10]byte
			if _, err := io.ReadFull(body, b[:]); err != nil {
				return nil, image.Config{}, noEOF(err)
			}
			if _, err := io.Copy(io.Discard, body); err != nil {
				return nil, image.Config{}, err
			}
			info.extended = true
			info.alphaFlag = b[0]&vp8xAlpha != 0
			info.width = 1 + int(b[4]) | int(b[5])<<8 | int(b[6])<<16
			info.height = 1 + int(b[7]) | int(b[8])<<8 | int(b[9])<<16
			if int64(info.width)*int64(info.height) > 1<<32-1 {
				return nil, image.Config{}, formatError("webp", "canvas of %dx%d pixels is past 2^32-1 pixels", info.width, info.height)
			}
			if b[0]&vp8xAnimation != 0 {
				return nil, image.Config{}, formatError("webp: unsupported", "animation")
			}
			info.canvasRead = true
		case "ALPH":
			if !info.extended {
				return nil, image.Config{}, formatError("webp", "ALPH chunk without VP8X")
			}
			if alpha != nil {
				return nil, image.Config{}, formatError("webp", "two ALPH chunks")
			}
			if configOnly {
				if err := wr.skip(c); err != nil {
					return nil, image.Config{}, err
				}
				alpha = []byte{}
				continue
			}
			if alpha, err = readAll(body, int64(c.size)); err != nil {
				return nil, image.Config{}, err
			}
			if len(alpha) == 0 {
				return nil, image.Config{}, formatError("webp", "empty ALPH chunk")
			}
		case "VP8 ":
			return decodeWebPLossy(body, int64(c.size), *info, alpha, configOnly)
		case "VP8L":
			return decodeWebPLossless(body, *info, configOnly)
		case "ANIM", "ANMF":
			info.canvasRead = false
			return nil, image.Config{}, formatError("webp: unsupported", "animation")
		default:
			if first {
				return nil, image.Config{}, formatError("webp", "first chunk is %q, not VP8, VP8L or VP8X", c.fourCC)
			}
			// ICCP, EXIF, XMP and unknown chunks.
			if err := wr.skip(c); err != nil {
				return nil, image.Config{}, err
			}
		}
	}
}

// readAll reads the n bytes a chunk header announced, allocating no more
// than the input really holds.
func readAll(r io.Reader, n int64) ([]byte, error) {
	var b bytes.Buffer
	if n < 1<<16 {
		b.Grow(int(n))
	}
	m, err := b.ReadFrom(io.LimitReader(r, n))
	if err != nil {
		return nil, err
	}
	if m < n {
		return nil, io.ErrUnexpectedEOF
	}
	return b.Bytes(), nil
}

func decodeWebPLossy(body io.Reader, size int64, info webpImage, alph []byte, configOnly bool) (image.Image, image.Config, error) {
	if size > maxVP8Chunk {
		return nil, image.Config{}, formatError("webp", "VP8 chunk of %d bytes", size)
	}
	var data []byte
	var err error
	if configOnly {
		// The frame header is 10 bytes.
		data, err = readAll(body, min(size, 10))
	} else {
		data, err = readAll(body, size)
	}
	if err != nil {
		return nil, image.Config{}, err
	}
	d := vp8.NewDecoder()
	d.Init(bytes.NewReader(data), len(data))
	fh, err := d.DecodeFrameHeader()
	if err != nil {
		return nil, image.Config{}, err
	}
	if !fh.KeyFrame {
		return nil, image.Config{}, formatError("webp", "VP8 frame is not a key frame")
	}
	if info.extended && (fh.Width != info.width || fh.Height != info.height) {
		return nil, image.Config{}, formatError("webp", "VP8 frame of %dx%d in a canvas of %dx%d", fh.Width, fh.Height, info.width, info.height)
	}
	withAlpha := alph != nil
	if configOnly {
		c := image.Config{ColorModel: color.YCbCrModel, Width: fh.Width, Height: fh.Height}
		if withAlpha {
			c.ColorModel = color.NYCbCrAModel
		}
		return nil, c, nil
	}
	if fh.Width == 0 || fh.Height == 0 {
		return nil, image.Config{}, formatError("webp", "VP8 frame of %dx%d", fh.Width, fh.Height)
	}
	m, err := d.DecodeFrame()
	if err != nil {
		return nil, image.Config{}, err
	}
	if !withAlpha {
		return m, image.Config{}, nil
	}
	a, err := decodeAlpha(alph, fh.Width, fh.Height)
	if err != nil {
		return nil, image.Config{}, err
	}
	return &image.NYCbCrA{YCbCr: *m, A: a, AStride: fh.Width}, image.Config{}, nil
}

func decodeWebPLossless(body io.Reader, info webpImage, configOnly bool) (image.Image, image.Config, error) {
	var h [5]byte
	if _, err := io.ReadFull(body, h[:]); err != nil {
		return nil, image.Config{}, noEOF(err)
	}
	w, ht, err := vp8lSize(h)
	if err != nil {
		return nil, image.Config{}, err
	}
	if info.extended && (w != info.width || ht != info.height) {
		return nil, image.Config{}, formatError("webp", "VP8L image of %dx%d in a canvas of %dx%d", w, ht, info.width, info.height)
	}
	if configOnly {
		return nil, image.Config{ColorModel: color.NRGBAModel, Width: w, Height: ht}, nil
	}
	// An ALPH chunk before a VP8L one SHOULD NOT be there (RFC 9649,
	// section 2.7.1.2): VP8L carries its own alpha, so it is ignored.
	m, err := vp8l.Decode(io.MultiReader(bytes.NewReader(h[:]), body))
	if err != nil {
		return nil, image.Config{}, err
	}
	return m, image.Config{}, nil
}

// vp8lSize reads a VP8L header (RFC 9649, section 3.2.2): the signature
// 0x2f, 14 bits of width-1, 14 of height-1, the alpha hint, and a 3-bit
// version that must be 0.
func vp8lSize(h [5]byte) (w, ht int, err error) {
	if h[0] != 0x2f {
		return 0, 0, formatError("webp", "VP8L signature %#x, want 0x2f", h[0])
	}
	v := binary.LittleEndian.Uint32(h[1:])
	if v>>29 != 0 {
		return 0, 0, formatError("webp", "VP8L version %d", v>>29)
	}
	return 1 + int(v&0x3fff), 1 + int(v>>14&0x3fff), nil
}

// decodeAlpha decodes an ALPH chunk's payload (RFC 9649, section
// 2.7.1.2) for a w x h frame: one header byte (2 reserved bits, 2 of
// pre-processing, 2 of filtering method, 2 of compression), then the
// alpha values, raw or as a VP8L image stream without header whose green
// channel holds them, then unfiltered.
func decodeAlpha(chunk []byte, w, h int) ([]byte, error) {
	header, data := chunk[0], chunk[1:]
	filter, compression := header>>2&3, header&3
	var a []byte
	switch compression {
	case 0:
		if len(data) < w*h {
			return nil, formatError("webp", "ALPH chunk of %d bytes for %dx%d pixels", len(data), w, h)
		}
		a = data[:w*h]
	case 1:
		if w > 1<<14 || h > 1<<14 {
			return nil, formatError("webp", "lossless alpha of %dx%d pixels", w, h)
		}
		// The stream has no header of its own: make the one a VP8L
		// image of that size would have (no alpha hint, version 0).
		v := uint32(w-1) | uint32(h-1)<<14
		hdr := []byte{0x2f, byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}
		m, err := vp8l.Decode(io.MultiReader(bytes.NewReader(hdr), bytes.NewReader(data)))
		if err != nil {
			return nil, err
		}
		nrgba, ok := m.(*image.NRGBA)
		if !ok || nrgba.Rect.Dx() != w || nrgba.Rect.Dy() != h {
			return nil, formatError("webp", "lossless alpha decoded to %T", m)
		}
		a = make([]byte, w*h)
		for y := range h {
			row := nrgba.Pix[y*nrgba.Stride:]
			for x := range w {
				a[y*w+x] = row[4*x+1]
			}
		}
	default:
		return nil, formatError("webp", "ALPH compression %d", compression)
	}
	unfilterAlpha(a, w, h, filter)
	return a, nil
}

// unfilterAlpha undoes an ALPH filter in place: each value was stored as
// its difference from a predictor, 0 for the first pixel, the left one
// in the first row, the one above in the first column, and otherwise the
// left one (horizontal), the one above (vertical) or left+above-aboveleft
// clipped to 0..255 (gradient).
func unfilterAlpha(a []byte, w, h int, filter byte) {
	if filter == 0 {
		return
	}
	for x := 1; x < w; x++ {
		a[x] += a[x-1]
	}
	for y := 1; y < h; y++ {
		row, up := a[y*w:(y+1)*w], a[(y-1)*w:y*w]
		row[0] += up[0]
		for x := 1; x < w; x++ {
			switch filter {
			case 1:
				row[x] += row[x-1]
			case 2:
				row[x] += up[x]
			case 3:
				p := int(row[x-1]) + int(up[x]) - int(up[x-1])
				row[x] += byte(max(0, min(255, p)))
			}
		}
	}
}
