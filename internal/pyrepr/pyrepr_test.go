package pyrepr_test

import (
	"math"
	"testing"

	"github.com/flasky-go/flasky/internal/pyrepr"
)

// What Python 3 prints for repr(x) (float32 values: repr of the float
// that numpy.float32(x).item() gives, read back at 32 bits).
func TestFloat(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		bits int
		want string
	}{
		{0, 64, "0.0"},
		{math.Copysign(0, -1), 64, "-0.0"},
		{1, 64, "1.0"},
		{37, 64, "37.0"},
		{-0.5, 64, "-0.5"},
		{9.99, 64, "9.99"},
		{0.0001, 64, "0.0001"},
		{0.00001, 64, "1e-05"},
		{1.5e-7, 64, "1.5e-07"},
		{1e15, 64, "1000000000000000.0"},
		{1e16, 64, "1e+16"},
		{1.25e100, 64, "1.25e+100"},
		{123456789.125, 64, "123456789.125"},
		{0.1, 64, "0.1"},
		{float64(float32(0.1)), 32, "0.1"},
		{math.NaN(), 64, "nan"},
		{math.Inf(1), 64, "inf"},
		{math.Inf(-1), 64, "-inf"},
	} {
		if got := pyrepr.Float(tc.f, tc.bits); got != tc.want {
			t.Errorf("Float(%v, %d) = %q, want %q", tc.f, tc.bits, got, tc.want)
		}
	}
}
