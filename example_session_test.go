package flasky_test

import (
	"fmt"
	"net/url"

	"github.com/flasky-go/flasky"
)

// A login kept in the signed session cookie, read back on the next
// request; the test client keeps the cookie like a browser.
func ExampleCtx_Session() {
	app := flasky.New()
	app.Config.SecretKey = []byte("use a long random key, kept out of the source")
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("user", c.Form.Get("user"))
		return c.Redirect("/")
	}, "POST")
	app.Route("/", func(c *flasky.Ctx) error {
		s := c.Session()
		if !s.Has("user") {
			return c.String("who are you?")
		}
		return c.String("hello " + s.String("user"))
	})

	client := app.TestClient(nil)
	fmt.Println(client.Get("/").Text())
	client.FollowRedirects = true
	res := client.Post("/login", url.Values{"user": {"홍길동"}})
	fmt.Println(res.Text())
	fmt.Println(res.Header.Get("Vary"))
	// Output:
	// who are you?
	// hello 홍길동
	// Cookie
}

// A message flashed before a redirect shows once on the next page.
func ExampleCtx_Flash() {
	app := flasky.New()
	app.Config.SecretKey = []byte("use a long random key, kept out of the source")
	app.Route("/save", func(c *flasky.Ctx) error {
		c.Flash("저장했습니다", "success")
		return c.Redirect("/")
	}, "POST")
	app.Route("/", func(c *flasky.Ctx) error {
		msg := "nothing new"
		for _, f := range c.FlashedMessages() {
			msg = f.Category + ": " + f.Message
		}
		return c.String(msg)
	})

	client := app.TestClient(nil)
	client.FollowRedirects = true
	fmt.Println(client.Post("/save", nil).Text())
	fmt.Println(client.Get("/").Text())
	// Output:
	// success: 저장했습니다
	// nothing new
}

// The test client reads like Flask's app.test_client(). In a test, pass
// the test's t instead of nil.
func ExampleApp_TestClient() {
	app := flasky.New()
	app.Route("/s5/<name>", func(c *flasky.Ctx) error {
		return c.String("data=" + c.Param("name"))
	})
	app.Route("/form", func(c *flasky.Ctx) error {
		return c.String("name=" + c.Form.Get("name"))
	}, "POST")

	client := app.TestClient(nil)
	res := client.Get("/s5/홍길동")
	fmt.Println(res.Code, res.Text())
	res = client.Post("/form", url.Values{"name": {"이순신"}})
	fmt.Println(res.Code, res.Text())
	res = client.PostFiles("/form", url.Values{"name": {"임꺽정"}},
		flasky.TestFile{Field: "file1", Filename: "a.txt", Content: []byte("hi")})
	fmt.Println(res.Code, res.Text())
	// Output:
	// 200 data=홍길동
	// 200 name=이순신
	// 200 name=임꺽정
}

// memSessions keeps sessions in memory under ids, the way a Redis store
// keeps them: the cookie holds only the id.
type memSessions struct {
	data map[string][]byte
	n    int
}

func (m *memSessions) OpenSession(c *flasky.Ctx) (*flasky.Session, error) {
	if b, ok := m.data[c.SessionCookie()]; ok {
		return flasky.LoadSession(c.SessionCookie(), b)
	}
	return flasky.NewSession(), nil
}

func (m *memSessions) SaveSession(c *flasky.Ctx, s *flasky.Session) error {
	if s.ID() != "" && (s.Empty() || s.Regenerated()) {
		delete(m.data, s.ID()) // cleared, or a new id on login
	}
	if s.Empty() {
		c.SetSessionCookie("")
		return nil
	}
	id := s.ID()
	if id == "" || s.Regenerated() {
		m.n++
		id = fmt.Sprintf("sid-%d", m.n) // a real store uses 32 random bytes
	}
	b, err := s.Encode()
	if err != nil {
		return err
	}
	m.data[id] = b
	c.SetSessionCookie(id)
	return nil
}

// A server-side session store: Flask's login pattern, clearing the
// session then filling it, gives the logged-in user a new id.
func ExampleSessionInterface() {
	store := &memSessions{data: map[string][]byte{}}
	app := flasky.New()
	app.SessionInterface = store
	app.Route("/cart", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("items", s.Int("items")+1)
		return c.String(fmt.Sprint("items: ", s.Int("items")))
	})
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Clear()
		s.Set("user", c.Form.Get("user"))
		return c.String("hello " + s.String("user"))
	}, "POST")

	client := app.TestClient(nil)
	res := client.Get("/cart")
	fmt.Println(res.Text(), res.Header.Get("Set-Cookie"))
	res = client.Post("/login", url.Values{"user": {"kim"}})
	fmt.Println(res.Text(), res.Header.Get("Set-Cookie"))
	fmt.Println(len(store.data), "session kept")
	// Output:
	// items: 1 session=sid-1; Path=/; HttpOnly; SameSite=Lax
	// hello kim session=sid-2; Path=/; HttpOnly; SameSite=Lax
	// 1 session kept
}

// Session reads and changes the client's session between requests, as
// Flask's session_transaction: here a test logs in without the form.
func ExampleTestClient_Session() {
	app := flasky.New()
	app.Config.SecretKey = []byte("test key")
	app.Route("/profile", func(c *flasky.Ctx) error {
		return c.String("profile of " + c.Session().String("user"))
	})

	client := app.TestClient(nil)
	client.Session(func(s *flasky.Session) {
		s.Set("user", "kim")
	})
	fmt.Println(client.Get("/profile").Text())
	// Output:
	// profile of kim
}

// TestRequestContext is Flask's test_request_context: a Ctx for code
// that needs a request, without sending one.
func ExampleApp_TestRequestContext() {
	app := flasky.New()
	app.Route("/user/<int:id>", func(c *flasky.Ctx) error { return nil }).SetEndpoint("user")

	c, release := app.TestRequestContext("GET", "/user/7?tab=posts")
	defer release()
	u, _ := c.URLFor("user", flasky.M{"id": 8, "_external": true})
	fmt.Println(c.Endpoint(), c.Param("id"), c.Args.Get("tab"), u)
	// Output:
	// user 7 posts http://localhost/user/8
}

// The test client sends every method, with headers and bodies given as
// options.
func ExampleTestClient_Put() {
	app := flasky.New()
	app.Route("/items/<int:id>", func(c *flasky.Ctx) error {
		var item struct{ Name string }
		if err := c.BindJSON(&item); err != nil {
			return err
		}
		return c.String(c.GetHeader("If-Match") + " " + item.Name)
	}, "PUT")

	client := app.TestClient(nil)
	res := client.Put("/items/1", flasky.JSONBody(flasky.M{"Name": "pen"}), flasky.Header("If-Match", `"v1"`))
	fmt.Println(res.Code, res.Text())
	// Output:
	// 200 "v1" pen
}
