package flasky_test

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// appSettings is an app's own settings, as a test loads them.
type appSettings struct {
	Database   string
	S3Bucket   string
	Workers    int
	Timeout    time.Duration
	Admins     []string
	Level      slog.Level // a TextUnmarshaler
	Listen     netip.Addr // a TextUnmarshaler struct: one value, not a table
	Renamed    string     `flasky:"OTHER_NAME"`
	Skipped    string     `flasky:"-"`
	DB         dbSettings
	mailShare  // embedded: its fields are keys of their own
	unexported string
}

type dbSettings struct {
	Path    string
	MaxOpen int
}

type mailShare struct{ MailFrom string }

// TestConfigFromMapping loads each kind of Config field, by its key, its
// Flask name and in other spellings, and compares the whole Config with
// the defaults changed as the case says.
func TestConfigFromMapping(t *testing.T) {
	tests := []struct {
		name string
		m    map[string]any
		want func(c *flasky.Config)
	}{
		{"secret key", map[string]any{"SECRET_KEY": "dev"}, func(c *flasky.Config) { c.SecretKey = []byte("dev") }},
		{"secret key bytes", map[string]any{"SECRET_KEY": []byte("dev")}, func(c *flasky.Config) { c.SecretKey = []byte("dev") }},
		{"lower case key", map[string]any{"secret_key": "dev"}, func(c *flasky.Config) { c.SecretKey = []byte("dev") }},
		{"fallbacks list", map[string]any{"SECRET_KEY_FALLBACKS": []any{"old", "older"}}, func(c *flasky.Config) {
			c.SecretKeyFallbacks = [][]byte{[]byte("old"), []byte("older")}
		}},
		{"fallbacks text", map[string]any{"SECRET_KEY_FALLBACKS": "old, older"}, func(c *flasky.Config) {
			c.SecretKeyFallbacks = [][]byte{[]byte("old"), []byte("older")}
		}},
		{"debug", map[string]any{"DEBUG": true}, func(c *flasky.Config) { c.Debug = true }},
		{"debug text", map[string]any{"DEBUG": "1"}, func(c *flasky.Config) { c.Debug = true }},
		{"testing", map[string]any{"TESTING": "true"}, func(c *flasky.Config) { c.Testing = true }},
		{"size int", map[string]any{"MAX_CONTENT_LENGTH": 16000000}, func(c *flasky.Config) { c.MaxContentLength = 16e6 }},
		{"size float", map[string]any{"MAX_CONTENT_LENGTH": 16e6}, func(c *flasky.Config) { c.MaxContentLength = 16e6 }},
		{"size MB", map[string]any{"MAX_CONTENT_LENGTH": "16MB"}, func(c *flasky.Config) { c.MaxContentLength = 16e6 }},
		{"size MiB", map[string]any{"MAX_CONTENT_LENGTH": "1 MiB"}, func(c *flasky.Config) { c.MaxContentLength = 1 << 20 }},
		{"size k", map[string]any{"MAX_JSON_BYTES": "64k"}, func(c *flasky.Config) { c.MaxJSONBytes = 64000 }},
		{"form memory flask name", map[string]any{"MAX_FORM_MEMORY_SIZE": 1000}, func(c *flasky.Config) { c.MaxFormMemory = 1000 }},
		{"form parts", map[string]any{"MAX_FORM_PARTS": "10"}, func(c *flasky.Config) { c.MaxFormParts = 10 }},
		{"lifetime go", map[string]any{"SESSION_LIFETIME": "24h"}, func(c *flasky.Config) { c.SessionLifetime = 24 * time.Hour }},
		{"lifetime seconds text", map[string]any{"SESSION_LIFETIME": "3600"}, func(c *flasky.Config) { c.SessionLifetime = time.Hour }},
		{"lifetime seconds number", map[string]any{"PERMANENT_SESSION_LIFETIME": 2678400}, func(c *flasky.Config) { c.SessionLifetime = 31 * 24 * time.Hour }},
		{"lifetime duration", map[string]any{"SESSION_LIFETIME": 90 * time.Minute}, func(c *flasky.Config) { c.SessionLifetime = 90 * time.Minute }},
		{"idle timeout fraction", map[string]any{"BODY_IDLE_TIMEOUT": 1.5}, func(c *flasky.Config) { c.BodyIdleTimeout = 1500 * time.Millisecond }},
		{"idle timeout off", map[string]any{"BODY_IDLE_TIMEOUT": 0}, func(c *flasky.Config) { c.BodyIdleTimeout = 0 }},
		{"samesite flask name", map[string]any{"SESSION_COOKIE_SAMESITE": "Strict"}, func(c *flasky.Config) { c.SessionCookieSameSite = http.SameSiteStrictMode }},
		{"samesite", map[string]any{"SESSION_COOKIE_SAME_SITE": "none"}, func(c *flasky.Config) { c.SessionCookieSameSite = http.SameSiteNoneMode }},
		{"samesite null", map[string]any{"SESSION_COOKIE_SAMESITE": nil}, func(c *flasky.Config) {}},
		{"cookie", map[string]any{"SESSION_COOKIE_NAME": "s", "SESSION_COOKIE_SECURE": "TRUE"}, func(c *flasky.Config) {
			c.SessionCookieName, c.SessionCookieSecure = "s", true
		}},
		{"urls", map[string]any{"SERVER_NAME": "example.com:8443", "PREFERRED_URL_SCHEME": "https", "APPLICATION_ROOT": "/app"}, func(c *flasky.Config) {
			c.ServerName, c.PreferredURLScheme, c.ApplicationRoot = "example.com:8443", "https", "/app"
		}},
		{"trusted hosts text", map[string]any{"TRUSTED_HOSTS": "example.com,.example.org"}, func(c *flasky.Config) {
			c.TrustedHosts = []string{"example.com", ".example.org"}
		}},
		{"trusted hosts list", map[string]any{"TRUSTED_HOSTS": []string{"example.com"}}, func(c *flasky.Config) {
			c.TrustedHosts = []string{"example.com"}
		}},
		{"trusted hosts empty", map[string]any{"TRUSTED_HOSTS": ""}, func(c *flasky.Config) { c.TrustedHosts = []string{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := flasky.New()
			want := app.Config
			tt.want(&want)
			if err := app.Config.FromMapping(tt.m); err != nil {
				t.Fatalf("FromMapping(%v): %v", tt.m, err)
			}
			if !reflect.DeepEqual(app.Config, want) {
				t.Errorf("FromMapping(%v):\n got %+v\nwant %+v", tt.m, app.Config, want)
			}
		})
	}
}

// TestConfigErrors gives values that do not fit, and keys that name
// nothing: the error names the key and the value, and nothing changes.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		m    map[string]any
		want []string // in the error
	}{
		{"unknown key", map[string]any{"SECRET_KEYS": "x"}, []string{"unknown key SECRET_KEYS"}},
		{"bad duration", map[string]any{"SESSION_LIFETIME": "a day"}, []string{`SESSION_LIFETIME="a day"`, "duration"}},
		{"duration from bool", map[string]any{"SESSION_LIFETIME": true}, []string{"SESSION_LIFETIME=true", "duration"}},
		{"bad bool", map[string]any{"DEBUG": "yes please"}, []string{`DEBUG="yes please"`, "true or false"}},
		{"bool from number", map[string]any{"DEBUG": 1}, []string{"DEBUG=1"}},
		{"bad size", map[string]any{"MAX_CONTENT_LENGTH": "16 megs"}, []string{`MAX_CONTENT_LENGTH="16 megs"`, "16MB"}},
		{"fraction", map[string]any{"MAX_CONTENT_LENGTH": 1.5}, []string{"MAX_CONTENT_LENGTH=1.5", "whole number"}},
		{"size overflow", map[string]any{"MAX_CONTENT_LENGTH": "10000000TB"}, []string{"out of range"}},
		{"int overflow", map[string]any{"MAX_FORM_PARTS": "99999999999999999999"}, []string{"MAX_FORM_PARTS="}},
		{"samesite", map[string]any{"SESSION_COOKIE_SAMESITE": "Loose"}, []string{`SESSION_COOKIE_SAMESITE="Loose"`, "Lax, Strict or None"}},
		{"string from number", map[string]any{"SERVER_NAME": 8080}, []string{"SERVER_NAME=8080", "want text"}},
		{"list item", map[string]any{"TRUSTED_HOSTS": []any{"a.com", 7}}, []string{"TRUSTED_HOSTS=", "item 2"}},
		{"alias twice", map[string]any{"SESSION_LIFETIME": "1h", "PERMANENT_SESSION_LIFETIME": 60}, []string{"PERMANENT_SESSION_LIFETIME and SESSION_LIFETIME both set Config.SessionLifetime"}},
		{"one bad among good", map[string]any{"SECRET_KEY": "x", "DEBUG": "maybe"}, []string{`DEBUG="maybe"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := flasky.New()
			before := app.Config
			err := app.Config.FromMapping(tt.m)
			if err == nil {
				t.Fatalf("FromMapping(%v): no error", tt.m)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("FromMapping(%v) = %q, want it to say %q", tt.m, err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "flasky: config: ") {
				t.Errorf("error %q does not start with flasky: config:", err)
			}
			if !reflect.DeepEqual(app.Config, before) {
				t.Errorf("a failed load changed Config:\n got %+v\nwant %+v", app.Config, before)
			}
		})
	}
}

// TestConfigSettings loads the app's own settings: by field names, tags,
// nested and embedded structs, TextUnmarshalers.
func TestConfigSettings(t *testing.T) {
	tests := []struct {
		name string
		m    map[string]any
		want func(s *appSettings)
	}{
		{"string", map[string]any{"DATABASE": "app.db"}, func(s *appSettings) { s.Database = "app.db" }},
		{"digits in a name", map[string]any{"S3_BUCKET": "b"}, func(s *appSettings) { s.S3Bucket = "b" }},
		{"int", map[string]any{"WORKERS": "4"}, func(s *appSettings) { s.Workers = 4 }},
		{"duration", map[string]any{"TIMEOUT": "2s"}, func(s *appSettings) { s.Timeout = 2 * time.Second }},
		{"list", map[string]any{"ADMINS": "kim, lee"}, func(s *appSettings) { s.Admins = []string{"kim", "lee"} }},
		{"text unmarshaler", map[string]any{"LEVEL": "warn", "LISTEN": "127.0.0.1"}, func(s *appSettings) {
			s.Level, s.Listen = slog.LevelWarn, netip.MustParseAddr("127.0.0.1")
		}},
		{"tag", map[string]any{"OTHER_NAME": "x"}, func(s *appSettings) { s.Renamed = "x" }},
		{"nested", map[string]any{"DB": map[string]any{"path": "/srv/app.db", "MAX_OPEN": 3}}, func(s *appSettings) {
			s.DB = dbSettings{Path: "/srv/app.db", MaxOpen: 3}
		}},
		{"nested keeps the rest", map[string]any{"DB": map[string]any{"MAX_OPEN": 3}}, func(s *appSettings) { s.DB.MaxOpen = 3 }},
		{"nested struct value", map[string]any{"DB": dbSettings{Path: "p"}}, func(s *appSettings) { s.DB = dbSettings{Path: "p"} }},
		{"embedded", map[string]any{"MAIL_FROM": "a@b"}, func(s *appSettings) { s.MailFrom = "a@b" }},
		{"with flasky's", map[string]any{"DATABASE": "x", "SECRET_KEY": "k"}, func(s *appSettings) { s.Database = "x" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &appSettings{DB: dbSettings{Path: "default.db"}}
			want := *s
			tt.want(&want)
			app := flasky.New(flasky.WithSettings(s))
			if err := app.Config.FromMapping(tt.m); err != nil {
				t.Fatalf("FromMapping(%v): %v", tt.m, err)
			}
			if !reflect.DeepEqual(*s, want) {
				t.Errorf("FromMapping(%v):\n got %+v\nwant %+v", tt.m, *s, want)
			}
		})
	}

	for _, tt := range []struct {
		name string
		m    map[string]any
		want string
	}{
		{"skipped field", map[string]any{"SKIPPED": "x"}, "unknown key SKIPPED"},
		{"unexported field", map[string]any{"UNEXPORTED": "x"}, "unknown key UNEXPORTED"},
		{"nested unknown", map[string]any{"DB": map[string]any{"PORT": 1}}, "unknown key DB.PORT"},
		{"nested not a table", map[string]any{"DB": "x.db"}, `DB="x.db": want a table of keys`},
		{"text unmarshaler error", map[string]any{"LISTEN": "nowhere"}, `LISTEN="nowhere"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			app := flasky.New(flasky.WithSettings(&appSettings{unexported: "kept"}))
			err := app.Config.FromMapping(tt.m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("FromMapping(%v) = %v, want an error saying %q", tt.m, err, tt.want)
			}
		})
	}
}

