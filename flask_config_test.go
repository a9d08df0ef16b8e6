package flasky_test

// Flask's tests/test_config.py (Flask 3.1), ported: each Flask test is a
// subtest of TestFlaskConfig named after it. Flask keeps its settings and
// the app's in one dict; flasky keeps its own in app.Config and the
// app's in Config.Settings, a struct (README, "Configuration"), so
// TEST_KEY and the other keys of these tests are fields of the test's
// settings struct, loaded by the same keys. A Python module or class
// given to from_object is a Go struct given to FromStruct.
//
// TestFlaskBasicConfig holds the tests of tests/test_basic.py about
// settings that flask_basic_test.go left to issue #18: exception
// propagation and trapping (TESTING, PROPAGATE_EXCEPTIONS, DEBUG,
// TRAP_*), and the JSON provider's settings.
//
// Not ported, of test_config.py:
//   - test_config_from_pyfile, test_config_missing,
//     test_from_pyfile_weird_encoding: Python-only (a Python source file
//     run as configuration, and its source encoding).
//   - test_config_from_envvar, test_config_from_envvar_missing:
//     Python-only (from_envvar is from_pyfile of the file an environment
//     variable names).
//   - test_custom_config_class: Python-only (a Flask subclass's
//     config_class).
//   - test_get_namespace: missing in flasky: Config.get_namespace (the
//     settings whose keys start with a prefix, as a dict); flasky's
//     settings are a struct's fields, a group of them a nested struct.
//
// Not ported, of test_basic.py:
//   - test_werkzeug_passthrough_errors, test_run_defaults,
//     test_run_server_port: Python-only (they read the arguments app.run
//     hands to a monkeypatched werkzeug.serving.run_simple).
//   - test_run_from_config: missing in flasky: app.run's host and port
//     taken from SERVER_NAME when not given (App.Run takes its address).
//   - test_jsonify_mimetype: missing in flasky: the JSON provider's
//     mimetype (app.json.mimetype); c.JSON always sends application/json.
//
// Parts of ported tests left out: from_mapping given a list of pairs,
// keyword arguments or two dicts (Python's calling forms, the same map in
// Go), and common_object_test's check that "TestConfig" is no key (a Go
// struct has no key it does not declare).

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

func TestFlaskConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"config_from_object", fcConfigFromObject},
		{"config_from_file_json", fcConfigFromFileJSON},
		{"config_from_file_toml", fcConfigFromFileTOML},
		{"from_prefixed_env", fcFromPrefixedEnv},
		{"from_prefixed_env_custom_prefix", fcFromPrefixedEnvCustomPrefix},
		{"from_prefixed_env_nested", fcFromPrefixedEnvNested},
		{"config_from_mapping", fcConfigFromMapping},
		{"config_from_class", fcConfigFromClass},
		{"config_missing_file", fcConfigMissingFile},
		{"session_lifetime", fcSessionLifetime},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// fcSettings are the app's own settings of common_object_test.
type fcSettings struct{ TestKey string }

// fcApp returns an app whose settings have TEST_KEY.
func fcApp() (*flasky.App, *fcSettings) {
	app, _ := newTestApp()
	s := &fcSettings{}
	app.Config.Settings = s
	return app, s
}

// commonObjectTest is Flask's common_object_test: SECRET_KEY is
// "config" and TEST_KEY is "foo".
func commonObjectTest(t *testing.T, app *flasky.App) {
	t.Helper()
	if got := string(app.Config.SecretKey); got != "config" {
		t.Errorf("secret key %q, want config", got)
	}
	if got := flasky.Settings[fcSettings](app).TestKey; got != "foo" {
		t.Errorf("TEST_KEY %q, want foo", got)
	}
}

// clearEnv removes the variables that start with prefix for the test,
// so that the machine's own do not mix in.
func clearEnv(t *testing.T, prefix string) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, prefix) {
			t.Setenv(name, "") // restored after the test
			os.Unsetenv(name)
		}
	}
}

