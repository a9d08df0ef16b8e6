package flasky_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/flasky-go/flasky"
)

// Flask's tutorial's create_app, in Go: the app's own settings beside
// flasky's, a default configuration, the instance folder's config file
// over it (if there is one), and a test configuration over that.
func ExampleConfig_FromMapping() {
	// AppSettings are the app's own; Flask's tutorial keeps DATABASE in
	// app.config.
	type AppSettings struct {
		Database string
		PageSize int
	}
	createApp := func(testConfig map[string]any) (*flasky.App, error) {
		app := flasky.New()
		app.Config.SecretKey = []byte("dev")
		app.Config.Settings = &AppSettings{
			Database: filepath.Join(app.InstancePath(), "flaskr.sqlite"),
			PageSize: 20,
		}
		if testConfig != nil {
			return app, app.Config.FromMapping(testConfig)
		}
		err := app.Config.FromFile(filepath.Join(app.InstancePath(), "config.json"), nil)
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // Flask's silent=True
			return nil, err
		}
		return app, nil
	}

	app, err := createApp(map[string]any{"TESTING": true, "DATABASE": "/tmp/test.sqlite", "PAGE_SIZE": "5"})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := flasky.Settings[AppSettings](app)
	fmt.Println(app.Config.Testing, s.Database, s.PageSize)

	_, err = createApp(map[string]any{"PAGE_SIZE": "many"})
	fmt.Println(err)
	// Output:
	// true /tmp/test.sqlite 5
	// flasky: config: PAGE_SIZE="many": want a whole number, or a size such as 16MB or 1MiB
}

// Settings read in a handler with their own type: no type assertion.
func ExampleSettings() {
	type Settings struct{ Greeting string }
	app := flasky.New(flasky.WithSettings(&Settings{Greeting: "hello~~"}))
	app.Route("/", func(c *flasky.Ctx) error {
		return c.String(flasky.Settings[Settings](c).Greeting)
	})
	fmt.Println(app.TestClient(nil).Get("/").Text())
	// Output: hello~~
}

// FLASKY_ variables set flasky's settings and the app's, with Go's
// durations and byte sizes; a double underscore reaches into a struct.
func ExampleConfig_FromPrefixedEnv() {
	type Settings struct {
		DB struct{ Path string }
	}
	for k, v := range map[string]string{
		"FLASKY_SECRET_KEY":         "from the environment",
		"FLASKY_SESSION_LIFETIME":   "24h",
		"FLASKY_MAX_CONTENT_LENGTH": "16MB",
		"FLASKY_DB__PATH":           "/srv/app.db",
	} {
		os.Setenv(k, v)
		defer os.Unsetenv(k)
	}
	app := flasky.New(flasky.WithSettings(&Settings{}))
	if err := app.Config.FromPrefixedEnv("FLASKY"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(app.Config.SessionLifetime == 24*time.Hour, app.Config.MaxContentLength)
	fmt.Println(flasky.Settings[Settings](app).DB.Path)

	os.Setenv("FLASKY_SESSION_LIFETIME", "a day")
	fmt.Println(app.Config.FromPrefixedEnv("FLASKY"))
	// Output:
	// true 16000000
	// /srv/app.db
	// flasky: FLASKY_SESSION_LIFETIME="a day": want a duration such as 24h, 1h30m or 500ms, or a number of seconds
}

// A JSON file with Flask's keys. Other formats load through their
// Unmarshal: app.Config.FromFile("config.toml", toml.Unmarshal).
func ExampleConfig_FromFile() {
	dir, err := os.MkdirTemp("", "instance")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	app := flasky.New(flasky.WithInstancePath(dir))
	path := filepath.Join(app.InstancePath(), "config.json")
	config := `{"SECRET_KEY": "a long random key", "PERMANENT_SESSION_LIFETIME": 3600, "TRUSTED_HOSTS": ["example.com"]}`
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		fmt.Println(err)
		return
	}
	if err := app.Config.FromFile(path, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(app.Config.SessionLifetime, app.Config.TrustedHosts)
	// Output: 1h0m0s [example.com]
}
