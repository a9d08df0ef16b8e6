package reloader

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// stamp is what polling compares: a file changed when either differs.
// Stats work everywhere, where inotify misses events in VMs, containers
// and network folders.
type stamp struct {
	mod  time.Time
	size int64
}

// snapshot maps each watched file to its stamp.
type snapshot map[string]stamp

// scan stats the watched files: the Go files of each package folder,
// everything under its templates/ and static/ folders, the files it
// embeds, and each module's go.mod, go.sum and go.work.
func scan(dirs folders) snapshot {
	snap := snapshot{}
	add := func(path string, info fs.FileInfo) {
		snap[path] = stamp{info.ModTime(), info.Size()}
	}
	for _, dir := range dirs.pkgs {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			name := e.Name()
			if e.Type().IsRegular() && isGoSource(name) {
				if info, err := e.Info(); err == nil {
					add(filepath.Join(dir, name), info)
				}
			}
		}
		for _, sub := range []string{"templates", "static"} {
			_ = filepath.WalkDir(filepath.Join(dir, sub), func(path string, d fs.DirEntry, err error) error {
				switch {
				case err != nil: // missing or unreadable: nothing to watch
				case ignored(d.Name()) && d.IsDir():
					return fs.SkipDir
				case ignored(d.Name()):
				case d.Type().IsRegular():
					if info, err := d.Info(); err == nil {
						add(path, info)
					}
				}
				return nil
			})
		}
	}
	for _, path := range dirs.embeds {
		if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
			add(path, info)
		}
	}
	for _, dir := range dirs.mods {
		for _, name := range []string{"go.mod", "go.sum", "go.work"} {
			path := filepath.Join(dir, name)
			if info, err := os.Stat(path); err == nil {
				add(path, info)
			}
		}
	}
	return snap
}

// isGoSource reports whether go build compiles a file of this name:
// tests and files starting with "." or "_" do not count.
func isGoSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") &&
		!strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_")
}

// ignored reports editor and system droppings: swap and backup files,
// Emacs locks, the file Vim creates to test a folder ("4913"), JetBrains'
// safe-write copies, hidden files and folders.
func ignored(name string) bool {
	switch {
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#"),
		strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"),
		strings.HasSuffix(name, ".tmp"), strings.Contains(name, "___jb_"),
		name == "4913":
		return true
	}
	return false
}

// needsBuild reports whether a change to path needs a new build: Go
// files, module files and embedded files do. Templates and static files
// read from disk do not: the running program reads them again itself.
// A file new in a folder the package embeds from counts as embedded.
func needsBuild(path string, dirs folders) bool {
	switch base := filepath.Base(path); {
	case isGoSource(base), base == "go.mod", base == "go.sum", base == "go.work":
		return true
	}
	for _, e := range dirs.embeds {
		if e == path || filepath.Dir(e) == filepath.Dir(path) {
			return true
		}
	}
	return false
}

// firstRestart returns the first path, between old and cur, that needs
// a new build and start: a change firstBuild names, or the first file
// to appear in a package's static/ folder that had none, since the
// program makes its static route at start only when static/ exists.
// It returns "" when the running program sees every change itself.
func firstRestart(old, cur snapshot, dirs folders) string {
	paths := changes(old, cur)
	if p := firstBuild(paths, dirs); p != "" {
		return p
	}
	for _, dir := range dirs.pkgs {
		static := filepath.Join(dir, "static") + string(filepath.Separator)
		var added string
		for _, p := range paths {
			if _, was := old[p]; !was && strings.HasPrefix(p, static) {
				added = p
				break
			}
		}
		if added != "" && !hasPrefix(old, static) {
			return added
		}
	}
	return ""
}

func hasPrefix(snap snapshot, prefix string) bool {
	for p := range snap {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// diff returns the first path, in sorted order, that was added, removed
// or changed between old and cur, or "".
func diff(old, cur snapshot) string {
	if paths := changes(old, cur); len(paths) > 0 {
		return paths[0]
	}
	return ""
}

// changes returns the paths added, removed or changed between old and
// cur, sorted.
func changes(old, cur snapshot) []string {
	var paths []string
	for p, st := range cur {
		if o, ok := old[p]; !ok || !o.mod.Equal(st.mod) || o.size != st.size {
			paths = append(paths, p)
		}
	}
	for p := range old {
		if _, ok := cur[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	return paths
}

// firstBuild returns the first of paths that needs a build, or "".
func firstBuild(paths []string, dirs folders) string {
	for _, p := range paths {
		if needsBuild(p, dirs) {
			return p
		}
	}
	return ""
}

// settleDelay lets an editor finish a save made of several writes
// (truncate, then write) before the build reads the file.
const settleDelay = 30 * time.Millisecond

// watcher polls the source and reports the first changed path of each
// change.
type watcher struct {
	src      *Source
	interval time.Duration
	changes  chan string   // buffered: a pending change covers later ones
	relist   chan struct{} // asks for go list again (imports may have changed)
	listed   chan folders  // go list's answer
}

func newWatcher(src *Source, interval time.Duration) *watcher {
	return &watcher{src: src, interval: interval, changes: make(chan string, 1),
		relist: make(chan struct{}, 1), listed: make(chan folders, 1)}
}

// refresh asks the watcher to list the packages again, once the
// supervisor has built a version whose imports may differ.
func (w *watcher) refresh() {
	select {
	case w.relist <- struct{}{}:
	default:
	}
}

// run polls until ctx ends. go list runs beside the polling, so it
// delays no change.
func (w *watcher) run(ctx context.Context) {
	dirs := w.src.dirs
	snap := scan(dirs)
	t := time.NewTicker(w.interval)
	defer t.Stop()
	listing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			snap = w.poll(ctx, dirs, snap)
		case <-w.relist:
			if !listing {
				listing = true
				go func(old folders) {
					d, err := w.src.list(ctx)
					if err != nil {
						d = old // keep watching what we had
					}
					w.listed <- d
				}(dirs)
			}
		case d := <-w.listed:
			listing = false
			// Files of packages added or dropped since are not changes;
			// an edit of a file in both lists still is.
			cur := scan(d)
			if path := firstBuild(changes(common(snap, cur), common(cur, snap)), d); path != "" {
				w.report(path)
			}
			dirs, snap = d, cur
		}
	}
}

// common returns the entries of a whose paths b has too.
func common(a, b snapshot) snapshot {
	out := snapshot{}
	for p, st := range a {
		if _, ok := b[p]; ok {
			out[p] = st
		}
	}
	return out
}

// report sends a change to the supervisor.
func (w *watcher) report(path string) {
	select {
	case w.changes <- path:
	default: // a change is already waiting; its build will see this one
	}
}

// poll compares a new scan with snap, reports a change, and returns the
// new snapshot.
func (w *watcher) poll(ctx context.Context, dirs folders, snap snapshot) snapshot {
	cur := scan(dirs)
	path := firstRestart(snap, cur, dirs)
	if path == "" {
		return cur // nothing, or templates the program reads again itself
	}
	for range 10 {
		select {
		case <-ctx.Done():
			return cur
		case <-time.After(settleDelay):
		}
		again := scan(dirs)
		if diff(cur, again) == "" {
			break
		}
		cur = again
	}
	w.report(path)
	return cur
}
