package flasky_test

// Flask's tests/test_basic.py (Flask 3.1), ported where it tests the
// request's life, hooks, error handlers, responses, routing, URL
// building and endpoints: each Flask test is a subtest of TestFlaskBasic
// named after it. A Flask view returning a value is a flasky handler
// writing it; raising is returning the error; flask.g is c.Set/c.Get;
// url_for is URLFor; a Flask test's request context is a request.
//
// Not ported:
//   - test_method_route_no_methods: Python-only (app.get() given a
//     methods= argument is a TypeError of the shortcut decorators).
//   - test_session, test_session_path, test_session_using_application_root,
//     test_session_using_session_settings,
//     test_session_using_samesite_attribute, test_missing_session,
//     test_session_secret_key_fallbacks, test_session_expiration,
//     test_session_stored_last, test_session_special_types,
//     test_session_cookie_setting, test_session_vary_cookie,
//     test_session_refresh_vary, test_flashes, test_extended_flashing,
//     test_max_cookie_size: ported in flask_session_test.go
//     (TestFlaskSession).
//   - test_baseexception_error_handling: Python-only (a BaseException such
//     as KeyboardInterrupt is not an Exception and is never handled).
//   - test_trap_bad_request_key_error, test_trapping_of_all_http_exceptions,
//     test_exception_propagation, test_jsonify_no_prettyprint,
//     test_json_dump_dataclass: ported in flask_config_test.go
//     (TestFlaskBasicConfig); test_jsonify_mimetype,
//     test_werkzeug_passthrough_errors and the test_run_* tests are
//     listed there as not ported.
//   - test_enctype_debug_helper: Python-only (debug mode's KeyError
//     subclass for request.files of a form sent without its enctype).
//   - test_response_type_errors: Python-only (a view returning None, a
//     bool or a malformed tuple is a TypeError; a flasky handler's
//     signature fixes what it returns).
//   - test_jsonify_args_and_kwargs_check: Python-only (jsonify given both
//     positional and keyword arguments).
//   - test_static_folder_with_pathlib_path: Python-only (pathlib.Path).
//   - test_request_locals: Python-only (flask.g's proxy outside a context).
//   - test_get_method_on_g, test_g_iteration_protocol: Python-only
//     (flask.g's dict methods and iteration).
//   - test_app_freed_on_zero_refcount: Python-only (CPython's reference
//     counting).

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

func TestFlaskBasic(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"options_work", fbOptionsWork},
		{"options_on_multiple_rules", fbOptionsOnMultipleRules},
		{"method_route", fbMethodRoute},
		{"provide_automatic_options_attr", fbProvideAutomaticOptionsAttr},
		{"provide_automatic_options_kwarg", fbProvideAutomaticOptionsKwarg},
		{"request_dispatching", fbRequestDispatching},
		{"disallow_string_for_allowed_methods", fbDisallowStringForAllowedMethods},
		{"url_mapping", fbURLMapping},
		{"werkzeug_routing", func(t *testing.T) { fbEndpointDecorator(t, true) }},
		{"endpoint_decorator", func(t *testing.T) { fbEndpointDecorator(t, false) }},
		{"request_processing", fbRequestProcessing},
		{"request_preprocessing_early_return", fbRequestPreprocessingEarlyReturn},
		{"after_request_processing", fbAfterRequestProcessing},
		{"teardown_request_handler", func(t *testing.T) { fbTeardownRequestHandler(t, false) }},
		{"teardown_request_handler_debug_mode", func(t *testing.T) { fbTeardownRequestHandler(t, true) }},
		{"teardown_request_handler_error", fbTeardownRequestHandlerError},
		{"before_after_request_order", fbBeforeAfterRequestOrder},
		{"error_handling", fbErrorHandling},
		{"error_handling_processing", fbErrorHandlingProcessing},
		{"before_request_and_routing_errors", fbBeforeRequestAndRoutingErrors},
		{"user_error_handling", fbUserErrorHandling},
		{"http_error_subclass_handling", fbHTTPErrorSubclassHandling},
		{"errorhandler_precedence", fbErrorhandlerPrecedence},
		{"error_handler_after_processor_error", fbErrorHandlerAfterProcessorError},
		{"response_types", fbResponseTypes},
		{"make_response", fbMakeResponse},
		{"make_response_with_response_instance", fbMakeResponseWithResponseInstance},
		{"url_generation", fbURLGeneration},
		{"build_error_handler", fbBuildErrorHandler},
		{"build_error_handler_reraise", fbBuildErrorHandlerReraise},
		{"url_for_passes_special_values_to_build_error_handler", fbURLForPassesSpecialValuesToBuildErrorHandler},
		{"static_files", fbStaticFiles},
		{"static_url_path", func(t *testing.T) { fbStaticURLPath(t, "/foo") }},
		{"static_url_path_with_ending_slash", func(t *testing.T) { fbStaticURLPath(t, "/foo/") }},
		{"static_url_empty_path", fbStaticURLEmptyPath},
		{"static_url_empty_path_default", fbStaticURLEmptyPath},
		{"static_folder_with_ending_slash", fbStaticFolderWithEndingSlash},
		{"static_route_with_host_matching", fbStaticRouteWithHostMatching},
		{"server_name_matching", fbServerNameMatching},
		{"server_name_subdomain", fbServerNameSubdomain},
		{"url_processors", fbURLProcessors},
		{"inject_blueprint_url_defaults", fbInjectBlueprintURLDefaults},
		{"nonascii_pathinfo", fbNonASCIIPathinfo},
		{"no_setup_after_first_request", fbNoSetupAfterFirstRequest},
		{"routing_redirect_debugging", fbRoutingRedirectDebugging},
		{"route_decorator_custom_endpoint", fbRouteDecoratorCustomEndpoint},
		{"subdomain_basic_support", fbSubdomainBasicSupport},
		{"subdomain_matching", fbSubdomainMatching},
		{"subdomain_matching_with_ports", fbSubdomainMatchingWithPorts},
		{"subdomain_matching_other_name", fbSubdomainMatchingOtherName},
		{"multi_route_rules", fbMultiRouteRules},
		{"multi_route_class_views", fbMultiRouteClassViews},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// allowed returns the methods of a response's Allow header, sorted.
func allowed(h http.Header) []string {
	var ms []string
	for _, v := range h.Values("Allow") {
		for _, m := range strings.Split(v, ",") {
			if m = strings.TrimSpace(m); m != "" {
				ms = append(ms, m)
			}
		}
	}
	slices.Sort(ms)
	return ms
}

// method answers the request's method, as Flask's views returning
// flask.request.method.
func method(c *flasky.Ctx) error { return c.String(c.Request.Method) }

// mimetype is Werkzeug's response.mimetype: the Content-Type without its
// parameters.
func mimetype(h http.Header) string {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt
}

