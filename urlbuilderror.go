// Handlers for URLs that cannot be built, as Flask's
// url_build_error_handlers.

package flasky

// URLBuildErrorHandler answers a URL that [App.URLFor] (or [Ctx.URLFor],
// or url_for in a template) cannot build: err says why (an unknown
// endpoint, a missing variable, a value its converter refuses), values
// are the URL's values with the URL defaults added and url_for's options
// under their keys: "_external" (a bool), "_anchor", "_method" and
// "_scheme" (nil when not given, else the string). It returns the URL to
// use, or "" and a nil error to leave the failure to the next handler, or
// an error, which becomes the failure the next handlers are given.
type URLBuildErrorHandler func(err error, endpoint string, values M) (string, error)

// URLBuildErrorHandler adds fn to the handlers of URLs that cannot be
// built, as appending to Flask's app.url_build_error_handlers: when
// building fails, they are called in the order added, and the first URL
// one returns is the result. When none returns one, URLFor returns the
// last error: the build's own, or the last a handler returned. Errors in
// url_for's options (an unknown _key, _scheme without _external) and an
// _external URL with no host to use are not build failures and reach no
// handler. Add handlers before serving, like hooks.
func (a *App) URLBuildErrorHandler(fn URLBuildErrorHandler) {
	if fn == nil {
		panic("flasky: URLBuildErrorHandler(nil)")
	}
	a.buildErrorFns = append(a.buildErrorFns, fn)
	a.onBuildError = handleBuildError
}

// handleBuildError runs the URLBuildErrorHandlers for a build that
// failed with err (Flask's handle_url_build_error).
func handleBuildError(a *App, err error, endpoint string, values M, o buildOpts) (string, error) {
	vals := make(M, len(values)+4)
	for k, v := range values {
		vals[k] = v
	}
	vals["_external"] = o.external
	vals["_anchor"], vals["_method"], vals["_scheme"] = nil, nil, nil
	if o.hasAnchor {
		vals["_anchor"] = o.anchor
	}
	if o.methodName != "" {
		vals["_method"] = o.methodName
	}
	if o.scheme != "" {
		vals["_scheme"] = o.scheme
	}
	for _, fn := range a.buildErrorFns {
		u, herr := fn(err, endpoint, vals)
		if herr != nil {
			err = herr
			continue
		}
		if u != "" {
			return u, nil
		}
	}
	return "", err
}
