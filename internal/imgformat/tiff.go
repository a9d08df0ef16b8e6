package imgformat

import (
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"io"

	"golang.org/x/image/ccitt"
	"golang.org/x/image/tiff/lzw"
)

// TIFF tags (TIFF 6.0, section 8 and the appendices).
const (
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagPhotometric     = 262
	tagFillOrder       = 266
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagPlanarConfig    = 284
	tagT4Options       = 292
	tagT6Options       = 293
	tagPredictor       = 317
	tagColorMap        = 320
	tagTileWidth       = 322
	tagTileLength      = 323
	tagTileOffsets     = 324
	tagTileByteCounts  = 325
	tagExtraSamples    = 338
	tagSampleFormat    = 339
)

// Compression schemes.
const (
	compNone       = 1
	compG3         = 3
	compG4         = 4
	compLZW        = 5
	compDeflate    = 8
	compPackBits   = 32773
	compDeflateOld = 32946
)

// Photometric interpretations.
const (
	photoWhiteIsZero = 0
	photoBlackIsZero = 1
	photoRGB         = 2
	photoPalette     = 3
)

// tiffField is one IFD entry: its type, count and the 4 bytes that hold
// the value or its offset.
type tiffField struct {
	typ   uint16
	count uint32
	value [4]byte
}

// tiffHeader is the first image of a TIFF file, as its IFD describes it.
type tiffHeader struct {
	src    *tiffSource
	bo     binary.ByteOrder
	fields map[uint16]tiffField

	width, height int
	bps, spp      int
	photometric   uint32
	compression   uint32
	predictor     uint32
	alpha         uint32 // ExtraSamples of the first extra sample: 1 associated, 2 unassociated alpha, else none
	palette       color.Palette

	tiled          bool
	blockW, blockH int
}

// DecodeTIFFConfig reads the first image's size and color model from a
// TIFF file.
func DecodeTIFFConfig(r io.Reader) (image.Config, error) {
	h, err := readTIFFHeader(r)
	if err != nil {
		return image.Config{}, err
	}
	return image.Config{ColorModel: h.model(), Width: h.width, Height: h.height}, nil
}

// typeSize is the byte size of the integer types: BYTE, SHORT, LONG.
func typeSize(t uint16) int64 {
	switch t {
	case 1:
		return 1
	case 3:
		return 2
	case 4:
		return 4
	}
	return 0
}

// uints returns up to n values of an integer field, reading them from
// the file when they do not fit in the entry; nil without the field.
func (h *tiffHeader) uints(tag uint16, n int) ([]uint32, error) {
	f, ok := h.fields[tag]
	if !ok {
		return nil, nil
	}
	size := typeSize(f.typ)
	if size == 0 {
		return nil, formatError("tiff", "tag %d of type %d, not BYTE, SHORT or LONG", tag, f.typ)
	}
	count := min(int64(f.count), int64(n))
	var raw []byte
	if int64(f.count)*size <= 4 {
		raw = f.value[:count*size]
	} else {
		var err error
		raw, err = h.src.at(int64(h.bo.Uint32(f.value[:])), count*size, "tag "+itoa(int(tag))+"'s values")
		if err != nil {
			return nil, err
		}
	}
	v := make([]uint32, count)
	for i := range v {
		switch size {
		case 1:
			v[i] = uint32(raw[i])
		case 2:
			v[i] = uint32(h.bo.Uint16(raw[2*i:]))
		default:
			v[i] = h.bo.Uint32(raw[4*i:])
		}
	}
	return v, nil
}