// test_config_from_object: from_object loads a module's upper-case
// names; a struct's fields here.
func fcConfigFromObject(t *testing.T) {
	app, _ := fcApp()
	module := struct{ TestKey, SecretKey string }{TestKey: "foo", SecretKey: "config"}
	if err := app.Config.FromStruct(module); err != nil {
		t.Fatal(err)
	}
	commonObjectTest(t, app)
}

// writeFile writes a file in a temporary folder and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// test_config_from_file_json: from_file with json.load.
func fcConfigFromFileJSON(t *testing.T) {
	app, _ := fcApp()
	p := writeFile(t, "config.json", `{"TEST_KEY": "foo", "SECRET_KEY": "config"}`)
	if err := app.Config.FromFile(p, nil); err != nil {
		t.Fatal(err)
	}
	commonObjectTest(t, app)
}

// tomlLoad stands for a TOML package's Unmarshal (Python's tomllib.load;
// flasky adds no TOML dependency): it reads the KEY = "text" lines of
// Flask's tests/static/config.toml into a map.
func tomlLoad(data []byte, v any) error {
	m := map[string]any{}
	for line := range bytes.Lines(data) {
		k, val, ok := strings.Cut(strings.TrimSpace(string(line)), "=")
		if !ok {
			continue
		}
		s, err := strconv.Unquote(strings.TrimSpace(val))
		if err != nil {
			return fmt.Errorf("toml: %q: %w", line, err)
		}
		m[strings.TrimSpace(k)] = s
	}
	*v.(*map[string]any) = m
	return nil
}

// test_config_from_file_toml: from_file with another format's load
// function (tomllib.load, which reads bytes: text=False; a Go load
// function always gets bytes).
func fcConfigFromFileTOML(t *testing.T) {
	app, _ := fcApp()
	p := writeFile(t, "config.toml", "TEST_KEY=\"foo\"\nSECRET_KEY=\"config\"\n")
	if err := app.Config.FromFile(p, tomlLoad); err != nil {
		t.Fatal(err)
	}
	commonObjectTest(t, app)
}

// test_from_prefixed_env: FLASK_ variables set the keys they name, each
// read for its value's type; variables of another prefix are left out.
// Flask reads each value as JSON ("[1, 2]", '{"k": "v"}'); flasky reads
// it for the field's type (README, "Configuration", differences, second
// item: a list is a,b and a struct's field is FLASK_DICT__K), so the
// JSON spellings are an error naming the variable, and the load changes
// nothing; then flasky's spellings load.
func fcFromPrefixedEnv(t *testing.T) {
	clearEnv(t, "FLASK_")
	type settings struct {
		String string
		Bool   bool
		Int    int
		Float  float64
		List   []int
		Dict   struct{ K string }
		Other  string
	}
	for k, v := range map[string]string{
		"FLASK_STRING":    "value",
		"FLASK_BOOL":      "true",
		"FLASK_INT":       "1",
		"FLASK_FLOAT":     "1.2",
		"FLASK_LIST":      "[1, 2]",
		"FLASK_DICT":      `{"k": "v"}`,
		"NOT_FLASK_OTHER": "other",
	} {
		t.Setenv(k, v)
	}
	app, _ := newTestApp()
	s := &settings{}
	app.Config.Settings = s
	err := app.Config.FromPrefixedEnv("FLASK")
	if err == nil || !strings.Contains(err.Error(), "FLASK_LIST") || !strings.Contains(err.Error(), "FLASK_DICT") {
		t.Errorf("JSON values: %v, want an error naming FLASK_LIST and FLASK_DICT", err)
	}
	if s.String != "" {
		t.Errorf("a load that failed set STRING to %q", s.String)
	}
	t.Setenv("FLASK_LIST", "1,2")
	os.Unsetenv("FLASK_DICT")
	t.Setenv("FLASK_DICT__K", "v")
	if err := app.Config.FromPrefixedEnv("FLASK"); err != nil {
		t.Fatal(err)
	}
	want := settings{String: "value", Bool: true, Int: 1, Float: 1.2, List: []int{1, 2}}
	want.Dict.K = "v"
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("settings %+v, want %+v (OTHER not loaded)", *s, want)
	}
}