// test_options_work: OPTIONS is answered with the route's methods in
// Allow and no body.
func fbOptionsWork(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", text("Hello World"), "GET", "POST")
	w := serve(app, "OPTIONS", "/", nil)
	if got, want := allowed(w.Header()), []string{"GET", "HEAD", "OPTIONS", "POST"}; !slices.Equal(got, want) {
		t.Errorf("OPTIONS / Allow = %q, want %q", got, want)
	}
	if w.Body.Len() != 0 {
		t.Errorf("OPTIONS / body = %q, want none", w.Body.String())
	}
}

// test_options_on_multiple_rules: OPTIONS gathers the methods of every
// rule for the URL.
func fbOptionsOnMultipleRules(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", text("Hello World"), "GET", "POST")
	app.Route("/", text("Aha!"), "PUT")
	w := serve(app, "OPTIONS", "/", nil)
	if got, want := allowed(w.Header()), []string{"GET", "HEAD", "OPTIONS", "POST", "PUT"}; !slices.Equal(got, want) {
		t.Errorf("OPTIONS / Allow = %q, want %q", got, want)
	}
}

// test_method_route: a route for one method (app.get, app.post... in
// Flask) answers that method.
func fbMethodRoute(t *testing.T) {
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
		t.Run(strings.ToLower(m), func(t *testing.T) {
			app, _ := newTestApp()
			app.Route("/", text("Hello"), m)
			if w := serve(app, m, "/", nil); w.Body.String() != "Hello" {
				t.Errorf("%s / = %d %q, want Hello", m, w.Code, w.Body.String())
			}
		})
	}
}

// dispatchingChecks are test_request_dispatching's and
// test_url_mapping's requests to / (GET) and /more (GET, POST).
func dispatchingChecks(t *testing.T, app *flasky.App) {
	t.Helper()
	if w := get(app, "/"); w.Body.String() != "GET" {
		t.Errorf("GET / = %q", w.Body.String())
	}
	w := serve(app, "POST", "/", nil)
	if got, want := allowed(w.Header()), []string{"GET", "HEAD", "OPTIONS"}; w.Code != 405 || !slices.Equal(got, want) {
		t.Errorf("POST / = %d Allow %q, want 405 %q", w.Code, got, want)
	}
	w = serve(app, "HEAD", "/", nil)
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD / = %d %q, want 200 and no body", w.Code, w.Body.String())
	}
	if w := serve(app, "POST", "/more", nil); w.Body.String() != "POST" {
		t.Errorf("POST /more = %q", w.Body.String())
	}
	if w := get(app, "/more"); w.Body.String() != "GET" {
		t.Errorf("GET /more = %q", w.Body.String())
	}
	w = serve(app, "DELETE", "/more", nil)
	if got, want := allowed(w.Header()), []string{"GET", "HEAD", "OPTIONS", "POST"}; w.Code != 405 || !slices.Equal(got, want) {
		t.Errorf("DELETE /more = %d Allow %q, want 405 %q", w.Code, got, want)
	}
}

// test_request_dispatching: each route answers its methods, HEAD with no
// body, and other methods with a 405 listing the allowed ones.
func fbRequestDispatching(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", method)
	app.Route("/more", method, "GET", "POST")
	dispatchingChecks(t, app)
}

// test_disallow_string_for_allowed_methods: Flask refuses methods given
// as one string ("GET POST") instead of a list with a TypeError. In Go
// the list is variadic; the same mistake, one string naming two methods,
// is refused at registration.
func fbDisallowStringForAllowedMethods(t *testing.T) {
	app, _ := newTestApp()
	if _, err := app.AddRoute("/", text("Hey"), "GET POST"); err == nil {
		t.Error(`AddRoute("/", h, "GET POST") = nil error, want the methods refused`)
	}
}

// test_url_mapping: rules added with an endpoint name dispatch as
// test_request_dispatching's; methods are upper-cased, and a rule that
// lists OPTIONS answers it with its own view.
func fbURLMapping(t *testing.T) {
	const randomUUID4 = "7eb41166-9ebf-4d26-b771-ea3f54f8b383"
	app, _ := newTestApp()
	app.Route("/", method).SetEndpoint("index")
	app.Route("/more", method, "GET", "POST").SetEndpoint("more")
	app.Route("/options", text(randomUUID4), "options").SetEndpoint("options")
	dispatchingChecks(t, app)
	if w := serve(app, "OPTIONS", "/options", nil); w.Code != 200 || !strings.Contains(w.Body.String(), randomUUID4) {
		t.Errorf("OPTIONS /options = %d %q, want 200 from the view", w.Code, w.Body.String())
	}
}

// test_provide_automatic_options_attr: a route whose automatic OPTIONS
// answer is off answers OPTIONS with 405; one given OPTIONS with the
// automatic answer on answers it, listing OPTIONS alone. Flask sets
// provide_automatic_options on the view function; flasky on the route.
func fbProvideAutomaticOptionsAttr(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", text("Hello World!")).SetAutomaticOptions(false)
	if w := serve(app, "OPTIONS", "/", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("OPTIONS / without automatic options = %d, want 405", w.Code)
	}

	app, _ = newTestApp()
	app.Route("/", text("Hello World!"), "OPTIONS").SetAutomaticOptions(true)
	w := serve(app, "OPTIONS", "/", nil)
	if got, want := allowed(w.Header()), []string{"OPTIONS"}; !slices.Equal(got, want) {
		t.Errorf("OPTIONS / Allow = %q, want %q", got, want)
	}
}

// test_provide_automatic_options_kwarg: rules added with the automatic
// OPTIONS answer off answer their methods and 405 for OPTIONS, whose
// Allow header does not list it.
func fbProvideAutomaticOptionsKwarg(t *testing.T) {
	app, _ := newTestApp()
	app.URLRule("/", "index", method).SetAutomaticOptions(false)
	app.URLRule("/more", "more", method, "GET", "POST").SetAutomaticOptions(false)

	if w := get(app, "/"); w.Body.String() != "GET" {
		t.Errorf("GET / = %q, want GET", w.Body.String())
	}
	w := serve(app, "POST", "/", nil)
	if got, want := allowed(w.Header()), []string{"GET", "HEAD"}; w.Code != http.StatusMethodNotAllowed || !slices.Equal(got, want) {
		t.Errorf("POST / = %d, Allow %q; want 405, %q", w.Code, got, want)
	}
	if w := serve(app, "OPTIONS", "/", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("OPTIONS / = %d, want 405", w.Code)
	}
	if w := serve(app, "HEAD", "/", nil); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("HEAD / = %d %q, want 200 without a body", w.Code, w.Body.String())
	}
	if w := serve(app, "POST", "/more", nil); w.Body.String() != "POST" {
		t.Errorf("POST /more = %q, want POST", w.Body.String())
	}
	if w := get(app, "/more"); w.Body.String() != "GET" {
		t.Errorf("GET /more = %q, want GET", w.Body.String())
	}
	w = serve(app, "DELETE", "/more", nil)
	if got, want := allowed(w.Header()), []string{"GET", "HEAD", "POST"}; w.Code != http.StatusMethodNotAllowed || !slices.Equal(got, want) {
		t.Errorf("DELETE /more = %d, Allow %q; want 405, %q", w.Code, got, want)
	}
	if w := serve(app, "OPTIONS", "/more", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("OPTIONS /more = %d, want 405", w.Code)
	}
}

