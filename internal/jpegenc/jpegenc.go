// Package jpegenc is a fast pure-Go baseline JPEG encoder. It writes the
// same kind of file as image/jpeg (4:2:0 chroma subsampling for color,
// one component for gray, the standard Huffman tables and the Annex K
// quantization tables scaled by quality as libjpeg does), using a float
// AAN forward DCT fused with quantization, direct pixel conversion from
// the Pix slices of common image types, DC-only coding of flat 8x8
// blocks and a 64-bit bit writer.
package jpegenc

import (
	"encoding/binary"
	"errors"
	"image"
	"io"
	"math/bits"
	"sync"
)

// scratch holds the reusable buffers of one encode.
type scratch struct {
	y, cb, cr []uint8 // full-resolution planes, padded to the MCU grid
	cb2, cr2  []uint8 // subsampled chroma planes
	out       []byte
}

var pool = sync.Pool{New: func() any { return new(scratch) }}

func grow(b []uint8, n int) []uint8 {
	if cap(b) < n {
		return make([]uint8, n)
	}
	return b[:n]
}

// Encode writes m to w as a baseline JPEG at the given quality, 1 (smallest)
// to 100 (best); values outside that range are clamped, as image/jpeg does.
// Gray images are written with one component, all others as YCbCr with
// 4:2:0 chroma subsampling.
func Encode(w io.Writer, m image.Image, quality int) error {
	initTables()
	b := m.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return errors.New("jpegenc: empty image")
	}
	if b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return errors.New("jpegenc: image is too large to encode")
	}
	quality = min(max(quality, 1), 100)
	s := pool.Get().(*scratch)
	defer func() {
		if cap(s.y) <= 1<<22 { // keep buffers of pictures up to 4 megapixels
			pool.Put(s)
		}
	}()

	var lq, cq [64]uint8
	lq = scaleQuant(&baseQuant[0], quality)
	cq = scaleQuant(&baseQuant[1], quality)
	e := bitWriter{buf: s.out[:0]}
	gray, isGray := m.(*image.Gray)
	e.writeHeaders(b.Dx(), b.Dy(), isGray, &lq, &cq)
	if isGray {
		encodeGray(&e, s, gray, &lq)
	} else {
		encodeColor(&e, s, m, &lq, &cq)
	}
	e.finish()
	e.buf = append(e.buf, 0xff, 0xd9)
	s.out = e.buf
	_, err := w.Write(e.buf)
	return err
}

func (e *bitWriter) writeHeaders(w, h int, gray bool, lq, cq *[64]uint8) {
	e.buf = append(e.buf, 0xff, 0xd8)
	// DQT.
	nq := 2
	if gray {
		nq = 1
	}
	e.marker(0xdb, nq*65)
	tabs := [2]*[64]uint8{lq, cq}
	for i, q := range tabs[:nq] {
		e.buf = append(e.buf, uint8(i))
		for _, nat := range zigzag {
			e.buf = append(e.buf, q[nat])
		}
	}
	// SOF0.
	nc := 3
	if gray {
		nc = 1
	}
	e.marker(0xc0, 6+3*nc)
	e.buf = append(e.buf, 8, uint8(h>>8), uint8(h), uint8(w>>8), uint8(w), uint8(nc))
	if gray {
		e.buf = append(e.buf, 1, 0x11, 0)
	} else {
		e.buf = append(e.buf, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1)
	}
	// DHT.
	type spec struct {
		class uint8
		bits  *[16]uint8
		syms  []uint8
	}
	specs := []spec{{0x00, &dcLumBits, dcSymbols}, {0x10, &acLumBits, acLumSyms},
		{0x01, &dcChromBits, dcSymbols}, {0x11, &acChromBits, acChromSyms}}
	if gray {
		specs = specs[:2]
	}
	n := 0
	for _, sp := range specs {
		n += 17 + len(sp.syms)
	}
	e.marker(0xc4, n)
	for _, sp := range specs {
		e.buf = append(e.buf, sp.class)
		e.buf = append(e.buf, sp.bits[:]...)
		e.buf = append(e.buf, sp.syms...)
	}
	// SOS.
	e.marker(0xda, 4+2*nc)
	e.buf = append(e.buf, uint8(nc))
	if gray {
		e.buf = append(e.buf, 1, 0x00)
	} else {
		e.buf = append(e.buf, 1, 0x00, 2, 0x11, 3, 0x11)
	}
	e.buf = append(e.buf, 0, 63, 0)
}