// test_from_prefixed_env_custom_prefix: another prefix reads its own
// variables only.
func fcFromPrefixedEnvCustomPrefix(t *testing.T) {
	clearEnv(t, "NOT_FLASK_")
	t.Setenv("FLASK_A", "a")
	t.Setenv("NOT_FLASK_A", "b")
	app, _ := newTestApp()
	s := &struct{ A string }{}
	app.Config.Settings = s
	if err := app.Config.FromPrefixedEnv("NOT_FLASK"); err != nil {
		t.Fatal(err)
	}
	if s.A != "b" {
		t.Errorf("A = %q, want b", s.A)
	}
}

// test_from_prefixed_env_nested: a double underscore reaches into nested
// settings, keys matched in any case, and keeps what it does not name.
// Flask makes the tables a variable names that were not there (EXIST's
// "new", NEW); flasky's settings declare them (README, "Configuration",
// differences, first item). A JSON value for a table is read as JSON by
// Flask and is an error in flasky (second item); flasky's spelling names
// the table's field.
func fcFromPrefixedEnvNested(t *testing.T) {
	clearEnv(t, "FLASK_")
	type settings struct {
		Exist struct {
			Ok    string
			Flag  bool
			Inner struct{ Ik int }
			New   struct{ More struct{ K bool } }
		}
		New struct{ K string }
	}
	t.Setenv("FLASK_EXIST__ok", "other")
	t.Setenv("FLASK_EXIST__inner__ik", "2")
	t.Setenv("FLASK_EXIST__new__more", `{"k": false}`)
	t.Setenv("FLASK_NEW__K", "v")
	app, _ := newTestApp()
	s := &settings{}
	s.Exist.Ok, s.Exist.Flag, s.Exist.Inner.Ik = "value", true, 1
	s.Exist.New.More.K = true // so that loading false shows
	app.Config.Settings = s
	if err := app.Config.FromPrefixedEnv("FLASK"); err == nil || !strings.Contains(err.Error(), "FLASK_EXIST__new__more") {
		t.Errorf("a JSON table: %v, want an error naming FLASK_EXIST__new__more", err)
	}
	os.Unsetenv("FLASK_EXIST__new__more")
	t.Setenv("FLASK_EXIST__new__more__k", "false")
	if err := app.Config.FromPrefixedEnv("FLASK"); err != nil {
		t.Fatal(err)
	}
	var want settings
	want.Exist.Ok, want.Exist.Flag, want.Exist.Inner.Ik = "other", true, 2
	want.New.K = "v"
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("settings %+v, want %+v", *s, want)
	}
}

// test_config_from_mapping: from_mapping loads a map's keys. Flask skips
// a key that is not upper case; flasky loads keys in any case and
// refuses a key that names nothing, and then changes nothing (README,
// "Configuration", differences, first item).
func fcConfigFromMapping(t *testing.T) {
	app, _ := fcApp()
	if err := app.Config.FromMapping(map[string]any{"SECRET_KEY": "config", "TEST_KEY": "foo"}); err != nil {
		t.Fatal(err)
	}
	commonObjectTest(t, app)
	err := app.Config.FromMapping(map[string]any{"SECRET_KEY": "other", "TEST_KEY": "bar", "skip_key": "skip"})
	if err == nil || !strings.Contains(err.Error(), "skip_key") {
		t.Errorf("skip_key: %v, want an error naming it", err)
	}
	commonObjectTest(t, app)
}

// fcBase and fcTest are test_config_from_class's classes: Test inherits
// TEST_KEY from Base.
type fcBase struct{ TestKey string }

type fcTest struct {
	fcBase
	SecretKey string
}

// test_config_from_class: from_object loads a class's attributes, those
// it inherits included; an embedded struct's fields here.
func fcConfigFromClass(t *testing.T) {
	app, _ := fcApp()
	if err := app.Config.FromStruct(fcTest{fcBase: fcBase{TestKey: "foo"}, SecretKey: "config"}); err != nil {
		t.Fatal(err)
	}
	commonObjectTest(t, app)
}

