// Package pyrepr writes Go values as Python's repr and str write them,
// where flasky must produce the same text as Flask (url_for's float
// arguments) and where the project's tests hand values to Python.
package pyrepr

import (
	"math"
	"strconv"
	"strings"
)

// Float writes f as Python's repr does: the shortest digits that read
// back as f (as a float of bits, 32 or 64), with ".0" on whole numbers,
// and an exponent of at least two digits (1e+16, 1.5e-07) outside
// 1e-4 <= |f| < 1e16; nan, inf and -inf as Python writes them.
func Float(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		s := strconv.FormatFloat(f, 'e', -1, bits) // 1e+16, 1.5e-07
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	s := strconv.FormatFloat(f, 'f', -1, bits)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
