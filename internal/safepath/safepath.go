// Package safepath holds flasky's rules for names that come from clients:
// a path inside a folder (static files, SendFromDirectory) that can never
// leave it.
package safepath

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// ErrUnsafe is wrapped by every error Clean returns.
var ErrUnsafe = errors.New("unsafe path")

// Clean checks a slash-separated relative path from a client and returns
// it cleaned. It refuses, rather than repairs, anything that could name a
// file outside the folder on any operating system: an empty path, an
// absolute path, "..", backslashes, NUL and other control characters, a
// drive letter or a colon, and Windows device names in any segment
// (CON, nul.txt, COM1...).
func Clean(name string) (string, error) {
	if name == "" || len(name) > 4096 {
		return "", fmt.Errorf("%w: empty or overlong path", ErrUnsafe)
	}
	if name[0] == '/' {
		return "", fmt.Errorf("%w: %q is absolute", ErrUnsafe, name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < 0x20 || c == 0x7f || c == '\\' || c == ':' {
			return "", fmt.Errorf("%w: %q holds %q", ErrUnsafe, name, c)
		}
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return "", fmt.Errorf("%w: %q holds a \"..\" segment", ErrUnsafe, name)
		}
		if IsWindowsDevice(seg) {
			return "", fmt.Errorf("%w: %q names a Windows device", ErrUnsafe, name)
		}
	}
	clean := path.Clean(name)
	if clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || clean[0] == '/' {
		return "", fmt.Errorf("%w: %q", ErrUnsafe, name)
	}
	return clean, nil
}

// IsWindowsDevice reports whether a file name is reserved on Windows:
// CON, PRN, AUX, NUL, COM0-9, LPT0-9 (also with superscript digits), with
// any extension and trailing dots or spaces ("nul.txt", "COM1 ").
func IsWindowsDevice(seg string) bool {
	base := seg
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.TrimRight(base, " .")
	switch strings.ToUpper(base) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) >= 4 {
		prefix := strings.ToUpper(base[:3])
		if prefix == "COM" || prefix == "LPT" {
			d := base[3:]
			if len(d) == 1 && d[0] >= '0' && d[0] <= '9' {
				return true
			}
			if d == "¹" || d == "²" || d == "³" {
				return true
			}
		}
	}
	return false
}
