package flasky_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/flasky-go/flasky"
)

// show prints the status and body of one request to h.
func show(h http.Handler, method, target string, body ...string) {
	var req *http.Request
	if len(body) > 0 {
		req = httptest.NewRequest(method, target, strings.NewReader(body[0]))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
}

// The hello program, served through httptest instead of app.Run.
func Example() {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error {
		return c.String("hello~~")
	})
	app.Route("/s5/<name>", func(c *flasky.Ctx) error {
		return c.String("data=" + c.Param("name"))
	})

	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Body.String())

	show(app, "GET", "/s5/%ED%99%8D%EA%B8%B8%EB%8F%99")
	show(app, "POST", "/")
	// Output:
	// 200 text/plain; charset=utf-8 hello~~
	// 200 data=홍길동
	// 405 <!doctype html>
	// <html lang=en>
	// <title>405 Method Not Allowed</title>
	// <h1>Method Not Allowed</h1>
	// <p>The method is not allowed for the requested URL.</p>
}

func ExampleApp_URLFor() {
	app := flasky.New()
	app.Route("/user/<int:id>", showUser)
	app.Route("/files/<path:name>", func(c *flasky.Ctx) error { return nil }).SetEndpoint("file")

	u, _ := app.URLFor("showUser", flasky.M{"id": 42, "tab": "posts", "q": "a b"})
	fmt.Println(u)
	u, _ = app.URLFor("file", flasky.M{"name": "docs/홍길동 resume.pdf"})
	fmt.Println(u)
	_, err := app.URLFor("showUser", nil)
	fmt.Println(err)
	// Output:
	// /user/42?q=a+b&tab=posts
	// /files/docs/%ED%99%8D%EA%B8%B8%EB%8F%99%20resume.pdf
	// flasky: URLFor("showUser"): missing value for <id> in rule "/user/<int:id>"
}

// Ctx.Args reads the query string like Flask's request.args.
func ExampleValues_Get() {
	app := flasky.New()
	app.Route("/search", func(c *flasky.Ctx) error {
		q := c.Args.Get("q")
		_, hasPage := c.Args.Lookup("page")
		return c.String(fmt.Sprintf("q=%q tags=%q page given=%v", q, c.Args.List("tag"), hasPage))
	})
	show(app, "GET", "/search?q=go+web&tag=a&tag=b&page=")
	show(app, "GET", "/search")
	// Output:
	// 200 q="go web" tags=["a" "b"] page given=true
	// 200 q="" tags=[] page given=false
}

func ExampleCtx_Bind() {
	type Signup struct {
		Name string `schema:"name"`
		Age  int    `schema:"age"`
	}
	app := flasky.New()
	app.Route("/signup", func(c *flasky.Ctx) error {
		var s Signup
		if err := c.Bind(&s); err != nil {
			return err // a 400 that names the field
		}
		return c.String(fmt.Sprintf("%s is %d", s.Name, s.Age))
	}, "POST")
	show(app, "POST", "/signup", "name=alice&age=30")

	w := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/signup", strings.NewReader("name=bob&age=old"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	app.ServeHTTP(w, req)
	fmt.Println(w.Code, strings.Contains(w.Body.String(), "age"))
	// Output:
	// 200 alice is 30
	// 400 true
}

func ExampleAbort() {
	app := flasky.New()
	app.Route("/user/<int:id>", func(c *flasky.Ctx) error {
		if c.ParamInt("id") != 1 {
			return flasky.Abortf(404, "no such user")
		}
		return c.String("alice")
	})
	show(app, "GET", "/user/1")
	show(app, "GET", "/user/2")
	// Output:
	// 200 alice
	// 404 <!doctype html>
	// <html lang=en>
	// <title>404 Not Found</title>
	// <h1>Not Found</h1>
	// <p>no such user</p>
}

func ExampleApp_ErrorHandler() {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler) // keep the 500's log line out of the example
	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.JSON(map[string]any{"error": e.Code, "path": c.Request.URL.Path})
	})
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String("sorry, something broke")
	})
	app.Route("/broken", func(c *flasky.Ctx) error { return fmt.Errorf("database is down") })

	show(app, "GET", "/nowhere")
	show(app, "GET", "/broken")
	// Output:
	// 404 {"error":404,"path":"/nowhere"}
	// 500 sorry, something broke
}

func ExampleApp_Blueprint() {
	app := flasky.New()
	admin := app.Blueprint("admin", "/admin")
	admin.BeforeRequest(func(c *flasky.Ctx) error {
		if c.GetHeader("X-Admin") == "" {
			return flasky.Abort(403)
		}
		return nil
	})
	admin.ErrorHandler(403, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String("admins only")
	})
	admin.Route("/", func(c *flasky.Ctx) error { return c.String("dashboard") }).SetEndpoint("index")

	u, _ := app.URLFor("admin.index", nil)
	fmt.Println(u)
	show(app, "GET", "/admin/")
	// Output:
	// /admin/
	// 403 admins only
}

func ExampleApp_Use() {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.String("home") })
	// Any net/http middleware works unchanged.
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Frame-Options", "DENY")
			next.ServeHTTP(w, r)
		})
	})
	for _, p := range []string{"/", "/missing"} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		fmt.Println(p, w.Code, w.Header().Get("X-Frame-Options"))
	}
	// Output:
	// / 200 DENY
	// /missing 404 DENY
}

func ExampleApp_Mount() {
	app := flasky.New()
	api := http.NewServeMux()
	api.HandleFunc("GET /users", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "users from the mux") })
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "mux saw %s %s", r.Method, r.URL.Path) })
	app.Mount("/api", api)

	show(app, "GET", "/api/users")
	show(app, "DELETE", "/api/things/7")
	show(app, "GET", "/api")
	// Output:
	// 200 users from the mux
	// 200 mux saw DELETE /things/7
	// 200 mux saw GET /
}

func ExampleApp_Routes() {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return nil }).SetEndpoint("index")
	app.Route("/user/<int:id>", showUser, "GET", "POST")
	app.Blueprint("admin", "/admin").Route("/", adminIndex)
	app.Mount("/api", http.NotFoundHandler())

	for _, r := range app.Routes() {
		fmt.Println(r.Endpoint, r.Methods, r.Rule)
	}
	fmt.Println()
	app.PrintRoutes(os.Stdout)
	// Output:
	// admin.adminIndex [GET] /admin/
	// index [GET] /
	// mount:/api [*] /api
	// mount:/api [*] /api/<path:rest>
	// showUser [GET POST] /user/<int:id>
	//
	// Endpoint          Methods    Rule
	// --------          -------    ----
	// admin.adminIndex  GET        /admin/
	// index             GET        /
	// mount:/api        *          /api
	// mount:/api        *          /api/<path:rest>
	// showUser          GET, POST  /user/<int:id>
}
