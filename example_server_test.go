package flasky_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"

	"github.com/flasky-go/flasky"
)

// A server other than Run logs requests through AccessLogged. With a
// JSON handler each record carries the request's facts as attributes
// (time, message, duration and request id are left out here, since they
// change from run to run).
func ExampleApp_AccessLogged() {
	app := flasky.New()
	app.Logger = slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, slog.MessageKey, "duration", "request_id":
				return slog.Attr{}
			}
			return a
		},
	}))
	app.Route("/s5/<name>", func(c *flasky.Ctx) error { return c.String("data=" + c.Param("name")) })
	handler := app.AccessLogged() // http.ListenAndServe(addr, handler)

	handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/s5/kim", nil))
	// Output:
	// {"level":"INFO","method":"GET","path":"/s5/kim","rule":"/s5/<name>","status":200,"bytes":8,"client":"192.0.2.1"}
}

// Middleware reads the matched rule from r.Pattern once the handler has
// returned, a label for metrics that does not grow with the URLs; the
// handler reads it as c.Rule().
func ExampleCtx_Rule() {
	app := flasky.New()
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			fmt.Println("middleware saw", r.Pattern)
		})
	})
	app.Route("/s5/<name>", func(c *flasky.Ctx) error {
		fmt.Println("handler saw", c.Rule())
		return c.String("ok")
	})
	app.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/s5/lee", nil))
	// Output:
	// handler saw /s5/<name>
	// middleware saw /s5/<name>
}

// An error answers JSON to a client that asks for it, and Werkzeug's page
// to a browser.
func ExampleAbortf() {
	app := flasky.New()
	app.Route("/user/<name>", func(c *flasky.Ctx) error {
		return flasky.Abortf(404, "no user named %q", c.Param("name"))
	})
	r := httptest.NewRequest("GET", "/user/kim", nil)
	r.Header.Set("Accept", "application/json")
	w := httptest.NewRecorder()
	app.ServeHTTP(w, r)
	fmt.Print(w.Code, " ", w.Body.String())
	// Output:
	// 404 {"code":404,"name":"Not Found","description":"no user named \"kim\""}
}

// App.Validate checks every value that Bind and BindJSON decoded; its
// refusal is a 400 with its message. go-playground/validator plugs in as
// app.Validate = validator.New().Struct.
func ExampleApp_Validate() {
	type signup struct {
		Email string `schema:"email"`
	}
	app := flasky.New()
	app.Validate = func(v any) error {
		if s, ok := v.(*signup); ok && !strings.Contains(s.Email, "@") {
			return errors.New("email: not an address")
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
	client := app.TestClient(nil)
	client.Header.Set("Accept", "application/json") // errors as JSON
	for _, email := range []string{"kim@example.com", "kim"} {
		res := client.Post("/signup", url.Values{"email": {email}})
		fmt.Println(res.Code, strings.TrimSpace(res.Text()))
	}
	// Output:
	// 200 welcome kim@example.com
	// 400 {"code":400,"name":"Bad Request","description":"email: not an address"}
}

// Ready answers a load balancer's readiness check: 200 while serving, 503
// once a stop has begun (see StopDelay).
func ExampleReady() {
	app := flasky.New()
	app.Route("/readyz", flasky.Ready)
	res := app.TestClient(nil).Get("/readyz")
	fmt.Println(res.Code, res.Text())
	// Output:
	// 200 ready
}

// MountFullPath hands a handler the whole path, for handlers that route
// on it themselves, such as net/http/pprof's; Mount strips the prefix.
func ExampleApp_MountFullPath() {
	show := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, r.URL.Path) })
	app := flasky.New()
	app.MountFullPath("/debug/pprof", show)
	app.Mount("/api", show)
	client := app.TestClient(nil)
	fmt.Println(client.Get("/debug/pprof/heap").Text())
	fmt.Println(client.Get("/api/users").Text())
	// Output:
	// /debug/pprof/heap
	// /users
}