// uint returns a field's first value, or def without the field.
func (h *tiffHeader) uint(tag uint16, def uint32) (uint32, error) {
	v, err := h.uints(tag, 1)
	if err != nil {
		return 0, err
	}
	if _, ok := h.fields[tag]; !ok {
		return def, nil
	}
	if len(v) == 0 {
		return 0, formatError("tiff", "tag %d has no value", tag)
	}
	return v[0], nil
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

func readTIFFHeader(r io.Reader) (*tiffHeader, error) {
	h := &tiffHeader{src: &tiffSource{r: r}, fields: map[uint16]tiffField{}}
	b, err := h.src.at(0, 8, "header")
	if err != nil {
		return nil, err
	}
	switch string(b[:4]) {
	case "II*\x00":
		h.bo = binary.LittleEndian
	case "MM\x00*":
		h.bo = binary.BigEndian
	default:
		return nil, formatError("tiff", "no II*\\0 or MM\\0* signature")
	}
	ifd := int64(h.bo.Uint32(b[4:]))
	b, err = h.src.at(ifd, 2, "IFD")
	if err != nil {
		return nil, err
	}
	n := int64(h.bo.Uint16(b))
	if n == 0 {
		return nil, formatError("tiff", "empty IFD")
	}
	entries, err := h.src.at(ifd+2, 12*n, "IFD")
	if err != nil {
		return nil, err
	}
	for e := entries; len(e) >= 12; e = e[12:] {
		tag := h.bo.Uint16(e)
		if _, dup := h.fields[tag]; dup {
			continue
		}
		f := tiffField{typ: h.bo.Uint16(e[2:]), count: h.bo.Uint32(e[4:])}
		copy(f.value[:], e[8:12])
		h.fields[tag] = f
	}

	w, err := h.uint(tagImageWidth, 0)
	if err != nil {
		return nil, err
	}
	ht, err := h.uint(tagImageLength, 0)
	if err != nil {
		return nil, err
	}
	h.width, h.height = int(w), int(ht)
	if h.width == 0 || h.height == 0 {
		return nil, formatError("tiff", "%dx%d pixels", h.width, h.height)
	}
	if tooLarge(h.width, h.height) {
		return nil, formatError("tiff", "%dx%d pixels is too large", h.width, h.height)
	}

	if err := h.readSamples(); err != nil {
		return nil, err
	}
	if err := h.readLayout(); err != nil {
		return nil, err
	}
	return h, nil
}

// readSamples reads what a pixel is: the samples, their size and
// meaning, and how they are compressed.
func (h *tiffHeader) readSamples() error {
	bps, err := h.uints(tagBitsPerSample, 16)
	if err != nil {
		return err
	}
	if len(bps) == 0 {
		bps = []uint32{1}
	}
	spp, err := h.uint(tagSamplesPerPixel, uint32(len(bps)))
	if err != nil {
		return err
	}
	if spp == 0 || spp > 16 || (len(bps) != int(spp) && len(bps) != 1) {
		return formatError("tiff", "%d samples a pixel with %d BitsPerSample values", spp, len(bps))
	}
	for _, v := range bps {
		if v != bps[0] {
			return formatError("tiff: unsupported", "samples of different sizes %v", bps)
		}
	}
	h.bps, h.spp = int(bps[0]), int(spp)
	formats, err := h.uints(tagSampleFormat, 16)
	if err != nil {
		return err
	}
	for _, f := range formats {
		if f != 1 {
			return formatError("tiff: unsupported", "sample format %d (only unsigned integers are read)", f)
		}
	}

	defPhoto := uint32(photoWhiteIsZero)
	if h.spp >= 3 {
		defPhoto = photoRGB
	}
	if h.photometric, err = h.uint(tagPhotometric, defPhoto); err != nil {
		return err
	}
	base := 1
	switch h.photometric {
	case photoWhiteIsZero, photoBlackIsZero:
		if h.bps != 1 && h.bps != 2 && h.bps != 4 && h.bps != 8 && h.bps != 16 {
			return formatError("tiff: unsupported", "%d-bit gray", h.bps)
		}
	case photoPalette:
		if h.bps != 1 && h.bps != 2 && h.bps != 4 && h.bps != 8 {
			return formatError("tiff: unsupported", "%d-bit palette indexes", h.bps)
		}
		cm, err := h.uints(tagColorMap, 3*256+1)
		if err != nil {
			return err
		}
		n := len(cm) / 3
		if len(cm)%3 != 0 || n == 0 || n > 256 {
			return formatError("tiff", "ColorMap of %d values", len(cm))
		}
		h.palette = make(color.Palette, n)
		for i := range h.palette {
			h.palette[i] = color.RGBA64{uint16(cm[i]), uint16(cm[n+i]), uint16(cm[2*n+i]), 0xffff}
		}
	case photoRGB:
		if h.bps != 8 && h.bps != 16 {
			return formatError("tiff: unsupported", "%d-bit RGB", h.bps)
		}
		base = 3
	default:
		return formatError("tiff: unsupported", "photometric interpretation %d", h.photometric)
	}
	if h.spp < base {
		return formatError("tiff", "%d samples a pixel for photometric interpretation %d", h.spp, h.photometric)
	}
	if h.spp > base {
		extra, err := h.uint(tagExtraSamples, 0)
		if err != nil {
			return err
		}
		if extra == 1 || extra == 2 {
			if h.photometric == photoPalette {
				return formatError("tiff: unsupported", "palette with alpha")
			}
			if h.bps != 8 && h.bps != 16 {
				return formatError("tiff: unsupported", "alpha with %d-bit samples", h.bps)
			}
			h.alpha = extra
		}
	}
	planar, err := h.uint(tagPlanarConfig, 1)
	if err != nil {
		return err
	}
	if planar != 1 && h.spp > 1 {
		return formatError("tiff: unsupported", "samples in separate planes")
	}

	if h.compression, err = h.uint(tagCompression, compNone); err != nil {
		return err
	}
	switch h.compression {
	case compNone, compLZW, compDeflate, compDeflateOld, compPackBits:
	case compG3, compG4:
		if h.bps != 1 || h.spp != 1 || h.photometric > photoBlackIsZero {
			return formatError("tiff", "CCITT compression of %d samples of %d bits, photometric %d", h.spp, h.bps, h.photometric)
		}
		opts, err := h.uint(map[uint32]uint16{compG3: tagT4Options, compG4: tagT6Options}[h.compression], 0)
		if err != nil {
			return err
		}
		if h.compression == compG3 && opts&1 != 0 {
			return formatError("tiff: unsupported", "two-dimensional CCITT Group 3 coding")
		}
		if opts&2 != 0 {
			return formatError("tiff: unsupported", "CCITT uncompressed mode")
		}
	case 0:
		// Not a defined value, but some writers leave it so for none.
		h.compression = compNone
	default:
		return formatError("tiff: unsupported", "compression %d", h.compression)
	}
	if h.predictor, err = h.uint(tagPredictor, 1); err != nil {
		return err
	}
	switch h.predictor {
	case 1:
	case 2:
		if h.bps != 8 && h.bps != 16 {
			return formatError("tiff: unsupported", "horizontal predictor with %d-bit samples", h.bps)
		}
	default:
		return formatError("tiff: unsupported", "predictor %d", h.predictor)
	}
	return nil
}

// readLayout reads how the pixels are cut: strips or tiles.
func (h *tiffHeader) readLayout() error {
	if _, ok := h.fields[tagTileWidth]; ok {
		h.tiled = true
		tw, err := h.uint(tagTileWidth, 0)
		if err != nil {
			return err
		}
		tl, err := h.uint(tagTileLength, 0)
		if err != nil {
			return err
		}
		// Tiles are multiples of 16 pixels; smaller ones, or ones larger
		// than a picture that could be one tile, only make work.
		if tw < 8 || tl < 8 || (int64(tw) > int64(h.width)+15 && tw > 1024) || (int64(tl) > int64(h.height)+15 && tl > 1024) {
			return formatError("tiff", "tiles of %dx%d for %dx%d pixels", tw, tl, h.width, h.height)
		}
		h.blockW, h.blockH = int(tw), int(tl)
		return nil
	}
	rows, err := h.uint(tagRowsPerStrip, 0)
	if err != nil {
		return err
	}
	h.blockW, h.blockH = h.width, h.height
	if rows > 0 && int64(rows) < int64(h.height) {
		h.blockH = int(rows)
	}
	return nil
}

// model is the color model of the image Decode returns.
func (h *tiffHeader) model() color.Model {
	wide := h.bps == 16
	switch {
	case h.palette != nil:
		return h.palette
	case h.alpha == 2 && wide:
		return color.NRGBA64Model
	case h.alpha == 2:
		return color.NRGBAModel
	case (h.alpha == 1 || h.photometric == photoRGB) && wide:
		return color.RGBA64Model
	case h.alpha == 1 || h.photometric == photoRGB:
		return color.RGBAModel
	case wide:
		return color.Gray16Model
	default:
		return color.GrayModel
	}
}

// DecodeTIFF reads the first image of a TIFF file: baseline TIFF in
// strips or tiles, little or big endian; uncompressed, LZW, Deflate
// (codes 8 and 32946), PackBits, CCITT Group 3 (one-dimensional) and
// Group 4 compression; the horizontal predictor; bilevel and gray of 1,
// 2, 4, 8 or 16 bits (WhiteIsZero or BlackIsZero, an *image.Gray or
// *image.Gray16), palette of 1 to 8 bits (an *image.Paletted), RGB of 8
// or 16 bits (an *image.RGBA or *image.RGBA64); an associated alpha
// sample makes an *image.RGBA(64), an unassociated one an
// *image.NRGBA(64); other extra samples are ignored. Floating-point
// samples, separate planes, JPEG compression, CMYK, YCbCr and CIELab are
// refused.
func DecodeTIFF(r io.Reader) (image.Image, error) {
	h, err := readTIFFHeader(r)
	if err != nil {
		return nil, err
	}
	across := (h.width + h.blockW - 1) / h.blockW
	down := (h.height + h.blockH - 1) / h.blockH
	blocks := across * down
	offTag, countTag := uint16(tagStripOffsets), uint16(tagStripByteCounts)
	if h.tiled {
		offTag, countTag = tagTileOffsets, tagTileByteCounts
	}
	offsets, err := h.uints(offTag, blocks)
	if err != nil {
		return nil, err
	}
	if len(offsets) < blocks {
		return nil, formatError("tiff", "%d offsets for %d strips or tiles", len(offsets), blocks)
	}
	counts, err := h.uints(countTag, blocks)
	if err != nil {
		return nil, err
	}
	if counts != nil && len(counts) < blocks {
		return nil, formatError("tiff", "%d byte counts for %d strips or tiles", len(counts), blocks)
	}

	rect := image.Rect(0, 0, h.width, h.height)
	var img image.Image
	switch m := h.model(); {
	case h.palette != nil:
		img = image.NewPaletted(rect, h.palette)
	case m == color.NRGBA64Model:
		img = image.NewNRGBA64(rect)
	case m == color.NRGBAModel:
		img = image.NewNRGBA(rect)
	case m == color.RGBA64Model:
		img = image.NewRGBA64(rect)
	case m == color.RGBAModel:
		img = image.NewRGBA(rect)
	case m == color.Gray16Model:
		img = image.NewGray16(rect)
	case m == color.GrayModel:
		img = image.NewGray(rect)
	default:
		img = image.NewGray(rect)
	}

	rowLen := (h.blockW*h.spp*h.bps + 7) / 8
	row := make([]byte, rowLen)
	var z io.ReadCloser // a zlib reader, reset for each block
	for j := range down {
		for i := range across {
			k := j*across + i
			x0, y0 := i*h.blockW, j*h.blockH
			rows := min(h.blockH, h.height-y0)
			cols := min(h.blockW, h.width-x0)
			end := int64(1 << 62)
			if counts != nil {
				end = int64(offsets[k]) + int64(counts[k])
			}
			sec := &section{s: h.src, off: int64(offsets[k]), end: end}
			var (
				data   io.Reader
				closer io.Closer
			)
			switch h.compression {
			case compNone:
				data = sec
			case compLZW:
				lz := lzw.NewReader(sec, lzw.MSB, 8)
				closer = lz
				data = lz
			case compDeflate, compDeflateOld:
				if z == nil {
					z, err = zlib.NewReader(sec)
				} else {
					err = z.(zlib.Resetter).Reset(sec, nil)
				}
				if err != nil {
					return nil, formatError("tiff", "strip or tile %d: %v", k, err)
				}
				data = z
			case compPackBits:
				data = &packBits{r: sec}
			case compG3, compG4:
				order := ccitt.MSB
				if fo, _ := h.uint(tagFillOrder, 1); fo == 2 {
					order = ccitt.LSB
				}
				sf := ccitt.Group3
				if h.compression == compG4 {
					sf = ccitt.Group4
				}
				blockRows := rows
				if h.tiled {
					blockRows = h.blockH
				}
				data = ccitt.NewReader(sec, order, sf, h.blockW, blockRows,
					&ccitt.Options{Invert: h.photometric == photoWhiteIsZero})
			}
			for y := y0; y < y0+rows; y++ {
				if _, err := io.ReadFull(data, row); err != nil {
					return nil, formatError("tiff", "strip or tile %d ends at row %d of %d: %v", k, y-y0, rows, noEOF(err))
				}
				if h.predictor == 2 {
					h.unpredict(row)
				}
				if err := h.put(img, row, x0, y, cols); err != nil {
					return nil, err
				}
			}
			if closer != nil {
				closer.Close()
			}
		}
	}
	if z != nil {
		z.Close()
	}
	return img, nil
}

// unpredict undoes the horizontal predictor (TIFF 6.0, section 14) on
// one row: each sample was stored as its difference from the same sample
// of the pixel to its left.
func (h *tiffHeader) unpredict(row []byte) {
	if h.bps == 8 {
		for i := h.spp; i < len(row); i++ {
			row[i] += row[i-h.spp]
		}
		return
	}
	n := 2 * h.spp
	for i := n; i+1 < len(row); i += 2 {
		h.bo.PutUint16(row[i:], h.bo.Uint16(row[i:])+h.bo.Uint16(row[i-n:]))
	}
}

// put converts cols pixels of a decoded row into img at (x0, y).
func (h *tiffHeader) put(img image.Image, row []byte, x0, y, cols int) error {
	spp, bps := h.spp, h.bps
	sample := func(x, s int) uint32 {
		i := x*spp + s
		switch bps {
		case 8:
			return uint32(row[i])
		case 16:
			return uint32(h.bo.Uint16(row[2*i:]))
		}
		bit := i * bps
		return uint32(row[bit/8]>>(8-bps-bit%8)) & (1<<bps - 1)
	}
	invert := h.photometric == photoWhiteIsZero
	switch m := img.(type) {
	case *image.Paletted:
		p := m.Pix[m.PixOffset(x0, y):]
		for x := range cols {
			v := sample(x, 0)
			if int(v) >= len(h.palette) {
				return formatError("tiff", "color index %d past the ColorMap's %d colors", v, len(h.palette))
			}
			p[x] = uint8(v)
		}
	case *image.Gray:
		p := m.Pix[m.PixOffset(x0, y):]
		maxv := uint32(1<<bps - 1)
		for x := range cols {
			v := uint8(sample(x, 0) * 255 / maxv)
			if invert {
				v = 255 - v
			}
			p[x] = v
		}
	case *image.Gray16:
		p := m.Pix[m.PixOffset(x0, y):]
		for x := range cols {
			v := uint16(sample(x, 0))
			if invert {
				v = 0xffff - v
			}
			p[2*x], p[2*x+1] = uint8(v>>8), uint8(v)
		}
	case *image.RGBA:
		h.put8(m.Pix[m.PixOffset(x0, y):], sample, cols, invert)
	case *image.NRGBA:
		h.put8(m.Pix[m.PixOffset(x0, y):], sample, cols, invert)
	case *image.RGBA64:
		h.put16(m.Pix[m.PixOffset(x0, y):], sample, cols, invert)
	case *image.NRGBA64:
		h.put16(m.Pix[m.PixOffset(x0, y):], sample, cols, invert)
	}
	return nil
}

// rgba returns a pixel's red, green, blue and alpha samples, gray
// repeated for a gray pixel, alpha max without alpha.
func (h *tiffHeader) rgba(sample func(x, s int) uint32, x int, invert bool, maxv uint32) (r, g, b, a uint32) {
	if h.photometric == photoRGB {
		r, g, b = sample(x, 0), sample(x, 1), sample(x, 2)
		a = maxv
		if h.alpha != 0 {
			a = sample(x, 3)
		}
		return
	}
	v := sample(x, 0)
	if invert {
		v = maxv - v
	}
	a = maxv
	if h.alpha != 0 {
		a = sample(x, 1)
	}
	return v, v, v, a
}

func (h *tiffHeader) put8(p []byte, sample func(x, s int) uint32, cols int, invert bool) {
	for x := range cols {
		r, g, b, a := h.rgba(sample, x, invert, 0xff)
		p[4*x], p[4*x+1], p[4*x+2], p[4*x+3] = uint8(r), uint8(g), uint8(b), uint8(a)
	}
}

func (h *tiffHeader) put16(p []byte, sample func(x, s int) uint32, cols int, invert bool) {
	for x := range cols {
		r, g, b, a := h.rgba(sample, x, invert, 0xffff)
		q := p[8*x : 8*x+8]
		q[0], q[1], q[2], q[3] = uint8(r>>8), uint8(r), uint8(g>>8), uint8(g)
		q[4], q[5], q[6], q[7] = uint8(b>>8), uint8(b), uint8(a>>8), uint8(a)
	}
}
