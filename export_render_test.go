package flasky

// TemplateBindsRequestForTest parses the template name as Render would and
// reports whether it is rendered from clones bound to the request (it
// calls one of the request functions, itself or in a file it calls).
func TemplateBindsRequestForTest(a *App, name string) (bool, error) {
	p, err := a.templates().lookup(name, false)
	if err != nil {
		return false, err
	}
	return p.perRequest, nil
}