// test_werkzeug_routing, test_endpoint_decorator: rules added to the URL
// map for endpoints only, and the views given to the endpoints apart
// (Flask's view_functions[name] = f and @app.endpoint(name) are both
// App.Endpoint). Flask's rules come from Werkzeug's Submount("/foo",
// [...]), a rule factory flasky does not have: its prefix is written
// into each rule. viewsFirst gives the views before the rules are added.
func fbEndpointDecorator(t *testing.T, viewsFirst bool) {
	app, _ := newTestApp()
	views := func() {
		app.Endpoint("bar", text("bar"))
		app.Endpoint("index", text("index"))
	}
	if viewsFirst {
		views()
	}
	app.URLRule("/foo/bar", "bar", nil)
	app.URLRule("/foo/", "index", nil)
	if !viewsFirst {
		views()
	}
	bpWantBodies(t, app, [][2]string{{"/foo/", "index"}, {"/foo/bar", "bar"}})
}

// urlForIn builds endpoint's URL in a request (Flask's
// test_request_context), returning what c.URLFor returns.
func urlForIn(app *flasky.App, endpoint string, params flasky.M) (u string, err error) {
	app.Route("/__urlfor", func(c *flasky.Ctx) error {
		u, err = c.URLFor(endpoint, params)
		return c.String("")
	})
	get(app, "/__urlfor")
	return u, err
}

// test_build_error_handler: a URL that cannot be built is an error; a
// URL build error handler can answer it instead. (Its middle part calls
// app.handle_url_build_error by hand to check Python's re-raise of the
// current exception; flasky's handlers are run by URLFor only.)
func fbBuildErrorHandler(t *testing.T) {
	app, _ := newTestApp()
	if u, err := urlForIn(app, "spam", nil); err == nil {
		t.Errorf("URLFor(spam) = %q, want an error", u)
	}
	app, _ = newTestApp()
	app.URLBuildErrorHandler(func(error, string, flasky.M) (string, error) { return "/test_handler/", nil })
	if u, err := urlForIn(app, "spam", nil); err != nil || u != "/test_handler/" {
		t.Errorf("URLFor(spam) = %q, %v; want /test_handler/", u, err)
	}
}

// test_build_error_handler_reraise: a handler that raises the error
// again leaves URLFor failing with it.
func fbBuildErrorHandlerReraise(t *testing.T) {
	app, _ := newTestApp()
	var given error
	app.URLBuildErrorHandler(func(err error, _ string, _ flasky.M) (string, error) {
		given = err
		return "", err
	})
	if u, err := urlForIn(app, "not.existing", nil); err == nil || err != given {
		t.Errorf("URLFor(not.existing) = %q, %v; want the build error the handler returned (%v)", u, err, given)
	}
}

// test_url_for_passes_special_values_to_build_error_handler: the handler
// is given url_for's options among the values, unset ones as None (nil).
func fbURLForPassesSpecialValuesToBuildErrorHandler(t *testing.T) {
	app, _ := newTestApp()
	var got flasky.M
	app.URLBuildErrorHandler(func(_ error, _ string, values flasky.M) (string, error) {
		got = values
		return "handled", nil
	})
	u, err := urlForIn(app, "/", nil)
	want := flasky.M{"_external": false, "_anchor": nil, "_method": nil, "_scheme": nil}
	if err != nil || u != "handled" || !reflect.DeepEqual(got, want) {
		t.Errorf("URLFor(/) = %q, %v, with values %v; want handled, with values %v", u, err, got, want)
	}
}

// test_request_processing: before hooks run before the view, after hooks
// after it and may change the body.
func fbRequestProcessing(t *testing.T) {
	app, _ := newTestApp()
	var evts []string
	app.BeforeRequest(func(c *flasky.Ctx) error { evts = append(evts, "before"); return nil })
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
		resp.Body = append(resp.Body, "|after"...)
		evts = append(evts, "after")
		return nil
	})
	app.Route("/", func(c *flasky.Ctx) error {
		if !slices.Contains(evts, "before") || slices.Contains(evts, "after") {
			t.Errorf("in the view, events = %q", evts)
		}
		return c.String("request")
	})
	if slices.Contains(evts, "after") {
		t.Errorf("events before the request = %q", evts)
	}
	w := get(app, "/")
	if !slices.Contains(evts, "after") {
		t.Errorf("events after the request = %q", evts)
	}
	if w.Body.String() != "request|after" {
		t.Errorf("GET / = %q, want request|after", w.Body.String())
	}
}

// test_request_preprocessing_early_return: a before hook that answers
// ends the request: later hooks and the view do not run.
func fbRequestPreprocessingEarlyReturn(t *testing.T) {
	app, _ := newTestApp()
	var evts []string
	app.BeforeRequest(func(c *flasky.Ctx) error { evts = append(evts, "1"); return nil })
	app.BeforeRequest(func(c *flasky.Ctx) error { evts = append(evts, "2"); return c.String("hello") })
	app.BeforeRequest(func(c *flasky.Ctx) error { evts = append(evts, "3"); return c.String("bye") })
	app.Route("/", func(c *flasky.Ctx) error { evts = append(evts, "index"); return c.String("damnit") })
	if w := get(app, "/"); strings.TrimSpace(w.Body.String()) != "hello" {
		t.Errorf("GET / = %q, want hello", w.Body.String())
	}
	if want := []string{"1", "2"}; !slices.Equal(evts, want) {
		t.Errorf("events = %q, want %q", evts, want)
	}
}

// test_after_request_processing: after_this_request changes this
// request's response.
func fbAfterRequestProcessing(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error {
		c.AfterThisRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
			resp.Header.Set("X-Foo", "a header")
			return nil
		})
		return c.String("Test")
	})
	w := get(app, "/")
	if w.Code != 200 || w.Header().Get("X-Foo") != "a header" {
		t.Errorf("GET / = %d X-Foo %q, want 200 and the header", w.Code, w.Header().Get("X-Foo"))
	}
}

