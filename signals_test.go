package flasky_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

// TestSignals checks that each signal is sent where Flask sends its own,
// with what it carries, in order, and that a disconnected function is
// no longer called.
func TestSignals(t *testing.T) {
	files := fstest.MapFS{"templates/page.html": {Data: []byte(`<p>{{.name}}</p>`)}}
	app := flasky.New(flasky.WithFS(files))
	app.Config.SecretKey = []byte("signals test key, long enough....")
	var trace []string
	sig := &app.Signals
	disconnect := sig.RequestStarted.Connect(func(c *flasky.Ctx) { trace = append(trace, "started "+c.Request.URL.Path) })
	sig.RequestFinished.Connect(func(e flasky.RequestFinished) {
		trace = append(trace, fmt.Sprintf("finished %d %d", e.Status, e.Size))
	})
	sig.GotRequestException.Connect(func(e flasky.RequestError) { trace = append(trace, "exception "+e.Err.Error()) })
	sig.RequestTearingDown.Connect(func(e flasky.RequestError) { trace = append(trace, fmt.Sprintf("teardown %v", e.Err)) })
	sig.BeforeRenderTemplate.Connect(func(e flasky.TemplateRendered) { trace = append(trace, "before render "+e.Name) })
	sig.TemplateRendered.Connect(func(e flasky.TemplateRendered) {
		trace = append(trace, fmt.Sprintf("rendered %s %v", e.Name, e.Data.(flasky.M)["name"]))
	})
	sig.MessageFlashed.Connect(func(e flasky.MessageFlashed) { trace = append(trace, "flashed "+e.Category+":"+e.Message) })
	app.Route("/page", func(c *flasky.Ctx) error { return c.Render("page.html", flasky.M{"name": "kim"}) })
	app.Route("/flash", func(c *flasky.Ctx) error {
		c.Flash("saved", "info")
		return c.String("ok")
	})
	app.Route("/fail", func(c *flasky.Ctx) error { return errors.New("db gone") })
	app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abort(403) })

	tests := []struct {
		path  string
		trace []string
	}{
		{"/page", []string{"started /page", "before render page.html", "rendered page.html kim", "finished 200 SIZE", "teardown <nil>"}},
		{"/flash", []string{"started /flash", "flashed info:saved", "finished 200 SIZE", "teardown <nil>"}},
		{"/fail", []string{"started /fail", "exception db gone", "finished 500 SIZE", "teardown db gone"}},
		{"/abort", []string{"started /abort", "finished 403 SIZE", "teardown <nil>"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			trace = nil
			w := get(app, tc.path)
			want := slices.Clone(tc.trace)
			for i := range want {
				want[i] = strings.Replace(want[i], "SIZE", fmt.Sprint(w.Body.Len()), 1)
			}
			if !slices.Equal(trace, want) {
				t.Errorf("signals:\n got %q\nwant %q", trace, want)
			}
		})
	}
	disconnect()
	trace = nil
	get(app, "/abort")
	if len(trace) == 0 || trace[0] == "started /abort" {
		t.Errorf("after disconnect: %q, want no started signal", trace)
	}
	if sig.RequestStarted.Connected() || !sig.RequestFinished.Connected() {
		t.Errorf("Connected() = %v, %v; want false, true", sig.RequestStarted.Connected(), sig.RequestFinished.Connected())
	}
}
