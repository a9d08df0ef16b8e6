package parity

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Every example that serves prints its route table with its routes
// command, like `flask routes`, and exits without listening.
func TestExamplesPrintRoutes(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH: the examples cannot be built")
	}
	ctx, cancel := context.WithTimeout(context.Background(), overallTimeout)
	t.Cleanup(cancel)
	root, binDir := repoRoot(t), t.TempDir()
	examples := []struct{ name, rule string }{
		{"hello", "/"},
		{"debug", "/"},
		{"routes", "/s5/<name>"},
		{"form", "/formget"},
		{"template", "/s2"},
		{"layout", "/"},
		{"fileserver", "/<path:name>"},
		{"upload", "/fileUpload"},
		{"image", "/get_image2"},
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			bin := build(ctx, t, root, binDir, ex.name)
			runCtx, stop := context.WithTimeout(ctx, 20*time.Second)
			defer stop()
			// An example that served instead of printing would be
			// stopped by runCtx and fail.
			cmd := exec.CommandContext(runCtx, bin, "routes")
			cmd.Dir = t.TempDir()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s routes: %v\n%s", ex.name, err, out)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if !strings.HasPrefix(lines[0], "Endpoint") || !strings.Contains(lines[0], "Methods") || !strings.Contains(lines[0], "Rule") {
				t.Fatalf("%s routes: no route table header:\n%s", ex.name, out)
			}
			found := false
			for _, l := range lines[2:] {
				f := strings.Fields(l)
				found = found || (len(f) > 0 && f[len(f)-1] == ex.rule)
			}
			if !found {
				t.Errorf("%s routes: rule %s not listed:\n%s", ex.name, ex.rule, out)
			}
			t.Logf("%s routes: %d routes", ex.name, len(lines)-2)
		})
	}
}
