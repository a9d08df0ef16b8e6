package flaskr

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestGetCloseDB(t *testing.T) {
	app, client, _ := setup(t)
	var db *sql.DB
	app.Signals.RequestStarted.Connect(func(c *flasky.Ctx) {
		if db = getDB(c); getDB(c) != db {
			t.Error("getDB: two connections in one request")
		}
	})
	client.Get("/hello")
	if _, err := db.Exec("SELECT 1"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("after the request: %v, want the connection closed", err)
	}
}

func TestInitDBCommand(t *testing.T) {
	app, _, _ := setup(t)
	out, err := app.RunCommand("init-db")
	if err != nil || !strings.Contains(out, "Initialized") {
		t.Errorf("init-db: %q, %v", out, err)
	}
	var posts int
	if err := appDB(t, app).QueryRow("SELECT COUNT(*) FROM post").Scan(&posts); err != nil || posts != 0 {
		t.Errorf("after init-db: %d posts, %v; want the tables new", posts, err)
	}
}
