// Converters check a rule variable's text and turn values back into URL
// text; their arguments follow Werkzeug's.

package flasky

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// converter checks one matched value and turns a value back into a URL
// part. Converters follow Werkzeug's defaults, so a rule accepts exactly
// what it accepts in Flask.
type converter struct {
	name   string
	weight int // lower is more specific; used to order rules like Werkzeug
	match  func(c *converter, s string) bool
	// argument state
	minLen, maxLen int      // string
	fixed          int      // int: fixed_digits
	min, max       *float64 // int, float
	signed         bool     // int, float
	items          []string // any
}

// maxConvArg caps lengths and digit counts: a path segment longer than
// this is not a real URL, and huge values would make sample paths and
// padded numbers enormous.
const maxConvArg = 4096

// Werkzeug's weights: numbers before strings before paths.
const (
	weightStatic = 0
	weightNumber = 50
	weightString = 100
	weightPath   = 200
)

func matchString(c *converter, s string) bool {
	if s == "" || strings.IndexByte(s, '/') >= 0 {
		return false
	}
	if c.minLen > 0 || c.maxLen > 0 {
		n := len([]rune(s))
		if n < c.minLen || (c.maxLen > 0 && n > c.maxLen) {
			return false
		}
	}
	return true
}

func matchPath(_ *converter, s string) bool { return s != "" && s[0] != '/' }

func matchInt(c *converter, s string) bool {
	digits := s
	if c.signed && digits != "" && digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	if c.fixed > 0 && len(digits) != c.fixed {
		return false
	}
	// Werkzeug takes any number of digits; here the value must fit the
	// int64 that ParamInt hands out, so a longer one is a 404, not a wrap.
	// Up to 18 digits always fit, which keeps the common case parse-free.
	if len(digits) <= 18 && c.min == nil && c.max == nil {
		return true
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return err == nil && inRange(c, float64(v))
}

func matchFloat(c *converter, s string) bool {
	digits := s
	if c.signed && digits != "" && digits[0] == '-' {
		digits = digits[1:]
	}
	dot := strings.IndexByte(digits, '.')
	if dot <= 0 || dot == len(digits)-1 {
		return false // Werkzeug wants \d+\.\d+: "1" and "1." are not floats
	}
	for i := 0; i < len(digits); i++ {
		if i != dot && (digits[i] < '0' || digits[i] > '9') {
			return false
		}
	}
	if c.min != nil || c.max != nil {
		v, err := strconv.ParseFloat(s, 64)
		return err == nil && inRange(c, v)
	}
	return true
}

func inRange(c *converter, v float64) bool {
	return (c.min == nil || v >= *c.min) && (c.max == nil || v <= *c.max)
}

func matchUUID(_ *converter, s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func matchAny(c *converter, s string) bool {
	for _, it := range c.items {
		if it == s {
			return true
		}
	}
	return false
}

// newConverter builds the converter for a rule variable such as
// "int(min=1)" with its arguments.
func newConverter(name, args string) (*converter, error) {
	c := &converter{name: name}
	var allowed []string
	switch name {
	case "", "string", "default":
		c.name, c.weight, c.match = "string", weightString, matchString
		allowed = []string{"minlength", "maxlength", "length"}
	case "path":
		c.weight, c.match = weightPath, matchPath
	case "int":
		c.weight, c.match = weightNumber, matchInt
		allowed = []string{"fixed_digits", "min", "max", "signed"}
	case "float":
		c.weight, c.match = weightNumber, matchFloat
		allowed = []string{"min", "max", "signed"}
	case "uuid":
		c.weight, c.match = weightString, matchUUID
	case "any":
		c.weight, c.match = weightString, matchAny
	default:
		return nil, fmt.Errorf("unknown converter %q (want string, int, float, path, uuid or any)", name)
	}
	if args == "" {
		if name == "any" {
			return nil, errors.New("converter any needs its choices, as in <any(a,b):x>")
		}
		return c, nil
	}
	for _, raw := range strings.Split(args, ",") {
		arg := strings.TrimSpace(raw)
		key, val, hasKey := strings.Cut(arg, "=")
		if name == "any" {
			if hasKey || arg == "" {
				return nil, fmt.Errorf("converter any takes plain choices, got %q", arg)
			}
			c.items = append(c.items, unquote(arg))
			continue
		}
		key, val = strings.TrimSpace(key), unquote(strings.TrimSpace(val))
		if !hasKey || !contains(allowed, key) {
			return nil, fmt.Errorf("converter %s does not take argument %q", c.name, arg)
		}
		if err := c.setArg(key, val); err != nil {
			return nil, fmt.Errorf("converter %s argument %q: %w", c.name, arg, err)
		}
	}
	return c, nil
}

func (c *converter) setArg(key, val string) error {
	switch key {
	case "signed":
		b, err := strconv.ParseBool(strings.ToLower(val))
		c.signed = b
		return err
	case "min", "max":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(f) {
			return errors.New("not a number")
		}
		if key == "min" {
			c.min = &f
		} else {
			c.max = &f
		}
		return nil
	}
	n, err := strconv.Atoi(val)
	if err != nil || n < 0 {
		return errors.New("not a whole number")
	}
	if n > maxConvArg {
		return fmt.Errorf("%d is over the limit of %d", n, maxConvArg)
	}
	switch key {
	case "fixed_digits":
		c.fixed = n
	case "minlength":
		c.minLen = n
	case "maxlength":
		c.maxLen = n
	case "length":
		c.minLen, c.maxLen = n, n
	}
	return nil
}

// toURL formats a value for this converter and checks that the router
// would give the same value back.
func (c *converter) toURL(v any) (string, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case int32:
		s = strconv.FormatInt(int64(x), 10)
	case uint:
		s = strconv.FormatUint(uint64(x), 10)
	case uint64:
		s = strconv.FormatUint(x, 10)
	case uint32:
		s = strconv.FormatUint(uint64(x), 10)
	case float64:
		s = formatFloat(x)
	case float32:
		s = formatFloat(float64(x))
	case fmt.Stringer:
		s = x.String()
	default:
		s = fmt.Sprint(v)
	}
	if c.fixed > 0 && c.match != nil && c.name == "int" && len(s) < c.fixed && s != "" && s[0] != '-' {
		s = strings.Repeat("0", c.fixed-len(s)) + s
	}
	if !c.match(c, s) {
		return "", fmt.Errorf("value %q does not fit <%s:...>", s, c.name)
	}
	return s, nil
}

// formatFloat writes a float the way the float converter reads it back:
// always with a decimal point, never with an exponent.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
