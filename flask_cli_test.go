package flasky_test

// Flask's tests/test_cli.py (Flask 3.1), ported where flasky's command
// line covers it: each Flask test is a subtest of TestFlaskCLI named
// after it (TestRoutes's tests under TestRoutes/). The flask command is
// the program's own command line, App.Main; Flask's CliRunner invoking
// it is App.RunCommand, which runs the same command line and returns
// what it printed and its error (a usage error is what Main ends with
// status 2). A command added with @app.cli.command is App.Command.
//
// Not ported:
//   - test_cli_name, test_find_best_app, test_prepare_import,
//     test_locate_app, test_locate_app_raises,
//     test_locate_app_suppress_raise, test_scriptinfo: Python-only
//     (finding and importing the app from FLASK_APP, a module or a
//     factory; in Go the program is the app).
//   - test_with_appcontext, test_flaskgroup_app_context,
//     test_flaskgroup_debug, test_flaskgroup_nested: Python-only (Click's
//     with_appcontext decorator, FlaskGroup with create_app and
//     set_debug_flag, a FlaskGroup inside another Click group).
//   - test_no_command_echo_loading_error, test_help_echo_loading_error,
//     test_help_echo_exception: Python-only (the error of loading no app,
//     or an app whose factory raises, shown with the help).
//   - test_load_dotenv, test_dotenv_path, test_dotenv_optional,
//     test_disable_dotenv_from_env: Python-only (.env and .flaskenv
//     files read by python-dotenv).
//   - test_run_cert_import, test_run_cert_no_ssl: Python-only (an
//     ssl.SSLContext imported by name for --cert; Python's ssl module
//     missing).
//   - test_appgroup_app_context: missing in flasky: command groups
//     (AppGroup: "prog subgroup test2"); App.Command adds commands of one
//     level.
//   - test_cli_blueprints: missing in flasky: commands on a blueprint
//     (bp.cli.command, its cli_group, and register_blueprint's
//     cli_group=).
//
// Part of a ported test left out: test_app_cli_has_app_context's
// parameter callback seeing current_app (a Click parameter callback).

import (
	"net"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

func TestFlaskCLI(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"get_version", fcliGetVersion},
		{"app_cli_has_app_context", fcliAppCLIHasAppContext},
		{"TestRoutes/simple", fcliRoutesSimple},
		{"TestRoutes/sort", fcliRoutesSort},
		{"TestRoutes/all_methods", fcliRoutesAllMethods},
		{"TestRoutes/no_routes", fcliRoutesNoRoutes},
		{"TestRoutes/subdomain", fcliRoutesSubdomain},
		{"TestRoutes/host", fcliRoutesHost},
		{"run_cert_path", fcliRunCertPath},
		{"run_cert_adhoc", fcliRunCertAdhoc},
		{"cli_empty", fcliCLIEmpty},
		{"run_exclude_patterns", fcliRunExcludePatterns},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// isFlagError reports whether err is the command line's refusal of a
// flag it does not know.
func isFlagError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "flag provided but not defined")
}

// test_get_version: --version prints the versions of the language, the
// framework and its server (Python, Flask and Werkzeug); Go's and
// flasky's here.
func fcliGetVersion(t *testing.T) {
	app, _ := newTestApp()
	out, err := app.RunCommand("--version")
	if err != nil {
		flaskGap(t, "a -version flag (the flask command's --version prints the versions of Python, Flask and Werkzeug)",
			"RunCommand(--version): %v", err)
	}
	if !strings.Contains(out, runtime.Version()) || !strings.Contains(out, "flasky") {
		t.Errorf("--version printed %q, want Go's version and flasky's", out)
	}
}

// test_app_cli_has_app_context: a command of the app runs with that app
// (Flask's current_app), and gets its arguments.
func fcliAppCLIHasAppContext(t *testing.T) {
	app, _ := newTestApp()
	var sameApp bool
	var args []string
	app.Command("check", "Check the app.", func(cc *flasky.CommandContext) error {
		sameApp, args = cc.App == app, cc.Args
		return nil
	})
	if out, err := app.RunCommand("check", "x"); err != nil {
		t.Fatalf("RunCommand(check x): %v\n%s", err, out)
	}
	if !sameApp || !slices.Equal(args, []string{"x"}) {
		t.Errorf("the command ran with the app: %v, arguments %q; want true, [x]", sameApp, args)
	}
}