// marker appends a marker with a payload of n bytes (length field excluded).
func (e *bitWriter) marker(m uint8, n int) {
	e.buf = append(e.buf, 0xff, m, uint8((n+2)>>8), uint8(n+2))
}

// padPlane replicates the last column and row of a w x h image held in a
// plane of stride pw and height ph.
func padPlane(p []uint8, w, h, pw, ph int) {
	if w < pw {
		for y := 0; y < h; y++ {
			row := p[y*pw : (y+1)*pw]
			v := row[w-1]
			for x := w; x < pw; x++ {
				row[x] = v
			}
		}
	}
	last := p[(h-1)*pw : h*pw]
	for y := h; y < ph; y++ {
		copy(p[y*pw:(y+1)*pw], last)
	}
}

func encodeGray(e *bitWriter, s *scratch, m *image.Gray, lq *[64]uint8) {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	pw, ph := (w+7)&^7, (h+7)&^7
	s.y = grow(s.y, pw*ph)
	for y := 0; y < h; y++ {
		i := m.PixOffset(b.Min.X, b.Min.Y+y)
		copy(s.y[y*pw:y*pw+w], m.Pix[i:i+w])
	}
	padPlane(s.y, w, h, pw, ph)
	recip := recipTable(lq)
	var dc int32
	for by := 0; by < ph; by += 8 {
		for bx := 0; bx < pw; bx += 8 {
			dc = e.block(s.y[by*pw+bx:], pw, &recip, dc, &dcLumCodes, &acLumCodes)
		}
	}
}

// rgbToYCbCr converts like color.RGBToYCbCr.
func rgbToYCbCr(r, g, b int32) (uint8, uint8, uint8) {
	y := (19595*r + 38470*g + 7471*b + 1<<15) >> 16
	cb := -11056*r - 21712*g + 32768*b + 257<<15
	if uint32(cb)&0xff000000 == 0 {
		cb >>= 16
	} else {
		cb = ^(cb >> 31)
	}
	cr := 32768*r - 27440*g - 5328*b + 257<<15
	if uint32(cr)&0xff000000 == 0 {
		cr >>= 16
	} else {
		cr = ^(cr >> 31)
	}
	return uint8(y), uint8(cb), uint8(cr)
}

