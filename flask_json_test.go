package flasky_test

// Flask's tests/test_json.py and tests/test_json_tag.py (Flask 3.1),
// ported: each Flask test is a subtest of TestFlaskJSON or
// TestFlaskJSONTag named after it. jsonify is c.JSON, request.get_json
// is c.BindJSON, the tojson filter is the tojson template function.
//
// Not ported, from test_json.py:
//   - test_json_as_unicode: Python-only (the JSON provider's ensure_ascii
//     attribute, and app.json.dumps).
//   - test_json_dump_to_file: Python-only (flask.json.dump and load on a
//     file object; Go has encoding/json).
//   - test_jsonify_datetime, test_jsonify_aware_datetimes: Python-only
//     (datetime and date written as HTTP dates; a Go time.Time is written
//     by its MarshalJSON, RFC 3339).
//   - test_jsonify_uuid_types, test_json_decimal: Python-only (uuid.UUID
//     and decimal.Decimal written as strings by Flask's provider).
//   - test_json_customization: Python-only (a subclass of the JSON
//     provider class with its own default and object_hook; Go types
//     say how they are written with MarshalJSON and UnmarshalJSON).
//   - test_html_method: Python-only (an object's __html__ method used by
//     Flask's JSON provider).
//
// test_json_tag.py tests Flask's tagged JSON serializer, the session's:
// it keeps Python types JSON does not have. flasky's session keeps JSON
// only (README, "Differences from Flask's sessions"); the one JSON case
// of test_dump_load_unchanged (a key that looks like a tag) is checked,
// and for the others flasky's documented behaviour is asserted. Not
// ported, from test_json_tag.py:
//   - test_duplicate_tag, test_custom_tag, test_tag_interface,
//     test_tag_order: Python-only (registering JSONTag classes on a
//     TaggedJSONSerializer, and their order).

import (
	"bytes"
	"encoding/json"
	"html/template"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

func TestFlaskJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"bad_request_debug_message", fjBadRequestDebugMessage},
		{"json_bad_requests", fjJSONBadRequests},
		{"json_custom_mimetypes", fjJSONCustomMimetypes},
		{"jsonify_basic_types", fjJSONifyBasicTypes},
		{"jsonify_dicts", fjJSONifyDicts},
		{"jsonify_arrays", fjJSONifyArrays},
		{"json_attr", fjJSONAttr},
		{"tojson_filter", fjTojsonFilter},
		{"json_key_sorting", fjJSONKeySorting},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// fjApp is Flask's conftest app fixture (TESTING, SECRET_KEY).
func fjApp() *flasky.App {
	app := flasky.New()
	app.Logger = discardLogger()
	app.Config.Testing = true
	app.Config.SecretKey = []byte("test key")
	return app
}

// fjEqual reports whether the JSON body decodes to the same value as
// want encoded, as Flask's json.loads(rv.data) == value.
func fjEqual(t *testing.T, body []byte, want any) bool {
	t.Helper()
	var got any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Errorf("body %q: %v", body, err)
		return false
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var w any
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(got, w)
}

// test_bad_request_debug_message: an empty JSON body is a 400, whose
// page tells why the JSON could not be decoded in debug mode only.
// (Flask's text is "Failed to decode JSON object: ..." with Python's
// error; flasky's debug page shows encoding/json's, here EOF.)
func fjBadRequestDebugMessage(t *testing.T) {
	for _, debug := range []bool{true, false} {
		t.Run(strconv.FormatBool(debug), func(t *testing.T) {
			app := fjApp()
			app.Config.Debug = debug
			app.Route("/json", func(c *flasky.Ctx) error {
				var v any
				if err := c.BindJSON(&v); err != nil {
					return err
				}
				return nil
			}, "POST")
			res := app.TestClient(t).Post("/json", nil, flasky.Body("application/json", nil))
			if res.Code != 400 {
				t.Errorf("POST /json = %d, want 400", res.Code)
			}
			if contains := strings.Contains(res.Text(), "EOF"); contains != debug {
				t.Errorf("debug %v: page %q tells the decoding error: %v", debug, res.Text(), contains)
			}
		})
	}
}

