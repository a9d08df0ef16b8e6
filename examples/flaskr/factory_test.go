package flaskr

import (
	"path/filepath"
	"testing"
)

func TestConfig(t *testing.T) {
	app, err := CreateApp()
	if err != nil || app.Config.Testing {
		t.Errorf("CreateApp(): testing on, or %v", err)
	}
	app, err = CreateApp(map[string]any{"TESTING": true, "DATABASE": filepath.Join(t.TempDir(), "db")})
	if err != nil || !app.Config.Testing {
		t.Errorf("CreateApp(TESTING): testing off, or %v", err)
	}
}

func TestHello(t *testing.T) {
	_, client, _ := setup(t)
	if got := client.Get("/hello").Text(); got != "Hello, World!" {
		t.Errorf("/hello: %q", got)
	}
}
