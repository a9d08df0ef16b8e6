// Signals are instrumentation points in the places of Flask's signals,
// for logging and metrics: typed, and free when nobody subscribes.

package flasky

// Signal is one instrumentation point. Functions connected to it are
// called, in the order connected, each time the app reaches the point,
// on the request's goroutine: keep them quick. Connect before the app
// serves (or, in a test, between requests).
type Signal[T any] struct {
	subs []*func(T)
}

// Connect subscribes fn and returns a function that unsubscribes it, as
// blinker's connect and disconnect do.
func (s *Signal[T]) Connect(fn func(T)) (disconnect func()) {
	p := &fn
	s.subs = append(s.subs, p)
	return func() {
		for i, q := range s.subs {
			if q == p {
				s.subs = append(s.subs[:i:i], s.subs[i+1:]...)
				return
			}
		}
	}
}

// Connected reports whether any function is connected.
func (s *Signal[T]) Connected() bool { return len(s.subs) != 0 }

func (s *Signal[T]) send(v T) {
	for _, fn := range s.subs {
		(*fn)(v)
	}
}

// Signals are the app's instrumentation points, named after Flask's
// signals. Each carries the request's Ctx; the Ctx is valid only during
// the call.
type Signals struct {
	// RequestStarted is sent once a request is matched, before the URL
	// value preprocessors and before hooks (Flask's request_started).
	RequestStarted Signal[*Ctx]
	// RequestFinished is sent once the response has gone out, after the
	// after hooks (Flask's request_finished).
	RequestFinished Signal[RequestFinished]
	// GotRequestException is sent for a failure no error handler of its
	// type took: a panic, or an error that becomes a 500 (Flask's
	// got_request_exception).
	GotRequestException Signal[RequestError]
	// RequestTearingDown is sent after the teardown hooks (Flask's
	// request_tearing_down).
	RequestTearingDown Signal[RequestError]
	// BeforeRenderTemplate and TemplateRendered are sent before and
	// after Ctx.Render (and RenderString, RenderToString,
	// StreamTemplate, App.RenderToString) executes a template (Flask's
	// before_render_template and template_rendered).
	BeforeRenderTemplate Signal[TemplateRendered]
	TemplateRendered     Signal[TemplateRendered]
	// MessageFlashed is sent by Ctx.Flash (Flask's message_flashed).
	MessageFlashed Signal[MessageFlashed]
}

// RequestFinished is what Signals.RequestFinished carries.
type RequestFinished struct {
	Ctx    *Ctx
	Status int   // the status sent
	Size   int64 // body bytes written
}

// RequestError is what Signals.GotRequestException and
// Signals.RequestTearingDown carry: the failure, or nil for a teardown
// after a request that did not fail.
type RequestError struct {
	Ctx *Ctx
	Err error
}

// TemplateRendered is what the template signals carry.
type TemplateRendered struct {
	Ctx  *Ctx   // nil for App.RenderToString, outside a request
	Name string // the template's name, "home.html"; "" for RenderString
	Data any    // the data it was given, with the context processors' values
}

// MessageFlashed is what Signals.MessageFlashed carries.
type MessageFlashed struct {
	Ctx      *Ctx
	Message  string
	Category string
}
