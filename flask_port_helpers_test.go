package flasky_test

// Helpers shared by the ports of Flask's test files (flask_*_test.go).

import (
	"fmt"
	"testing"
)

// flaskGap skips a ported Flask test at a check that flasky fails
// because it lacks what Flask does: missing says what, and the rest what
// was seen. The checks before it have run; once flasky has the feature,
// the test passes instead of skipping.
func flaskGap(t *testing.T, missing, format string, args ...any) {
	t.Helper()
	t.Skipf("flasky: %s; %s", missing, fmt.Sprintf(format, args...))
}
