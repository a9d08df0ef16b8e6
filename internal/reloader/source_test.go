package reloader

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestList checks what go list tells the watcher: the main package's
// folder, the folders of the packages it imports from its module (not
// the standard library's), the files they embed, and the module's folder.
func TestList(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipped: no go command on PATH")
	}
	mod := t.TempDir()
	write(t, mod, "go.mod", "module example.com/m\n\ngo 1.25\n")
	write(t, mod, "cmd/app/main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/lib\"\n)\n\nfunc main() { fmt.Println(lib.X) }\n")
	write(t, mod, "lib/lib.go", "package lib\n\nimport \"embed\"\n\nconst X = 1\n\n//go:embed templates\nvar Files embed.FS\n")
	write(t, mod, "lib/templates/home.html", "<p>home</p>")
	write(t, mod, "unused/unused.go", "package unused\n")

	s := &Source{Dir: filepath.Join(mod, "cmd", "app"), goCmd: goCmd}
	got, err := s.list(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got.pkgs)
	want := []string{filepath.Join(mod, "cmd", "app"), filepath.Join(mod, "lib")}
	if !slices.Equal(got.pkgs, want) || !slices.Equal(got.mods, []string{mod}) {
		t.Errorf("list = %v, modules %v; want %v, [%s]", got.pkgs, got.mods, want, mod)
	}
	if embeds := []string{filepath.Join(mod, "lib", "templates", "home.html")}; !slices.Equal(got.embeds, embeds) {
		t.Errorf("embedded files %v, want %v", got.embeds, embeds)
	}

	write(t, mod, "empty/notes.txt", "")
	for dir, want := range map[string]string{"lib": "not a main package", "empty": "no Go files"} {
		t.Run(dir, func(t *testing.T) {
			s.Dir = filepath.Join(mod, dir)
			if _, err := s.list(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("list of %s: %v, want an error saying %q", dir, err, want)
			}
		})
	}
}

// TestFindSourceInTest checks that a test binary is not reloaded, and
// that the reason says so.
func TestFindSourceInTest(t *testing.T) {
	_, err := FindSource(context.Background(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "test binary") {
		t.Errorf("FindSource in a test: %v, want an error naming the test binary", err)
	}
}

// TestParseListed checks the reading of go list's lines, with the
// characters a folder's name may hold.
func TestParseListed(t *testing.T) {
	tests := []struct {
		name, line string
		want       listedPkg
		wantErr    string
	}{
		{"main module", `"main" "/m/cmd/app" "true" "/m" ""`,
			listedPkg{name: "main", dir: "/m/cmd/app", mainModule: true, modDir: "/m"}, ""},
		{"standard library", `"fmt" "/go/src/fmt" "false" "" ""`,
			listedPkg{name: "fmt", dir: "/go/src/fmt", modDir: ""}, ""},
		{"odd folder, embeds", `"lib" "/m/a \"b\"\tc\n" "true" "/m" "" "templates/x y.html" "static/\u00e9.css"`,
			listedPkg{name: "lib", dir: "/m/a \"b\"\tc\n", mainModule: true, modDir: "/m", embeds: []string{"templates/x y.html", "static/é.css"}}, ""},
		{"error", `"" "/m/empty" "true" "/m" "no Go files in /m/empty"`,
			listedPkg{dir: "/m/empty", mainModule: true, modDir: "/m", err: "no Go files in /m/empty"}, ""},
		{"too few fields", `"main" "/m"`, listedPkg{}, "2 fields"},
		{"not quoted", `main /m true /m ""`, listedPkg{}, "unreadable line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseListed(tt.line)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.name != tt.want.name || got.dir != tt.want.dir || got.mainModule != tt.want.mainModule ||
				got.modDir != tt.want.modDir || got.err != tt.want.err || !slices.Equal(got.embeds, tt.want.embeds) {
				t.Errorf("= %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
