package flasky_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/flasky-go/flasky"
)

// UserAPI answers /users/<int:id> with one method per HTTP method, as a
// Flask MethodView. One value serves every request, concurrently, so its
// map is guarded by a mutex.
type UserAPI struct {
	mu    sync.Mutex
	names map[int]string
}

func (u *UserAPI) Get(c *flasky.Ctx) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	name, ok := u.names[c.ParamInt("id")]
	if !ok {
		return flasky.Abort(http.StatusNotFound)
	}
	return c.String(name)
}

func (u *UserAPI) Delete(c *flasky.Ctx) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.names, c.ParamInt("id"))
	return c.NoContent()
}

// status prints the status and Allow header of one request to h.
func status(h http.Handler, method, target string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	if allow := w.Header().Get("Allow"); allow != "" {
		fmt.Println(method, target, w.Code, "Allow:", allow)
		return
	}
	fmt.Println(method, target, w.Code)
}

// A view answers the methods it has (GET also HEAD, and OPTIONS
// automatically); its endpoint is its type's name.
func ExampleApp_View() {
	app := flasky.New()
	r := app.View("/users/<int:id>", &UserAPI{names: map[int]string{1: "kim"}})
	u, _ := app.URLFor("UserAPI", flasky.M{"id": 1})
	fmt.Println(r.Endpoint(), r.Methods(), u)

	show(app, "GET", "/users/1")
	status(app, "DELETE", "/users/1")
	status(app, "GET", "/users/1")
	status(app, "POST", "/users/1")
	// Output:
	// UserAPI [DELETE GET HEAD OPTIONS] /users/1
	// 200 kim
	// DELETE /users/1 204
	// GET /users/1 404
	// POST /users/1 405 Allow: DELETE, GET, HEAD, OPTIONS
}

func createEntry(c *flasky.Ctx) error { return c.String(fmt.Sprint("created by ", c.Get("user"))) }

// Middleware is Flask's decorator: Wrap keeps the handler's endpoint,
// where requireUser(createEntry) would be named after its rule.
func ExampleRoute_Wrap() {
	requireUser := func(next flasky.HandlerFunc) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error {
			if c.Get("user") == nil {
				return c.Redirect("/login")
			}
			return next(c)
		}
	}

	app := flasky.New()
	app.BeforeRequest(func(c *flasky.Ctx) error {
		if u := c.Args.Get("user"); u != "" {
			c.Set("user", u) // a session would hold it
		}
		return nil
	})
	r := app.Route("/create", createEntry, "GET", "POST").Wrap(requireUser)
	fmt.Println(r.Endpoint())

	status(app, "GET", "/create")
	show(app, "GET", "/create?user=kim")
	// Output:
	// createEntry
	// GET /create 302
	// 200 created by kim
}

// net/http middleware for one route: the handler runs with the request
// the middleware passed down, and writes through its writer.
func ExampleHTTPMiddleware() {
	noFrames := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Frame-Options", "DENY")
			next.ServeHTTP(w, r)
		})
	}
	app := flasky.New()
	app.Route("/account", func(c *flasky.Ctx) error {
		return c.String("account")
	}).Wrap(flasky.HTTPMiddleware(noFrames))
	app.Route("/embed", func(c *flasky.Ctx) error { return c.String("embed") })

	for _, path := range []string{"/account", "/embed"} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Printf("%s %q %s\n", path, w.Header().Get("X-Frame-Options"), w.Body)
	}
	// Output:
	// /account "DENY" account
	// /embed "" embed
}

// The flaskr tutorial names the blog's index "index" too: the rule
// without a handler beside its twin is built, and the blog's rule
// answers.
func ExampleApp_AddURLRule() {
	app := flasky.New()
	blog := app.Blueprint("blog", "")
	blog.Route("/", func(c *flasky.Ctx) error { return c.String("posts") }).SetEndpoint("index")
	if _, err := app.AddURLRule("/", "index", nil); err != nil {
		fmt.Println(err)
	}
	a, _ := app.URLFor("index", nil)
	b, _ := app.URLFor("blog.index", nil)
	fmt.Println(a, b)
	show(app, "GET", "/")
	// Output:
	// / /
	// 200 posts
}
