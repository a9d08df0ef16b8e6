// The functions every template can call, and the helpers that stand in
// for what Jinja has and Go's template language lacks.

package flasky

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// builtinFuncs are the functions every template gets. The request
// functions among them (requestFuncs) are stand-ins: a page that calls
// one is rendered from a clone that binds them to the request
// (pageSet.bind), so these bodies serve only to let pages parse.
func (a *App) builtinFuncs() template.FuncMap {
	outside := func(name string) error {
		return fmt.Errorf("%s: called outside a request", name)
	}
	return template.FuncMap{
		"url_for": func(endpoint string, kv ...any) (string, error) {
			p, err := urlForArgs(endpoint, kv)
			if err != nil {
				return "", err
			}
			return a.URLFor(endpoint, p)
		},
		"static": func(filename string) (string, error) {
			return a.URLFor("static", M{"filename": filename})
		},
		"get_flashed_messages": func(...string) ([]Flash, error) { return nil, outside("get_flashed_messages") },
		"request":              func() (*Ctx, error) { return nil, outside("request") },
		"g":                    func() (map[string]any, error) { return nil, outside("g") },
		"session":              func() (map[string]any, error) { return nil, outside("session") },
		"vars":                 func() (M, error) { return nil, outside("vars") },
		// config is the app's: the same for every request.
		"config": func() *Config { return &a.Config },

		"safe":  func(s string) template.HTML { return template.HTML(s) },
		"upper": strings.ToUpper,
		"lower": strings.ToLower,
		"title": titleCase,
		"join": func(sep string, list any) (string, error) {
			v := reflect.ValueOf(list)
			if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
				return "", errors.New("join: not a list")
			}
			parts := make([]string, v.Len())
			for i := range parts {
				parts[i] = fmt.Sprint(v.Index(i).Interface())
			}
			return strings.Join(parts, sep), nil
		},
		"default": func(def, v any) any {
			if v == nil {
				return def
			}
			if rv := reflect.ValueOf(v); rv.IsZero() || ((rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.Len() == 0) {
				return def
			}
			return v
		},
		"tojson":   toJSON,
		"strftime": strftime,
		"last":     isLast,
		"add":      func(a, b int) int { return a + b },
	}
}

// toJSON is Jinja's tojson filter as Flask configures it: the value as
// JSON with <, >, & and ' written as \u003c, \u003e, \u0026 and \u0027,
// so the text can end neither a <script> element nor a quoted attribute.
// It is typed template.JS: inside <script> html/template writes it as it
// is (where a plain value would be turned into JSON again), and in an
// attribute or in HTML text it escapes it for HTML like any text, which
// the browser undoes before reading the value.
func toJSON(v any) (template.JS, error) {
	b, err := json.Marshal(v) // escapes <, > and & (and U+2028, U+2029)
	if err != nil {
		return "", fmt.Errorf("tojson: %w", err)
	}
	return template.JS(strings.ReplaceAll(string(b), "'", `\u0027`)), nil
}

// isLast reports whether i is the last index of list, for Jinja's
// loop.last: {{range $i, $p := .posts}}...{{if not (last $i $.posts)}}<hr>{{end}}{{end}}.
func isLast(i int, list any) (bool, error) {
	v := reflect.ValueOf(list)
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.String:
		return i == v.Len()-1, nil
	case reflect.Invalid:
		return false, nil // a nil list has no last element
	}
	return false, fmt.Errorf("last: %T is not a list", list)
}