// test_teardown_request_handler and ..._debug_mode: the teardown hook
// runs once, after the response is made.
func fbTeardownRequestHandler(t *testing.T, debug bool) {
	app, _ := newTestApp()
	app.Config.Debug = debug
	called := 0
	app.Teardown(func(c *flasky.Ctx, err error) { called++ })
	app.Route("/", text("Response"))
	w := get(app, "/")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Response") {
		t.Errorf("GET / = %d %q", w.Code, w.Body.String())
	}
	if called != 1 {
		t.Errorf("teardown ran %d times, want 1", called)
	}
}

// test_teardown_request_handler_error: every teardown hook gets the
// view's exception, and an error a hook handles itself changes nothing;
// the answer is the 500 page.
func fbTeardownRequestHandlerError(t *testing.T) {
	app, _ := newTestApp()
	called := 0
	for range 2 {
		app.Teardown(func(c *flasky.Ctx, err error) {
			if err != errZeroDivision {
				t.Errorf("teardown got %v, want the view's error", err)
			}
			called++
			if err := fmt.Errorf("type error"); err != nil {
				return // handled here
			}
		})
	}
	app.Route("/", raise(errZeroDivision))
	w := get(app, "/")
	if w.Code != 500 || !strings.Contains(w.Body.String(), "Internal Server Error") {
		t.Errorf("GET / = %d %q, want the 500 page", w.Code, w.Body.String())
	}
	if called != 2 {
		t.Errorf("teardown hooks ran %d times, want 2", called)
	}
}

// test_before_after_request_order: before hooks in the order added,
// after and teardown hooks newest first.
func fbBeforeAfterRequestOrder(t *testing.T) {
	app, _ := newTestApp()
	var called []int
	app.BeforeRequest(func(c *flasky.Ctx) error { called = append(called, 1); return nil })
	app.BeforeRequest(func(c *flasky.Ctx) error { called = append(called, 2); return nil })
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error { called = append(called, 4); return nil })
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error { called = append(called, 3); return nil })
	app.Teardown(func(c *flasky.Ctx, err error) { called = append(called, 6) })
	app.Teardown(func(c *flasky.Ctx, err error) { called = append(called, 5) })
	app.Route("/", text("42"))
	if w := get(app, "/"); w.Body.String() != "42" {
		t.Errorf("GET / = %q", w.Body.String())
	}
	if want := []int{1, 2, 3, 4, 5, 6}; !slices.Equal(called, want) {
		t.Errorf("order = %v, want %v", called, want)
	}
}

// test_error_handling: handlers for 404, 500 and Forbidden answer with
// their status.
func fbErrorHandling(t *testing.T) {
	app, _ := newTestApp()
	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.Status(404).String("not found") })
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.Status(500).String("internal server error")
	})
	app.ErrorHandler(403, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.Status(403).String("forbidden") })
	app.Route("/", raise(flasky.Abort(404)))
	app.Route("/error", raise(errZeroDivision))
	app.Route("/forbidden", raise(flasky.Abort(403)))
	for _, tc := range []struct {
		path string
		code int
		body string
	}{
		{"/", 404, "not found"},
		{"/error", 500, "internal server error"},
		{"/forbidden", 403, "forbidden"},
	} {
		if w := get(app, tc.path); w.Code != tc.code || w.Body.String() != tc.body {
			t.Errorf("GET %s = %d %q, want %d %q", tc.path, w.Code, w.Body.String(), tc.code, tc.body)
		}
	}
}

// test_error_handling_processing: after hooks run on the response of an
// error handler.
func fbErrorHandlingProcessing(t *testing.T) {
	app, _ := newTestApp()
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.String("internal server error") })
	app.Route("/", raise(errZeroDivision))
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
		resp.Header.Set("Content-Type", "text/x-special; charset=utf-8")
		return nil
	})
	w := get(app, "/")
	if mimetype(w.Header()) != "text/x-special" || w.Body.String() != "internal server error" {
		t.Errorf("GET / = %q %q, want text/x-special and the handler's body", w.Header().Get("Content-Type"), w.Body.String())
	}
}

// test_before_request_and_routing_errors: a before hook runs before a
// routing 404, and the 404 handler sees what it stored.
func fbBeforeRequestAndRoutingErrors(t *testing.T) {
	app, _ := newTestApp()
	app.BeforeRequest(func(c *flasky.Ctx) error { c.Set("something", "value"); return nil })
	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		v, _ := c.Get("something").(string)
		return c.Status(404).String(v)
	})
	if w := get(app, "/"); w.Code != 404 || w.Body.String() != "value" {
		t.Errorf("GET / = %d %q, want 404 value", w.Code, w.Body.String())
	}
}

type fbMyException struct{}

func (fbMyException) Error() string { return "my exception" }

// test_user_error_handling: a handler for a user's exception class.
func fbUserErrorHandling(t *testing.T) {
	app, _ := newTestApp()
	flasky.OnError(app, func(c *flasky.Ctx, err fbMyException) error { return c.String("42") })
	app.Route("/", raise(fbMyException{}))
	if w := get(app, "/"); w.Body.String() != "42" {
		t.Errorf("GET / = %d %q, want 42", w.Code, w.Body.String())
	}
}

// test_http_error_subclass_handling: a subclass of Forbidden goes to its
// own handler, abort(403) and Forbidden to the 403 handler.
func fbHTTPErrorSubclassHandling(t *testing.T) {
	app, _ := newTestApp()
	flasky.OnError(app, func(c *flasky.Ctx, err uehForbiddenSubclass1) error { return c.String("banana") })
	app.ErrorHandler(403, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.String("apple") })
	app.Route("/1", raise(uehForbiddenSubclass1{}))
	app.Route("/2", raise(flasky.Abort(403)))
	app.Route("/3", raise(&flasky.HTTPError{Code: 403}))
	wantBodies(t, app, "/2", "apple", "/3", "apple")
	if w := get(app, "/1"); w.Body.String() != "banana" {
		flaskGap(t, "a type handler (OnError) for an error that unwraps to an HTTPError is never chosen: the status code's handler, then the *HTTPError's type handlers, are looked up with the HTTPError alone",
			"GET /1 = %d %q, want banana", w.Code, w.Body.String())
	}
}

// The classes of test_errorhandler_precedence: E3 subclasses E1 and E2.
type fbE2 interface {
	error
	e2()
}

type (
	fbE1Err struct{}
	fbE3Err struct{}
)

func (fbE1Err) Error() string { return "E1" }
func (fbE3Err) Error() string { return "E3" }
func (fbE3Err) e2()           {}