// routesApp is TestRoutes's app: the static route, and two rules added
// without a view.
func routesApp(t *testing.T) *flasky.App {
	t.Helper()
	app := flasky.New(flasky.WithFS(fstest.MapFS{"static/index.html": {Data: []byte("<h1>Hello World!</h1>")}}))
	if _, err := app.AddURLRule("/get_post/<int:x>/<int:y>", "yyy_get_post", nil, "GET", "POST"); err != nil {
		t.Fatal(err)
	}
	if _, err := app.AddURLRule("/zzz_post", "aaa_post", nil, "POST"); err != nil {
		t.Fatal(err)
	}
	return app
}

// runRoutes runs the routes command with args and returns its output.
func runRoutes(t *testing.T, app *flasky.App, args ...string) (string, error) {
	t.Helper()
	return app.RunCommand(append([]string{"routes"}, args...)...)
}

// expectOrder is TestRoutes.expect_order: after the two header lines,
// the rows start with the endpoints in order.
func expectOrder(t *testing.T, order []string, output string) {
	t.Helper()
	lines := strings.Split(output, "\n")
	if len(lines) < 2+len(order) {
		t.Fatalf("routes printed %d lines, want %d rows:\n%s", len(lines), len(order), output)
	}
	for i, want := range order {
		if line := lines[2+i]; !strings.HasPrefix(line, want) {
			t.Errorf("row %d = %q, want it to start with %q:\n%s", i+1, line, want, output)
		}
	}
}

// TestRoutes.test_simple: routes lists the routes sorted by endpoint.
func fcliRoutesSimple(t *testing.T) {
	out, err := runRoutes(t, routesApp(t))
	if err != nil {
		t.Fatal(err)
	}
	expectOrder(t, []string{"aaa_post", "static", "yyy_get_post"}, out)
}

// TestRoutes.test_sort: -s endpoint (the default), methods, rule or match
// orders the rows.
func fcliRoutesSort(t *testing.T) {
	app := routesApp(t)
	def, err := runRoutes(t, app)
	if err != nil {
		t.Fatal(err)
	}
	byEndpoint, err := runRoutes(t, app, "-s", "endpoint")
	if isFlagError(err) {
		flaskGap(t, "routes -s (--sort) endpoint, methods, rule or match: the table is always sorted by endpoint, then rule",
			"RunCommand(routes -s endpoint): %v", err)
	}
	if byEndpoint != def {
		t.Errorf("-s endpoint:\n%s\nwant the default:\n%s", byEndpoint, def)
	}
	for _, tt := range []struct {
		sort  string
		order []string
	}{
		{"methods", []string{"static", "yyy_get_post", "aaa_post"}},
		{"rule", []string{"yyy_get_post", "static", "aaa_post"}},
		{"match", []string{"static", "yyy_get_post", "aaa_post"}}, // the order the rules were added in
	} {
		out, err := runRoutes(t, app, "-s", tt.sort)
		if err != nil {
			t.Fatal(err)
		}
		expectOrder(t, tt.order, out)
	}
}

// TestRoutes.test_all_methods: HEAD and OPTIONS are listed only with
// --all-methods.
func fcliRoutesAllMethods(t *testing.T) {
	app := routesApp(t)
	out, err := runRoutes(t, app)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "GET, HEAD, OPTIONS, POST") {
		t.Errorf("routes lists HEAD and OPTIONS without --all-methods:\n%s", out)
	}
	out, err = runRoutes(t, app, "--all-methods")
	if isFlagError(err) {
		flaskGap(t, "routes --all-methods: HEAD and OPTIONS are never listed", "RunCommand(routes --all-methods): %v", err)
	}
	if !strings.Contains(out, "GET, HEAD, OPTIONS, POST") {
		t.Errorf("routes --all-methods:\n%s\nwant GET, HEAD, OPTIONS, POST", out)
	}
}

// TestRoutes.test_no_routes: an app without routes (nor a static
// folder) says so.
func fcliRoutesNoRoutes(t *testing.T) {
	app, _ := newTestApp() // the package's folder has no static/
	out, err := runRoutes(t, app)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "No routes were registered.") {
		flaskGap(t, "routes of an app without routes prints the table's header and no row, not \"No routes were registered.\"",
			"printed %q", out)
	}
}

