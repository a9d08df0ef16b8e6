package reloader

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestScanDiff edits a package folder one way at a time and checks which
// edits the watcher reports for a build: templates and static files only
// when the program embeds them (else it reads them again itself), and
// never an editor's temporary file.
func TestScanDiff(t *testing.T) {
	tests := []struct {
		name  string
		embed bool             // the package embeds templates/ and static/
		edit  func(dir string) // relative to the package folder
		want  string           // reported path, relative; "" for none
	}{
		{"nothing", true, func(string) {}, ""},
		{"Go file changed", false, func(d string) { write(t, d, "main.go", "package main // edited") }, "main.go"},
		{"Go file added", false, func(d string) { write(t, d, "more.go", "package main") }, "more.go"},
		{"Go file removed", false, func(d string) { remove(t, d, "util.go") }, "util.go"},
		{"go.mod of the module", false, func(d string) { write(t, d, "../go.mod", "module m\n\ngo 1.25\n// edited") }, "../go.mod"},
		{"test file", false, func(d string) { write(t, d, "main_test.go", "package main // edited") }, ""},
		{"not a Go source", false, func(d string) { write(t, d, "notes.txt", "x") }, ""},
		{"template read from disk", false, func(d string) { write(t, d, "templates/home.html", "<p>new</p>") }, ""},
		{"static file read from disk", false, func(d string) { write(t, d, "static/css/site.css", "p{}") }, ""},
		{"embedded template", true, func(d string) { write(t, d, "templates/home.html", "<p>new</p>") }, "templates/home.html"},
		{"embedded static file", true, func(d string) { write(t, d, "static/css/site.css", "p{}") }, "static/css/site.css"},
		{"new file beside embedded ones", true, func(d string) { write(t, d, "templates/about.html", "<p>about</p>") }, "templates/about.html"},
		{"Vim swap file", true, func(d string) { write(t, d, "templates/.home.html.swp", "x") }, ""},
		{"Vim's test file", true, func(d string) { write(t, d, "templates/4913", "") }, ""},
		{"backup file", true, func(d string) { write(t, d, "static/css/site.css~", "x") }, ""},
		{"Emacs lock", true, func(d string) { write(t, d, "templates/.#home.html", "x") }, ""},
		{"JetBrains safe write", true, func(d string) { write(t, d, "static/css/a.css___jb_tmp___", "x") }, ""},
		{"hidden folder", true, func(d string) { write(t, d, "static/css/.cache/x", "x") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mod := t.TempDir()
			pkg := filepath.Join(mod, "cmd")
			write(t, mod, "go.mod", "module m\n\ngo 1.25\n")
			for name, body := range map[string]string{
				"main.go": "package main", "util.go": "package main", "main_test.go": "package main",
				"templates/home.html": "<p>old</p>", "static/css/site.css": "p{color:red}",
			} {
				write(t, pkg, name, body)
			}
			dirs := folders{pkgs: []string{pkg}, mods: []string{mod}}
			if tt.embed {
				dirs.embeds = []string{filepath.Join(pkg, "templates", "home.html"), filepath.Join(pkg, "static", "css", "site.css")}
			}
			// Stamps are mtime and size: make a same-size edit visible.
			past := time.Now().Add(-time.Hour)
			for p := range scan(dirs) {
				if err := os.Chtimes(p, past, past); err != nil {
					t.Fatal(err)
				}
			}
			before := scan(dirs)
			tt.edit(pkg)
			got := firstRestart(before, scan(dirs), dirs)
			want := ""
			if tt.want != "" {
				want = filepath.Join(pkg, tt.want)
			}
			if got != want {
				t.Errorf("reported %q, want %q", got, want)
			}
		})
	}
}

// TestFirstStaticFileRestarts checks that the first file of a static/
// folder that had none restarts the program (its static route is made at
// start), and that later files there do not.
func TestFirstStaticFileRestarts(t *testing.T) {
	pkg := t.TempDir()
	write(t, pkg, "main.go", "package main")
	dirs := folders{pkgs: []string{pkg}}
	before := scan(dirs)
	write(t, pkg, "static/css/site.css", "p{}")
	write(t, pkg, "static/img/a.png", "x")
	after := scan(dirs)
	if got, want := firstRestart(before, after, dirs), filepath.Join(pkg, "static", "css", "site.css"); got != want {
		t.Errorf("first files of a new static/: reported %q, want %q", got, want)
	}
	write(t, pkg, "static/js/app.js", "x")
	if got := firstRestart(after, scan(dirs), dirs); got != "" {
		t.Errorf("another file in a static/ that had files: reported %q, want none", got)
	}
	write(t, pkg, "templates/home.html", "<p>")
	if got := firstRestart(after, scan(dirs), dirs); got != "" {
		t.Errorf("a new templates/ folder (read on each render): reported %q, want none", got)
	}
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// TestCommonIgnoresNewPackages checks the comparison made when go list
// changes the folders: files only in one list are not changes.
func TestCommonIgnoresNewPackages(t *testing.T) {
	at := time.Unix(1000, 0)
	old := snapshot{"/a/main.go": {at, 10}, "/dropped/x.go": {at, 5}}
	cur := snapshot{"/a/main.go": {at, 10}, "/added/y.go": {at, 7}}
	if p := diff(common(old, cur), common(cur, old)); p != "" {
		t.Errorf("new and dropped packages reported as a change: %q", p)
	}
	cur["/a/main.go"] = stamp{at, 11}
	if p := diff(common(old, cur), common(cur, old)); p != "/a/main.go" {
		t.Errorf("an edit while go list ran: diff = %q, want /a/main.go", p)
	}
}
