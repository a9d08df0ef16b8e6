package flasky_test

// Helpers shared by the ports of Flask's test files (flask_*_test.go).

import (
	"fmt"
	"testing"

	"github.com/flasky-go/flasky"
)

// flaskGap skips a ported Flask test at a check that flasky fails
// because it lacks what Flask does: missing says what, and the rest what
// was seen. The checks before it have run; once flasky has the feature,
// the test passes instead of skipping.
func flaskGap(t *testing.T, missing, format string, args ...any) {
	t.Helper()
	t.Skipf("flasky: %s; %s", missing, fmt.Sprintf(format, args...))
}

// flaskTB stands in for *testing.T where a Flask test expects the test
// client to raise: it keeps what the client reports instead of failing
// the test (Errorf: a request that failed in testing mode; Fatalf: a
// request that could not be made).
type flaskTB struct{ errors, fatals []string }

func (r *flaskTB) Helper() {}
func (r *flaskTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *flaskTB) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

// flaskApp is the app of Flask's conftest fixture: TESTING on and the
// secret key "test key"; its log is kept out of the test's output.
func flaskApp() *flasky.App {
	app, _ := newTestApp()
	app.Config.Testing = true
	app.Config.SecretKey = []byte("test key")
	return app
}
