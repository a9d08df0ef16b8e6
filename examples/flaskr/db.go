package flaskr

import (
	"database/sql"
	_ "embed"
	"fmt"

	"github.com/flasky-go/flasky"
	_ "modernc.org/sqlite" // the "sqlite" driver, in pure Go
)

//go:embed schema.sql
var schema string

// getDB connects to the app's database. The connection is unique for each
// request and is reused if this is called again; closeDB closes it.
func getDB(c *flasky.Ctx) *sql.DB {
	if db, ok := c.Get("db").(*sql.DB); ok {
		return db
	}
	db := openDB(flasky.Settings[Settings](c).Database)
	c.Set("db", db)
	return db
}

func openDB(path string) *sql.DB {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		panic(err) // only for a driver that is not linked in
	}
	return db
}

// closeDB closes the request's connection, if it made one.
func closeDB(c *flasky.Ctx, _ error) {
	if db, ok := c.Get("db").(*sql.DB); ok {
		db.Close()
	}
}

// initDB clears the existing data and creates new tables.
func initDB(db *sql.DB) error {
	_, err := db.Exec(schema)
	return err
}

// initApp registers the database functions with the app.
func initApp(app *flasky.App) {
	app.Teardown(closeDB)
	app.Command("init-db", "Clear the existing data and create new tables.", func(cc *flasky.CommandContext) error {
		db := openDB(flasky.Settings[Settings](cc.App).Database)
		defer db.Close()
		if err := initDB(db); err != nil {
			return err
		}
		fmt.Fprintln(cc.Stdout, "Initialized the database.")
		return nil
	})
}