// test_json_bad_requests: malformed JSON is a 400.
func fjJSONBadRequests(t *testing.T) {
	app := fjApp()
	app.Route("/json", func(c *flasky.Ctx) error {
		var v any
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		return c.JSON(flasky.M{"foo": v})
	}, "POST")
	res := app.TestClient(t).Post("/json", nil, flasky.Body("application/json", []byte("malformed")))
	if res.Code != 400 {
		t.Errorf("POST /json malformed = %d %q, want 400", res.Code, res.Text())
	}
}

// test_json_custom_mimetypes: a body of another +json type is JSON too.
func fjJSONCustomMimetypes(t *testing.T) {
	app := fjApp()
	app.Route("/json", func(c *flasky.Ctx) error {
		var s string
		if err := c.BindJSON(&s); err != nil {
			return err
		}
		return c.String(s)
	}, "POST")
	res := app.TestClient(t).Post("/json", nil, flasky.Body("application/x+json", []byte(`"foo"`)))
	if res.Text() != "foo" {
		t.Errorf("POST /json as application/x+json = %d %q, want foo", res.Code, res.Text())
	}
}

// test_jsonify_basic_types: numbers, strings, booleans and null are
// sent as JSON.
func fjJSONifyBasicTypes(t *testing.T) {
	for _, v := range []any{0, -1, 1, 23, 3.14, "s", "longer string", true, false, nil} {
		app := fjApp()
		app.Route("/jsonify_basic_types", func(c *flasky.Ctx) error { return c.JSON(v) })
		res := app.TestClient(t).Get("/jsonify_basic_types")
		if mimetype(res.Header) != "application/json" || !fjEqual(t, res.Body, v) {
			t.Errorf("jsonify(%#v) = %q %q", v, res.Header.Get("Content-Type"), res.Body)
		}
	}
}

// test_jsonify_dicts: a mapping is sent as a JSON object. (Flask also
// takes keyword arguments, the same object in Python.)
func fjJSONifyDicts(t *testing.T) {
	d := flasky.M{
		"a": 0, "b": 23, "c": 3.14, "d": "t", "e": "Hi", "f": true, "g": false,
		"h": []any{"test list", 10, false},
		"i": flasky.M{"test": "dict"},
	}
	app := fjApp()
	app.Route("/dict", func(c *flasky.Ctx) error { return c.JSON(d) })
	res := app.TestClient(t).Get("/dict")
	if mimetype(res.Header) != "application/json" || !fjEqual(t, res.Body, d) {
		t.Errorf("jsonify(d) = %q %q", res.Header.Get("Content-Type"), res.Body)
	}
}

// test_jsonify_arrays: a list is sent as a JSON array. (Flask also
// takes the items as arguments.)
func fjJSONifyArrays(t *testing.T) {
	list := []any{0, 42, 3.14, "t", "hello", true, false, []any{"test list", 2, false}, flasky.M{"test": "dict"}}
	app := fjApp()
	app.Route("/array", func(c *flasky.Ctx) error { return c.JSON(list) })
	res := app.TestClient(t).Get("/array")
	if mimetype(res.Header) != "application/json" || !fjEqual(t, res.Body, list) {
		t.Errorf("jsonify(list) = %q %q", res.Header.Get("Content-Type"), res.Body)
	}
}

// test_json_attr: the view reads the JSON body it was sent.
func fjJSONAttr(t *testing.T) {
	app := fjApp()
	app.Route("/add", func(c *flasky.Ctx) error {
		var v struct{ A, B int }
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		return c.String(strconv.Itoa(v.A + v.B))
	}, "POST")
	res := app.TestClient(t).Post("/add", nil, flasky.Body("application/json", []byte(`{"a": 1, "b": 2}`)))
	if res.Text() != "3" {
		t.Errorf("POST /add = %d %q, want 3", res.Code, res.Text())
	}
}

