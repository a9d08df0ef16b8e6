// Configuration as Flask loads it: Config and the app's own settings
// filled from a file, the environment, a map or a struct, by Flask's key
// names; the instance folder. None of it is linked into a program that
// does not call it.

package flasky

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// WithSettings sets Config.Settings, the app's own settings, when the app
// is made: flasky.New(flasky.WithSettings(&Settings{Database: "app.db"})).
// v must be a non-nil pointer, usually to a struct (see [Settings]).
func WithSettings(v any) Option {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic(fmt.Sprintf("flasky: WithSettings(%T): want a pointer to the settings, such as &Settings{...}", v))
	}
	return func(a *App) { a.Config.Settings = v }
}

// Settings returns the app's own settings, the *T kept in
// Config.Settings, from the app or from a handler's Ctx:
//
//	type Settings struct {
//		Database string // DATABASE in a config file, FLASKY_DATABASE in the environment
//	}
//
//	app.Config.Settings = &Settings{Database: filepath.Join(app.InstancePath(), "app.db")}
//	app.Route("/", func(c *flasky.Ctx) error {
//		db := flasky.Settings[Settings](c).Database
//		...
//	})
//
// It panics, naming both types, when Config.Settings holds anything but
// a *T: a mistake in the program, like a wrong type assertion, caught the
// first time the line runs.
func Settings[T any, A interface{ *App | *Ctx }](from A) *T {
	var a *App
	switch x := any(from).(type) {
	case *App:
		a = x
	case *Ctx:
		a = x.app
	}
	s, ok := a.Config.Settings.(*T)
	if !ok {
		var zero T
		if a.Config.Settings == nil {
			panic(fmt.Sprintf("flasky: Settings[%T]: the app has no settings: set app.Config.Settings = &%T{...}", zero, zero))
		}
		panic(fmt.Sprintf("flasky: Settings[%T]: the app's settings are a %T, not a *%T", zero, a.Config.Settings, zero))
	}
	return s
}

// WithInstancePath sets the app's instance folder (Flask's
// instance_path=), where the files of one installation live: its
// configuration, its secret key, an SQLite database. A relative dir is
// taken from the working directory.
func WithInstancePath(dir string) Option {
	return func(a *App) { a.instancePath = dir }
}

// InstancePath returns the app's instance folder, like Flask's
// app.instance_path: "instance" in the app's root folder ([App.RootPath],
// beside the source of the program) unless [WithInstancePath] set
// another. The folder is not made: make it when the program starts, as
// Flask's tutorial does, and keep it out of version control (instance/
// in .gitignore):
//
//	if err := os.MkdirAll(app.InstancePath(), 0o700); err != nil {
//		log.Fatal(err)
//	}
//	err := app.Config.FromFile(filepath.Join(app.InstancePath(), "config.json"), nil)
//	if err != nil && !errors.Is(err, fs.ErrNotExist) { // Flask's silent=True
//		log.Fatal(err)
//	}
func (a *App) InstancePath() string {
	if a.instancePath != "" {
		return a.instancePath
	}
	return filepath.Join(a.rootPath, "instance")
}

// FromFile loads the configuration from a file: a map of Flask's keys
// (see [Config.FromMapping]), decoded by load, or by json.Unmarshal when
// load is nil, as Flask's from_file(path, load=json.load). Any format
// whose package has an Unmarshal function loads the same way:
//
//	app.Config.FromFile("config.json", nil)
//	app.Config.FromFile("config.toml", toml.Unmarshal) // github.com/BurntSushi/toml
//
// A relative path is taken from the working directory; put the file in
// the instance folder with filepath.Join(app.InstancePath(), name). A
// missing file is an error that errors.Is(err, fs.ErrNotExist) tells,
// for a file that may be absent (Flask's silent=True). Nothing is
// changed unless every key loads.
func (c *Config) FromFile(path string, load func(data []byte, v any) error) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("flasky: config: %w", err)
	}
	if load == nil {
		load = json.Unmarshal
	}
	var m map[string]any
	if err := load(data, &m); err != nil {
		return fmt.Errorf("flasky: %s: %w", path, err)
	}
	return c.load(path, func(l *configLoad) { l.loadMap(l.keys, m, "") })
}

