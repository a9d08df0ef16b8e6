// Package filename holds flasky's rule for file names that come from
// clients (an upload's filename): a name that can be saved as one file
// inside a folder, on any operating system, without ever leaving the
// folder, hiding itself or naming a device.
//
// Unlike Werkzeug's secure_filename, which keeps only ASCII letters, digits
// and "._-" (so "사진.jpg" becomes "jpg" and "사진" becomes ""), the rule
// keeps every letter and digit of every script and removes only what is
// dangerous.
package filename

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/flasky-go/flasky/internal/safepath"
)

// MaxBytes is the longest name Secure returns, in bytes: the limit of
// most file systems (ext4, XFS, APFS, NTFS counts UTF-16 units, which is
// never more than the UTF-8 bytes).
const MaxBytes = 255

// ErrEmpty is returned by Secure when nothing usable is left of a name.
var ErrEmpty = errors.New("the file name is empty once its unsafe characters are removed")

// Secure returns a safe form of a file name sent by a client, or ErrEmpty
// when nothing usable is left. Step by step:
//
//   - Bytes that are not UTF-8 become '_'.
//   - Only the last path element is kept, with '/' and '\' both taken as
//     separators: browsers send a base name, but old Internet Explorer sent
//     "C:\Users\me\photo.jpg" and an attacker sends "../../etc/passwd"
//     (which becomes "passwd").
//   - Control characters (NUL included), Unicode line and paragraph
//     separators, the byte-order mark and the bidirectional controls that
//     make "photo\u202Egpj.exe" look like "photoexe.jpg" are removed.
//   - Characters Windows forbids in names (< > : " | ? *) and the
//     full-width slashes (／ ＼), which some Windows APIs map to '/' and
//     '\', become '_'. A ':' would otherwise name an NTFS stream.
//   - Hangul written as conjoining jamo (the decomposed form macOS uses
//     for file names) is composed into syllables, as Unicode NFC does, so
//     "사진.jpg" from a Mac is the same bytes as "사진.jpg" typed on
//     Windows. Other text is kept as sent: full NFC needs Unicode tables
//     that are not in Go's standard library.
//   - Leading dots and spaces are removed (no hidden files, no "." or
//     ".."), and trailing dots and spaces (Windows drops them, so "a.txt."
//     would be "a.txt" there).
//   - A name that is longer than MaxBytes is shortened, keeping its
//     extension and never cutting a UTF-8 character.
//   - A Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with any
//     extension: "nul.txt") gets a '_' in front: "_nul.txt".
//
// Letters, digits, spaces inside the name, punctuation and emoji of every
// script are kept. The result is never empty, ".", ".." or longer than
// MaxBytes, holds no separator, and Secure(Secure(x)) == Secure(x).
func Secure(name string) (string, error) {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	name = strings.Map(dropRune, name)
	name = lastElement(name)
	name = strings.Map(replaceRune, name)
	name = composeHangul(name)
	name = trim(name)
	name = capLength(name, MaxBytes)
	if safepath.IsWindowsDevice(name) {
		name = capLength("_"+name, MaxBytes)
	}
	if name == "" {
		return "", ErrEmpty
	}
	return name, nil
}

// lastElement returns what follows the last '/' or '\' that is followed
// by something.
func lastElement(name string) string {
	name = strings.TrimRight(name, `/\`)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// dropRune drops control characters and invisible ones (see Secure).
func dropRune(r rune) rune {
	switch r {
	case '\u061c', '\u200e', '\u200f', // Arabic letter mark, LRM, RLM
		'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', // embeddings and overrides
		'\u2066', '\u2067', '\u2068', '\u2069', // isolates
		'\u2028', '\u2029', // line and paragraph separators
		'\ufeff': // byte-order mark
		return -1
	}
	if unicode.IsControl(r) {
		return -1
	}
	return r
}

// replaceRune replaces characters that Windows forbids in names.
func replaceRune(r rune) rune {
	switch r {
	case '<', '>', ':', '"', '|', '?', '*', '/', '\\', '／', '＼':
		return '_'
	}
	return r
}

// trim removes leading dots and spaces and trailing dots and spaces.
func trim(name string) string {
	dotOrSpace := func(r rune) bool { return r == '.' || unicode.IsSpace(r) }
	return strings.TrimRightFunc(strings.TrimLeftFunc(name, dotOrSpace), dotOrSpace)
}

// maxExt is the longest extension (dot included) that capLength keeps.
const maxExt = 32

// capLength shortens name to at most max bytes, keeping its extension when
// it has a short one, at a character boundary.
func capLength(name string, max int) string {
	if len(name) <= max {
		return name
	}
	stem, ext := SplitExt(name)
	if len(ext) > maxExt || len(ext) >= max {
		stem, ext = name, ""
	}
	stem = cutUTF8(stem, max-len(ext))
	stem = strings.TrimRightFunc(stem, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
	if stem == "" {
		return trim(cutUTF8(name, max))
	}
	return stem + ext
}

// cutUTF8 returns the longest prefix of s of at most n bytes that does not
// end inside a UTF-8 character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// SplitExt splits a name into its stem and its extension, the last '.'
// included ("a.tar.gz" is "a.tar" and ".gz"). A name without a dot, or
// whose only dot is its first character, has no extension.
func SplitExt(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return name, ""
	}
	return name[:i], name[i:]
}

// Numbered returns name with " (n)" before its extension, shortened so
// that the result is at most MaxBytes long: "사진.jpg", 2 gives
// "사진 (2).jpg". n <= 0 returns name unchanged.
func Numbered(name string, n int) string {
	if n <= 0 {
		return name
	}
	suffix := " (" + itoa(n) + ")"
	stem, ext := SplitExt(name)
	if len(ext) > maxExt {
		stem, ext = name, ""
	}
	stem = cutUTF8(stem, MaxBytes-len(ext)-len(suffix))
	return stem + suffix + ext
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

// Hangul composition (Unicode 15, section 3.12): a leading consonant L
// and a vowel V make the syllable LV; LV and a trailing consonant T make
// LVT.
const (
	sBase  = 0xAC00
	lBase  = 0x1100
	vBase  = 0x1161
	tBase  = 0x11A7
	lCount = 19
	vCount = 21
	tCount = 28
	nCount = vCount * tCount
	sCount = lCount * nCount
)

// composeHangul composes conjoining Hangul jamo into syllables, exactly as
// NFC does; everything else is left alone.
func composeHangul(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= lBase && r <= 0x11FF }) {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if n := len(out); n > 0 {
			last := out[n-1]
			switch {
			case last >= lBase && last < lBase+lCount && r >= vBase && r < vBase+vCount:
				out[n-1] = sBase + ((last-lBase)*vCount+(r-vBase))*tCount
				continue
			case last >= sBase && last < sBase+sCount && (last-sBase)%tCount == 0 && r > tBase && r < tBase+tCount:
				out[n-1] = last + (r - tBase)
				continue
			}
		}
		out = append(out, r)
	}
	return string(out)
}
