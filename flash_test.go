package flasky_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestFlashShowsOnceOnTheNextPage(t *testing.T) {
	app, _ := newTestApp()
	app.Config.SecretKey = []byte("k")
	app.Route("/save", func(c *flasky.Ctx) error {
		c.Flash("저장했습니다")
		c.Flash("disk almost full", "warning")
		return c.Redirect("/")
	}, "POST")
	app.Route("/", func(c *flasky.Ctx) error {
		var out []string
		for _, f := range c.FlashedMessages() {
			out = append(out, f.Category+":"+f.Message)
		}
		warn := c.FlashedMessages("warning") // same request: same messages
		return c.String(strings.Join(out, "|") + " / " + strconv.Itoa(len(warn)))
	})
	client := app.TestClient(t)
	client.FollowRedirects = true
	res := client.Post("/save", nil)
	if want := "message:저장했습니다|warning:disk almost full / 1"; res.Text() != want {
		t.Fatalf("after redirect: %q, want %q", res.Text(), want)
	}
	if res := client.Get("/"); res.Text() != " / 0" {
		t.Errorf("messages shown twice: %q", res.Text())
	}
}

// Two categories are a mistake in the program: Flash panics, and the
// request is a 500 that names it.
func TestFlashRefusesTwoCategories(t *testing.T) {
	app, logs := newTestApp()
	app.Config.SecretKey = []byte("k")
	app.Route("/", func(c *flasky.Ctx) error {
		c.Flash("saved", "success", "extra")
		return c.String("ok")
	})
	res := app.TestClient(t).Get("/")
	if res.Code != 500 || !strings.Contains(logs.String(), "2 categories") {
		t.Errorf("Flash with two categories: %d, log %s; want a 500 saying so", res.Code, logs.String())
	}
}

func TestFlashInTemplates(t *testing.T) {
	dir := t.TempDir()
	writeTemplates(t, dir, map[string]string{"flash.html": `{{range get_flashed_messages}}[{{.}}]{{end}}` +
		`{{range get_flashed_messages "error"}}<b>{{.Message}}</b>{{end}}`})
	app := flasky.New(flasky.WithRoot(dir))
	app.Config.SecretKey = []byte("k")
	app.Route("/flash", func(c *flasky.Ctx) error {
		c.Flash("<hi>")
		c.Flash("bad", "error")
		return c.String("ok")
	})
	app.Route("/", func(c *flasky.Ctx) error { return c.Render("flash.html", nil) })
	client := app.TestClient(t)
	client.Get("/flash")
	if res := client.Get("/"); res.Text() != "[&lt;hi&gt;][bad]<b>bad</b>" {
		t.Errorf("page: %d %q", res.Code, res.Text())
	}
	if res := client.Get("/"); res.Text() != "" {
		t.Errorf("second render: %q", res.Text())
	}
}
