package imgformat

import (
	"encoding/binary"
	"image"
	"image/color"
	"io"
	"math/bits"
)

// BMP compression values of the BITMAPINFOHEADER's biCompression.
const (
	biRGB            = 0
	biRLE8           = 1
	biRLE4           = 2
	biBitfields      = 3
	biJPEG           = 4
	biPNG            = 5
	biAlphaBitfields = 6
)

// bmpHeader is what a BMP's headers say about its pixels.
type bmpHeader struct {
	width, height int
	topDown       bool
	bpp           int
	palette       color.Palette // for 1, 2, 4 and 8 bits a pixel
	masks         [4]uint32     // red, green, blue, alpha, for 16 and 32 bits
	standard32    bool          // 32 bits as B, G, R and alpha or padding bytes
	alpha         bool          // with standard32: the fourth byte is alpha
	read          int64         // bytes of the file read so far
	offset        int64         // where the pixels start
}

// DecodeBMPConfig reads a BMP file's headers: its size and color model.
func DecodeBMPConfig(r io.Reader) (image.Config, error) {
	h, err := readBMPHeader(r)
	if err != nil {
		return image.Config{}, err
	}
	return h.config(), nil
}

func (h *bmpHeader) config() image.Config {
	c := image.Config{Width: h.width, Height: h.height}
	switch {
	case h.palette != nil:
		c.ColorModel = h.palette
	case h.bpp == 24:
		c.ColorModel = color.RGBAModel
	default:
		c.ColorModel = color.NRGBAModel
	}
	return c
}

// readBMPHeader reads the file header, one of the info headers of 40
// (BITMAPINFOHEADER), 52, 56 (its V2 and V3 extensions with color
// masks), 108 (BITMAPV4HEADER) or 124 bytes (BITMAPV5HEADER), the color
// masks that may follow a 40-byte header and the palette.
func readBMPHeader(r io.Reader) (*bmpHeader, error) {
	var b [124 + 14]byte
	if _, err := io.ReadFull(r, b[:18]); err != nil {
		return nil, noEOF(err)
	}
	if string(b[:2]) != "BM" {
		return nil, formatError("bmp", "no BM signature")
	}
	le := binary.LittleEndian
	h := &bmpHeader{offset: int64(le.Uint32(b[10:]))}
	infoLen := le.Uint32(b[14:])
	switch infoLen {
	case 40, 52, 56, 108, 124:
	case 12, 64:
		return nil, formatError("bmp: unsupported", "OS/2 header of %d bytes", infoLen)
	default:
		return nil, formatError("bmp", "info header of %d bytes", infoLen)
	}
	end := 14 + int(infoLen)
	if _, err := io.ReadFull(r, b[18:end]); err != nil {
		return nil, noEOF(err)
	}
	h.read = int64(end)
	w, ht := int32(le.Uint32(b[18:])), int32(le.Uint32(b[22:]))
	planes, bpp, compression := le.Uint16(b[26:]), int(le.Uint16(b[28:])), le.Uint32(b[30:])
	colorsUsed := le.Uint32(b[46:])
	h.width, h.height, h.bpp = int(w), int(ht), bpp
	if h.height < 0 {
		h.height, h.topDown = -h.height, true
	}
	switch {
	case h.width < 0:
		return nil, formatError("bmp", "negative width %d", h.width)
	case (h.width == 0) != (h.height == 0):
		return nil, formatError("bmp", "%dx%d pixels", h.width, h.height)
	case tooLarge(h.width, h.height):
		return nil, formatError("bmp", "%dx%d pixels is too large", h.width, h.height)
	case planes != 1:
		return nil, formatError("bmp", "%d planes (only 1 is defined)", planes)
	}

	switch compression {
	case biRGB:
	case biBitfields, biAlphaBitfields:
		if bpp != 16 && bpp != 32 {
			return nil, formatError("bmp", "bit field compression with %d bits a pixel", bpp)
		}
		n := 3
		if compression == biAlphaBitfields {
			n = 4
		}
		if infoLen == 40 {
			// The masks follow the 40-byte header.
			if _, err := io.ReadFull(r, b[54:54+4*n]); err != nil {
				return nil, noEOF(err)
			}
			h.read += int64(4 * n)
		} else if infoLen == 52 {
			n = 3
		} else {
			n = 4
		}
		for i := range n {
			h.masks[i] = le.Uint32(b[54+4*i:])
		}
		for i, m := range h.masks {
			if m != 0 && bits.OnesCount32(m>>bits.TrailingZeros32(m)) != 32-bits.LeadingZeros32(m)-bits.TrailingZeros32(m) {
				return nil, formatError("bmp", "color mask %d (%#x) is not one run of bits", i, m)
			}
		}
	case biRLE8, biRLE4:
		return nil, formatError("bmp: unsupported", "run-length compression")
	case biJPEG, biPNG:
		return nil, formatError("bmp: unsupported", "embedded JPEG or PNG")
	default:
		return nil, formatError("bmp", "unknown compression %d", compression)
	}

	switch bpp {
	case 1, 2, 4, 8:
		if compression != biRGB {
			return nil, formatError("bmp", "compression %d with %d bits a pixel", compression, bpp)
		}
		n := colorsUsed
		if n == 0 {
			n = 1 << bpp
		}
		if n > 1<<bpp {
			return nil, formatError("bmp", "%d colors for %d bits a pixel", n, bpp)
		}
		var palBuf [4 * 256]byte
		pal := palBuf[:4*n]
		if _, err := io.ReadFull(r, pal); err != nil {
			return nil, noEOF(err)
		}
		h.read += int64(4 * n)
		h.palette = make(color.Palette, n)
		for i := range h.palette {
			h.palette[i] = color.RGBA{pal[4*i+2], pal[4*i+1], pal[4*i], 0xff}
		}
	case 16:
		if compression == biRGB {
			h.masks = [4]uint32{0x7c00, 0x03e0, 0x001f, 0}
		}
	case 24:
		if compression != biRGB {
			return nil, formatError("bmp", "compression %d with 24 bits a pixel", compression)
		}
	case 32:
		switch {
		case compression == biRGB:
			h.standard32, h.alpha = true, infoLen > 40
		case h.masks == [4]uint32{0xff0000, 0xff00, 0xff, 0xff000000}:
			h.standard32, h.alpha = true, true
		case h.masks == [4]uint32{0xff0000, 0xff00, 0xff, 0}:
			h.standard32 = true
		}
	default:
		return nil, formatError("bmp", "%d bits a pixel", bpp)
	}
	if h.offset < h.read {
		return nil, formatError("bmp", "pixel data at %d, inside the %d bytes of headers", h.offset, h.read)
	}
	return h, nil
}

