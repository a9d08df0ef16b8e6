package jpegenc

import (
	"math"
	"sync"
)

// Base quantization tables from Annex K.1 of the JPEG standard (ITU-T
// T.81), in natural (row-major) order.
var baseQuant = [2][64]uint8{
	{
		16, 11, 10, 16, 24, 40, 51, 61,
		12, 12, 14, 19, 26, 58, 60, 55,
		14, 13, 16, 24, 40, 57, 69, 56,
		14, 17, 22, 29, 51, 87, 80, 62,
		18, 22, 37, 56, 68, 109, 103, 77,
		24, 35, 55, 64, 81, 104, 113, 92,
		49, 64, 78, 87, 103, 121, 120, 101,
		72, 92, 95, 98, 112, 100, 103, 99,
	},
	{
		17, 18, 24, 47, 99, 99, 99, 99,
		18, 21, 26, 66, 99, 99, 99, 99,
		24, 26, 56, 99, 99, 99, 99, 99,
		47, 66, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
	},
}

// The tables below are computed by initTables on the first Encode, not
// when the package is initialized: every program that imports flasky
// imports this package, and most never encode a JPEG.
var (
	tablesOnce sync.Once

	// zigzag[k] is the natural index of the k-th coefficient in zig-zag
	// order.
	zigzag [64]uint8

	acLumSyms, acChromSyms []uint8

	dcLumCodes, acLumCodes, dcChromCodes, acChromCodes huffCodes
)

// initTables computes the tables once.
func initTables() {
	tablesOnce.Do(func() {
		zigzag = makeZigzag()
		acLumSyms = acSymbols([]uint8{
			0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51,
			0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1,
			0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16,
		})
		acChromSyms = acSymbols([]uint8{
			0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07,
			0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09,
			0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25,
			0xf1,
		})
		dcLumCodes = buildCodes(&dcLumBits, dcSymbols)
		acLumCodes = buildCodes(&acLumBits, acLumSyms)
		dcChromCodes = buildCodes(&dcChromBits, dcSymbols)
		acChromCodes = buildCodes(&acChromBits, acChromSyms)
	})
}

func makeZigzag() (z [64]uint8) {
	k := 0
	for s := 0; s < 15; s++ { // s = row + col
		if s%2 == 0 { // walk up-right: row decreasing
			for r := min(s, 7); r >= 0 && s-r <= 7; r-- {
				z[k] = uint8(r*8 + s - r)
				k++
			}
		} else { // walk down-left: row increasing
			for r := max(0, s-7); r <= 7 && r <= s; r++ {
				z[k] = uint8(r*8 + s - r)
				k++
			}
		}
	}
	return z
}

// scaleQuant scales a base table by quality the way libjpeg's
// jpeg_quality_scaling and Go's image/jpeg do.
func scaleQuant(base *[64]uint8, quality int) (q [64]uint8) {
	var scale int
	if quality < 50 {
		scale = 5000 / quality
	} else {
		scale = 200 - 2*quality
	}
	for i, b := range base {
		x := (int(b)*scale + 50) / 100
		q[i] = uint8(min(max(x, 1), 255))
	}
	return q
}

// recipTable gives, in zig-zag order, the multipliers that turn the
// AAN-scaled FDCT output into quantized values.
func recipTable(q *[64]uint8) (r [64]float32) {
	var aan [8]float64
	aan[0] = 1
	for k := 1; k < 8; k++ {
		aan[k] = math.Cos(float64(k)*math.Pi/16) * math.Sqrt2
	}
	for k, nat := range zigzag {
		u, v := nat/8, nat%8
		r[k] = float32(1 / (float64(q[nat]) * aan[u] * aan[v] * 8))
	}
	return r
}

// Huffman specifications from Annex K.3: code counts per length and the
// symbols. For AC tables the spec lists an irregular head and then every
// remaining valid run/size symbol in ascending order, which acSymbols
// reproduces.
var (
	dcLumBits   = [16]uint8{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}
	dcChromBits = [16]uint8{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}
	acLumBits   = [16]uint8{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125}
	acChromBits = [16]uint8{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119}
	dcSymbols   = []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
)

// acSymbols appends to head every valid AC symbol (EOB, ZRL, run 0-15 with
// size 1-10) that head lacks, in ascending order.
func acSymbols(head []uint8) []uint8 {
	var seen [256]bool
	for _, s := range head {
		seen[s] = true
	}
	out := append([]uint8(nil), head...)
	for s := 0; s < 256; s++ {
		size := s & 15
		valid := (size >= 1 && size <= 10) || s == 0x00 || s == 0xf0
		if valid && !seen[s] {
			out = append(out, uint8(s))
		}
	}
	return out
}

// huffCodes maps a symbol to size<<24 | code.
type huffCodes [256]uint32

func buildCodes(bits *[16]uint8, syms []uint8) (t huffCodes) {
	code, k := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for i := 0; i < int(bits[l-1]); i++ {
			t[syms[k]] = uint32(l)<<24 | code
			code++
			k++
		}
		code <<= 1
	}
	return t
}