// TestConfigSettingsKeyClash: a settings field may not take a key of
// Config's.
func TestConfigSettingsKeyClash(t *testing.T) {
	type clash struct{ Debug bool }
	app := flasky.New(flasky.WithSettings(&clash{}))
	err := app.Config.FromMapping(map[string]any{"DEBUG": true})
	if err == nil || !strings.Contains(err.Error(), "Config.Debug and Settings.Debug both have the key DEBUG") {
		t.Errorf("FromMapping with a settings field Debug = %v, want a clash of keys", err)
	}
	app.Config.Settings = appSettings{}
	if err := app.Config.FromMapping(nil); err == nil || !strings.Contains(err.Error(), "pointer to a struct") {
		t.Errorf("FromMapping with settings that are not a pointer = %v, want an error", err)
	}
}

func TestConfigFromPrefixedEnv(t *testing.T) {
	t.Setenv("FLASKY_SECRET_KEY", "from env")
	t.Setenv("FLASKY_SESSION_LIFETIME", "24h")
	t.Setenv("FLASKY_MAX_CONTENT_LENGTH", "16MB")
	t.Setenv("FLASKY_TRUSTED_HOSTS", "example.com,.example.org")
	t.Setenv("FLASKY_TESTING", "1")
	t.Setenv("FLASKY_DATABASE", "/srv/app.db")
	t.Setenv("FLASKY_DB__MAX_OPEN", "8")
	t.Setenv("FLASKY_RELOADER_FDS", "3") // not a key: left alone
	t.Setenv("FLASKY_DB__NOPE", "x")     // not a key either
	t.Setenv("MYAPP_DATABASE", "other.db")
	s := &appSettings{}
	app := flasky.New(flasky.WithSettings(s))
	if err := app.Config.FromPrefixedEnv("FLASKY"); err != nil {
		t.Fatal(err)
	}
	c := app.Config
	if string(c.SecretKey) != "from env" || c.SessionLifetime != 24*time.Hour || c.MaxContentLength != 16e6 ||
		!reflect.DeepEqual(c.TrustedHosts, []string{"example.com", ".example.org"}) || !c.Testing {
		t.Errorf("Config after FromPrefixedEnv: %+v", c)
	}
	if s.Database != "/srv/app.db" || s.DB.MaxOpen != 8 {
		t.Errorf("settings after FromPrefixedEnv: %+v", s)
	}
	if err := app.Config.FromPrefixedEnv("MYAPP_"); err != nil || s.Database != "other.db" {
		t.Errorf("FromPrefixedEnv(MYAPP_) = %v, Database %q", err, s.Database)
	}

	t.Setenv("FLASKY_SESSION_LIFETIME", "a day")
	t.Setenv("FLASKY_DEBUG", "maybe")
	t.Setenv("FLASKY_SECRET_KEY", "changed")
	err := app.Config.FromPrefixedEnv("FLASKY")
	for _, want := range []string{`flasky: FLASKY_SESSION_LIFETIME="a day": want a duration`, `flasky: FLASKY_DEBUG="maybe"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromPrefixedEnv with bad values = %v, want it to say %q", err, want)
		}
	}
	if string(app.Config.SecretKey) != "from env" {
		t.Errorf("a failed FromPrefixedEnv changed SecretKey to %q", app.Config.SecretKey)
	}
}

func TestConfigFromFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	s := &appSettings{}
	app := flasky.New(flasky.WithSettings(s))
	path := write("config.json", `{
		"SECRET_KEY": "dev",
		"PERMANENT_SESSION_LIFETIME": 3600,
		"MAX_CONTENT_LENGTH": 16777216,
		"TRUSTED_HOSTS": ["example.com"],
		"DATABASE": "app.db",
		"DB": {"PATH": "x.db"}
	}`)
	if err := app.Config.FromFile(path, nil); err != nil {
		t.Fatal(err)
	}
	c := app.Config
	if string(c.SecretKey) != "dev" || c.SessionLifetime != time.Hour || c.MaxContentLength != 16<<20 ||
		!reflect.DeepEqual(c.TrustedHosts, []string{"example.com"}) || s.Database != "app.db" || s.DB.Path != "x.db" {
		t.Errorf("after FromFile: %+v, settings %+v", c, s)
	}

	// Any Unmarshal-like function loads another format: here lines of
	// key = value.
	lines := func(data []byte, v any) error {
		m := map[string]any{}
		for line := range strings.Lines(string(data)) {
			if k, val, ok := strings.Cut(line, "="); ok {
				m[strings.TrimSpace(k)] = strings.TrimSpace(val)
			}
		}
		*v.(*map[string]any) = m
		return nil
	}
	if err := app.Config.FromFile(write("config.ini", "workers = 3\nsession_lifetime = 2h\n"), lines); err != nil {
		t.Fatal(err)
	}
	if s.Workers != 3 || app.Config.SessionLifetime != 2*time.Hour {
		t.Errorf("after FromFile with a loader: workers %d, lifetime %v", s.Workers, app.Config.SessionLifetime)
	}

	for _, tt := range []struct {
		name, path string
		is         error
		want       string
	}{
		{"missing", filepath.Join(dir, "none.json"), fs.ErrNotExist, "none.json"},
		{"bad json", write("bad.json", `{"SECRET_KEY": }`), nil, "bad.json"},
		{"not an object", write("list.json", `[1, 2]`), nil, "list.json"},
		{"bad value", write("value.json", `{"DEBUG": "maybe"}`), nil, `value.json: DEBUG="maybe"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := app.Config.FromFile(tt.path, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) || tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("FromFile(%s) = %v, want an error saying %q (is %v)", tt.path, err, tt.want, tt.is)
			}
		})
	}
}

