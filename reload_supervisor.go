//go:build flasky_supervisor

package flasky

import "github.com/flasky-go/flasky/internal/reloader"

// In the build that reloader.Launch makes for debug mode, Run supervises.
func init() { supervise = reloader.Run }