// FromPrefixedEnv loads the environment variables whose names start with
// prefix and "_", as Flask's from_prefixed_env: with the prefix "FLASKY",
// FLASKY_SECRET_KEY sets SecretKey, FLASKY_SESSION_LIFETIME=24h sets
// SessionLifetime, FLASKY_DATABASE a field Database of Config.Settings.
// The rest of the name is a key of [Config.FromMapping], and a value is
// read as written there for text. A double underscore reaches into a
// struct in the settings: FLASKY_DB__PATH is the field Path of the field
// DB. Variables with the prefix that name no key are left alone (the
// environment is shared with other programs, and with flasky's own
// FLASKY_ variables). Nothing is changed unless every variable loads.
func (c *Config) FromPrefixedEnv(prefix string) error {
	prefix = strings.TrimSuffix(prefix, "_") + "_"
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, prefix) {
			env = append(env, kv)
		}
	}
	slices.Sort(env)
	return c.load("", func(l *configLoad) {
		for _, kv := range env {
			name, value, _ := strings.Cut(kv, "=")
			l.loadEnv(name, strings.Split(name[len(prefix):], "__"), value)
		}
	})
}

// FromMapping loads the configuration from a map of keys to values, as
// Flask's from_mapping: the keys are Flask's, the fields' names in upper
// case with words split by "_" (SecretKey is SECRET_KEY), matched in any
// case, and where Flask names a setting otherwise its name works too.
// Fields of Config.Settings take the same keys (Database is DATABASE), or
// the name in a `flasky:"KEY"` tag (`flasky:"-"` leaves a field out); an
// embedded struct's fields are keys of their own, and a struct field is
// a map of its fields' keys. A key that names nothing is an error.
//
//	SECRET_KEY                  SecretKey
//	SECRET_KEY_FALLBACKS        SecretKeyFallbacks
//	DEBUG                       Debug
//	TEMPLATES_AUTO_RELOAD       TemplatesAutoReload
//	SEND_FILE_MAX_AGE_DEFAULT   SendFileMaxAgeDefault
//	TESTING                     Testing
//	PROPAGATE_EXCEPTIONS        PropagateExceptions
//	TRAP_HTTP_EXCEPTIONS        TrapHTTPExceptions
//	TRAP_BAD_REQUEST_ERRORS     TrapBadRequestErrors
//	MAX_CONTENT_LENGTH          MaxContentLength
//	MAX_FORM_MEMORY             MaxFormMemory (Flask: MAX_FORM_MEMORY_SIZE)
//	MAX_FORM_PARTS              MaxFormParts
//	MAX_JSON_BYTES              MaxJSONBytes
//	BODY_IDLE_TIMEOUT           BodyIdleTimeout
//	SESSION_COOKIE_NAME         SessionCookieName
//	SESSION_LIFETIME            SessionLifetime (Flask: PERMANENT_SESSION_LIFETIME)
//	SESSION_COOKIE_HTTPONLY     SessionCookieHTTPOnly
//	SESSION_COOKIE_SECURE       SessionCookieSecure
//	SESSION_COOKIE_SAME_SITE    SessionCookieSameSite (Flask: SESSION_COOKIE_SAMESITE)
//	SESSION_REFRESH_EACH_REQUEST SessionRefreshEachRequest
//	SESSION_COOKIE_DOMAIN       SessionCookieDomain
//	SESSION_COOKIE_PATH         SessionCookiePath
//	SESSION_COOKIE_PARTITIONED  SessionCookiePartitioned
//	MAX_COOKIE_SIZE             MaxCookieSize
//	SERVER_NAME                 ServerName
//	PREFERRED_URL_SCHEME        PreferredURLScheme
//	APPLICATION_ROOT            ApplicationRoot
//	TRUSTED_HOSTS               TrustedHosts
//
// A value of the field's own type is taken as it is. Otherwise text is
// read for the field's type, and numbers, lists and maps from a decoded
// file are taken where they fit:
//
//	string, []byte      the text
//	bool                true or false (also 1, 0, t, f, TRUE, False...)
//	integers            a whole number, with an optional byte unit:
//	                    16MB (16000000), 1MiB (1048576); B, kB, MB, GB,
//	                    TB, KiB, MiB, GiB, TiB, and K, M, G, T alone
//	time.Duration       Go's syntax (24h, 1h30m, 500ms) or a number of
//	                    seconds (3600, Flask's way)
//	http.SameSite       Lax, Strict or None
//	lists               a list, or text split at commas: a.com,.b.org
//	TextUnmarshaler     its UnmarshalText (netip.Addr, slog.Level...)
//	null (nil)          the zero value: flasky's default
//
// A value that does not fit is an error naming the key and the value.
// Nothing is changed unless every key loads.
func (c *Config) FromMapping(m map[string]any) error {
	return c.load("config", func(l *configLoad) { l.loadMap(l.keys, m, "") })
}