func TestConfigFromStruct(t *testing.T) {
	type production struct {
		SessionCookieSecure bool
		SessionLifetime     int // seconds, as Flask's PERMANENT_SESSION_LIFETIME
		Database            string
		Key                 string `flasky:"SECRET_KEY"`
	}
	s := &appSettings{Database: "dev.db"}
	app := flasky.New(flasky.WithSettings(s))
	if err := app.Config.FromStruct(&production{SessionCookieSecure: true, SessionLifetime: 60, Database: "/srv/app.db", Key: "k"}); err != nil {
		t.Fatal(err)
	}
	if !app.Config.SessionCookieSecure || app.Config.SessionLifetime != time.Minute || string(app.Config.SecretKey) != "k" || s.Database != "/srv/app.db" {
		t.Errorf("after FromStruct: %+v, settings %+v", app.Config, s)
	}
	// Zero values are copied too, as from_object copies every attribute.
	if err := app.Config.FromStruct(production{}); err != nil || s.Database != "" {
		t.Errorf("FromStruct of zero values = %v, Database %q", err, s.Database)
	}
	type typo struct{ SecretKye string }
	if err := app.Config.FromStruct(typo{}); err == nil || !strings.Contains(err.Error(), "unknown key SECRET_KYE") {
		t.Errorf("FromStruct with an unknown field = %v", err)
	}
	if err := app.Config.FromStruct("x"); err == nil {
		t.Error("FromStruct(a string): no error")
	}
}

