// The program's command line, as the flask command gives it: run (the
// default), routes, and the commands the app adds.

package flasky

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
)

// Command is a command of the program's command line, added with
// [App.Command].
type Command struct {
	name, help string
	run        func(*CommandContext) error
	flags      *flag.FlagSet
}

// CommandContext is what a command's function gets.
type CommandContext struct {
	// App is the app whose command runs.
	App *App
	// Args are the words after the command's name and flags.
	Args []string
	// Stdout and Stderr are where the command writes: the program's
	// standard output and error under [App.Main], a buffer under
	// [App.RunCommand].
	Stdout, Stderr io.Writer
}

// Command adds a command to the program's command line, as Flask's
// @app.cli.command(name) does: the program runs fn when its first
// argument is name, and help is the line "-h" shows for it. fn writes to
// cc.Stdout, and an error it returns ends the program with status 1.
//
//	app.Command("init-db", "Clear the data and create new tables.", func(cc *flasky.CommandContext) error {
//		if err := initDB(flasky.Settings[Settings](cc.App).Database); err != nil {
//			return err
//		}
//		fmt.Fprintln(cc.Stdout, "Initialized the database.")
//		return nil
//	})
//
// The command's flags go on [Command.Flags]. Command panics when name is
// empty, holds a space or starts with "-", when it is taken ("run",
// "routes" and "help" are built in), or when fn is nil.
func (a *App) Command(name, help string, fn func(cc *CommandContext) error) *Command {
	if name == "" || strings.HasPrefix(name, "-") || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' }) {
		panic(fmt.Sprintf("flasky: command name %q: want a word that does not start with -", name))
	}
	if fn == nil {
		panic(fmt.Sprintf("flasky: command %q has no function", name))
	}
	if name == "run" || name == "routes" || name == "help" || slices.ContainsFunc(a.commands, func(c *Command) bool { return c.name == name }) {
		panic(fmt.Sprintf("flasky: command %q is already defined", name))
	}
	c := newCommand(name, help, fn)
	a.commands = append(a.commands, c)
	return c
}

func newCommand(name, help string, fn func(*CommandContext) error) *Command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &Command{name: name, help: help, run: fn, flags: fs}
}

// Flags returns the command's flag set, for the flags it takes; they are
// parsed before its function runs, and are back at their defaults for
// each run.
//
//	cmd := app.Command("add-user", "Add a user.", addUser)
//	admin := cmd.Flags().Bool("admin", false, "make the user an administrator")
func (c *Command) Flags() *flag.FlagSet { return c.flags }

// Main is the one call a program's main function makes to serve the app
// from a command line like the flask command's:
//
//	prog                          serve on addr (the run command)
//	prog run -addr host:port      serve on another address
//	prog run -debug               serve in debug mode, reloading on change
//	prog routes                   print the route table (flask routes)
//	prog routes -sort rule        sorted by endpoint, methods, domain, rule or match
//	prog routes -all-methods      with HEAD and OPTIONS
//	prog init-db                  a command the app added with App.Command
//	prog -h                       list the commands; prog run -h, run's flags
//	prog -version                 print Go's version and flasky's
//
// run is the default command: flags without a command are run's
// ("prog -addr 127.0.0.1:8081"). It calls [App.Run] with addr (or -addr)
// and opts, and with [Debug] for -debug and [NoReloader] for -no-reload.
//
// Main returns when the command succeeds. When it fails, Main prints
// the error and ends the program with os.Exit: status 2 for a command or
// flag it does not know, 1 for any other error. It is the only function
// of flasky that calls os.Exit; [App.RunCommand] runs a command and
// returns.
func (a *App) Main(addr string, opts ...RunOption) {
	err := a.commandLine(progName(), os.Args[1:], os.Stdout, os.Stderr, addr, opts)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "Error:", err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(os.Stderr, "Run '%s -h' for help.\n", ue.help)
		os.Exit(2)
	}
	os.Exit(1)
}

// RunCommand runs a command line as [App.Main] would (without the
// program's name: "init-db", or "routes"), and returns what it wrote to
// its standard output and error, and its error. It is Flask's
// app.test_cli_runner().invoke, for tests:
//
//	out, err := app.RunCommand("init-db")
//	if err != nil || !strings.Contains(out, "Initialized") {
//		t.Errorf("init-db: %v\n%s", err, out)
//	}
//
// The run command serves on 127.0.0.1:5000 unless given -addr, as
// flask run does, until the program is interrupted. A command's flags
// belong to it, so two RunCommand calls of one app must not run at once.
func (a *App) RunCommand(args ...string) (output string, err error) {
	var out strings.Builder
	err = a.commandLine(progName(), args, &out, &out, "127.0.0.1:5000", nil)
	return out.String(), err
}

