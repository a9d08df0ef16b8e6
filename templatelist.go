// The names of the app's templates, as Jinja's list_templates.

package flasky

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
)

// TemplateNames returns the names [Ctx.Render] can find: the files under
// the app's templates/ and under the template folders of registered
// blueprints ([Blueprint.SetTemplateFolder]), as slash-separated paths
// relative to their folder, sorted, each once, as Flask's
// app.jinja_env.list_templates(). A template folder that does not exist
// lists nothing.
func (a *App) TemplateNames() ([]string, error) {
	ts := a.templates()
	ts.mu.RLock()
	dirs := slices.Clone(ts.dirs)
	ts.mu.RUnlock()
	var names []string
	fsys := a.appFS()
	for _, dir := range dirs {
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == dir && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipDir
				}
				return err
			}
			if d.Type().IsRegular() {
				names = append(names, strings.TrimPrefix(p, dir+"/"))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}
