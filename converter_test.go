package flasky_test

import (
	"net/url"
	"testing"
)

func TestConverters(t *testing.T) {
	tests := []struct {
		rule, path string
		code       int
		params     string // "name=value" list as paramsHandler prints it; "" for none
	}{
		// default string: one non-empty segment
		{"/s/<x>", "/s/abc", 200, "x=abc"},
		{"/s/<x>", "/s/", 404, ""},
		{"/s/<x>", "/s/a/b", 404, ""},
		{"/s/<x>/e", "/s//e", 404, ""}, // an empty segment is not a string
		{"/s/<x>/e", "/s/a/e", 200, "x=a"},
		{"/s/<string:x>", "/s/abc", 200, "x=abc"},
		{"/s/<string:x>", "/s/", 404, ""},
		// int: digits only
		{"/i/<int:n>", "/i/42", 200, "n=42"},
		{"/i/<int:n>", "/i/0", 200, "n=0"},
		{"/i/<int:n>", "/i/-5", 404, ""},
		{"/i/<int:n>", "/i/1.5", 404, ""},
		{"/i/<int:n>", "/i/abc", 404, ""},
		{"/i/<int:n>", "/i/+5", 404, ""},
		{"/i/<int:n>", "/i/5a", 404, ""},
		{"/i/<int:n>", "/i/", 404, ""},
		{"/i/<int:n>", "/i/%EF%BC%95", 404, ""}, // fullwidth digit five
		{"/i/<int(signed=True):n>", "/i/-5", 200, "n=-5"},
		{"/i/<int(signed=True):n>", "/i/5", 200, "n=5"},
		{"/i/<int:n>", "/i/9223372036854775807", 200, "n=9223372036854775807"}, // the largest int64
		{"/i/<int:n>", "/i/9223372036854775808", 404, ""},                      // one past it
		{"/i/<int:n>", "/i/99999999999999999999999", 404, ""},
		{"/i/<int(signed=True):n>", "/i/-9223372036854775808", 200, "n=-9223372036854775808"},
		{"/i/<int(signed=True):n>", "/i/-9223372036854775809", 404, ""},
		{"/i/<int(max=9):n>", "/i/0000000000000000000000005", 200, "n=0000000000000000000000005"},
		{"/i/<int(max=9):n>", "/i/99999999999999999999999", 404, ""},
		// float: digits '.' digits
		{"/f/<float:x>", "/f/1.5", 200, "x=1.5"},
		{"/f/<float:x>", "/f/0.25", 200, "x=0.25"},
		{"/f/<float:x>", "/f/1", 404, ""},
		{"/f/<float:x>", "/f/1.", 404, ""},
		{"/f/<float:x>", "/f/.5", 404, ""},
		{"/f/<float:x>", "/f/-1.5", 404, ""},
		{"/f/<float:x>", "/f/1e5", 404, ""},
		{"/f/<float:x>", "/f/abc", 404, ""},
		{"/f/<float(signed=True):x>", "/f/-1.5", 200, "x=-1.5"},
		// uuid
		{"/u/<uuid:id>", "/u/a8098c1a-f86e-11da-bd1a-00112444be1e", 200, "id=a8098c1a-f86e-11da-bd1a-00112444be1e"},
		{"/u/<uuid:id>", "/u/A8098C1A-F86E-11DA-BD1A-00112444BE1E", 200, "id=A8098C1A-F86E-11DA-BD1A-00112444BE1E"},
		{"/u/<uuid:id>", "/u/a8098c1af86e11dabd1a00112444be1e", 404, ""},
		{"/u/<uuid:id>", "/u/g8098c1a-f86e-11da-bd1a-00112444be1e", 404, ""},
		{"/u/<uuid:id>", "/u/a8098c1a-f86e-11da-bd1a-00112444be1", 404, ""},
		// any
		{"/any/<any(a,b,c):x>", "/any/a", 200, "x=a"},
		{"/any/<any(a,b,c):x>", "/any/c", 200, "x=c"},
		{"/any/<any(a,b,c):x>", "/any/d", 404, ""},
		{"/any/<any(a,b,c):x>", "/any/ab", 404, ""},
		{"/any/<any(a, b, c):x>", "/any/b", 200, "x=b"},
		{"/any/<any('x y',z):x>", "/any/x%20y", 200, "x=x y"},
		// path: the rest, slashes included, not empty
		{"/p/<path:rest>", "/p/a/b/c", 200, "rest=a/b/c"},
		{"/p/<path:rest>", "/p/a", 200, "rest=a"},
		{"/p/<path:rest>", "/p/a/b/", 200, "rest=a/b/"},
		{"/p/<path:rest>", "/p/", 404, ""},
		{"/p/<path:rest>", "/p", 404, ""},
		// several variables
		{"/m/<a>/<int:b>/<path:c>", "/m/x/7/y/z", 200, "a=x b=7 c=y/z"},
		// a static prefix inside the segment, as the package doc allows
		{"/page_<int:n>", "/page_5", 200, "n=5"},
		{"/page_<int:n>", "/page_x", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" "+tt.path, func(t *testing.T) {
			app, _ := newTestApp()
			if _, err := app.AddRoute(tt.rule, paramsHandler); err != nil {
				t.Errorf("AddRoute(%q): %v", tt.rule, err)
				return
			}
			w := get(app, tt.path)
			if w.Code != tt.code {
				t.Errorf("rule %s, GET %s = %d %q, want %d", tt.rule, tt.path, w.Code, w.Body.String(), tt.code)
				return
			}
			if tt.code != 200 {
				return
			}
			u, _ := url.Parse(tt.path)
			want := u.Path
			if tt.params != "" {
				want += " " + tt.params
			}
			if w.Body.String() != want {
				t.Errorf("rule %s, GET %s: handler saw %q, want %q", tt.rule, tt.path, w.Body.String(), want)
			}
		})
	}
}

