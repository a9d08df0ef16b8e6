// This file holds the limits on request bodies that c.Files and c.Form
// read (Flask's MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE and
// MAX_FORM_PARTS), per app in Config and per route with Route methods.

package flasky

// uploadLimits are the limits in force for one request. A value <= 0 is
// no limit.
type uploadLimits struct {
	maxContent int64 // whole body, bytes
	maxMemory  int64 // text fields and file headers kept in memory, bytes
	maxParts   int   // parts of a multipart body
}

// routeLimits overrides some of the app's limits for one route.
type routeLimits struct {
	maxContent, maxMemory int64
	maxParts              int
	set                   uint8 // which fields are set: limitContent...
}

const (
	limitContent uint8 = 1 << iota
	limitMemory
	limitParts
)

// setLimit records one override for r. Set limits while registering
// routes, before serving, like the rest of the routing table.
func (r *Route) setLimit(which uint8, n int64) *Route {
	if r.limits == nil {
		r.limits = &routeLimits{}
	}
	switch which {
	case limitContent:
		r.limits.maxContent = n
	case limitMemory:
		r.limits.maxMemory = n
	case limitParts:
		r.limits.maxParts = int(min(n, int64(^uint(0)>>1)))
	}
	r.limits.set |= which
	return r
}

// SetMaxContentLength sets the largest request body this route accepts, in
// bytes, in place of Config.MaxContentLength (0: no limit). Use it to let
// one upload route take big files while the app keeps a small limit:
//
//	app.Config.MaxContentLength = 1 << 20                              // 1 MiB everywhere...
//	app.Route("/video", upload, "POST").SetMaxContentLength(4 << 30) // ...but 4 GiB here
//
// It returns the route for chaining.
func (r *Route) SetMaxContentLength(n int64) *Route { return r.setLimit(limitContent, n) }

// SetMaxFormMemory sets how many bytes of text fields (and file headers) of
// a multipart form this route keeps in memory, in place of
// Config.MaxFormMemory (0: no limit). It returns the route for chaining.
func (r *Route) SetMaxFormMemory(n int64) *Route { return r.setLimit(limitMemory, n) }

// SetMaxFormParts sets how many parts a multipart form sent to this route
// may have, in place of Config.MaxFormParts (0: no limit). It returns the
// route for chaining.
func (r *Route) SetMaxFormParts(n int) *Route { return r.setLimit(limitParts, int64(n)) }

// limits returns the limits for the request: the app's, with the matched
// route's overrides.
func (c *Ctx) limits() uploadLimits {
	cfg := &c.app.Config
	l := uploadLimits{maxContent: cfg.MaxContentLength, maxMemory: cfg.MaxFormMemory, maxParts: cfg.MaxFormParts}
	if c.route == nil || c.route.limits == nil {
		return l
	}
	o := c.route.limits
	if o.set&limitContent != 0 {
		l.maxContent = o.maxContent
	}
	if o.set&limitMemory != 0 {
		l.maxMemory = o.maxMemory
	}
	if o.set&limitParts != 0 {
		l.maxParts = o.maxParts
	}
	return l
}