// test_config_missing_file: a missing file is an error naming it as one
// that does not exist; silent=True is telling that error apart.
func fcConfigMissingFile(t *testing.T) {
	app, _ := fcApp()
	err := app.Config.FromFile("missing.json", nil)
	if err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("FromFile(missing.json) = %v, want an error naming it as missing", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FromFile(missing.json) = %v, not fs.ErrNotExist: cannot be told apart to be silent", err)
	}
}

// test_session_lifetime: PERMANENT_SESSION_LIFETIME in seconds.
func fcSessionLifetime(t *testing.T) {
	app, _ := newTestApp()
	if err := app.Config.FromMapping(map[string]any{"PERMANENT_SESSION_LIFETIME": 42}); err != nil {
		t.Fatal(err)
	}
	if app.Config.SessionLifetime != 42*time.Second {
		t.Errorf("session lifetime %v, want 42s", app.Config.SessionLifetime)
	}
}

func TestFlaskBasicConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"exception_propagation", fbcExceptionPropagation},
		{"trap_bad_request_key_error", fbcTrapBadRequestKeyError},
		{"trapping_of_all_http_exceptions", fbcTrappingOfAllHTTPExceptions},
		{"jsonify_no_prettyprint", fbcJSONifyNoPrettyprint},
		{"json_dump_dataclass", fbcJSONDumpDataclass},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// test_exception_propagation: with TESTING, PROPAGATE_EXCEPTIONS or
// DEBUG the view's exception reaches the test through the client;
// without, the client gets a 500. A flasky failure reaches the test as
// the client's report (TB.Errorf).
func fbcExceptionPropagation(t *testing.T) {
	for _, key := range []string{"TESTING", "PROPAGATE_EXCEPTIONS", "DEBUG", "None"} {
		t.Run(key, func(t *testing.T) {
			app := flaskApp()
			app.Config.Testing = false
			app.Route("/", func(c *flasky.Ctx) error { return errZeroDivision })
			if key != "None" {
				if err := app.Config.FromMapping(map[string]any{key: true}); err != nil {
					flaskGap(t, "PROPAGATE_EXCEPTIONS: no such setting; a failure reaches the test only in testing mode (Config.Testing)",
						"FromMapping: %v", err)
				}
			}
			rec := &flaskTB{}
			res := app.TestClient(rec).Get("/")
			switch {
			case key == "None":
				if res.Code != 500 || len(rec.errors) != 0 {
					t.Errorf("GET / = %d, reports %q; want 500 and none", res.Code, rec.errors)
				}
			case len(rec.errors) == 0 && key == "DEBUG":
				flaskGap(t, "debug mode does not propagate a handler's failure to the test: only Config.Testing does",
					"GET / = %d with DEBUG on, nothing reported", res.Code)
			case len(rec.errors) != 1 || !strings.Contains(rec.errors[0], errZeroDivision.Error()):
				t.Errorf("GET / with %s: reports %q, want one with the failure", key, rec.errors)
			}
		})
	}
}