func TestConverterArguments(t *testing.T) {
	tests := []struct {
		rule string
		ok   []string // segments the rule takes
		bad  []string // segments that are a 404
	}{
		{"/<int(min=1,max=9):n>", []string{"1", "5", "9", "05"}, []string{"0", "10", "-1"}},
		{"/<int(min=10):n>", []string{"10", "999999"}, []string{"9", "0"}},
		{"/<int(max=10):n>", []string{"0", "10"}, []string{"11"}},
		{"/<int(fixed_digits=4):n>", []string{"2024", "0007"}, []string{"24", "02024", "abcd"}},
		{"/<int(signed=True,min=-3,max=3):n>", []string{"-3", "0", "3"}, []string{"-4", "4"}},
		{"/<float(min=0.5,max=1.5):x>", []string{"0.5", "1.0", "1.5"}, []string{"0.4", "1.6"}},
		{"/<string(length=2):cc>", []string{"ab", "KR", "%ED%95%9C%EA%B5%AD"}, []string{"a", "abc", "%ED%95%9C"}},
		{"/<string(minlength=2,maxlength=3):s>", []string{"ab", "abc"}, []string{"a", "abcd"}},
		{"/<string(maxlength=1):s>", []string{"a"}, []string{"ab"}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			app, _ := newTestApp()
			if _, err := app.AddRoute(tt.rule, text("ok")); err != nil {
				t.Errorf("AddRoute(%q): %v", tt.rule, err)
				return
			}
			for _, s := range tt.ok {
				if w := get(app, "/"+s); w.Code != 200 {
					t.Errorf("rule %s: GET /%s = %d, want 200", tt.rule, s, w.Code)
				}
			}
			for _, s := range tt.bad {
				if w := get(app, "/"+s); w.Code != 404 {
					t.Errorf("rule %s: GET /%s = %d, want 404", tt.rule, s, w.Code)
				}
			}
		})
	}
}