// FromStruct loads every exported field of v, a struct or a pointer to
// one, as Flask's from_object loads an object's upper-case attributes:
// each field's name gives its key as in [Config.FromMapping], so a
// struct of a few fields overrides those settings, zero values included:
//
//	type Production struct {
//		SessionCookieSecure bool
//		Database            string
//	}
//	app.Config.FromStruct(Production{SessionCookieSecure: true, Database: "/srv/app.db"})
func (c *Config) FromStruct(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("flasky: config: FromStruct(%T): want a struct", v)
	}
	return c.load("config", func(l *configLoad) { l.loadMap(l.keys, structMap(rv), "") })
}

// flaskKey returns Flask's name of a Config field whose key differs
// from it, or "". (A function, not a map: package variables are linked
// into every program.)
func flaskKey(field string) string {
	switch field {
	case "MaxFormMemory":
		return "MAX_FORM_MEMORY_SIZE"
	case "SessionLifetime":
		return "PERMANENT_SESSION_LIFETIME"
	case "SessionCookieSameSite":
		return "SESSION_COOKIE_SAMESITE"
	case "SessionCookieHTTPOnly":
		return "SESSION_COOKIE_HTTPONLY"
	}
	return ""
}

// configField is a field that a key sets.
type configField struct {
	name string        // for messages: Config.SecretKey, Settings.DB.Path
	v    reflect.Value // addressable
}

// configLoad gathers what a load sets, to set it only if all of it loads.
type configLoad struct {
	source string // the file, "config", or "" for the environment
	keys   map[string]*configField
	seen   map[string]string // field name to the key that set it
	sets   []configSet
	errs   []error
}

type configSet struct{ dst, v reflect.Value }

// load runs fill and then sets what it gathered, or returns its errors.
func (c *Config) load(source string, fill func(*configLoad)) error {
	l := &configLoad{source: source, keys: map[string]*configField{}, seen: map[string]string{}}
	if err := fieldKeys(l.keys, reflect.ValueOf(c).Elem(), "Config", true); err != nil {
		return err
	}
	if c.Settings != nil {
		sv := reflect.ValueOf(c.Settings)
		if sv.Kind() != reflect.Pointer || sv.IsNil() || sv.Elem().Kind() != reflect.Struct {
			return fmt.Errorf("flasky: config: Config.Settings is a %T: loading needs a pointer to a struct", c.Settings)
		}
		if err := fieldKeys(l.keys, sv.Elem(), "Settings", false); err != nil {
			return err
		}
	}
	fill(l)
	if len(l.errs) > 0 {
		return errors.Join(l.errs...)
	}
	for _, s := range l.sets {
		s.dst.Set(s.v)
	}
	return nil
}

// fieldKeys adds the keys of v's exported fields to keys.
func fieldKeys(keys map[string]*configField, v reflect.Value, owner string, isConfig bool) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("flasky")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			// Its exported fields are keys, as encoding/json takes them.
			if err := fieldKeys(keys, v.Field(i), owner, false); err != nil {
				return err
			}
			continue
		}
		if !f.IsExported() || tag == "-" || isConfig && f.Name == "Settings" {
			continue
		}
		field := &configField{name: owner + "." + f.Name, v: v.Field(i)}
		names := []string{upperSnake(f.Name)}
		if tag != "" {
			names[0] = strings.ToUpper(tag)
		}
		if alias := flaskKey(f.Name); isConfig && alias != "" {
			names = append(names, alias)
		}
		for _, key := range names {
			if old := keys[key]; old != nil {
				return fmt.Errorf("flasky: config: %s and %s both have the key %s: give one another name with a `flasky:\"KEY\"` tag", old.name, field.name, key)
			}
			keys[key] = field
		}
	}
	return nil
}

// upperSnake turns a Go name into a Flask key: SecretKey is SECRET_KEY,
// MaxJSONBytes MAX_JSON_BYTES, S3Bucket S3_BUCKET.
func upperSnake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// nested reports whether a field of type t is loaded field by field.
func nested(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
}