// test_trap_bad_request_key_error: a form key that is missing is a 400;
// with DEBUG, or with TRAP_BAD_REQUEST_ERRORS, it is raised to the test
// instead (and with TRAP_BAD_REQUEST_ERRORS, abort(400) too).
func fbcTrapBadRequestKeyError(t *testing.T) {
	newApp := func() *flasky.App {
		app := flaskApp()
		app.Route("/key", func(c *flasky.Ctx) error {
			_, err := c.Form.Require("missing_key")
			return err
		})
		app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abort(400) })
		return app
	}
	t.Run("debug=False,trap=None", func(t *testing.T) {
		app := newApp()
		client := app.TestClient(t)
		res := client.Get("/key")
		// Werkzeug's page does not name the key outside debug mode;
		// flasky's does (README, "Differences a Flask user should know",
		// last item).
		if res.Code != 400 || !strings.Contains(res.Text(), "missing_key") {
			t.Errorf("GET /key = %d %q, want 400 naming missing_key", res.Code, res.Text())
		}
		if res := client.Get("/abort"); res.Code != 400 {
			t.Errorf("GET /abort = %d, want 400", res.Code)
		}
	})
	t.Run("debug=True,trap=None", func(t *testing.T) {
		app := newApp()
		app.Config.Debug = true
		rec := &flaskTB{}
		client := app.TestClient(rec)
		if res := client.Get("/abort"); res.Code != 400 {
			t.Errorf("GET /abort = %d, want 400", res.Code)
		}
		res := client.Get("/key")
		if len(rec.errors) == 0 {
			flaskGap(t, "debug mode does not raise a missing form key's 400 to the test (Flask traps BadRequestKeyError in debug mode)",
				"GET /key = %d, nothing reported", res.Code)
		}
		if !strings.Contains(rec.errors[0], "missing_key") {
			t.Errorf("report %q does not name missing_key", rec.errors[0])
		}
	})
	t.Run("debug=False,trap=True", func(t *testing.T) {
		app := newApp()
		if err := app.Config.FromMapping(map[string]any{"TRAP_BAD_REQUEST_ERRORS": true}); err != nil {
			flaskGap(t, "TRAP_BAD_REQUEST_ERRORS: no such setting; a 400 is always answered, never raised to the test",
				"FromMapping: %v", err)
		}
		rec := &flaskTB{}
		client := app.TestClient(rec)
		client.Get("/key")
		client.Get("/abort")
		if len(rec.errors) != 2 {
			t.Errorf("reports %q, want /key's and /abort's", rec.errors)
		}
	})
}

// test_trapping_of_all_http_exceptions: with TRAP_HTTP_EXCEPTIONS,
// abort(404) is raised to the test.
func fbcTrappingOfAllHTTPExceptions(t *testing.T) {
	app := flaskApp()
	app.Route("/fail", func(c *flasky.Ctx) error { return flasky.Abort(404) })
	if err := app.Config.FromMapping(map[string]any{"TRAP_HTTP_EXCEPTIONS": true}); err != nil {
		flaskGap(t, "TRAP_HTTP_EXCEPTIONS: no such setting; an HTTP error is always answered, never raised to the test",
			"FromMapping: %v", err)
	}
	rec := &flaskTB{}
	app.TestClient(rec).Get("/fail")
	if len(rec.errors) != 1 {
		t.Errorf("reports %q, want the 404", rec.errors)
	}
}

// test_jsonify_no_prettyprint: the JSON provider's compact setting
// decides whether a JSON response has spaces and newlines.
func fbcJSONifyNoPrettyprint(t *testing.T) {
	for _, compact := range []bool{true, false} {
		t.Run(fmt.Sprintf("compact=%v", compact), func(t *testing.T) {
			app := flaskApp()
			app.Route("/", func(c *flasky.Ctx) error {
				return c.JSON(map[string]any{"msg": map[string]any{"submsg": "W00t"}, "msg2": "foobar"})
			})
			if !compact {
				flaskGap(t, "the JSON provider's compact setting (app.json.compact): c.JSON is indented in debug mode only, and no setting asks for it otherwise",
					"compact=False with debug off")
			}
			data := bytes.TrimSpace(app.TestClient(t).Get("/").Body)
			if spaced := bytes.ContainsAny(data, " \n"); spaced == compact {
				t.Errorf("compact %v: %q", compact, data)
			}
		})
	}
}

// test_json_dump_dataclass: a dataclass is written as an object of its
// fields; a Go struct here.
func fbcJSONDumpDataclass(t *testing.T) {
	app := flaskApp()
	type data struct {
		Name string `json:"name"`
	}
	app.Route("/", func(c *flasky.Ctx) error { return c.JSON(data{Name: "flask"}) })
	var got map[string]any
	if err := app.TestClient(t).Get("/").JSON(&got); err != nil || !reflect.DeepEqual(got, map[string]any{"name": "flask"}) {
		t.Errorf("JSON %v (%v), want {name: flask}", got, err)
	}
}
