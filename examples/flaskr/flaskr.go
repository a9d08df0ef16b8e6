// Package flaskr is Flask's tutorial app, a small blog, on flasky: users
// register and log in, write posts, and edit or delete their own.
package flaskr

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/flasky-go/flasky"
)

// Settings are flaskr's own settings, beside flasky's in app.Config.
type Settings struct {
	Database string // DATABASE: the SQLite file
}

// CreateApp creates and configures the app (Flask's application factory).
// A test config, such as {"TESTING": true, "DATABASE": path}, replaces the
// instance folder's config.json.
func CreateApp(testConfig ...map[string]any) (*flasky.App, error) {
	app := flasky.New()
	app.Config.SecretKey = []byte("dev") // a default that the instance config should override
	app.Config.Settings = &Settings{Database: filepath.Join(app.InstancePath(), "flaskr.sqlite")}
	if len(testConfig) == 0 {
		err := app.Config.FromFile(filepath.Join(app.InstancePath(), "config.json"), nil)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	} else if err := app.Config.FromMapping(testConfig[0]); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(app.InstancePath(), 0o700); err != nil {
		return nil, err
	}

	app.Route("/hello", func(c *flasky.Ctx) error {
		return c.String("Hello, World!")
	})
	initApp(app)
	app.RegisterBlueprint(authBP)
	app.RegisterBlueprint(blogBP)
	// url_for("index") is url_for("blog.index"): the blog is the main page.
	if _, err := app.AddURLRule("/", "index", nil); err != nil {
		return nil, err
	}
	return app, nil
}

// render renders a template with what flaskr's templates read from Flask's
// g and request: the logged-in user and the form sent.
func render(c *flasky.Ctx, name string, data flasky.M) error {
	if data == nil {
		data = flasky.M{}
	}
	data["user"] = currentUser(c)
	data["form"] = c.Form.All()
	return c.Render(name, data)
}
