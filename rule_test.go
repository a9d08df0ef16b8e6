package flasky_test

import (
	"strconv"
	"strings"
	"testing"
)

func TestInvalidRules(t *testing.T) {
	tests := []struct {
		rule string
		why  string
	}{
		{"", "empty"},
		{"users", "no leading slash"},
		{"users/<id>", "no leading slash"},
		{"/a/<x", "unclosed <"},
		{"/a/<int:x", "unclosed <"},
		{"/a/<foo:x>", "unknown converter"},
		{"/a/<integer:x>", "unknown converter"},
		{"/a/<x>/<x>", "duplicate variable"},
		{"/a/<int:x>/<string:x>", "duplicate variable"},
		{"/a/<>", "empty variable"},
		{"/a/<:x>", "empty converter name"},
		{"/a/<a:b:c>", "two ':' in a variable"},
		{"/a/<regex(\"x\"):x>", "unknown converter with arguments"},
		{"/a/<int:>", "empty variable name"},
		{"/a/<1x>", "bad identifier"},
		{"/a/<x-y>", "bad identifier"},
		{"/a/<int(min=a):x>", "bad converter argument"},
		{"/a/<int(bogus=1):x>", "unknown converter argument"},
		{"/a/<int(min=1:x>", "unclosed converter arguments"},
		{"/a/<any:x>", "any without choices"},
		{"/a/<string(length=-1):x>", "negative length"},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.rule), func(t *testing.T) {
			app, _ := newTestApp()
			r, err := app.AddRoute(tt.rule, text("x"))
			if err == nil {
				t.Errorf("AddRoute(%q) (%s): no error, route %q", tt.rule, tt.why, r.Rule())
				return
			}
			if !strings.Contains(err.Error(), strconv.Quote(tt.rule)) {
				t.Errorf("AddRoute(%q) (%s): error %q does not quote the rule", tt.rule, tt.why, err)
			}
			if !strings.HasPrefix(err.Error(), "flasky:") {
				t.Errorf("AddRoute(%q): error %q does not start with \"flasky:\"", tt.rule, err)
			}
			v := mustPanic(t, func() { app.Route(tt.rule, text("x")) })
			if e, ok := v.(error); !ok || !strings.HasPrefix(e.Error(), "flasky:") {
				t.Errorf("Route(%q) panicked with %v, want a flasky: error", tt.rule, v)
			}
			// The app still works after the refusal.
			app.Route("/ok", text("ok"))
			if w := get(app, "/ok"); w.Code != 200 {
				t.Errorf("after refusing %q, GET /ok = %d", tt.rule, w.Code)
			}
		})
	}
	// Other registration errors.
	app, _ := newTestApp()
	if _, err := app.AddRoute("/x", nil); err == nil {
		t.Errorf("AddRoute with a nil handler: no error")
	}
	if _, err := app.AddRoute("/x", text("x"), "FETCH"); err == nil || !strings.Contains(err.Error(), "FETCH") {
		t.Errorf("AddRoute with method FETCH: error %v, want one naming the method", err)
	}
}