// progName is the program's name, for its help.
func progName() string { return strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe") }

// usageError is a command line Main does not understand; help is the
// command whose -h would explain it.
type usageError struct {
	err  error
	help string
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// commandLine runs the command args name.
func (a *App) commandLine(prog string, args []string, stdout, stderr io.Writer, addr string, opts []RunOption) error {
	cmds := a.builtinCommands(prog, addr, opts)
	cmds = append(cmds, a.commands...)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help") {
		printCommands(stdout, prog, cmds)
		return nil
	}
	if len(args) > 0 && (args[0] == "-version" || args[0] == "--version") {
		fmt.Fprintf(stdout, "Go %s\nflasky %s\n", runtime.Version(), flaskyVersion())
		return nil
	}
	cmd := cmds[0] // run
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		i := slices.IndexFunc(cmds, func(c *Command) bool { return c.name == args[0] })
		if i < 0 {
			return usageError{fmt.Errorf("no such command %q", args[0]), prog}
		}
		cmd, args = cmds[i], args[1:]
	}
	// Back to the defaults: a command may run more than once (RunCommand).
	cmd.flags.VisitAll(func(f *flag.Flag) { _ = f.Value.Set(f.DefValue) })
	if err := cmd.flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommand(stdout, prog, cmd)
			return nil
		}
		return usageError{fmt.Errorf("%s: %w", cmd.name, err), prog + " " + cmd.name}
	}
	return cmd.run(&CommandContext{App: a, Args: cmd.flags.Args(), Stdout: stdout, Stderr: stderr})
}

// builtinCommands returns run and routes.
func (a *App) builtinCommands(prog, addr string, opts []RunOption) []*Command {
	var (
		listen, sortBy              *string
		debug, noReload, allMethods *bool
	)
	run := newCommand("run", "Serve the app (the default command).", func(cc *CommandContext) error {
		if len(cc.Args) > 0 {
			return usageError{fmt.Errorf("run: unexpected arguments %q", cc.Args), prog + " run"}
		}
		o := opts[:len(opts):len(opts)]
		if *debug {
			o = append(o, Debug())
		}
		if *noReload {
			o = append(o, NoReloader())
		}
		return a.Run(*listen, o...)
	})
	listen = run.flags.String("addr", addr, "`host:port` to listen on")
	debug = run.flags.Bool("debug", false, "debug mode: error pages with the source, reloading on change")
	noReload = run.flags.Bool("no-reload", false, "in debug mode, do not reload on change")
	routes := newCommand("routes", "Print the route table.", func(cc *CommandContext) error {
		if len(cc.Args) > 0 {
			return usageError{fmt.Errorf("routes: unexpected arguments %q", cc.Args), prog + " routes"}
		}
		if !slices.Contains([]string{"endpoint", "methods", "domain", "rule", "match"}, *sortBy) {
			return usageError{fmt.Errorf("routes: -sort %q: want endpoint, methods, domain, rule or match", *sortBy), prog + " routes"}
		}
		a.printRoutes(cc.Stdout, *sortBy, *allMethods)
		return nil
	})
	sortBy = routes.flags.String("sort", "endpoint", "sort the table by `column`: endpoint, methods, domain, rule, or match (the order of matching)")
	routes.flags.Var(stringAlias{sortBy}, "s", "short for -sort")
	allMethods = routes.flags.Bool("all-methods", false, "list HEAD and OPTIONS too")
	return []*Command{run, routes}
}

// stringAlias is a second name of a string flag.
type stringAlias struct{ p *string }

func (s stringAlias) String() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}
func (s stringAlias) Set(v string) error { *s.p = v; return nil }

// flaskyVersion is flasky's module version as the program was built
// with it, "(devel)" when it is the program's own module or unknown.
func flaskyVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
		if m.Path == "github.com/flasky-go/flasky" && m.Version != "" {
			if m.Replace != nil && m.Replace.Version != "" {
				return m.Replace.Version
			}
			return m.Version
		}
	}
	return "(devel)"
}

// printCommands writes the program's help: its commands.
func printCommands(w io.Writer, prog string, cmds []*Command) {
	fmt.Fprintf(w, "Usage: %s [command] [flags] [arguments]\n\nCommands:\n", prog)
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.help)
	}
	fmt.Fprintf(w, "\nWithout a command, %s runs run. '%s COMMAND -h' shows a command's flags.\n", prog, prog)
}

// printCommand writes a command's help: its line and its flags.
func printCommand(w io.Writer, prog string, c *Command) {
	fmt.Fprintf(w, "Usage: %s %s [flags] [arguments]\n\n%s\n", prog, c.name, c.help)
	has := false
	c.flags.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintf(w, "\nFlags:\n")
		c.flags.SetOutput(w)
		c.flags.PrintDefaults()
		c.flags.SetOutput(io.Discard)
	}
}