// test_errorhandler_precedence: the handler of a class the exception is
// an instance of wins over Exception's.
func fbErrorhandlerPrecedence(t *testing.T) {
	app, _ := newTestApp()
	flasky.OnError(app, func(c *flasky.Ctx, err fbE2) error { return c.String("E2") })
	flasky.OnError(app, func(c *flasky.Ctx, err error) error { return c.String("Exception") })
	app.Route("/e1", raise(fbE1Err{}))
	app.Route("/e3", raise(fbE3Err{}))
	wantBodies(t, app, "/e1", "Exception", "/e3", "E2")
}

// test_error_handler_after_processor_error: an exception in a before or
// an after hook is answered by the 500 handler.
func fbErrorHandlerAfterProcessorError(t *testing.T) {
	app, _ := newTestApp()
	trigger := ""
	app.BeforeRequest(func(c *flasky.Ctx) error {
		if trigger == "before" {
			return errZeroDivision
		}
		return nil
	})
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
		if trigger == "after" {
			return errZeroDivision
		}
		return nil
	})
	app.Route("/", text("Foo"))
	app.ErrorHandler(500, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.Status(500).String("Hello Server Error") })
	for _, trigger = range []string{"before", "after"} {
		if w := get(app, "/"); w.Code != 500 || w.Body.String() != "Hello Server Error" {
			t.Errorf("%s hook failing: GET / = %d %q, want 500 Hello Server Error", trigger, w.Code, w.Body.String())
		}
	}
}

// test_response_types: what a view returns becomes the response: text,
// bytes, a body with a status and headers, a response object with extra
// headers or another status, an HTTP exception, JSON for a dict or a
// list.
func fbResponseTypes(t *testing.T) {
	app, _ := newTestApp()
	const hello = "Hällo Wörld"
	app.Route("/text", text(hello))
	app.Route("/bytes", func(c *flasky.Ctx) error { return c.Data("text/html; charset=utf-8", []byte(hello)) })
	app.Route("/full_tuple", func(c *flasky.Ctx) error {
		c.SetHeader("X-Foo", "Testing")
		c.SetHeader("Content-Type", "text/plain; charset=utf-8")
		return c.Status(400).String("Meh")
	})
	app.Route("/text_headers", func(c *flasky.Ctx) error {
		c.SetHeader("X-Foo", "Test")
		return c.String("Hello")
	})
	app.Route("/text_status", func(c *flasky.Ctx) error { return c.Status(400).String("Hi, status!") })
	app.Route("/response_headers", func(c *flasky.Ctx) error {
		resp := flasky.NewResponse(404, []byte("Hello world"))
		resp.Header.Set("Content-Type", "text/html")
		resp.Header.Set("X-Foo", "baz")
		// Flask's (response, headers): the headers given beside the
		// response replace its own, as c.SetHeader before c.Send does.
		c.SetHeader("Content-Type", "text/plain")
		c.SetHeader("X-Foo", "bar")
		c.SetHeader("X-Bar", "foo")
		return c.Send(resp)
	})
	app.Route("/response_status", func(c *flasky.Ctx) error {
		resp := flasky.NewResponse(400, []byte("Hello world"))
		return c.Status(500).Send(resp) // Flask's (response, 500)
	})
	app.Route("/wsgi", raise(flasky.Abort(404)))
	app.Route("/dict", func(c *flasky.Ctx) error { return c.Status(201).JSON(flasky.M{"foo": "bar"}) })
	app.Route("/list", func(c *flasky.Ctx) error { return c.Status(201).JSON([]string{"foo", "bar"}) })

	wantBodies(t, app, "/text", hello, "/bytes", hello)
	for _, tc := range []struct {
		path, body   string
		code         int
		header, want string
	}{
		{"/full_tuple", "Meh", 400, "X-Foo", "Testing"},
		{"/text_headers", "Hello", 200, "X-Foo", "Test"},
		{"/response_headers", "Hello world", 404, "X-Bar", "foo"},
		{"/response_status", "Hello world", 500, "", ""},
	} {
		w := get(app, tc.path)
		if w.Code != tc.code || w.Body.String() != tc.body || tc.header != "" && w.Header().Get(tc.header) != tc.want {
			t.Errorf("GET %s = %d %q %s=%q, want %d %q %s=%q", tc.path, w.Code, w.Body.String(), tc.header, w.Header().Get(tc.header), tc.code, tc.body, tc.header, tc.want)
		}
	}
	for _, p := range []string{"/full_tuple", "/text_headers"} {
		if mt := mimetype(get(app, p).Header()); mt != "text/plain" {
			t.Errorf("GET %s: mimetype %q, want text/plain", p, mt)
		}
	}
	// Flask sends a returned str as text/html; flasky's c.String sends
	// text/plain (README, "Differences a Flask user should know": c.String
	// sends text/plain).
	if w := get(app, "/text_status"); w.Code != 400 || w.Body.String() != "Hi, status!" || mimetype(w.Header()) != "text/plain" {
		t.Errorf("GET /text_status = %d %q %q, want 400, the text, text/plain", w.Code, w.Body.String(), w.Header().Get("Content-Type"))
	}
	w := get(app, "/response_headers")
	if w.Header().Get("Content-Type") != "text/plain" || !slices.Equal(w.Header().Values("X-Foo"), []string{"bar"}) {
		t.Errorf("GET /response_headers: Content-Type %q, X-Foo %q; want text/plain, [bar]", w.Header().Get("Content-Type"), w.Header().Values("X-Foo"))
	}
	if w := get(app, "/wsgi"); w.Code != 404 || !strings.Contains(w.Body.String(), "Not Found") {
		t.Errorf("GET /wsgi = %d %q, want the 404 page", w.Code, w.Body.String())
	}
	for _, tc := range []struct {
		path string
		want any
	}{
		{"/dict", map[string]any{"foo": "bar"}},
		{"/list", []any{"foo", "bar"}},
	} {
		w := get(app, tc.path)
		var got any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 201 || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("GET %s = %d %q (%v), want 201 %v", tc.path, w.Code, w.Body.String(), err, tc.want)
		}
	}
}

// sendApp returns an app whose / route runs fn.
func sendApp(fn flasky.HandlerFunc) *flasky.App {
	app, _ := newTestApp()
	app.Route("/", fn)
	return app
}

// test_make_response: make_response() with nothing, a body, a body and a
// status, a generator. NewResponse's type is Flask's default, text/html;
// Stream's default is text/plain.
func fbMakeResponse(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fn       flasky.HandlerFunc
		code     int
		body, mt string
	}{
		{"empty", func(c *flasky.Ctx) error { return c.Send(flasky.NewResponse(200, nil)) }, 200, "", "text/html"},
		{"body", func(c *flasky.Ctx) error { return c.Send(flasky.NewResponse(200, []byte("Awesome"))) }, 200, "Awesome", "text/html"},
		{"status", func(c *flasky.Ctx) error { return c.Send(flasky.NewResponse(404, []byte("W00t"))) }, 404, "W00t", "text/html"},
		{"generator", func(c *flasky.Ctx) error {
			return c.Stream("", func(w io.Writer) error {
				for _, r := range "Hello" {
					if _, err := io.WriteString(w, string(r)); err != nil {
						return err
					}
				}
				return nil
			})
		}, 200, "Hello", "text/plain"},
	} {
		w := get(sendApp(tc.fn), "/")
		if w.Code != tc.code || w.Body.String() != tc.body || tc.mt != "-" && mimetype(w.Header()) != tc.mt {
			t.Errorf("%s: %d %q %q, want %d %q %q", tc.name, w.Code, w.Body.String(), w.Header().Get("Content-Type"), tc.code, tc.body, tc.mt)
		}
	}
}

