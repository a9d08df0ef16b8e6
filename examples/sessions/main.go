// Command sessions logs users in and out, with sessions in signed cookies
// (flasky's default) or, with -redis, in Redis (package redisstore),
// where they can be ended on the server and every instance of the app
// sees the same sessions.
//
//	export FLASKY_SECRET_KEY="$(head -c 32 /dev/urandom | base64)"  # the same for every instance
//	go run . -addr 127.0.0.1:8081 -redis 127.0.0.1:6379
//	go run . -addr 127.0.0.1:8082 -redis 127.0.0.1:6379
//	go run .                                   # cookie sessions on 127.0.0.1:8080
//
// Then, with curl (-c and -b keep the cookie in a file):
//
//	curl -c alice.txt -d user=alice http://127.0.0.1:8081/login     # 200 logged in as alice
//	curl -b alice.txt http://127.0.0.1:8082/whoami                  # 200 alice (the other instance)
//	curl -b alice.txt -X POST http://127.0.0.1:8082/logout-all      # 200: every session of alice ends
//	curl -b alice.txt http://127.0.0.1:8081/whoami                  # 401
//
// Routes:
//
//	GET  /            what this is; never opens the session
//	POST /login       form field user: a new session for that user, 200
//	GET  /whoami      200 and the session's user, or 401
//	POST /logout      ends this session (deleted in Redis with -redis)
//	POST /logout-all  ends every session of this session's user, on every
//	                  instance (with -redis; 501 with cookie sessions)
//
// It lives in a module of its own, with redisstore, so that the root
// module does not require the Redis client.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/flasky-go/flasky"
	"github.com/flasky-go/flasky/redisstore"
)

const home = `flasky sessions example
POST /login (form: user)   log in
GET  /whoami               who is logged in (401: nobody)
POST /logout               log out this browser
POST /logout-all           log out every browser of this user (needs -redis)
`

// newApp builds the app, so the tests serve the same routes as main.
// store nil keeps sessions in signed cookies. name, when not empty, is
// sent in an X-Instance header, to see which instance answered.
func newApp(store *redisstore.Store, name string) *flasky.App {
	app := flasky.New()
	if store != nil {
		app.SessionInterface = store // the one setting that moves sessions to Redis
	}
	if name != "" {
		app.BeforeRequest(func(c *flasky.Ctx) error {
			c.SetHeader("X-Instance", name)
			return nil
		})
	}
	app.Route("/", func(c *flasky.Ctx) error { return c.String(home) }).SetEndpoint("index")

	app.Route("/login", func(c *flasky.Ctx) error {
		user := strings.TrimSpace(c.Form.Get("user"))
		if user == "" {
			return flasky.Abortf(400, "the form field user is missing")
		}
		s := c.Session()
		s.Clear() // Flask's login: a fresh session, saved under a new id
		s.SetPermanent(true)
		s.Set("user", user)
		return c.String("logged in as " + user)
	}, "POST").SetEndpoint("login")

	app.Route("/whoami", func(c *flasky.Ctx) error {
		user := c.Session().String("user")
		if user == "" {
			return flasky.Abortf(401, "nobody is logged in")
		}
		return c.String(user)
	}).SetEndpoint("whoami")

	app.Route("/logout", func(c *flasky.Ctx) error {
		c.Session().Clear() // with Redis: deleted there, so a copied cookie dies too
		return c.String("logged out")
	}, "POST").SetEndpoint("logout")

	app.Route("/logout-all", func(c *flasky.Ctx) error {
		if store == nil {
			return flasky.Abortf(501, "log out everywhere needs sessions kept on the server: run with -redis")
		}
		s := c.Session()
		user := s.String("user")
		if user == "" {
			return flasky.Abortf(401, "nobody is logged in")
		}
		n, err := store.EndUserSessions(c.Context(), user)
		if err != nil {
			return &flasky.HTTPError{Code: http.StatusServiceUnavailable, Err: err}
		}
		s.Clear()
		return c.String(fmt.Sprintf("ended %d sessions of %s", n, user))
	}, "POST").SetEndpoint("logout_all")
	return app
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "host:port to listen on")
	redisAddr := flag.String("redis", "", "Redis host:port for the sessions (empty: signed cookies)")
	timeout := flag.Duration("timeout", time.Second, "longest wait for Redis on a request")
	name := flag.String("name", "", "instance name, sent in an X-Instance header")
	flag.Parse()

	var store *redisstore.Store
	if *redisAddr != "" {
		store = redisstore.New(redisstore.Options{Addr: *redisAddr, UserKey: "user", Timeout: *timeout})
		defer store.Close()
	}
	app := newApp(store, *name)
	if flag.Arg(0) == "routes" { // like flask routes
		app.PrintRoutes(os.Stdout)
		return
	}
	if err := app.Config.FromPrefixedEnv("FLASKY"); err != nil { // FLASKY_SECRET_KEY, FLASKY_SESSION_LIFETIME
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if len(app.Config.SecretKey) == 0 {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		app.Config.SecretKey = key
		app.Logger.Warn(" * FLASKY_SECRET_KEY is not set: using a random key, so sessions end when this process does and other instances refuse its cookies")
	}
	if store != nil {
		if err := store.Ping(context.Background()); err != nil {
			// Serve anyway: requests without the session work, and
			// sessions do as soon as Redis answers.
			app.Logger.Warn(" * " + err.Error() + ": session requests answer 503 until it answers")
		} else {
			app.Logger.Info(" * Sessions in Redis at " + *redisAddr)
		}
	} else {
		app.Logger.Info(" * Sessions in signed cookies (-redis host:port keeps them in Redis)")
	}
	if err := app.Run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
