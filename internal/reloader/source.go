package reloader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Source is the program a supervisor rebuilds: its main package's folder
// and how to build it.
type Source struct {
	// Dir is the main package's folder.
	Dir string

	goCmd string   // the go command
	flags []string // build flags
	dirs  folders  // what to watch, from go list
}

// FindSource finds the source of the running program: the folder of the
// file that holds main.main, or fallback (the folder of the file that
// created the app) when main.main is not on the caller's stack. It says
// why when the source cannot be rebuilt: a binary built with -trimpath
// or on another machine, no go command, not a main package, a test
// binary, Windows.
func FindSource(ctx context.Context, fallback string) (*Source, error) {
	if !supported {
		return nil, errors.New("the reloader needs a Unix system to hand the socket to a new process")
	}
	// No VCS stamp (it runs git on every build) and no DWARF (the
	// slowest part of linking; stacks keep their file:line): each
	// rebuild is a good part of a second faster.
	flags := []string{"-buildvcs=false"}
	ldflags := "-w"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if strings.HasSuffix(bi.Path, ".test") {
			return nil, errors.New("a test binary is not reloaded")
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "-trimpath" && s.Value == "true":
				return nil, errors.New("the program was built with -trimpath, so it does not know where its source is")
			case s.Key == "-tags":
				flags = append(flags, "-tags="+s.Value)
			case s.Key == "-ldflags":
				ldflags = s.Value + " -w"
			case s.Key == "-race" && s.Value == "true":
				flags = append(flags, "-race")
			}
		}
	}
	flags = append(flags, "-ldflags="+ldflags)
	dir := fallback
	if file, ok := mainFile(); ok {
		dir = filepath.Dir(file)
	}
	if !filepath.IsAbs(dir) {
		return nil, fmt.Errorf("the source folder %q is not an absolute path", dir)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("the source folder %s is not here (was the program built on another machine?)", dir)
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("no go command on PATH to rebuild %s: %w", dir, err)
	}
	return &Source{Dir: dir, goCmd: goCmd, flags: flags}, nil
}

// ListFolders asks go list what the supervisor watches: the folders of
// the main package and of the packages it imports from its own module,
// and the files they embed. Only the supervisor needs it, so it is not
// part of FindSource.
func (s *Source) ListFolders(ctx context.Context) error {
	var err error
	s.dirs, err = s.list(ctx)
	return err
}

// mainFile returns the file of main.main when it is on the stack.
func mainFile() (string, bool) {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	for {
		f, more := frames.Next()
		if f.Function == "main.main" {
			return f.File, true
		}
		if !more {
			return "", false
		}
	}
}

// build compiles the program into out. On failure it returns the
// compiler's output with the error.
func (s *Source) build(ctx context.Context, out string) ([]byte, error) {
	args := append([]string{"build", "-o", out}, s.flags...)
	cmd := exec.CommandContext(ctx, s.goCmd, append(args, ".")...)
	cmd.Dir = s.Dir
	output, err := cmd.CombinedOutput()
	if err != nil {
		return output, fmt.Errorf("reloader: go build in %s: %w", s.Dir, err)
	}
	return output, nil
}

// folders are what the watcher polls.
type folders struct {
	pkgs   []string // package folders: their Go files, templates/ and static/
	mods   []string // module folders: their go.mod and go.sum
	embeds []string // files the packages embed (go:embed)
}

// listFormat has go list print each package on one line of Go-quoted
// fields: its name, its folder, "true" when its module is the main one,
// the module's folder, its error (empty without one) and the files it
// embeds. It replaces -json so that the reloader, which every program
// calling App.Run links, needs no JSON decoder (binary size).
const listFormat = `{{printf "%q %q" .Name .Dir}}` +
	` {{with .Module}}{{printf "%q %q" (print .Main) .Dir}}{{else}}"false" ""{{end}}` +
	` {{with .Error}}{{printf "%q" .Err}}{{else}}""{{end}}` +
	`{{range .EmbedFiles}} {{printf "%q" .}}{{end}}`

// listedPkg is one line of listFormat.
type listedPkg struct {
	name, dir  string
	mainModule bool
	modDir     string
	err        string
	embeds     []string
}

// parseListed reads one line of listFormat.
func parseListed(line string) (listedPkg, error) {
	var fields []string
	for rest := line; rest != ""; {
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return listedPkg{}, fmt.Errorf("unreadable line %q: %w", line, err)
		}
		v, _ := strconv.Unquote(q) // QuotedPrefix checked it
		fields = append(fields, v)
		rest = strings.TrimPrefix(rest[len(q):], " ")
	}
	if len(fields) < 5 {
		return listedPkg{}, fmt.Errorf("line %q has %d fields, want 5 or more", line, len(fields))
	}
	return listedPkg{name: fields[0], dir: fields[1], mainModule: fields[2] == "true",
		modDir: fields[3], err: fields[4], embeds: fields[5:]}, nil
}

// list asks go list for the folders of the main package and of the
// packages it imports from its own module (or workspace). When go list
// fails, the main package's folder alone is watched.
func (s *Source) list(ctx context.Context) (folders, error) {
	fallback := folders{pkgs: []string{s.Dir}}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.goCmd, "list", "-e", "-deps", "-f", listFormat, ".")
	cmd.Dir = s.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fallback, fmt.Errorf("go list in %s: %w: %s", s.Dir, err, bytes.TrimSpace(stderr.Bytes()))
	}
	var f folders
	var last listedPkg
	seenMod := map[string]bool{}
	for line := range strings.SplitSeq(strings.TrimSuffix(string(out), "\n"), "\n") {
		p, err := parseListed(line)
		if err != nil {
			return fallback, fmt.Errorf("go list in %s: %w", s.Dir, err)
		}
		last = p // -deps lists the package itself last
		if !p.mainModule || p.dir == "" {
			continue // the standard library, another module
		}
		f.pkgs = append(f.pkgs, p.dir)
		for _, e := range p.embeds {
			f.embeds = append(f.embeds, filepath.Join(p.dir, filepath.FromSlash(e)))
		}
		if !seenMod[p.modDir] {
			seenMod[p.modDir] = true
			f.mods = append(f.mods, p.modDir)
		}
	}
	switch {
	case last.err != "" && last.name == "":
		return fallback, fmt.Errorf("go list in %s: %s", s.Dir, last.err)
	case last.name != "main":
		return fallback, fmt.Errorf("%s holds package %s, not a main package", s.Dir, last.name)
	case len(f.pkgs) == 0:
		return fallback, fmt.Errorf("%s is not in a Go module", s.Dir)
	}
	return f, nil
}