// strftime formats a time with Python's strftime directives, for
// templates ported from Jinja: {{.created | strftime "%Y-%m-%d"}}, as
// post['created'].strftime('%Y-%m-%d'). Go's own way is
// {{.created.Format "2006-01-02"}}. The directives are C's (in the "C"
// locale) with glibc's %-d, %-m... that drop the leading zero; an
// unknown one is an error. A nil *time.Time gives "".
func strftime(format string, t any) (string, error) {
	var tm time.Time
	switch v := t.(type) {
	case time.Time:
		tm = v
	case *time.Time:
		if v == nil {
			return "", nil
		}
		tm = *v
	default:
		return "", fmt.Errorf("strftime: %T is not a time.Time", t)
	}
	var b []byte
	pad := func(n, width int, noPad bool) {
		s := strconv.Itoa(n)
		if !noPad {
			for i := len(s); i < width; i++ {
				b = append(b, '0')
			}
		}
		b = append(b, s...)
	}
	hour12 := tm.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	yday := tm.YearDay() - 1
	wday := int(tm.Weekday()) // Sunday 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b = append(b, format[i])
			continue
		}
		i++
		noPad := i < len(format) && format[i] == '-'
		if noPad {
			i++
		}
		if i >= len(format) {
			return "", fmt.Errorf("strftime %q: ends in %%", format)
		}
		switch d := format[i]; d {
		case 'Y':
			pad(tm.Year(), 4, noPad)
		case 'y':
			pad(tm.Year()%100, 2, noPad)
		case 'm':
			pad(int(tm.Month()), 2, noPad)
		case 'd':
			pad(tm.Day(), 2, noPad)
		case 'e':
			if tm.Day() < 10 && !noPad {
				b = append(b, ' ')
			}
			b = strconv.AppendInt(b, int64(tm.Day()), 10)
		case 'H':
			pad(tm.Hour(), 2, noPad)
		case 'I':
			pad(hour12, 2, noPad)
		case 'M':
			pad(tm.Minute(), 2, noPad)
		case 'S':
			pad(tm.Second(), 2, noPad)
		case 'f':
			pad(tm.Nanosecond()/1000, 6, noPad)
		case 'j':
			pad(yday+1, 3, noPad)
		case 'p':
			if tm.Hour() < 12 {
				b = append(b, "AM"...)
			} else {
				b = append(b, "PM"...)
			}
		case 'a':
			b = append(b, tm.Weekday().String()[:3]...)
		case 'A':
			b = append(b, tm.Weekday().String()...)
		case 'b', 'h':
			b = append(b, tm.Month().String()[:3]...)
		case 'B':
			b = append(b, tm.Month().String()...)
		case 'w':
			b = strconv.AppendInt(b, int64(wday), 10)
		case 'u':
			b = strconv.AppendInt(b, int64((wday+6)%7+1), 10)
		case 'U':
			pad((yday+7-wday)/7, 2, noPad)
		case 'W':
			pad((yday+7-(wday+6)%7)/7, 2, noPad)
		case 'G', 'V':
			y, w := tm.ISOWeek()
			if d == 'G' {
				pad(y, 4, noPad)
			} else {
				pad(w, 2, noPad)
			}
		case 'z':
			b = tm.AppendFormat(b, "-0700")
		case 'Z':
			b = tm.AppendFormat(b, "MST")
		case 'c':
			b = tm.AppendFormat(b, "Mon Jan _2 15:04:05 2006")
		case 'x', 'D':
			b = tm.AppendFormat(b, "01/02/06")
		case 'X', 'T':
			b = tm.AppendFormat(b, "15:04:05")
		case 'F':
			b = tm.AppendFormat(b, "2006-01-02")
		case 'R':
			b = tm.AppendFormat(b, "15:04")
		case '%':
			b = append(b, '%')
		default:
			return "", fmt.Errorf("strftime %q: unknown directive %%%c", format, d)
		}
	}
	return string(b), nil
}

// urlForArgs reads url_for's "key" value pairs; keys starting with '_'
// are url_for's options ({{url_for "post" "id" 7 "_anchor" "comments"}}).
func urlForArgs(endpoint string, kv []any) (M, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("url_for %q: needs key value pairs, got %d values", endpoint, len(kv))
	}
	p := make(M, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("url_for %q: key %v is not a string", endpoint, kv[i])
		}
		p[k] = kv[i+1]
	}
	return p, nil
}

// titleCase upper-cases the first letter of each word, like Jinja's title.
func titleCase(s string) string {
	b := []rune(strings.ToLower(s))
	start := true
	for i, r := range b {
		if start && r != ' ' {
			b[i] = []rune(strings.ToUpper(string(r)))[0]
		}
		start = r == ' ' || r == '-' || r == '\t' || r == '\n'
	}
	return string(b)
}