// TestRoutes.test_subdomain: the table of an app with subdomain rules has
// a Subdomain column.
func fcliRoutesSubdomain(t *testing.T) {
	app, _ := newTestApp()
	for _, sub := range []string{"a", "b"} {
		if _, err := app.Subdomain(sub).AddURLRule("/"+sub, sub, nil); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runRoutes(t, app)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Subdomain") {
		flaskGap(t, "routes names the column of subdomain rules Domain (holding the subdomain, or the whole host with Config.ServerName); Flask's is Subdomain",
			"printed:\n%s", out)
	}
}

// TestRoutes.test_host: the table of an app with host rules has a Host
// column.
func fcliRoutesHost(t *testing.T) {
	app, _ := newTestApp()
	for _, host := range []string{"a", "b"} {
		if _, err := app.Host(host).AddURLRule("/"+host, host, nil); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runRoutes(t, app)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Host") {
		flaskGap(t, "routes names the column of host rules Domain; Flask's is Host", "printed:\n%s", out)
	}
}

// busyAddr returns an address something listens on until the test ends:
// run given it fails at once with its listen error, after its flags were
// taken, so a test can see which flags run takes without serving.
func busyAddr(t *testing.T) string {
	t.Helper()
	t.Setenv("FLASKY_DEBUG", "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

// runTakes reports whether run accepted its flags: it got as far as
// listening on the busy address.
func runTakes(err error) bool { return err != nil && strings.Contains(err.Error(), "listen") }

// test_run_cert_path: run serves HTTPS with --cert and --key given
// together, in either order, and refuses one without the other.
func fcliRunCertPath(t *testing.T) {
	app, _ := newTestApp()
	addr := busyAddr(t)
	cert := writeFile(t, "cert.pem", "")
	for _, args := range [][]string{{"-cert", cert, "-key", cert}, {"-key", cert, "-cert", cert}} {
		_, err := app.RunCommand(append([]string{"run", "-addr", addr}, args...)...)
		if isFlagError(err) {
			flaskGap(t, "run -cert and -key: the command line serves HTTP only (App.RunTLS serves HTTPS from code)",
				"RunCommand(run %q): %v", args, err)
		}
		if !runTakes(err) {
			t.Errorf("run %q: %v, want the flags taken", args, err)
		}
	}
	for _, args := range [][]string{{"-cert", cert}, {"-key", cert}} {
		if _, err := app.RunCommand(append([]string{"run", "-addr", addr}, args...)...); err == nil || runTakes(err) {
			t.Errorf("run %q: %v, want a usage error", args, err)
		}
	}
}

// test_run_cert_adhoc: run --cert adhoc serves HTTPS with a certificate
// made on the spot, and takes no --key with it.
func fcliRunCertAdhoc(t *testing.T) {
	app, _ := newTestApp()
	addr := busyAddr(t)
	_, err := app.RunCommand("run", "-addr", addr, "-cert", "adhoc")
	if isFlagError(err) {
		flaskGap(t, "run -cert adhoc: no HTTPS with a certificate made on the spot", "RunCommand(run -cert adhoc): %v", err)
	}
	if !runTakes(err) {
		t.Errorf("run -cert adhoc: %v, want the flag taken", err)
	}
	key := writeFile(t, "key.pem", "")
	if _, err := app.RunCommand("run", "-addr", addr, "-cert", "adhoc", "-key", key); err == nil || runTakes(err) {
		t.Errorf("run -cert adhoc -key: %v, want a usage error", err)
	}
}

// test_cli_empty: a blueprint without commands adds no command group:
// "blue --help" is a command the program does not know (status 2).
// flasky's blueprints never add commands, so this holds as in Flask.
func fcliCLIEmpty(t *testing.T) {
	app, _ := newTestApp()
	app.Blueprint("blue", "")
	_, err := app.RunCommand("blue", "--help")
	if err == nil || !strings.Contains(err.Error(), `no such command "blue"`) {
		t.Errorf("RunCommand(blue --help) = %v, want no such command", err)
	}
}

// test_run_exclude_patterns: run takes --exclude-patterns, files the
// reloader does not watch.
func fcliRunExcludePatterns(t *testing.T) {
	app, _ := newTestApp()
	addr := busyAddr(t)
	_, err := app.RunCommand("run", "-addr", addr, "-exclude-patterns", "flask_cli_test.go")
	if isFlagError(err) {
		flaskGap(t, "run -exclude-patterns: the reloader's watched files cannot be narrowed", "RunCommand(run -exclude-patterns): %v", err)
	}
	if !runTakes(err) {
		t.Errorf("run -exclude-patterns: %v, want the flag taken", err)
	}
}