// structMap returns v's exported fields by their keys.
func structMap(v reflect.Value) map[string]any {
	m := map[string]any{}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("flasky")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			for k, x := range structMap(v.Field(i)) {
				m[k] = x
			}
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		key := upperSnake(f.Name)
		if tag != "" {
			key = tag
		}
		m[key] = v.Field(i).Interface()
	}
	return m
}

// set records that key (as the user wrote it) sets field to v.
func (l *configLoad) set(key string, field *configField, v reflect.Value) {
	if other, ok := l.seen[field.name]; ok {
		l.errs = append(l.errs, fmt.Errorf("flasky: %s%s and %s both set %s", l.where(), other, key, field.name))
		return
	}
	l.seen[field.name] = key
	l.sets = append(l.sets, configSet{field.v, v})
}

func (l *configLoad) where() string {
	if l.source == "" {
		return ""
	}
	return l.source + ": "
}

func (l *configLoad) fail(key string, value any, err error) {
	l.errs = append(l.errs, fmt.Errorf("flasky: %s%s=%s: %w", l.where(), key, show(value), err))
}

// show writes a value for an error message.
func show(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v", v)
}

// loadMap loads m into the fields that keys name; path is the keys of the
// maps m is in ("DB.").
func (l *configLoad) loadMap(keys map[string]*configField, m map[string]any, path string) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		field := keys[strings.ToUpper(k)]
		if field == nil {
			l.errs = append(l.errs, fmt.Errorf("flasky: %sunknown key %s%s", l.where(), path, k))
			continue
		}
		l.loadValue(path+k, field, m[k])
	}
}

// loadValue loads src, from a map, into field.
func (l *configLoad) loadValue(key string, field *configField, src any) {
	t := field.v.Type()
	if nested(t) && src != nil && !reflect.TypeOf(src).AssignableTo(t) {
		var m map[string]any
		switch x := src.(type) {
		case map[string]any:
			m = x
		case map[any]any: // YAML's maps
			m = map[string]any{}
			for k, v := range x {
				m[fmt.Sprint(k)] = v
			}
		default:
			if rv := reflect.ValueOf(src); rv.Kind() == reflect.Struct {
				m = structMap(rv)
			} else {
				l.fail(key, src, errors.New("want a table of keys"))
				return
			}
		}
		keys := map[string]*configField{}
		if err := fieldKeys(keys, field.v, field.name, false); err != nil {
			l.errs = append(l.errs, err)
			return
		}
		l.loadMap(keys, m, key+".")
		return
	}
	v, err := convert(t, src)
	if err != nil {
		l.fail(key, src, err)
		return
	}
	l.set(key, field, v)
}

// loadEnv loads an environment variable's value into the field its key
// path names, if one does.
func (l *configLoad) loadEnv(name string, path []string, value string) {
	keys := l.keys
	for i, k := range path {
		field := keys[strings.ToUpper(k)]
		if field == nil {
			return
		}
		if i == len(path)-1 {
			if nested(field.v.Type()) {
				l.fail(name, value, fmt.Errorf("%s is a struct: set its fields, as %s__%s", field.name, name, "NAME"))
				return
			}
			v, err := convert(field.v.Type(), value)
			if err != nil {
				l.fail(name, value, err)
				return
			}
			l.set(name, field, v)
			return
		}
		if !nested(field.v.Type()) {
			return
		}
		keys = map[string]*configField{}
		if err := fieldKeys(keys, field.v, field.name, false); err != nil {
			l.errs = append(l.errs, err)
			return
		}
	}
}

