// This file holds the static route: /static/<path:filename> served from
// the app's static/ folder.

package flasky

// registerStatic adds the static route (filled in by the static-files work).
func (a *App) registerStatic() {}
