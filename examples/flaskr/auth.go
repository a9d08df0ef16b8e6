package flaskr

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/flasky-go/flasky"
	"github.com/flasky-go/flasky/security"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var authBP = flasky.NewBlueprint("auth", "/auth")

func init() {
	authBP.BeforeAppRequest(loadLoggedInUser)
	authBP.Route("/register", register, "GET", "POST")
	authBP.Route("/login", login, "GET", "POST")
	authBP.Route("/logout", logout)
}

// User is a row of the user table.
type User struct {
	ID       int64
	Username string
	Password string // the hash
}

// loginRequired is a middleware that sends anonymous users to the login page.
func loginRequired(next flasky.HandlerFunc) flasky.HandlerFunc {
	return func(c *flasky.Ctx) error {
		if currentUser(c) == nil {
			return c.RedirectTo("auth.login", nil)
		}
		return next(c)
	}
}

// currentUser is Flask's g.user: the logged-in user, or nil.
func currentUser(c *flasky.Ctx) *User {
	u, _ := c.Get("user").(*User)
	return u
}

// loadLoggedInUser loads the user whose id the session holds, if any.
func loadLoggedInUser(c *flasky.Ctx) error {
	if id := c.Session().Int("user_id"); id != 0 {
		u, err := queryUser(c, "id", id)
		c.Set("user", u)
		return err
	}
	return nil
}

// queryUser returns the user whose column equals value, or nil.
func queryUser(c *flasky.Ctx, column string, value any) (*User, error) {
	var u User
	err := getDB(c).QueryRow("SELECT id, username, password FROM user WHERE "+column+" = ?", value).
		Scan(&u.ID, &u.Username, &u.Password)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &u, err
}

// register registers a new user, with a name nobody has taken, and stores
// the hash of the password.
func register(c *flasky.Ctx) error {
	if c.Request.Method == "POST" {
		username, err := c.Form.Require("username")
		if err != nil {
			return err
		}
		password, err := c.Form.Require("password")
		if err != nil {
			return err
		}
		var problem string
		if username == "" {
			problem = "Username is required."
		} else if password == "" {
			problem = "Password is required."
		}
		if problem == "" {
			hash, err := security.GeneratePasswordHash(password)
			if err != nil {
				return err
			}
			_, err = getDB(c).Exec("INSERT INTO user (username, password) VALUES (?, ?)", username, hash)
			if err == nil {
				return c.RedirectTo("auth.login", nil) // registered: now log in
			}
			var sqlErr *sqlite.Error
			if !errors.As(err, &sqlErr) || sqlErr.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
				return err
			}
			problem = fmt.Sprintf("User %s is already registered.", username)
		}
		c.Flash(problem)
	}
	return render(c, "auth/register.html", nil)
}

// login logs a registered user in by putting the user's id in the session.
func login(c *flasky.Ctx) error {
	if c.Request.Method == "POST" {
		username, err := c.Form.Require("username")
		if err != nil {
			return err
		}
		password, err := c.Form.Require("password")
		if err != nil {
			return err
		}
		user, err := queryUser(c, "username", username)
		if err != nil {
			return err
		}
		var problem string
		if user == nil {
			problem = "Incorrect username."
		} else if ok, err := security.CheckPasswordHash(user.Password, password); err != nil {
			return err
		} else if !ok {
			problem = "Incorrect password."
		}
		if problem == "" {
			s := c.Session()
			s.Clear() // a new session, holding the user's id
			if err := s.Set("user_id", user.ID); err != nil {
				return err
			}
			return c.RedirectTo("index", nil)
		}
		c.Flash(problem)
	}
	return render(c, "auth/login.html", nil)
}

// logout clears the session, and with it the user's id.
func logout(c *flasky.Ctx) error {
	c.Session().Clear()
	return c.RedirectTo("index", nil)
}
