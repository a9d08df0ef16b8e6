// Package header builds response header values from text that may come
// from users, so that no such text can break or split a header.
package header

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ContentDisposition returns a Content-Disposition value (RFC 6266) for a
// file called name: "attachment" when attachment is set, else "inline",
// then filename="..." with an ASCII fallback of the name and, when the
// fallback differs from the name, filename*=UTF-8”... with the name
// percent-encoded (RFC 8187, formerly RFC 5987):
//
//	attachment; filename="__.jpg"; filename*=UTF-8''%EC%82%AC%EC%A7%84.jpg
//
// Control characters (CR and LF among them), bidirectional overrides and
// invalid UTF-8 are dropped from the name. In the fallback, '"', '\', ';',
// '%' and every non-ASCII character become '_', so no name can end the
// quoted string, add a parameter or a header line (gin's CVE-2023-29401),
// or be percent-decoded by a client. An empty name gives the bare type.
func ContentDisposition(attachment bool, name string) string {
	typ := "inline"
	if attachment {
		typ = "attachment"
	}
	name = CleanFilename(name)
	if name == "" {
		return typ
	}
	var b strings.Builder
	b.Grow(len(typ) + 2*len(name) + 32)
	b.WriteString(typ)
	b.WriteString(`; filename="`)
	plain := true
	for _, r := range name {
		if r >= 0x20 && r < 0x7f && r != '"' && r != '\\' && r != ';' && r != '%' {
			b.WriteRune(r)
			continue
		}
		b.WriteByte('_')
		plain = false
	}
	b.WriteByte('"')
	if plain {
		return b.String()
	}
	b.WriteString("; filename*=UTF-8''")
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// CleanFilename returns name without invalid UTF-8, control characters
// (C0, DEL, C1) and the invisible marks that reorder text (U+202E turns
// "gpj.exe" into what looks like "exe.jpg"), trimmed of spaces.
func CleanFilename(name string) string {
	clean := true
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		if (r == utf8.RuneError && size == 1) || dropRune(r) {
			clean = false
			break
		}
		i += size
	}
	if !clean {
		var b strings.Builder
		b.Grow(len(name))
		for i := 0; i < len(name); {
			r, size := utf8.DecodeRuneInString(name[i:])
			i += size
			if (r == utf8.RuneError && size == 1) || dropRune(r) {
				continue
			}
			b.WriteRune(r)
		}
		name = b.String()
	}
	return strings.TrimSpace(name)
}

func dropRune(r rune) bool {
	if unicode.IsControl(r) {
		return true
	}
	switch {
	case r == 0x200E, r == 0x200F, // left-to-right and right-to-left marks
		r >= 0x202A && r <= 0x202E, // embeddings and overrides
		r >= 0x2066 && r <= 0x2069, // isolates
		r == 0x061C:                // Arabic letter mark
		return true
	}
	return false
}

// isAttrChar reports RFC 8187's attr-char: the bytes a filename* value
// holds unencoded.
func isAttrChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	switch c {
	case '!', '#', '$', '&', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}
