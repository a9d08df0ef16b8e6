// Command faultapp is the program the fault tests and the nginx cluster
// check run as a separate process: the routes of the examples (hello,
// params, form, template, upload, image) plus routes that misbehave on
// purpose (slow, panic) and routes that report what the app sees (ip,
// stats). It listens on loopback by default and is not meant for anything
// else.
//
//	go build -o /tmp/faultapp ./internal/faults/cmd/faultapp
//	/tmp/faultapp -addr 127.0.0.1:0 -trust 127.0.0.1 -grace 5s -name a
//
// It prints " * Running on http://ADDR/" like any flasky app, and when it
// stops, " * handled N requests" (the requests its handlers started,
// which a test compares with the answers its clients received) and
// " * accepted N connections, M closed before a request".
package main

import (
	"embed"
	"flag"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flasky-go/flasky"
)

//go:embed templates
var files embed.FS

// person is what POST /form binds to, as in examples/form.
type person struct {
	Name  string `schema:"name"`
	Email string `schema:"email"`
}

// newApp builds the app; handled counts the requests whose handler ran.
func newApp(name, uploads string, handled *atomic.Int64) *flasky.App {
	app := flasky.New(flasky.WithFS(files))
	app.BeforeRequest(func(c *flasky.Ctx) error { handled.Add(1); return nil })

	app.Route("/", func(c *flasky.Ctx) error { return c.String("hello~~") })
	app.Route("/s5/<name>", func(c *flasky.Ctx) error { return c.String("data=" + c.Param("name")) })
	app.Route("/form", func(c *flasky.Ctx) error {
		var p person
		if err := c.Bind(&p); err != nil {
			return err
		}
		return c.HTML("name = " + html.EscapeString(p.Name) + "<br/>email = " + html.EscapeString(p.Email) + "<br/>")
	}, "POST")
	app.Route("/tmpl", func(c *flasky.Ctx) error {
		return c.Render("home.html", flasky.M{"name": "홍길동", "list": []string{"홍길동", "이순신", "임꺽정"}})
	})
	app.Route("/fileUpload", func(c *flasky.Ctx) error {
		f, err := c.Files.Get("file1")
		if err != nil {
			return err
		}
		if _, err := f.Save(uploads); err != nil {
			return err
		}
		size, _ := f.Size()
		return c.String("saved " + strconv.FormatInt(size, 10))
	}, "POST")
	app.Route("/get_image2", func(c *flasky.Ctx) error {
		im, err := flasky.NewImage("RGB", 220, 190)
		if err != nil {
			return err
		}
		if err := flasky.Draw(im).Rectangle(40, 40, 210, 180, flasky.Fill("#ffff33"), flasky.Outline("red")); err != nil {
			return err
		}
		return c.SendImage(im, flasky.JPEG(70))
	})

	// /slow?ms=1500&kb=256 sends its headers and first kilobyte at once,
	// then the rest after ms milliseconds: a client knows the request was
	// accepted, and a cut answer is short of its Content-Length.
	app.Route("/slow", func(c *flasky.Ctx) error {
		ms, _ := strconv.Atoi(c.Args.Get("ms"))
		kb, _ := strconv.Atoi(c.Args.Get("kb"))
		kb = max(1, min(kb, 4096))
		c.SetHeader("Content-Length", strconv.Itoa(kb*1024))
		c.SetHeader("Content-Type", "application/octet-stream")
		chunk := []byte(strings.Repeat("x", 1024))
		if _, err := c.Writer.Write(chunk); err != nil {
			return nil // the client is gone; nothing to answer
		}
		http.NewResponseController(c.Writer).Flush()
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-c.Context().Done():
			return nil
		}
		for range kb - 1 {
			if _, err := c.Writer.Write(chunk); err != nil {
				return nil
			}
		}
		return nil
	})
	app.Route("/panic", func(c *flasky.Ctx) error { panic("faultapp: panic on purpose") })
	app.Route("/ip", func(c *flasky.Ctx) error {
		return c.String(c.ClientIP() + " " + c.Scheme() + " " + name)
	})
	app.Route("/stats", func(c *flasky.Ctx) error {
		return c.JSON(map[string]any{"goroutines": runtime.NumGoroutine(), "handled": handled.Load(), "name": name})
	})
	return app
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "host:port to listen on")
	trust := flag.String("trust", "", "comma-separated trusted proxies (addresses or CIDR networks)")
	grace := flag.Duration("grace", 10*time.Second, "how long a stopping server waits for requests in flight")
	name := flag.String("name", "faultapp", "instance name that /ip reports")
	dir := flag.String("dir", "", "folder for uploads (default: a new temporary folder)")
	quiet := flag.Bool("quiet", false, "no access log")
	flag.Parse()

	if err := run(*addr, *trust, *grace, *name, *dir, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "faultapp:", err)
		os.Exit(1)
	}
}

func run(addr, trust string, grace time.Duration, name, dir string, quiet bool) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "faultapp-uploads-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	var handled atomic.Int64
	app := newApp(name, dir, &handled)
	var proxies []string
	if trust != "" {
		proxies = strings.Split(trust, ",")
	}
	if err := app.TrustProxies(proxies...); err != nil {
		return err
	}
	var conns connCount
	opts := []flasky.RunOption{flasky.ShutdownTimeout(grace), flasky.ConfigureServer(conns.hook)}
	if quiet {
		opts = append(opts, flasky.NoAccessLog())
	}
	err := app.Run(addr, opts...)
	fmt.Fprintf(os.Stderr, " * handled %d requests\n", handled.Load())
	fmt.Fprintf(os.Stderr, " * accepted %d connections, %d closed before a request\n", conns.accepted.Load(), conns.unused.Load())
	return err
}

// connCount counts the connections the server accepted, and those it
// closed before reading a request from them: a test that sent a request
// on every connection expects none of those.
type connCount struct {
	accepted, unused atomic.Int64
	fresh            sync.Map // net.Conn -> struct{}, while StateNew
}

func (cc *connCount) hook(s *http.Server) {
	s.ConnState = func(c net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			cc.accepted.Add(1)
			cc.fresh.Store(c, struct{}{})
		case http.StateActive:
			cc.fresh.Delete(c)
		case http.StateClosed, http.StateHijacked:
			if _, ok := cc.fresh.LoadAndDelete(c); ok {
				cc.unused.Add(1)
			}
		}
	}
}
