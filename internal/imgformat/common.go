package imgformat

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// maxPixels is the largest picture any decoder here makes, whatever the
// caller checked: far above what a caller should allow (so that a
// caller's own limit, not this one, refuses a bomb), it only keeps a
// width*height*8 bytes computation from overflowing an int.
const maxPixels = min(1<<40, math.MaxInt/16)

// formatError is an error about one format's input, its text starting
// with the format's name, such as "bmp: 3 planes (only 1 is defined)".
func formatError(format, msg string, args ...any) error {
	return fmt.Errorf("%s: %s", format, fmt.Sprintf(msg, args...))
}

// noEOF turns io.EOF into io.ErrUnexpectedEOF: inside a header, the end
// of the input is always a truncated file.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// tooLarge reports whether a w x h picture is past maxPixels.
func tooLarge(w, h int) bool {
	return w > 0 && h > 0 && int64(w)*int64(h) > maxPixels
}