// test_make_response_with_response_instance: a JSON response given
// another status, an empty response given a status, a response with a
// Content-Type given a status and a header.
func fbMakeResponseWithResponseInstance(t *testing.T) {
	w := get(sendApp(func(c *flasky.Ctx) error { return c.Status(400).JSON(flasky.M{"msg": "W00t"}) }), "/")
	if w.Code != 400 || w.Body.String() != "{\"msg\":\"W00t\"}\n" || mimetype(w.Header()) != "application/json" {
		t.Errorf("JSON with 400: %d %q %q", w.Code, w.Body.String(), w.Header().Get("Content-Type"))
	}
	w = get(sendApp(func(c *flasky.Ctx) error { return c.Send(flasky.NewResponse(400, nil)) }), "/")
	if w.Code != 400 || w.Body.Len() != 0 {
		t.Errorf("empty with 400: %d %q", w.Code, w.Body.String())
	}
	w = get(sendApp(func(c *flasky.Ctx) error {
		resp := flasky.NewResponse(200, nil)
		resp.Header.Set("Content-Type", "text/html")
		resp.Status = 400
		resp.Header.Set("X-Foo", "bar")
		return c.Send(resp)
	}), "/")
	if w.Code != 400 || w.Header().Get("Content-Type") != "text/html" || w.Header().Get("X-Foo") != "bar" {
		t.Errorf("text/html with 400 and X-Foo: %d %q %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("X-Foo"))
	}
}

// test_url_generation: url_for fills and escapes the rule's variables,
// also for a rule that answers POST only, and builds an absolute URL
// with _external.
func fbURLGeneration(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/hello/<name>", text(""), "POST").SetEndpoint("hello")
	app.Route("/probe", func(c *flasky.Ctx) error {
		u1, err1 := c.URLFor("hello", flasky.M{"name": "test x"})
		u2, err2 := c.URLFor("hello", flasky.M{"name": "test x", "_external": true})
		return c.String(fmt.Sprint(u1, " ", err1, " ", u2, " ", err2))
	})
	if w := get(app, "http://localhost/probe"); w.Body.String() != "/hello/test%20x <nil> http://localhost/hello/test%20x <nil>" {
		t.Errorf("url_for = %q", w.Body.String())
	}
}

// staticApp returns an app with Flask's tests/static/index.html.
func staticApp() *flasky.App {
	files := fstest.MapFS{"static/index.html": {Data: []byte("<h1>Hello World!</h1>\n")}}
	app := flasky.New(flasky.WithFS(files))
	app.Logger = discardLogger()
	return app
}

// test_static_files: the static folder is served at /static/, and
// url_for("static") builds its URLs.
func fbStaticFiles(t *testing.T) {
	app := staticApp()
	w := get(app, "/static/index.html")
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != "<h1>Hello World!</h1>" {
		t.Errorf("GET /static/index.html = %d %q", w.Code, w.Body.String())
	}
	if u, err := app.URLFor("static", flasky.M{"filename": "index.html"}); u != "/static/index.html" || err != nil {
		t.Errorf(`url_for("static", filename="index.html") = %q, %v`, u, err)
	}
}

// test_static_url_path, test_static_url_path_with_ending_slash: the
// static folder served at another URL path (Flask's static_url_path;
// flasky's WithStaticFolder("static", urlPath)), a trailing slash
// dropped.
func fbStaticURLPath(t *testing.T, urlPath string) {
	files := fstest.MapFS{"static/index.html": {Data: []byte("<h1>Hello World!</h1>\n")}}
	app := flasky.New(flasky.WithFS(files), flasky.WithStaticFolder("static", urlPath))
	app.Logger = discardLogger()
	if w := get(app, "/foo/index.html"); w.Code != http.StatusOK {
		t.Errorf("GET /foo/index.html = %d, want 200", w.Code)
	}
	if u, err := urlForIn(app, "static", flasky.M{"filename": "index.html"}); err != nil || u != "/foo/index.html" {
		t.Errorf(`url_for("static", filename="index.html") = %q, %v; want /foo/index.html`, u, err)
	}
}

// test_static_url_empty_path, test_static_url_empty_path_default: the
// app's folder itself as the static folder (static_folder=""), served at
// the site's root, so its static/index.html is /static/index.html. Flask's
// static_url_path="" and its default for static_folder="" are the same
// empty path; flasky's WithStaticFolder("", "") is both.
func fbStaticURLEmptyPath(t *testing.T) {
	files := fstest.MapFS{"static/index.html": {Data: []byte("<h1>Hello World!</h1>\n")}}
	app := flasky.New(flasky.WithFS(files), flasky.WithStaticFolder("", ""))
	app.Logger = discardLogger()
	if w := get(app, "/static/index.html"); w.Code != http.StatusOK {
		t.Errorf("GET /static/index.html = %d, want 200", w.Code)
	}
}

// test_static_folder_with_ending_slash: beside the static route, a
// catch-all <path:> rule takes the other paths.
func fbStaticFolderWithEndingSlash(t *testing.T) {
	app := staticApp()
	app.Route("/<path:path>", func(c *flasky.Ctx) error { return c.String(c.Param("path")) })
	if w := get(app, "/catch/all"); w.Body.String() != "catch/all" {
		t.Errorf("GET /catch/all = %d %q", w.Code, w.Body.String())
	}
}

// test_static_route_with_host_matching: under host matching, the static
// route answers on its host and builds external URLs on it. Flask needs
// static_host for that; flasky's static route has no host and answers on
// any host, after the host rules (README, "Differences a Flask user
// should know": under host matching a rule registered without a host
// answers on any host), so its URL takes the request's host.
func fbStaticRouteWithHostMatching(t *testing.T) {
	app := staticApp()
	app.Host("example.com").Route("/", text("home"))
	app.Route("/probe", func(c *flasky.Ctx) error {
		u, err := c.URLFor("static", flasky.M{"filename": "index.html", "_external": true})
		if err != nil {
			return err
		}
		return c.String(u)
	})
	if w := get(app, "http://example.com/static/index.html"); w.Code != 200 {
		t.Errorf("GET http://example.com/static/index.html = %d", w.Code)
	}
	if w := get(app, "http://example.com/probe"); w.Body.String() != "http://example.com/static/index.html" {
		t.Errorf("url_for static _external = %d %q", w.Code, w.Body.String())
	}
}

// nameView answers the rule's (or its domain's, or its default's) name.
func nameView(c *flasky.Ctx) error { return c.String(c.Param("name")) }

// test_server_name_matching: one view on a rule with the default
// name="default" and one whose subdomain (or host) gives the name, with
// SERVER_NAME example.test, for the three kinds of matching.
func fbServerNameMatching(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		setup                func(app *flasky.App)
		base, abc, xyz       string
		xyzCode              int
		subdomain, hostMatch bool
	}{
		// Neither: Flask ignores the rule's subdomain and host; flasky
		// has no switch to ignore them, so the app has the first rule
		// only (README, "Differences a Flask user should know":
		// subdomain rules need no subdomain_matching=True).
		{name: "no_matching", setup: func(app *flasky.App) {
			app.Route("/", nameView).SetDefaults(flasky.M{"name": "default"})
		}, base: "default", abc: "default", xyz: "default", xyzCode: 200},
		// Subdomain matching: a host outside SERVER_NAME gets "<invalid>"
		// in Werkzeug; in flasky it is a 404 (same README item).
		{name: "subdomain_matching", setup: func(app *flasky.App) {
			app.Route("/", nameView).SetDefaults(flasky.M{"name": "default"})
			app.Subdomain("<name>").Route("/", nameView)
		}, base: "default", abc: "abc", xyz: "", xyzCode: 404},
		// Host matching: Flask's first rule has host="<name>" and the
		// default; flasky's has no host, and answers any host after the
		// host rules (README: under host matching a rule registered
		// without a host answers on any host).
		{name: "host_matching", setup: func(app *flasky.App) {
			app.Host("<name>.example.test").Route("/", nameView)
			app.Route("/", nameView).SetDefaults(flasky.M{"name": "default"})
		}, base: "default", abc: "abc", xyz: "default", xyzCode: 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := newTestApp()
			app.Config.ServerName = "example.test"
			tc.setup(app)
			for _, rq := range []struct {
				url, want string
				code      int
			}{
				{"http://example.test/", tc.base, 200},
				{"http://abc.example.test/", tc.abc, 200},
				{"http://xyz.other.test/", tc.xyz, tc.xyzCode},
			} {
				w := get(app, rq.url)
				if w.Code != rq.code || rq.code == 200 && w.Body.String() != rq.want {
					t.Errorf("GET %s = %d %q, want %d %q", rq.url, w.Code, w.Body.String(), rq.code, rq.want)
				}
			}
		})
	}
}

