package flaskr

import (
	"net/url"
	"strings"
	"testing"
)

func TestIndex(t *testing.T) {
	_, client, auth := setup(t)
	page := client.Get("/").Text()
	if !strings.Contains(page, "Log In") || !strings.Contains(page, "Register") {
		t.Errorf("anonymous index: no Log In or Register links:\n%s", page)
	}

	auth.login("test", "test")
	page = client.Get("/").Text()
	for _, want := range []string{"test title", "by test on 2018-01-01", "test\nbody", `href="/1/update"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index: no %q in\n%s", want, page)
		}
	}
}

func TestLoginRequired(t *testing.T) {
	for _, path := range []string{"/create", "/1/update", "/1/delete"} {
		t.Run(path, func(t *testing.T) {
			_, client, _ := setup(t)
			if loc := client.Post(path, nil).Header.Get("Location"); loc != "/auth/login" {
				t.Errorf("Location %q, want /auth/login", loc)
			}
		})
	}
}

func TestAuthorRequired(t *testing.T) {
	app, client, auth := setup(t)
	// The post now belongs to the other user.
	if _, err := appDB(t, app).Exec("UPDATE post SET author_id = 2 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	auth.login("test", "test")
	// The current user can't change another user's post...
	for _, path := range []string{"/1/update", "/1/delete"} {
		if code := client.Post(path, nil).Code; code != 403 {
			t.Errorf("POST %s: %d, want 403", path, code)
		}
	}
	// ...and doesn't see the edit link.
	if strings.Contains(client.Get("/").Text(), `href="/1/update"`) {
		t.Error("index: the edit link is shown")
	}
}

func TestExistsRequired(t *testing.T) {
	for _, path := range []string{"/2/update", "/2/delete"} {
		t.Run(path, func(t *testing.T) {
			_, client, auth := setup(t)
			auth.login("test", "test")
			if code := client.Post(path, nil).Code; code != 404 {
				t.Errorf("POST %s: %d, want 404", path, code)
			}
		})
	}
}

func TestCreate(t *testing.T) {
	app, client, auth := setup(t)
	auth.login("test", "test")
	if code := client.Get("/create").Code; code != 200 {
		t.Errorf("GET /create: %d", code)
	}
	client.Post("/create", url.Values{"title": {"created"}, "body": {""}})
	var count int
	if err := appDB(t, app).QueryRow("SELECT COUNT(id) FROM post").Scan(&count); err != nil || count != 2 {
		t.Errorf("%d posts, %v; want 2", count, err)
	}
}

func TestUpdate(t *testing.T) {
	app, client, auth := setup(t)
	auth.login("test", "test")
	if code := client.Get("/1/update").Code; code != 200 {
		t.Errorf("GET /1/update: %d", code)
	}
	client.Post("/1/update", url.Values{"title": {"updated"}, "body": {""}})
	var title string
	if err := appDB(t, app).QueryRow("SELECT title FROM post WHERE id = 1").Scan(&title); err != nil || title != "updated" {
		t.Errorf("title %q, %v; want updated", title, err)
	}
}

func TestCreateUpdateValidate(t *testing.T) {
	for _, path := range []string{"/create", "/1/update"} {
		t.Run(path, func(t *testing.T) {
			_, client, auth := setup(t)
			auth.login("test", "test")
			res := client.Post(path, url.Values{"title": {""}, "body": {""}})
			if !strings.Contains(res.Text(), "Title is required.") {
				t.Errorf("no message in %s", res.Text())
			}
		})
	}
}

func TestDelete(t *testing.T) {
	app, client, auth := setup(t)
	auth.login("test", "test")
	if loc := client.Post("/1/delete", nil).Header.Get("Location"); loc != "/" {
		t.Errorf("Location %q, want /", loc)
	}
	var n int
	if err := appDB(t, app).QueryRow("SELECT COUNT(*) FROM post WHERE id = 1").Scan(&n); err != nil || n != 0 {
		t.Errorf("post 1: %d rows, %v; want none", n, err)
	}
}
