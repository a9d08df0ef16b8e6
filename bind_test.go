package flasky_test

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

type signup struct {
	Name  string   `schema:"name"`
	Age   int      `schema:"age"`
	Tags  []string `schema:"tag"`
	Admin bool     `schema:"admin"`
	Note  string   // no tag: gorilla/schema uses the field name
}

type strictSignup struct {
	Email string `schema:"email,required"`
}

func TestBind(t *testing.T) {
	const urlenc = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, target, ct, body string
		code                           int
		want                           signup
		bodyHas                        []string
	}{
		{"GET query", "GET", "/?name=alice&age=30&tag=a&tag=b&admin=true&Note=hi&unknown=1", "", "", 200,
			signup{Name: "alice", Age: 30, Tags: []string{"a", "b"}, Admin: true, Note: "hi"}, nil},
		{"DELETE query", "DELETE", "/?name=bob", "", "", 200, signup{Name: "bob"}, nil},
		{"POST form", "POST", "/?name=ignored", urlenc, "name=carol&age=41&tag=x", 200,
			signup{Name: "carol", Age: 41, Tags: []string{"x"}}, nil},
		{"PATCH form", "PATCH", "/", urlenc, "age=5", 200, signup{Age: 5}, nil},
		{"POST JSON", "POST", "/", "application/json", `{"Name":"dave","Age":7}`, 200, signup{Name: "dave", Age: 7}, nil},
		{"bad int in query", "GET", "/?name=x&age=abc", "", "", 400, signup{}, []string{"age", "not a valid int"}},
		{"bad int in form", "POST", "/", urlenc, "age=1.5", 400, signup{}, []string{"age"}},
		{"bad bool", "GET", "/?admin=maybe", "", "", 400, signup{}, []string{"admin"}},
		{"malformed form", "POST", "/", urlenc, "age=%zz", 400, signup{}, nil},
		{"malformed query", "GET", "/?age=%zz", "", "", 400, signup{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got signup
			hdr := []string{}
			if tt.ct != "" {
				hdr = append(hdr, "Content-Type", tt.ct)
			}
			w := answer(t, tt.method, tt.target, tt.body, func(c *flasky.Ctx) error {
				if err := c.Bind(&got); err != nil {
					return err
				}
				return c.String("ok")
			}, hdr...)
			if w.Code != tt.code {
				t.Errorf("%s: status %d %q, want %d", tt.name, w.Code, w.Body.String(), tt.code)
				return
			}
			if tt.code == 200 && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: bound %+v, want %+v", tt.name, got, tt.want)
			}
			for _, s := range tt.bodyHas {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("%s: error page %q does not name %q", tt.name, w.Body.String(), s)
				}
			}
			if tt.code == 400 && !strings.Contains(w.Body.String(), "<title>400 Bad Request</title>") {
				t.Errorf("%s: body %q is not the 400 page", tt.name, w.Body.String())
			}
		})
	}

	// A required field that is missing.
	w := answer(t, "GET", "/", "", func(c *flasky.Ctx) error {
		var s strictSignup
		if err := c.Bind(&s); err != nil {
			return err
		}
		return c.String(s.Email)
	})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "email") {
		t.Errorf("missing required field: %d %q, want a 400 naming email", w.Code, w.Body.String())
	}
	// Bind into a non-pointer is the programmer's mistake: a 500.
	w = answer(t, "GET", "/?name=x", "", func(c *flasky.Ctx) error {
		var s signup
		return c.Bind(s)
	})
	if w.Code != 500 {
		t.Errorf("Bind(non-pointer): %d, want 500", w.Code)
	}
}

func TestBindJSON(t *testing.T) {
	type payload struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	tests := []struct {
		name, ct, body string
		max            int64
		code           int
		want           payload
		bodyHas        []string
	}{
		{"good", "application/json", `{"name":"홍길동","age":3}`, 0, 200, payload{"홍길동", 3}, nil},
		{"good with charset", "application/json; charset=utf-8", `{"name":"a"}`, 0, 200, payload{Name: "a"}, nil},
		{"+json type", "application/vnd.api+json", `{"age":1}`, 0, 200, payload{Age: 1}, nil},
		{"trailing whitespace", "application/json", "{\"age\":1}\n\t ", 0, 200, payload{Age: 1}, nil},
		{"wrong content type", "text/plain", `{"name":"a"}`, 0, 415, payload{}, []string{"JSON"}},
		{"no content type", "", `{"name":"a"}`, 0, 415, payload{}, nil},
		{"form content type", "application/x-www-form-urlencoded", `{"name":"a"}`, 0, 415, payload{}, nil},
		{"malformed", "application/json", `{"name":}`, 0, 400, payload{}, []string{"byte 9"}},
		{"malformed later", "application/json", `{"name":"a","age":1,,}`, 0, 400, payload{}, []string{"byte 21"}},
		{"truncated", "application/json", `{"name":"a"`, 0, 400, payload{}, nil},
		{"empty", "application/json", ``, 0, 400, payload{}, []string{"empty"}},
		{"wrong type", "application/json", `{"age":"old"}`, 0, 400, payload{}, []string{"age"}},
		{"trailing value", "application/json", `{"age":1} {"age":2}`, 0, 400, payload{}, nil},
		{"trailing garbage", "application/json", `{"age":1}x`, 0, 400, payload{}, nil},
		{"over the limit", "application/json", `{"name":"` + strings.Repeat("x", 100) + `"}`, 32, 413, payload{}, nil},
		{"at the limit", "application/json", `{"name":"xx"}`, 13, 200, payload{Name: "xx"}, nil},
		{"limit with trailing data", "application/json", `{"age":1}` + strings.Repeat(" ", 64) + "x", 16, 413, payload{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, _ := newTestApp()
			if tt.max > 0 {
				app.Config.MaxJSONBytes = tt.max
			}
			var got payload
			app.Route("/", func(c *flasky.Ctx) error {
				if err := c.BindJSON(&got); err != nil {
					return err
				}
				return c.String("ok")
			}, "POST")
			var hdr []string
			if tt.ct != "" {
				hdr = []string{"Content-Type", tt.ct}
			}
			w := serve(app, "POST", "/", strings.NewReader(tt.body), hdr...)
			if w.Code != tt.code {
				t.Errorf("%s: status %d %q, want %d", tt.name, w.Code, w.Body.String(), tt.code)
				return
			}
			if tt.code == 200 && got != tt.want {
				t.Errorf("%s: bound %+v, want %+v", tt.name, got, tt.want)
			}
			for _, s := range tt.bodyHas {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("%s: error page %q does not say %q", tt.name, w.Body.String(), s)
				}
			}
		})
	}
	// A nil destination is the programmer's mistake: a 500.
	w := answer(t, "POST", "/", `{}`, func(c *flasky.Ctx) error { return c.BindJSON(nil) }, "Content-Type", "application/json")
	if w.Code != 500 {
		t.Errorf("BindJSON(nil): %d, want 500", w.Code)
	}
}