// convert returns src as a value of type t.
func convert(t reflect.Type, src any) (reflect.Value, error) {
	if src == nil {
		return reflect.Zero(t), nil
	}
	sv := reflect.ValueOf(src)
	if sv.Type().AssignableTo(t) {
		return sv, nil
	}
	s, isText := src.(string)
	switch {
	case t == reflect.TypeFor[time.Duration]():
		if isText {
			d, err := parseSeconds(s)
			return reflect.ValueOf(d), err
		}
		if f, ok := number(sv); ok {
			d, err := seconds(f)
			return reflect.ValueOf(d), err
		}
		return reflect.Value{}, errDuration()
	case t == reflect.TypeFor[http.SameSite]():
		if isText {
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "lax":
				return reflect.ValueOf(http.SameSiteLaxMode), nil
			case "strict":
				return reflect.ValueOf(http.SameSiteStrictMode), nil
			case "none":
				return reflect.ValueOf(http.SameSiteNoneMode), nil
			}
		}
		return reflect.Value{}, errors.New("want Lax, Strict or None")
	case isText && reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()):
		v := reflect.New(t)
		if err := v.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return reflect.Value{}, err
		}
		return v.Elem(), nil
	}
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		if !isText {
			return v, errors.New("want text")
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := src.(bool)
		if isText {
			var err error
			b, err = strconv.ParseBool(strings.TrimSpace(s))
			ok = err == nil
		}
		if !ok {
			return v, errors.New("want true or false")
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := wholeNumber(src, sv)
		if err == nil && v.OverflowInt(n) {
			err = errors.New("out of range")
		}
		if err != nil {
			return v, err
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := wholeNumber(src, sv)
		if err == nil && (n < 0 || v.OverflowUint(uint64(n))) {
			err = errors.New("out of range")
		}
		if err != nil {
			return v, err
		}
		v.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		f, ok := number(sv)
		if isText {
			var err error
			f, err = strconv.ParseFloat(strings.TrimSpace(s), 64)
			ok = err == nil
		}
		if !ok {
			return v, errors.New("want a number")
		}
		v.SetFloat(f)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && isText {
			return reflect.ValueOf([]byte(s)).Convert(t), nil
		}
		var items []any
		switch {
		case isText:
			for item := range strings.SplitSeq(s, ",") {
				if item = strings.TrimSpace(item); item != "" {
					items = append(items, item)
				}
			}
		case sv.Kind() == reflect.Slice || sv.Kind() == reflect.Array:
			for i := range sv.Len() {
				items = append(items, sv.Index(i).Interface())
			}
		default:
			return v, errors.New("want a list")
		}
		list := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			x, err := convert(t.Elem(), item)
			if err != nil {
				return v, fmt.Errorf("item %d, %s: %w", i+1, show(item), err)
			}
			list.Index(i).Set(x)
		}
		return list, nil
	default:
		return v, fmt.Errorf("a %s cannot be loaded from a %T", t, src)
	}
	return v, nil
}

// errDuration is a function's result, not a variable: see flaskKey.
func errDuration() error {
	return errors.New("want a duration such as 24h, 1h30m or 500ms, or a number of seconds")
}

// number returns sv's value if it is a number.
func number(sv reflect.Value) (float64, bool) {
	switch sv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(sv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(sv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return sv.Float(), true
	}
	return 0, false
}

// wholeNumber reads an integer: a number without a fraction, or text
// with an optional byte unit.
func wholeNumber(src any, sv reflect.Value) (int64, error) {
	if s, ok := src.(string); ok {
		return parseSize(s)
	}
	switch sv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return sv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if sv.Uint() > math.MaxInt64 {
			return 0, errors.New("out of range")
		}
		return int64(sv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		f := sv.Float()
		if f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
			return 0, errors.New("want a whole number")
		}
		return int64(f), nil
	}
	return 0, errors.New("want a whole number")
}

// sizeUnit returns what a byte unit, in lower case, multiplies by.
func sizeUnit(unit string) (int64, bool) {
	switch unit {
	case "", "b":
		return 1, true
	case "k", "kb":
		return 1e3, true
	case "m", "mb":
		return 1e6, true
	case "g", "gb":
		return 1e9, true
	case "t", "tb":
		return 1e12, true
	case "kib":
		return 1 << 10, true
	case "mib":
		return 1 << 20, true
	case "gib":
		return 1 << 30, true
	case "tib":
		return 1 << 40, true
	}
	return 0, false
}

// parseSize reads "16MB", "1MiB" or "500".
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '-' && r != '+' })
	if i < 0 {
		i = len(s)
	}
	unit, ok := sizeUnit(strings.ToLower(strings.TrimSpace(s[i:])))
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if !ok || err != nil {
		return 0, errors.New("want a whole number, or a size such as 16MB or 1MiB")
	}
	if n > math.MaxInt64/unit || n < math.MinInt64/unit {
		return 0, errors.New("out of range")
	}
	return n * unit, nil
}

// parseSeconds reads a Go duration ("24h") or a number of seconds.
func parseSeconds(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return seconds(f)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errDuration()
	}
	return d, nil
}

func seconds(f float64) (time.Duration, error) {
	d := f * float64(time.Second)
	if math.IsNaN(d) || d >= math.MaxInt64 || d <= math.MinInt64 {
		return 0, errDuration()
	}
	return time.Duration(d), nil
}