// TestSettingsAccessor reads the settings from the app and from a
// handler, and checks the panics of a program's mistakes.
func TestSettingsAccessor(t *testing.T) {
	app := flasky.New()
	app.Config.Settings = &appSettings{Database: "app.db"}
	if got := flasky.Settings[appSettings](app).Database; got != "app.db" {
		t.Errorf("Settings(app).Database = %q", got)
	}
	app.Route("/", func(c *flasky.Ctx) error { return c.String(flasky.Settings[appSettings](c).Database) })
	if body := get(app, "/").Body.String(); body != "app.db" {
		t.Errorf("Settings(c).Database in a handler = %q", body)
	}

	v := mustPanic(t, func() { flasky.Settings[dbSettings](app) })
	if msg := v.(string); !strings.Contains(msg, "flasky_test.dbSettings") || !strings.Contains(msg, "*flasky_test.appSettings") {
		t.Errorf("Settings of the wrong type panics with %q", msg)
	}
	v = mustPanic(t, func() { flasky.Settings[dbSettings](flasky.New()) })
	if msg := v.(string); !strings.Contains(msg, "no settings") {
		t.Errorf("Settings of an app without settings panics with %q", msg)
	}
	mustPanic(t, func() { flasky.WithSettings(appSettings{}) })
}

