package flaskr

import (
	"database/sql"
	_ "embed"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/flasky-go/flasky"
)

// dataSQL fills the test database.
//
//go:embed testdata/data.sql
var dataSQL string

// setup gives a test the app, client and auth fixtures: a new app, in
// testing mode, whose database is a temporary file holding data.sql.
func setup(t *testing.T) (*flasky.App, *flasky.TestClient, authActions) {
	t.Helper()
	app, err := CreateApp(map[string]any{"TESTING": true, "DATABASE": filepath.Join(t.TempDir(), "flaskr.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	db := appDB(t, app)
	if err := initDB(db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(dataSQL); err != nil {
		t.Fatal(err)
	}
	client := app.TestClient(t)
	return app, client, authActions{client}
}

// appDB connects to the app's database outside a request, for the test's
// own queries; the connection is closed when the test ends.
func appDB(t *testing.T, app *flasky.App) *sql.DB {
	db := openDB(flasky.Settings[Settings](app).Database)
	t.Cleanup(func() { db.Close() })
	return db
}

// authActions logs the client in and out.
type authActions struct{ client *flasky.TestClient }

func (a authActions) login(username, password string) *flasky.TestResponse {
	return a.client.Post("/auth/login", url.Values{"username": {username}, "password": {password}})
}

func (a authActions) logout() *flasky.TestResponse {
	return a.client.Get("/auth/logout")
}