// test_tojson_filter: tojson writes the app's JSON, safe inside a
// script. Flask's test writes the statement as a page's text; in
// html/template text is escaped for HTML whatever tojson gives, so here
// it stands inside <script>, where a page puts it. flasky's JSON is
// compact (README, "Differences a Flask user should know", Templates:
// tojson writes compact JSON); the datetime of Flask's test is
// Python-only (Flask's provider writes HTTP dates).
func fjTojsonFilter(t *testing.T) {
	app := fjApp()
	app.Route("/", func(c *flasky.Ctx) error {
		return c.RenderString("<script>const data = {{tojson .data}};</script>", flasky.M{"data": flasky.M{"name": "</script>"}})
	})
	want := `<script>const data = {"name":"\u003c/script\u003e"};</script>`
	if res := app.TestClient(t).Get("/"); res.Text() != want {
		t.Errorf("GET / = %q, want %q", res.Text(), want)
	}
}

// test_json_key_sorting: jsonify sorts an object's keys (as text or as
// numbers), and in debug mode writes one key per line.
func fjJSONKeySorting(t *testing.T) {
	app := fjApp()
	app.Config.Debug = true
	d := map[int]string{}
	for i := range 20 {
		d[i] = "foo"
	}
	app.Route("/", func(c *flasky.Ctx) error { return c.JSON(flasky.M{"values": d}) })
	res := app.TestClient(t).Get("/")

	byInt := make([]string, 20)
	for i := range byInt {
		byInt[i] = strconv.Itoa(i)
	}
	byStr := slices.Clone(byInt)
	slices.Sort(byStr)
	keys := fjObjectKeys(t, res.Body, "values")
	if !slices.Equal(keys, byInt) && !slices.Equal(keys, byStr) {
		t.Fatalf("keys of values = %q, want them sorted", keys)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(res.Text()), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	var want []string
	want = append(want, "{", `"values": {`)
	for i, k := range keys {
		l := `"` + k + `": "foo"`
		if i < len(keys)-1 {
			l += ","
		}
		want = append(want, l)
	}
	want = append(want, "}", "}")
	if !slices.Equal(lines, want) {
		flaskGap(t, "JSON responses are never indented (Flask's jsonify writes one key per line, indented, in debug mode)",
			"lines = %q", lines)
	}
}

// fjObjectKeys returns the keys of the object under key in the JSON
// object body, in the order written.
func fjObjectKeys(t *testing.T, body []byte, key string) []string {
	t.Helper()
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	dec := json.NewDecoder(bytes.NewReader(outer[key]))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s = %s, want an object", key, outer[key])
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s = %s: %v", key, outer[key], err)
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s = %s: %v", key, outer[key], err)
		}
	}
	return keys
}

func TestFlaskJSONTag(t *testing.T) {
	t.Run("dump_load_unchanged", fjtDumpLoadUnchanged)
}

// test_dump_load_unchanged: what the session keeps reads back the same
// in the next request. A key that looks like one of Flask's tags (" di")
// is kept as it is. The other cases are values JSON does not have;
// Flask's tagged JSON keeps their type, flasky's session keeps what JSON
// gives back (README, "Differences from Flask's sessions": Flask's
// tagged JSON keeps tuples, bytes, dates and Markup; flasky's keeps only
// JSON). Python's uuid.UUID has no counterpart in Go's standard library.
func fjtDumpLoadUnchanged(t *testing.T) {
	created := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		key       string
		value     any
		roundTrip any // what flasky reads back
	}{
		{"tag-like key", " di", " di", " di"},
		{"tuple", " t", [3]int{1, 2, 3}, []any{json.Number("1"), json.Number("2"), json.Number("3")}},
		{"bytes", " t__", []byte("a"), "YQ=="},
		{"dict with a tuple", "x", flasky.M{"x": [3]int{1, 2, 3}, "y": 4},
			map[string]any{"x": []any{json.Number("1"), json.Number("2"), json.Number("3")}, "y": json.Number("4")}},
		{"non-UTF-8 bytes", "b", []byte("\xff"), "/w=="},
		{"Markup", "m", template.HTML("<html>"), "<html>"},
		{"datetime", "d", created, "2024-05-06T07:08:09Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client := fjApp().TestClient(t)
			client.Session(func(s *flasky.Session) {
				if err := s.Set(tc.key, tc.value); err != nil {
					t.Fatal(err)
				}
			})
			client.Session(func(s *flasky.Session) {
				if got := s.Get(tc.key); !reflect.DeepEqual(got, tc.roundTrip) {
					t.Errorf("session[%q] = %#v after the round trip, want %#v", tc.key, got, tc.roundTrip)
				}
			})
		})
	}
}
