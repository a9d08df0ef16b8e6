package flaskr

import (
	"net/url"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestRegister(t *testing.T) {
	app, client, _ := setup(t)
	if res := client.Get("/auth/register"); res.Code != 200 {
		t.Errorf("GET /auth/register: %d", res.Code)
	}
	res := client.Post("/auth/register", url.Values{"username": {"a"}, "password": {"a"}})
	if loc := res.Header.Get("Location"); loc != "/auth/login" {
		t.Errorf("registered: Location %q, want /auth/login", loc)
	}
	var n int
	if err := appDB(t, app).QueryRow("SELECT COUNT(*) FROM user WHERE username = 'a'").Scan(&n); err != nil || n != 1 {
		t.Errorf("user a: %d rows, %v", n, err)
	}
}

func TestRegisterValidateInput(t *testing.T) {
	for _, tt := range []struct{ username, password, message string }{
		{"", "", "Username is required."},
		{"a", "", "Password is required."},
		{"test", "test", "already registered"},
	} {
		t.Run(tt.message, func(t *testing.T) {
			_, client, _ := setup(t)
			res := client.Post("/auth/register", url.Values{"username": {tt.username}, "password": {tt.password}})
			if !strings.Contains(res.Text(), tt.message) {
				t.Errorf("no %q in %s", tt.message, res.Text())
			}
		})
	}
}

func TestLogin(t *testing.T) {
	app, client, auth := setup(t)
	if res := client.Get("/auth/login"); res.Code != 200 {
		t.Errorf("GET /auth/login: %d", res.Code)
	}
	if loc := auth.login("test", "test").Header.Get("Location"); loc != "/" {
		t.Errorf("logged in: Location %q, want /", loc)
	}

	// The login put user_id in the session; the next request loads the user.
	var user *User
	app.Signals.RequestFinished.Connect(func(f flasky.RequestFinished) { user = currentUser(f.Ctx) })
	client.Get("/")
	client.Session(func(s *flasky.Session) {
		if id := s.Int("user_id"); id != 1 {
			t.Errorf("session user_id %d, want 1", id)
		}
	})
	if user == nil || user.Username != "test" {
		t.Errorf("g.user: %+v, want test", user)
	}
}

func TestLoginValidateInput(t *testing.T) {
	for _, tt := range []struct{ username, password, message string }{
		{"a", "test", "Incorrect username."},
		{"test", "a", "Incorrect password."},
	} {
		t.Run(tt.message, func(t *testing.T) {
			_, _, auth := setup(t)
			if res := auth.login(tt.username, tt.password); !strings.Contains(res.Text(), tt.message) {
				t.Errorf("no %q in %s", tt.message, res.Text())
			}
		})
	}
}

func TestLogout(t *testing.T) {
	_, client, auth := setup(t)
	auth.login("test", "test")
	auth.logout()
	client.Session(func(s *flasky.Session) {
		if s.Has("user_id") {
			t.Error("user_id still in the session")
		}
	})
}