// toPlanes fills the full-resolution Y, Cb and Cr planes (stride pw) for
// the w x h visible area of m.
func toPlanes(s *scratch, m image.Image, w, h, pw int) {
	b := m.Bounds()
	switch m := m.(type) {
	case *image.RGBA:
		for y := 0; y < h; y++ {
			pix := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			pix = pix[:4*w]
			yr, cbr, crr := s.y[y*pw:y*pw+w], s.cb[y*pw:y*pw+w], s.cr[y*pw:y*pw+w]
			// Drawn pictures repeat a color along a row: convert each run
			// of equal pixels (alpha included, which RGBA ignores) once.
			for x := 0; x < w; {
				key := binary.LittleEndian.Uint32(pix[4*x:])
				r, g, b := int32(key&0xff), int32(key>>8&0xff), int32(key>>16&0xff)
				ly := uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
				// For 8-bit inputs these never go below 0; clamp the top.
				lcb := uint8(min((-11056*r-21712*g+32768*b+257<<15)>>16, 255))
				lcr := uint8(min((32768*r-27440*g-5328*b+257<<15)>>16, 255))
				x0 := x
				for x++; x < w && binary.LittleEndian.Uint32(pix[4*x:]) == key; x++ {
				}
				if x-x0 < 32 {
					for i := x0; i < x; i++ {
						yr[i], cbr[i], crr[i] = ly, lcb, lcr
					}
				} else {
					fill(yr[x0:x], ly)
					fill(cbr[x0:x], lcb)
					fill(crr[x0:x], lcr)
				}
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			pix := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			pix = pix[:4*w]
			yr, cbr, crr := s.y[y*pw:y*pw+w], s.cb[y*pw:y*pw+w], s.cr[y*pw:y*pw+w]
			for x := range yr {
				p := pix[4*x : 4*x+4 : 4*x+4]
				r, g, bl, a := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
				if a != 0xff { // premultiply as color.NRGBA.RGBA does
					a |= a << 8
					r = (r * 0x101 * a / 0xffff) >> 8
					g = (g * 0x101 * a / 0xffff) >> 8
					bl = (bl * 0x101 * a / 0xffff) >> 8
				}
				yr[x], cbr[x], crr[x] = rgbToYCbCr(int32(r), int32(g), int32(bl))
			}
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			yi := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(s.y[y*pw:y*pw+w], m.Y[yi:yi+w])
			cbr, crr := s.cb[y*pw:y*pw+w], s.cr[y*pw:y*pw+w]
			for x := range cbr {
				ci := m.COffset(b.Min.X+x, b.Min.Y+y)
				cbr[x], crr[x] = m.Cb[ci], m.Cr[ci]
			}
		}
	default:
		for y := 0; y < h; y++ {
			yr, cbr, crr := s.y[y*pw:y*pw+w], s.cb[y*pw:y*pw+w], s.cr[y*pw:y*pw+w]
			for x := range yr {
				r, g, bl, _ := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
				yr[x], cbr[x], crr[x] = rgbToYCbCr(int32(r>>8), int32(g>>8), int32(bl>>8))
			}
		}
	}
}

// fill sets every byte of s to v, doubling copies for long runs.
func fill(s []uint8, v uint8) {
	if len(s) == 0 {
		return
	}
	s[0] = v
	for n := 1; n < len(s); n *= 2 {
		copy(s[n:], s[:n])
	}
}

// subsample averages 2x2 squares of src (stride pw, height ph) into dst.
func subsample(dst, src []uint8, pw, ph int) {
	cw := pw / 2
	for y := 0; y < ph/2; y++ {
		r0 := src[2*y*pw : 2*y*pw+pw]
		r1 := src[(2*y+1)*pw : (2*y+1)*pw+pw]
		d := dst[y*cw : y*cw+cw]
		for x := range d {
			sum := uint32(r0[2*x]) + uint32(r0[2*x+1]) + uint32(r1[2*x]) + uint32(r1[2*x+1])
			d[x] = uint8((sum + 2) >> 2)
		}
	}
}

func encodeColor(e *bitWriter, s *scratch, m image.Image, lq, cq *[64]uint8) {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	pw, ph := (w+15)&^15, (h+15)&^15
	s.y = grow(s.y, pw*ph)
	s.cb = grow(s.cb, pw*ph)
	s.cr = grow(s.cr, pw*ph)
	toPlanes(s, m, w, h, pw)
	padPlane(s.y, w, h, pw, ph)
	padPlane(s.cb, w, h, pw, ph)
	padPlane(s.cr, w, h, pw, ph)
	cw, ch := pw/2, ph/2
	s.cb2 = grow(s.cb2, cw*ch)
	s.cr2 = grow(s.cr2, cw*ch)
	subsample(s.cb2, s.cb, pw, ph)
	subsample(s.cr2, s.cr, pw, ph)

	lr, cr := recipTable(lq), recipTable(cq)
	var dcY, dcCb, dcCr int32
	for my := 0; my < ph; my += 16 {
		for mx := 0; mx < pw; mx += 16 {
			o := my*pw + mx
			dcY = e.block(s.y[o:], pw, &lr, dcY, &dcLumCodes, &acLumCodes)
			dcY = e.block(s.y[o+8:], pw, &lr, dcY, &dcLumCodes, &acLumCodes)
			dcY = e.block(s.y[o+8*pw:], pw, &lr, dcY, &dcLumCodes, &acLumCodes)
			dcY = e.block(s.y[o+8*pw+8:], pw, &lr, dcY, &dcLumCodes, &acLumCodes)
			c := (my/2)*cw + mx/2
			dcCb = e.block(s.cb2[c:], cw, &cr, dcCb, &dcChromCodes, &acChromCodes)
			dcCr = e.block(s.cr2[c:], cw, &cr, dcCr, &dcChromCodes, &acChromCodes)
		}
	}
}

// quant rounds x to the nearest integer, halves away from zero; |x| must
// stay below 16384.
func quant(x float32) int32 {
	return int32(x+16384.5) - 16384
}

// block transforms, quantizes and entropy-codes the 8x8 block at the start
// of p (row stride stride) and returns its quantized DC value.
func (e *bitWriter) block(p []uint8, stride int, recip *[64]float32, prevDC int32, dct, act *huffCodes) int32 {
	v0 := p[0]
	rep := uint64(v0) * 0x0101010101010101
	diff := uint64(0)
	for y := 0; y < 8; y++ {
		diff |= binary.LittleEndian.Uint64(p[y*stride:y*stride+8]) ^ rep
	}
	if diff == 0 { // flat: only a DC term, no DCT needed
		dc := quant(float32(64*(int32(v0)-128)) * recip[0])
		e.emitDC(dc-prevDC, dct)
		c := act[0x00]
		e.put(c&0xffff, uint(c>>24))
		return dc
	}
	var d [64]float32
	for y := 0; y < 8; y++ {
		row := p[y*stride : y*stride+8 : y*stride+8]
		dr := d[y*8 : y*8+8 : y*8+8]
		dr[0] = float32(int32(row[0]) - 128)
		dr[1] = float32(int32(row[1]) - 128)
		dr[2] = float32(int32(row[2]) - 128)
		dr[3] = float32(int32(row[3]) - 128)
		dr[4] = float32(int32(row[4]) - 128)
		dr[5] = float32(int32(row[5]) - 128)
		dr[6] = float32(int32(row[6]) - 128)
		dr[7] = float32(int32(row[7]) - 128)
	}
	fdct(&d)
	dc := quant(d[0] * recip[0])
	e.emitDC(dc-prevDC, dct)
	// Quantize the AC terms in zig-zag order, marking the non-zero ones
	// in a bit set so that runs of zeros are skipped without branches.
	var z [64]int32
	var nz uint64
	for k := 1; k < 64; k++ {
		v := quant(d[zigzag[k]] * recip[k])
		z[k] = v
		nz |= uint64(uint32(v|-v)>>31) << k
	}
	prev := 0
	for nz != 0 {
		k := bits.TrailingZeros64(nz)
		nz &= nz - 1
		run := uint32(k - prev - 1)
		prev = k
		for run > 15 {
			c := act[0xf0]
			e.put(c&0xffff, uint(c>>24))
			run -= 16
		}
		v := min(max(z[k], -1023), 1023)
		a, vb := v, v
		if v < 0 {
			a = -v
			vb = v - 1
		}
		nb := uint32(bits.Len32(uint32(a)))
		c := act[run<<4|nb]
		e.put((c&0xffff)<<nb|uint32(vb)&(1<<nb-1), uint(c>>24+nb))
	}
	if prev < 63 {
		c := act[0x00]
		e.put(c&0xffff, uint(c>>24))
	}
	return dc
}

func (e *bitWriter) emitDC(diff int32, t *huffCodes) {
	a, vb := diff, diff
	if diff < 0 {
		a = -diff
		vb = diff - 1
	}
	nb := uint32(bits.Len32(uint32(a)))
	c := t[nb]
	e.put((c&0xffff)<<nb|uint32(vb)&(1<<nb-1), uint(c>>24+nb))
}

// fdct is the AAN (Arai, Agui, Nakajima) forward DCT on float32, leaving
// each output scaled by 8 times the AAN factors of its row and column;
// recipTable folds that scale into quantization.
func fdct(d *[64]float32) {
	const (
		c4   = 0.707106781 // cos(4pi/16)
		c6m2 = 0.382683433 // cos(6pi/16)
		k2   = 0.541196100 // cos(6pi/16)*sqrt2
		k6   = 1.306562965 // cos(2pi/16)*sqrt2
	)
	for i := 0; i < 64; i += 8 {
		r := d[i : i+8 : i+8]
		t0, t7 := r[0]+r[7], r[0]-r[7]
		t1, t6 := r[1]+r[6], r[1]-r[6]
		t2, t5 := r[2]+r[5], r[2]-r[5]
		t3, t4 := r[3]+r[4], r[3]-r[4]
		e0, e3 := t0+t3, t0-t3
		e1, e2 := t1+t2, t1-t2
		r[0], r[4] = e0+e1, e0-e1
		z1 := (e2 + e3) * c4
		r[2], r[6] = e3+z1, e3-z1
		o0, o1, o2 := t4+t5, t5+t6, t6+t7
		z5 := (o0 - o2) * c6m2
		z2 := k2*o0 + z5
		z4 := k6*o2 + z5
		z3 := o1 * c4
		z11, z13 := t7+z3, t7-z3
		r[5], r[3] = z13+z2, z13-z2
		r[1], r[7] = z11+z4, z11-z4
	}
	for i := 0; i < 8; i++ {
		t0, t7 := d[i]+d[56+i], d[i]-d[56+i]
		t1, t6 := d[8+i]+d[48+i], d[8+i]-d[48+i]
		t2, t5 := d[16+i]+d[40+i], d[16+i]-d[40+i]
		t3, t4 := d[24+i]+d[32+i], d[24+i]-d[32+i]
		e0, e3 := t0+t3, t0-t3
		e1, e2 := t1+t2, t1-t2
		d[i], d[32+i] = e0+e1, e0-e1
		z1 := (e2 + e3) * c4
		d[16+i], d[48+i] = e3+z1, e3-z1
		o0, o1, o2 := t4+t5, t5+t6, t6+t7
		z5 := (o0 - o2) * c6m2
		z2 := k2*o0 + z5
		z4 := k6*o2 + z5
		z3 := o1 * c4
		z11, z13 := t7+z3, t7-z3
		d[40+i], d[24+i] = z13+z2, z13-z2
		d[8+i], d[56+i] = z11+z4, z11-z4
	}
}

// bitWriter packs Huffman-coded bits into buf with 0xff byte stuffing.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

// put appends the low size bits of v (size <= 32).
func (e *bitWriter) put(v uint32, size uint) {
	e.acc = e.acc<<size | uint64(v)
	e.n += size
	if e.n >= 32 {
		e.n -= 32
		w := uint32(e.acc >> e.n)
		nw := ^w
		if (nw-0x01010101)&^nw&0x80808080 == 0 { // no 0xff byte
			e.buf = append(e.buf, uint8(w>>24), uint8(w>>16), uint8(w>>8), uint8(w))
			return
		}
		for sh := 24; sh >= 0; sh -= 8 {
			b := uint8(w >> sh)
			e.buf = append(e.buf, b)
			if b == 0xff {
				e.buf = append(e.buf, 0)
			}
		}
	}
}

// finish pads the last byte with one bits and flushes.
func (e *bitWriter) finish() {
	pad := (8 - e.n%8) % 8
	e.acc = e.acc<<pad | (1<<pad - 1)
	e.n += pad
	for e.n >= 8 {
		e.n -= 8
		b := uint8(e.acc >> e.n)
		e.buf = append(e.buf, b)
		if b == 0xff {
			e.buf = append(e.buf, 0)
		}
	}
}