// DecodeBMP reads a BMP image: 1, 2, 4 or 8 bits a pixel with a palette
// (an *image.Paletted), 24 bits (an *image.RGBA), 16 or 32 bits with the
// default or any color masks (an *image.NRGBA), rows bottom-up or
// top-down. Run-length compressed and OS/2 files are refused. As in
// web browsers, the fourth byte of a 32-bit pixel is alpha only when
// the header is larger than BITMAPINFOHEADER or a mask says so.
func DecodeBMP(r io.Reader) (image.Image, error) {
	h, err := readBMPHeader(r)
	if err != nil {
		return nil, err
	}
	if gap := h.offset - h.read; gap > 0 {
		if _, err := io.CopyN(io.Discard, r, gap); err != nil {
			return nil, noEOF(err)
		}
	}
	rect := image.Rect(0, 0, h.width, h.height)
	var (
		img    image.Image
		pix    []byte
		stride int
	)
	switch {
	case h.palette != nil:
		m := image.NewPaletted(rect, h.palette)
		img, pix, stride = m, m.Pix, m.Stride
	case h.bpp == 24:
		m := image.NewRGBA(rect)
		img, pix, stride = m, m.Pix, m.Stride
	default:
		m := image.NewNRGBA(rect)
		img, pix, stride = m, m.Pix, m.Stride
	}
	if h.width == 0 {
		return img, nil
	}
	rowLen := (h.width*h.bpp + 31) / 32 * 4
	row := make([]byte, rowLen)
	var scale [4]maskScale
	for i, m := range h.masks {
		scale[i] = newMaskScale(m)
	}
	for i := range h.height {
		y := h.height - 1 - i
		if h.topDown {
			y = i
		}
		if _, err := io.ReadFull(r, row); err != nil {
			return nil, formatError("bmp", "pixel data ends at row %d of %d: %v", i, h.height, noEOF(err))
		}
		dst := pix[y*stride : y*stride+h.width*pixelBytes(h)]
		switch {
		case h.palette != nil:
			per := 8 / h.bpp
			mask := byte(1<<h.bpp - 1)
			for x := range dst {
				shift := uint(8 - h.bpp*(x%per+1))
				v := row[x/per] >> shift & mask
				if int(v) >= len(h.palette) {
					return nil, formatError("bmp", "palette index %d past the palette's %d colors", v, len(h.palette))
				}
				dst[x] = v
			}
		case h.bpp == 24:
			for x, j := 0, 0; x < len(dst); x, j = x+4, j+3 {
				dst[x], dst[x+1], dst[x+2], dst[x+3] = row[j+2], row[j+1], row[j], 0xff
			}
		case h.standard32:
			for x := 0; x < len(dst); x += 4 {
				dst[x], dst[x+1], dst[x+2], dst[x+3] = row[x+2], row[x+1], row[x], 0xff
				if h.alpha {
					dst[x+3] = row[x+3]
				}
			}
		default: // 16 or 32 bits with masks
			n := h.bpp / 8
			for x, j := 0, 0; x < len(dst); x, j = x+4, j+n {
				var v uint32
				if n == 2 {
					v = uint32(binary.LittleEndian.Uint16(row[j:]))
				} else {
					v = binary.LittleEndian.Uint32(row[j:])
				}
				dst[x], dst[x+1], dst[x+2] = scale[0].get(v, 0), scale[1].get(v, 0), scale[2].get(v, 0)
				dst[x+3] = scale[3].get(v, 0xff)
			}
		}
	}
	return img, nil
}

// pixelBytes is how many bytes a pixel takes in the decoded image.
func pixelBytes(h *bmpHeader) int {
	if h.palette != nil {
		return 1
	}
	return 4
}

// maskScale takes one color out of a 16 or 32-bit pixel and scales it
// to 8 bits.
type maskScale struct {
	mask  uint32
	shift int
	max   uint32
}

func newMaskScale(m uint32) maskScale {
	if m == 0 {
		return maskScale{}
	}
	s := bits.TrailingZeros32(m)
	return maskScale{mask: m, shift: s, max: m >> s}
}

// get returns the pixel's value under the mask, or none for a zero mask.
func (s maskScale) get(v uint32, none byte) byte {
	if s.mask == 0 {
		return none
	}
	c := uint64(v&s.mask) >> s.shift
	return byte((c*255 + uint64(s.max)/2) / uint64(s.max))
}