func TestInstancePath(t *testing.T) {
	app := flasky.New()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := app.InstancePath(), filepath.Join(wd, "instance"); got != want {
		t.Errorf("InstancePath() = %q, want %q (beside this test's source)", got, want)
	}
	if got := flasky.New(flasky.WithRoot("/srv/app")).InstancePath(); got != filepath.Join("/srv/app", "instance") {
		t.Errorf("InstancePath() with WithRoot = %q", got)
	}
	if got := flasky.New(flasky.WithInstancePath("/var/lib/app")).InstancePath(); got != "/var/lib/app" {
		t.Errorf("InstancePath() with WithInstancePath = %q", got)
	}
}

// TestConfigKeysDocumented checks that FromMapping's table lists every
// field of Config, and that its keys (and Flask's names) set that field.
func TestConfigKeysDocumented(t *testing.T) {
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	ct := reflect.TypeFor[flasky.Config]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		if f.Name == "Settings" {
			continue
		}
		row := regexp.MustCompile(`(?m)^//\t([A-Z_]+) +` + f.Name + `( \(Flask: ([A-Z_]+)\))?$`).FindSubmatch(src)
		if row == nil {
			t.Errorf("FromMapping's table has no row for Config.%s", f.Name)
			continue
		}
		for _, key := range []string{string(row[1]), string(row[3])} {
			if key == "" {
				continue
			}
			// Make the field something, and see the key's null clear it.
			var c flasky.Config
			fv := reflect.ValueOf(&c).Elem().Field(i)
			switch fv.Kind() {
			case reflect.Bool:
				fv.SetBool(true)
			case reflect.Int, reflect.Int64:
				fv.SetInt(1)
			case reflect.String:
				fv.SetString("x")
			case reflect.Slice:
				fv.Set(reflect.MakeSlice(fv.Type(), 1, 1))
			default:
				t.Fatalf("Config.%s: a %s, which this test cannot set", f.Name, fv.Type())
			}
			if err := c.FromMapping(map[string]any{key: nil}); err != nil || !fv.IsZero() {
				t.Errorf("the table's key %s does not set Config.%s (error %v)", key, f.Name, err)
			}
		}
	}
}
