// Package flasky is a Flask-like micro web framework for Go: routes with
// Flask's <name> rules, query and form values, error pages and a
// development server that logs like Flask's, on top of httprouter.
//
// Slide 23's hello program:
//
//	package main
//
//	import "github.com/flasky-go/flasky"
//
//	func main() {
//		app := flasky.New()
//		app.Route("/", func(c *flasky.Ctx) error {
//			return c.String("hello~~")
//		})
//		app.Run("0.0.0.0:8080") // * Running on http://0.0.0.0:8080/ (Press CTRL+C to quit)
//	}
//
// # Rules
//
// Rules use Flask's syntax, all of it, as Werkzeug reads it. Variables
// may share a segment with static text and with each other
// (/<slug>.json, /v<int:major>.<int:minor>, /page_<int:n>), static text
// may hold ':' and '*' (/User:<name>), and <path:> may stand anywhere
// (/<path:page>/edit, /<path:a>/<path:b>):
//
//	<name>, <string:name>   not empty, no '/'
//	<int:id>                digits only: -5 and 1.5 are a 404, as in Flask;
//	                        a value beyond int64 is a 404 too
//	<float:x>               digits '.' digits: 1 is a 404, as in Flask
//	<path:rest>             any text, slashes included
//	<uuid:u>                8-4-4-4-12 hex digits
//	<any(a,b,c):x>          one of the listed words
//
// Converters take Werkzeug's arguments: <int(min=1,max=9):n>,
// <int(fixed_digits=4):year>, <int(signed=True):n>, <string(length=2):cc>.
// Rules httprouter can express ride its trees at its speed; the others
// are matched by flasky (one expression per rule, built from the
// converters' expressions as Werkzeug builds it, and only for paths that
// start and end with the rule's static text), so an app without them
// pays nothing. When several rules match a path, the one Werkzeug's
// matcher reaches first answers: segment by segment, static text before
// variables; then, within a segment, more pieces of static text, longer
// text earlier, more variables, and lighter converters (int and float 50,
// string, any and uuid 100, path 200) first; equal weights keep their
// registration order. Two rules that match exactly the same paths for the
// same method (HEAD included, and OPTIONS when both handle it) are refused
// when registered, with both rules and an example path named.
//
// [App.AddConverter] adds a converter of your own, Werkzeug's regex
// recipe among them: a [Converter] gives the expression a value matches,
// Parse (text to the value [Ctx.ParamValue] returns; an error is no
// match), Format (for [App.URLFor]), a Weight and whether values span
// segments. Its [ConverterFunc] gets the arguments written in the rule:
//
//	app.AddConverter("regex", func(args ...string) (flasky.Converter, error) {
//		return flasky.Converter{Regex: args[0]}, nil
//	})
//	app.Route(`/lang/<regex("[a-z]{3}"):code>`, handler)
//
// A rule ending in '/' also answers the URL without it, with a 308
// redirect that keeps the query (Flask's rule); a rule without the slash
// does not match a URL with one (404). Runs of slashes are merged by a 308
// as well (/a//b to /a/b, Werkzeug's merge_slashes), and a rule written
// with them counts them as one ("/a//b" matches and builds /a/b). Unlike
// httprouter's default, flasky does not redirect the other way or fix the
// case of paths: Flask does neither, and each redirect is one more way to
// reach a page. Redirect targets are paths on the same host, never
// "//host".
//
// [Route.SetStrictSlashes](false) is Flask's strict_slashes=False: the
// rule matches with or without the trailing slash.
// [Route.SetMergeSlashes](false) is Werkzeug's merge_slashes=False: a
// path that only matches the rule once its slashes are merged is a 404,
// and a rule written with "//" matches and builds as written.
// [App.SetStrictSlashes] and [App.SetMergeSlashes] set both for every
// rule without a setting of its own (Flask's app.url_map.strict_slashes
// and merge_slashes). The slash redirect comes before a 405, as in
// Werkzeug.
//
// # URL building
//
// [App.URLFor] and [Ctx.URLFor] (url_for in templates) are Flask's
// url_for: rule variables from the values, the rest as the query
// (written as Python's str writes them; a slice repeats its key, nil is
// left out), and the options _external, _scheme, _anchor and _method.
// [Route.SetDefaults] is Flask's defaults=, [Route.SetAlias] and
// [Route.SetBuildOnly] Werkzeug's alias= and build_only=; a URL that only
// repeats a rule's defaults, or that an alias matched, is redirected to
// the canonical one. An app reached under a prefix ([Ctx.ScriptRoot]: a
// trusted proxy's X-Forwarded-Prefix, [App.Mount], http.StripPrefix,
// Config.ApplicationRoot) keeps it in its redirects, its URLs and its
// session cookie.
//
// GET routes answer HEAD with the same headers and no body; OPTIONS is
// answered with Allow; a known path with another method is a 405 with
// Allow; anything else a 404. Error pages are Werkzeug's.
//
// # Subdomains and hosts
//
// [App.Subdomain] registers rules on a subdomain of Config.ServerName
// (Flask's subdomain=): app.Subdomain("<user>").Route("/", profile)
// answers alice.example.com with c.Param("user") = "alice". A static
// subdomain is tried before one with variables; rules without a
// subdomain answer on the default one ([App.SetDefaultSubdomain], the
// bare ServerName unless set). [App.Host] binds rules to whole hosts
// instead, as Werkzeug's host_matching; an app uses one or the other.
// [Blueprint.SetSubdomain] and [Blueprint.SetHost] do it for a
// blueprint. URLFor builds an absolute URL for a rule on another
// subdomain or host than the request's. An app with neither pays nothing
// for them.
//
// # Handlers and errors
//
// A handler is a func(*Ctx) error. Returning [Abort](404) (or any
// [HTTPError]) answers with that status through [App.ErrorHandler] or the
// default page. Any other error, and a panic, is a 500 that is logged with
// its cause (and stack) but shows the client nothing unless Config.Debug
// is on. [OnError] adds handlers by error type (found with errors.As), in
// Flask's order: an HTTP error's status handler, then handlers by type;
// a failure's type handlers, then the 500 handler; the route's blueprint
// before the app. [AbortWith] answers with a ready [Response].
//
// Hooks run in Flask's order: URL value preprocessors and before hooks
// ([App.BeforeRequest]; the app's also for a request no route takes),
// the handler, after hooks ([App.AfterRequest], [Ctx.AfterThisRequest])
// on the [Response] (the body too for every response the helpers wrote),
// and teardown hooks ([App.Teardown]) once the response is complete.
// [App.Signals] are typed instrumentation points in the places of
// Flask's signals. A hook or signal nobody registered costs nothing.
//
// # Blueprints
//
// [NewBlueprint] makes a blueprint apart from any app; [App.RegisterBlueprint]
// registers it, once or several times under other names and prefixes
// ([BlueprintOptions]), and [Blueprint.RegisterBlueprint] nests one in
// another (endpoints "parent.child.view"). [App.Blueprint] makes and
// registers one at once.
//
// # Views and middleware
//
// [App.View] registers a value whose Get, Post, Put, Patch, Delete
// (Head, Options) methods answer one rule, as Flask's MethodView; one
// value serves every request, like an http.Handler. A [Middleware] is a
// Flask decorator such as login_required: [Route.Wrap] puts it around
// one route's handler and [Blueprint.Wrap] around a blueprint's, and
// [HTTPMiddleware] adapts net/http middleware to it. [App.AddURLRule]
// and [App.Endpoint] register rules by endpoint name, apart from their
// handler, as Flask's add_url_rule and @app.endpoint.
//
// # Responses
//
// [Ctx.String] sends text/plain, not text/html as a Flask view returning
// a str does: text from a client cannot turn into markup. [Ctx.HTML]
// sends markup as it is given.
//
// # Templates, files and uploads
//
// [Ctx.Render] executes templates/NAME with html/template (text/template
// for names Flask does not autoescape, such as mail.txt); templates/ and
// static/ are found beside the source file that calls [New] (or in an
// embed.FS, [WithFS]), and /static/<path:filename> serves static/. Every
// template reads the request as Flask's do, through functions bound to
// it: {{request.Args.Get "q"}}, {{g.user}}, {{session.user_id}},
// {{config.Debug}}, url_for, get_flashed_messages, and the values of
// [App.ContextProcessor]. [Ctx.RenderString], [Ctx.RenderToString] (and
// [App.RenderToString] outside a request) and [Ctx.StreamTemplate] are
// Flask's render_template_string, a rendered string and stream_template.
// [Ctx.SendFile], [Ctx.SendFromDirectory], [Ctx.SendReader] and
// [Ctx.Stream] send files and streams with conditional and range
// requests; nothing outside a folder is ever served from a client's name.
// [Ctx.Files] reads uploads without holding them in memory, and
// [File.Save] writes them atomically under a safe name
// ([SecureFilename]).
//
// # Images
//
// [NewImage] and [Draw] draw like Pillow's Image.new and ImageDraw
// (rectangles, lines, points, polygons, ellipses, arcs, text), pixel for
// pixel where Pillow's geometry is exact; [DecodeImage] refuses
// decompression bombs; [Ctx.SendImage] encodes JPEG, PNG or GIF with an
// ETag.
//
// # Sessions, flashed messages and cross-site forms
//
// [Ctx.Session] keeps values across requests in a cookie signed with
// Config.SecretKey, as Flask's session does, or wherever
// [App.SessionInterface] keeps them (a server-side store); it has no
// error to check: a missing key or a store that is down ends the request
// (500, 503). [Ctx.Flash] and [Ctx.FlashedMessages]
// (get_flashed_messages in templates) carry a note to the next page. A
// form that another site posts here is refused with a 403
// ([App.CrossOrigin]).
//
// # Configuration
//
// [Config] holds flasky's settings, and Config.Settings the app's own: a
// pointer to a struct of the app's (Flask's tutorial keeps DATABASE in
// its config), read with its type from the app or a handler by
// [Settings]:
//
//	type Settings struct{ Database string }
//
//	app.Config.Settings = &Settings{Database: filepath.Join(app.InstancePath(), "app.db")}
//	db := flasky.Settings[Settings](c).Database
//
// Both load by Flask's keys (SECRET_KEY for SecretKey, DATABASE for
// Database): [Config.FromFile] from JSON, or any format through its
// Unmarshal function, [Config.FromPrefixedEnv] from FLASKY_ variables
// (FLASKY_SESSION_LIFETIME=24h), [Config.FromMapping] and
// [Config.FromStruct] from Go values. A value that does not fit is an
// error naming the key and the value, and changes nothing. The instance
// folder ([App.InstancePath], instance/ beside the source) holds the
// files of one installation. None of this is linked into a program that
// does not call it.
//
// # Command line
//
// [App.Main] is the one call main makes to get Flask's flask command:
// app.Main("127.0.0.1:8080") serves (the run command, with -addr and
// -debug), "prog routes" prints the route table, and the commands added
// with [App.Command] run by name (Flask's @app.cli.command); "prog -h"
// lists them. Main is the only function of flasky that ends the program
// (os.Exit), and only on an error. [App.RunCommand] runs a command line
// in a test and returns its output, as Flask's test_cli_runner.
//
// # Testing
//
// [App.TestClient] sends requests in process like Flask's
// app.test_client(), keeping cookies and following redirects, with any
// method, header and body ([Header], [JSONBody], [FormBody], [Body]);
// [TestClient.Session] is session_transaction and
// [App.TestRequestContext] test_request_context. Config.Testing is
// Flask's TESTING switch: with it on, a handler's failure fails the test.
// [App.RunCommand] runs the app's commands. An App is also an
// http.Handler for net/http/httptest.
//
// # Names
//
// Options of [New] start with With ([WithFS], [WithRoot]). Options of a
// call are named for the Flask or Pillow keyword argument they stand for
// ([Mimetype] is mimetype=, [Fill] is fill=, [Debug] is debug=) or for
// what they switch ([NoReloader], [NoAccessLog], [ShutdownTimeout],
// [ConfigureServer], [Unique]); security.HashMethod and
// security.SaltLength are Werkzeug's method= and salt_length=, and the
// options of a test request name what they add ([Header], [JSONBody],
// [FormBody], [Body]). Methods read with a bare name and change
// with Set: [Route.Endpoint] and [Route.SetEndpoint]. [Ctx.Status] is the
// one exception, a response builder as in gin and echo:
// c.Status(201).JSON(v). [M] holds named values for both templates and
// URL building.
//
// # Debug mode
//
// Debug mode is one switch reached three ways, all equal: [Debug] passed
// to [App.Run] or [App.Serve], FLASKY_DEBUG=1 in the environment (read by
// Run and Serve), and Config.Debug set in code (the only one an app
// served by http.ListenAndServe(addr, app) sees). Run and Serve set
// Config.Debug when either of the others is on, so handlers and templates
// read that one field. Debug mode shows error pages with stacks and
// source and re-reads changed templates; [App.Run] also reloads the
// program on change unless [NoReloader] is given. Serve never reloads.
//
// # Pooled contexts
//
// A Ctx is reused for later requests once its handler returns. Do not
// keep it: a goroutine that outlives the handler takes the values it needs
// first, or uses [Ctx.Copy].
package flasky