// test_server_name_subdomain: with SERVER_NAME (with a port, with :443,
// without a port) the default subdomain answers on that host over http
// and https, a subdomain rule on its subdomain, and another host is a
// 404. Flask's test client sends its first request to SERVER_NAME; the
// port sends it there by name.
func fbServerNameSubdomain(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", text("default"))
	app.Subdomain("foo").Route("/", text("subdomain"))
	app.Config.ServerName = "dev.local:5000"
	wantBodies(t, app,
		"http://dev.local:5000/", "default",
		"https://dev.local:5000/", "default")
	app.Config.ServerName = "dev.local:443"
	// As in Flask's test, a 404 is accepted here (Werkzeug before 1.0).
	if w := get(app, "https://dev.local/"); w.Code != 404 && w.Body.String() != "default" {
		t.Errorf("SERVER_NAME dev.local:443: GET https://dev.local/ = %d %q", w.Code, w.Body.String())
	}
	app.Config.ServerName = "dev.local"
	wantBodies(t, app, "https://dev.local/", "default")
	if w := get(app, "http://foo.localhost/"); w.Code != 404 {
		t.Errorf("GET http://foo.localhost/ = %d %q, want 404", w.Code, w.Body.String())
	}
	wantBodies(t, app, "http://foo.dev.local/", "subdomain")
}

// test_url_processors: a URL value preprocessor takes lang_code from the
// matched values, and a URL defaults function puts it back for the
// endpoints that expect it.
func fbURLProcessors(t *testing.T) {
	app, _ := newTestApp()
	// Werkzeug's url_map.is_endpoint_expecting(endpoint, "lang_code"),
	// read from the route table.
	expecting := func(endpoint, arg string) bool {
		for _, r := range app.Routes() {
			if r.Endpoint == endpoint && strings.Contains(r.Rule, "<"+arg+">") {
				return true
			}
		}
		return false
	}
	app.URLDefaults(func(c *flasky.Ctx, endpoint string, values flasky.M) {
		if c == nil {
			return
		}
		if lang, ok := c.Get("lang_code").(string); ok && expecting(endpoint, "lang_code") {
			if _, given := values["lang_code"]; !given {
				values["lang_code"] = lang
			}
		}
	})
	app.URLValuePreprocessor(func(c *flasky.Ctx) {
		if lang := c.Param("lang_code"); lang != "" {
			c.Set("lang_code", lang)
		}
	})
	urlFor := func(endpoint string, values flasky.M) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error {
			u, err := c.URLFor(endpoint, values)
			if err != nil {
				return err
			}
			return c.String(u)
		}
	}
	app.Route("/<lang_code>/", urlFor("about", nil)).SetEndpoint("index")
	app.Route("/<lang_code>/about", urlFor("something_else", nil)).SetEndpoint("about")
	app.Route("/foo", urlFor("about", flasky.M{"lang_code": "en"})).SetEndpoint("something_else")
	wantBodies(t, app,
		"/de/", "/de/about",
		"/de/about", "/foo",
		"/foo", "/en/about")
}

// test_inject_blueprint_url_defaults: a blueprint's URL defaults fill
// the values of its endpoints' URLs. (Flask's test also calls
// app.inject_url_defaults directly; flasky runs the defaults inside
// URLFor only, which the test checks the same way.)
func fbInjectBlueprintURLDefaults(t *testing.T) {
	app, _ := newTestApp()
	bp := app.Blueprint("foo", "")
	bp.URLDefaults(func(c *flasky.Ctx, endpoint string, values flasky.M) { values["page"] = "login" })
	bp.Route("/<page>", text("")).SetEndpoint("view")
	if u, err := app.URLFor("foo.view", nil); u != "/login" || err != nil {
		t.Errorf(`URLFor("foo.view") = %q, %v; want /login`, u, err)
	}
	app.Route("/probe/x", func(c *flasky.Ctx) error {
		u, err := c.URLFor("foo.view", nil)
		if err != nil {
			return err
		}
		return c.String(u)
	})
	wantBodies(t, app, "/probe/x", "/login")
}

