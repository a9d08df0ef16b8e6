package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// rootModule is the module path of the repository root.
const rootModule = "github.com/flasky-go/flasky"

// findRoot walks up from the working directory to the go.mod that
// declares the repository's root module.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modulePath(b) == rootModule {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of module %s above the working directory: run from inside the repository", rootModule)
		}
		dir = parent
	}
}

// modulePath is the path in a go.mod's module line, or "".
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// build compiles pkg (a ./path) in dir into the temporary folder as key,
// once per key, with go build's default flags.
func build(ctx context.Context, cfg *config, key, dir, pkg string) error {
	if _, ok := cfg.bins[key]; ok {
		return nil
	}
	out := filepath.Join(cfg.tmp, key)
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = dir
	logf("in %s: go build -o %s %s", dir, out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s in %s: %w\n%s", pkg, dir, err, b)
	}
	cfg.bins[key] = out
	return nil
}

// buildAll builds the programs the run needs: the examples of the cases
// for flasky, cmd/flasky-static and cmd/flasky-complex, cmd/peers, the hello programs for the
// cold start, and cmd/upload.
func buildAll(ctx context.Context, cfg *config, o options, sel []benchCase, servers []string) error {
	type target struct{ key, dir, pkg string }
	var ts []target
	peers := false
	for _, s := range servers {
		peers = peers || isPeer(s)
	}
	for _, c := range sel {
		switch {
		case !slices.Contains(servers, "flasky"):
		case c.example != "":
			ts = append(ts, target{"example-" + c.example, cfg.root, "./examples/" + c.example})
		default:
			ts = append(ts, target{c.program, cfg.bench, "./cmd/" + c.program})
		}
	}
	if peers && len(sel) > 0 {
		ts = append(ts, target{"peers", cfg.bench, "./cmd/peers"})
	}
	if o.coldstart > 0 {
		for _, name := range helloPrograms {
			if name == "flasky" {
				ts = append(ts, target{helloBin(name), cfg.root, "./examples/hello"})
			} else {
				ts = append(ts, target{helloBin(name), cfg.bench, "./cmd/hello/" + name})
			}
		}
	}
	if o.upload {
		ts = append(ts, target{"upload", cfg.bench, "./cmd/upload"})
	}
	for _, t := range ts {
		if err := build(ctx, cfg, t.key, t.dir, t.pkg); err != nil {
			return err
		}
	}
	return nil
}

// versions describes the programs the run uses: go, wrk, and for each
// Flask server its interpreter and the versions of Flask and Werkzeug.
func versions(cfg *config) []string {
	first := func(name string, args ...string) string {
		out, _ := exec.Command(name, args...).CombinedOutput() // wrk -v exits 1
		line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		if line == "" {
			return "unknown"
		}
		return strings.TrimSpace(line)
	}
	flask := func(python string) string {
		return first(python, "-c", `import sys, importlib.metadata as m; print("Python", sys.version.split()[0] + ", Flask", m.version("flask") + ", Werkzeug", m.version("werkzeug") + ", Jinja2", m.version("jinja2"))`)
	}
	wrk, _, _ := strings.Cut(first("wrk", "-v"), " Copyright")
	out := []string{"go: " + first("go", "env", "GOVERSION"), "wrk: " + wrk}
	if cfg.gunicorn != "" {
		line := first(cfg.gunicorn, "--version")
		if py := shebang(cfg.gunicorn); py != "" {
			line += " on " + py + ": " + flask(py)
		}
		out = append(out, "gunicorn: "+line)
	}
	if cfg.python != "" {
		out = append(out, "Flask dev server: "+cfg.python+": "+flask(cfg.python))
	}
	return out
}

// shebang is the interpreter a script's #! line names, or "".
func shebang(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("#!")) {
		return ""
	}
	line, _, _ := bytes.Cut(b[2:], []byte("\n"))
	if f := strings.Fields(string(line)); len(f) > 0 {
		return f[0]
	}
	return ""
}
