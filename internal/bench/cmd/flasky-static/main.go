// Command flasky-static is the static case of the end-to-end benchmark
// for flasky: an app whose root folder (flasky.WithRoot) is the site
// folder cmd/e2e writes, so flasky's static route,
// /static/<path:filename>, serves its static/ folder. It runs as the
// examples do, with App.Run and its access log.
//
//	flasky-static -addr 127.0.0.1:8081 -root SITE
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/flasky-go/flasky"
)

// newApp is the app for the site in root: no routes of its own, only
// the static route flasky adds for root/static.
func newApp(root string) (*flasky.App, error) {
	if st, err := os.Stat(filepath.Join(root, "static")); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("no static folder in %s", root)
	}
	return flasky.New(flasky.WithRoot(root)), nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "host:port to listen on")
	root := flag.String("root", ".", "the app's root folder, with static/")
	flag.Parse()
	app, err := newApp(*root)
	if err == nil {
		err = app.Run(*addr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flasky-static:", err)
		os.Exit(1)
	}
}
