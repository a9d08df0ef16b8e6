// Package casename names table-test cases after their input, for tests
// whose inputs are strings that t.Run would otherwise blur.
package casename

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Of names a subtest after its input: "empty" for "", a long input by its
// first and last runes and its length, and one with control characters,
// other white space or invalid UTF-8 Go-escaped (t.Run would turn "a\tb"
// and "a\nb" both into "a_b").
func Of(in string) string {
	if in == "" {
		return "empty"
	}
	if r := []rune(in); len(r) > 40 {
		return fmt.Sprintf("%s...%s (%d bytes)", Of(string(r[:8])), Of(string(r[len(r)-8:])), len(in))
	}
	if !utf8.ValidString(in) || strings.ContainsFunc(in, func(r rune) bool { return r != ' ' && (unicode.IsSpace(r) || !unicode.IsPrint(r)) }) {
		q := strconv.Quote(in)
		return q[1 : len(q)-1]
	}
	return in
}