// App.Validate checks what Bind and BindJSON decoded: a refusal is a 400
// with its message, or the HTTPError it returns.
func TestBindValidate(t *testing.T) {
	type signup struct {
		Email string `schema:"email" json:"email"`
		Age   int    `schema:"age" json:"age"`
	}
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Validate = func(v any) error {
		s := v.(*signup)
		switch {
		case !strings.Contains(s.Email, "@"):
			return fmt.Errorf("field email: %q is not an address", s.Email)
		case s.Age < 0:
			return flasky.Abortf(422, "field age: must not be negative")
		}
		return nil
	}
	app.Route("/signup", func(c *flasky.Ctx) error {
		var s signup
		if err := c.Bind(&s); err != nil {
			return err
		}
		return c.String("welcome " + s.Email)
	}, "POST")
	for _, tc := range []struct {
		name, ctype, body string
		code              int
		want              string
	}{
		{"valid form", "application/x-www-form-urlencoded", "email=kim@example.com&age=30", 200, "welcome kim@example.com"},
		{"form refused", "application/x-www-form-urlencoded", "email=kim&age=30", 400, "field email: &#34;kim&#34; is not an address"},
		{"valid JSON", "application/json", `{"email":"lee@example.com","age":1}`, 200, "welcome lee@example.com"},
		{"JSON refused", "application/json", `{"email":"lee","age":1}`, 400, "field email"},
		{"validator's own status", "application/json", `{"email":"a@b","age":-1}`, 422, "field age: must not be negative"},
		{"decoding fails first", "application/json", `{"email":1}`, 400, `Field &#34;email&#34;`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/signup", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.ctype)
			w := httptest.NewRecorder()
			app.ServeHTTP(w, r)
			if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.want) {
				t.Errorf("%d %q, want %d with %q", w.Code, w.Body.String(), tc.code, tc.want)
			}
		})
	}
}

type post struct {
	Title  string `schema:"title,required"`
	Body   string `schema:"body,present"`
	Author struct {
		Name string `schema:"name,present"`
	} `schema:"author"`
	Meta
}

type Meta struct {
	Lang string `schema:"lang,present"`
}

// `present` takes an empty value and refuses a missing key, where
// gorilla/schema's `required` refuses both.
func TestBindPresent(t *testing.T) {
	const urlenc = "application/x-www-form-urlencoded"
	tests := []struct {
		name, body string
		code       int
		has        string
	}{
		{"all there", "title=t&body=b&author.name=kim&lang=ko", 200, "t|b|kim|ko"},
		{"empty present values", "title=t&body=&author.name=&lang=", 200, "t|||"},
		{"key in another case", "title=t&BODY=x&Author.Name=k&LANG=en", 200, "t|x|k|en"},
		{"embedded by its own name", "title=t&body=&author.name=&Meta.lang=ko", 200, "t|||ko"},
		{"body missing", "title=t&author.name=&lang=", 400, `Missing form field &#34;body&#34;.`},
		{"nested missing", "title=t&body=&lang=", 400, `Missing form field &#34;author.name&#34;.`},
		{"embedded missing", "title=t&body=&author.name=", 400, `Missing form field &#34;lang&#34;.`},
		{"required empty", "title=&body=&author.name=&lang=", 400, "title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := answer(t, "POST", "/", tt.body, func(c *flasky.Ctx) error {
				var p post
				if err := c.Bind(&p); err != nil {
					return err
				}
				return c.String(strings.Join([]string{p.Title, p.Body, p.Author.Name, p.Lang}, "|"))
			}, "Content-Type", urlenc)
			if w.Code != tt.code || !strings.Contains(w.Body.String(), tt.has) {
				t.Errorf("%d %q, want %d with %q", w.Code, w.Body.String(), tt.code, tt.has)
			}
		})
	}
	// In a query, the page says so.
	w := answer(t, "GET", "/?title=t", "", func(c *flasky.Ctx) error {
		var p post
		return c.Bind(&p)
	})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "Missing query argument &#34;body&#34;.") {
		t.Errorf("GET: %d %q", w.Code, w.Body.String())
	}
}
