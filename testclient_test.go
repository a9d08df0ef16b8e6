package flasky_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// fatalRecorder stands in for *testing.T to see what the client reports.
type fatalRecorder struct{ msgs []string }

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msgs = append(f.msgs, strings.TrimSpace(format))
}

func TestTestClientRequests(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/s5/<name>", func(c *flasky.Ctx) error { return c.String("name=" + c.Param("name") + " q=" + c.Args.Get("q")) })
	app.Route("/form", func(c *flasky.Ctx) error { return c.String(c.Form.Get("a") + "," + c.Form.Get("b")) }, "POST")
	app.Route("/json", func(c *flasky.Ctx) error {
		var v struct{ N int }
		if err := c.BindJSON(&v); err != nil {
			return err
		}
		return c.JSON(flasky.M{"double": v.N * 2})
	}, "POST")
	app.Route("/upload", func(c *flasky.Ctx) error {
		f, err := c.Files.Get("file1")
		if err != nil {
			return err
		}
		return c.String(f.Filename + ":" + c.Form.Get("title"))
	}, "POST")
	client := app.TestClient(t)

	cases := []struct {
		name string
		res  *flasky.TestResponse
		want string
	}{
		{"unicode path and query", client.Get("/s5/홍길동?q=a+b"), "name=홍길동 q=a b"},
		{"form", client.Post("/form", url.Values{"a": {"1"}, "b": {"둘"}}), "1,둘"},
		{"upload", client.PostFiles("/upload", url.Values{"title": {"t"}},
			flasky.TestFile{Field: "file1", Filename: "사진.jpg", Content: []byte("jpeg")}), "사진.jpg:t"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.res.Code != 200 || tc.res.Text() != tc.want {
				t.Errorf("%s: %d %q, want %q", tc.name, tc.res.Code, tc.res.Text(), tc.want)
			}
		})
	}
	var out struct{ Double int }
	if res := client.PostJSON("/json", flasky.M{"N": 21}); res.JSON(&out) != nil || out.Double != 42 {
		t.Errorf("JSON: %d %q", res.Code, res.Text())
	}
	if res := client.Get("/missing"); res.Code != 404 {
		t.Errorf("missing: %d", res.Code)
	}
}

func TestTestClientFollowsRedirects(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/old", func(c *flasky.Ctx) error { return c.Status(301).Redirect("/new") })
	app.Route("/new/", text("new page"))
	app.Route("/post", func(c *flasky.Ctx) error { return c.Status(303).Redirect("/done") }, "POST")
	app.Route("/keep", func(c *flasky.Ctx) error { return c.Status(307).Redirect("/echo") }, "POST")
	app.Route("/echo", func(c *flasky.Ctx) error { return c.String(c.Request.Method + " " + c.Form.Get("x")) }, "POST")
	app.Route("/done", func(c *flasky.Ctx) error { return c.String(c.Request.Method + " done") })
	app.Route("/loop", func(c *flasky.Ctx) error { return c.Redirect("/loop") })

	client := app.TestClient(t)
	if res := client.Get("/old"); res.Code != 301 || res.Header.Get("Location") != "/new" {
		t.Errorf("without FollowRedirects: %d %q", res.Code, res.Header.Get("Location"))
	}
	client.FollowRedirects = true
	cases := []struct {
		name    string
		res     *flasky.TestResponse
		want    string
		path    string
		history int
	}{
		{"301 then Flask's trailing-slash 308", client.Get("/old"), "new page", "/new/", 2},
		{"303 after POST becomes GET", client.Post("/post", nil), "GET done", "/done", 1},
		{"307 keeps the method and body", client.Post("/keep", url.Values{"x": {"1"}}), "POST 1", "/echo", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.res.Text() != tc.want || tc.res.Path != tc.path || len(tc.res.History) != tc.history {
				t.Errorf("%s: %q at %q after %d redirects, want %q at %q after %d",
					tc.name, tc.res.Text(), tc.res.Path, len(tc.res.History), tc.want, tc.path, tc.history)
			}
		})
	}

	rec := &fatalRecorder{}
	loop := flasky.NewTestClient(app, rec)
	loop.FollowRedirects = true
	if res := loop.Get("/loop"); res == nil || res.Code != http.StatusFound || len(rec.msgs) != 1 {
		t.Errorf("redirect loop: %v, reports %q", res, rec.msgs)
	}
}

func TestTestClientReportsBadTargets(t *testing.T) {
	app, _ := newTestApp()
	for _, target := range []string{"s5/x", "http://other.example/", "/%zz"} {
		rec := &fatalRecorder{}
		if res := app.TestClient(rec).Get(target); res != nil || len(rec.msgs) != 1 {
			t.Errorf("Get(%q) = %v, reports %q; want nil and one report", target, res, rec.msgs)
		}
	}
}

func TestTestClientSendsHeaderAndCookies(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/set", func(c *flasky.Ctx) error {
		c.SetCookie(&http.Cookie{Name: "theme", Value: "dark", Path: "/"})
		return c.String("set")
	})
	app.Route("/show", func(c *flasky.Ctx) error { return c.String(c.Cookie("theme") + " " + c.GetHeader("X-Test")) })
	client := app.TestClient(t)
	client.Header.Set("X-Test", "yes")
	client.Get("/set")
	if res := client.Get("/show"); res.Text() != "dark yes" {
		t.Errorf("got %q", res.Text())
	}
}