// test_nonascii_pathinfo: a rule of Cyrillic letters matches its URL.
func fbNonASCIIPathinfo(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/киртест", text("Hello World!"))
	wantBodies(t, app, "/"+url.PathEscape("киртест"), "Hello World!")
	if res := app.TestClient(t).Get("/киртест"); res.Text() != "Hello World!" {
		t.Errorf("GET /киртест = %d %q", res.Code, res.Text())
	}
}

// test_no_setup_after_first_request: Flask refuses a rule added once
// the app has served a request. flasky does not (README, "Differences":
// registering a route after the app has served is not refused): the
// rule is added and answers.
func fbNoSetupAfterFirstRequest(t *testing.T) {
	app, _ := newTestApp()
	app.Config.Debug = true
	app.Route("/", text("Awesome"))
	wantBodies(t, app, "/", "Awesome")
	if _, err := app.AddRoute("/foo", text("late")); err != nil {
		t.Fatalf("AddRoute after a request: %v", err)
	}
	wantBodies(t, app, "/foo", "late")
}

// test_routing_redirect_debugging: a POST to a rule's URL without its
// trailing slash is redirected with a 308, which keeps the method and
// the form. (Flask's second half makes the redirect a 301 by
// monkeypatching Werkzeug and checks debug mode's error about the lost
// form: Python-only.)
func fbRoutingRedirectDebugging(t *testing.T) {
	app, _ := newTestApp()
	app.Config.Debug = true
	app.Route("/user/", func(c *flasky.Ctx) error { return c.String(c.Form.Get("status")) }, "GET", "POST")
	client := app.TestClient(t)
	client.FollowRedirects = true
	res := client.Post("/user", url.Values{"status": {"success"}})
	if res.Text() != "success" || len(res.History) != 1 || res.History[0].Code != 308 {
		t.Errorf("POST /user, following redirects = %d %q after %d redirects", res.Code, res.Text(), len(res.History))
	}
}

// fbEndpointViews holds a view named foo, whose name is the endpoint of
// a route registered without one, as a Python function's name is.
type fbEndpointViews struct{}

func (fbEndpointViews) foo(c *flasky.Ctx) error { return c.String(c.Endpoint()) }

// test_route_decorator_custom_endpoint: the endpoint is the view's name
// unless given; url_for builds each, and request.endpoint names it.
func fbRouteDecoratorCustomEndpoint(t *testing.T) {
	app, _ := newTestApp()
	app.Config.Debug = true
	endpoint := func(c *flasky.Ctx) error { return c.String(c.Endpoint()) }
	app.Route("/foo/", fbEndpointViews{}.foo)
	app.Route("/bar/", endpoint).SetEndpoint("bar")
	app.Route("/bar/123", endpoint).SetEndpoint("123")
	for ep, want := range map[string]string{"foo": "/foo/", "bar": "/bar/", "123": "/bar/123"} {
		if u, err := app.URLFor(ep, nil); u != want || err != nil {
			t.Errorf("URLFor(%q) = %q, %v; want %q", ep, u, err, want)
		}
	}
	wantBodies(t, app,
		"/foo/", "foo",
		"/bar/", "bar",
		"/bar/123", "123")
}

// test_subdomain_basic_support: with SERVER_NAME, a subdomain rule
// answers on its subdomain, the other on the bare name.
func fbSubdomainBasicSupport(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "localhost.localdomain"
	app.Route("/", text("normal index"))
	app.Subdomain("test").Route("/", text("test index"))
	wantBodies(t, app,
		"http://localhost.localdomain/", "normal index",
		"http://test.localhost.localdomain/", "test index")
}

// userIndex answers the <user> subdomain.
func userIndex(c *flasky.Ctx) error { return c.String("index for " + c.Param("user")) }

// test_subdomain_matching: a <user> subdomain gives its value.
func fbSubdomainMatching(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "localhost.localdomain"
	app.Subdomain("<user>").Route("/", userIndex)
	wantBodies(t, app, "http://mitsuhiko.localhost.localdomain/", "index for mitsuhiko")
}

// test_subdomain_matching_with_ports: the same with a port in
// SERVER_NAME.
func fbSubdomainMatchingWithPorts(t *testing.T) {
	app, _ := newTestApp()
	app.Config.ServerName = "localhost.localdomain:3000"
	app.Subdomain("<user>").Route("/", userIndex)
	wantBodies(t, app, "http://mitsuhiko.localhost.localdomain:3000/", "index for mitsuhiko")
}

// test_subdomain_matching_other_name: without subdomain matching any
// host is served; with it, an IP address or another subdomain than the
// default is a 404. flasky has no subdomain_matching switch: the first
// Subdomain or SetDefaultSubdomain turns it on (README, "Differences a
// Flask user should know"), here SetDefaultSubdomain("").
func fbSubdomainMatchingOtherName(t *testing.T) {
	for _, matching := range []bool{false, true} {
		t.Run(fmt.Sprint(matching), func(t *testing.T) {
			app, _ := newTestApp()
			if matching {
				app.SetDefaultSubdomain("")
			}
			app.Config.ServerName = "localhost.localdomain:3000"
			app.Route("/", func(c *flasky.Ctx) error { return c.NoContent() })
			want := 204
			if matching {
				want = 404
			}
			for _, u := range []string{"http://127.0.0.1:3000/", "http://www.localhost.localdomain:3000/"} {
				if w := get(app, u); w.Code != want {
					t.Errorf("GET %s = %d, want %d", u, w.Code, want)
				}
			}
		})
	}
}

// test_multi_route_rules: one view on two rules, the second giving the
// value the first leaves to the view's default.
func fbMultiRouteRules(t *testing.T) {
	app, _ := newTestApp()
	index := func(c *flasky.Ctx) error {
		test := c.Param("test")
		if test == "" {
			test = "a"
		}
		return c.String(test)
	}
	app.Route("/", index).SetEndpoint("index")
	app.Route("/<test>/", index).SetEndpoint("index")
	wantBodies(t, app, "/", "a", "/b/", "b")
}

// fbView is test_multi_route_class_views' class: its constructor adds
// its method as the view of two rules.
type fbView struct{}

func newFBView(app *flasky.App) fbView {
	v := fbView{}
	app.Route("/", v.index).SetEndpoint("index")
	app.Route("/<test>/", v.index).SetEndpoint("index")
	return v
}

func (fbView) index(c *flasky.Ctx) error {
	test := c.Param("test")
	if test == "" {
		test = "a"
	}
	return c.String(test)
}

// test_multi_route_class_views: the same with a method of an object as
// the view.
func fbMultiRouteClassViews(t *testing.T) {
	app, _ := newTestApp()
	_ = newFBView(app)
	wantBodies(t, app, "/", "a", "/b/", "b")
}
