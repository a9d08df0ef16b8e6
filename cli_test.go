package flasky_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// cliApp is an app with a route and two commands of its own.
func cliApp() *flasky.App {
	app := flasky.New()
	app.Route("/users/<int:id>", func(c *flasky.Ctx) error { return nil }).SetEndpoint("user")
	app.Command("init-db", "Clear the data and create new tables.", func(cc *flasky.CommandContext) error {
		fmt.Fprintln(cc.Stdout, "Initialized the database.")
		return nil
	})
	greet := app.Command("greet", "Greet someone.", func(cc *flasky.CommandContext) error {
		if len(cc.Args) == 0 {
			return errors.New("greet whom?")
		}
		fmt.Fprintf(cc.Stdout, "hello %s\n", strings.Join(cc.Args, " "))
		fmt.Fprintln(cc.Stderr, "(greeted)")
		return nil
	})
	greet.Flags().Bool("loud", false, "shout")
	greet.Flags().String("from", "flasky", "who greets")
	app.Command("shout", "Greet loudly.", func(cc *flasky.CommandContext) error {
		return errors.New("never reached")
	})
	return app
}

func TestRunCommand(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		out     []string // in the output
		not     []string // not in the output
		err     string   // in the error; "" for none
		isUsage bool
	}{
		{"app command", []string{"init-db"}, []string{"Initialized the database.\n"}, nil, "", false},
		{"args and stderr", []string{"greet", "kim", "lee"}, []string{"hello kim lee\n", "(greeted)"}, nil, "", false},
		{"flags then args", []string{"greet", "-loud", "-from", "x", "kim"}, []string{"hello kim\n"}, nil, "", false},
		{"command error", []string{"greet"}, nil, nil, "greet whom?", false},
		{"routes", []string{"routes"}, []string{"Endpoint", "user", "/users/<int:id>"}, nil, "", false},
		{"help", []string{"-h"}, []string{"Commands:", "  run ", "  routes ", "  init-db  Clear the data and create new tables.", "  greet "}, nil, "", false},
		{"help word", []string{"help"}, []string{"Commands:"}, nil, "", false},
		{"command help", []string{"greet", "-h"}, []string{"Greet someone.", "-loud", "shout", "-from", `(default "flasky")`}, nil, "", false},
		{"run help", []string{"run", "-h"}, []string{"-addr", `(default "127.0.0.1:5000")`, "-debug", "-no-reload"}, nil, "", false},
		{"default command help", []string{"-addr", "x", "-h"}, []string{"-addr"}, nil, "", false},
		{"no help for flags of none", []string{"init-db", "-h"}, []string{"Clear the data"}, []string{"Flags:"}, "", false},
		{"unknown command", []string{"nope"}, nil, nil, `no such command "nope"`, true},
		{"unknown flag", []string{"greet", "-quiet", "kim"}, nil, nil, "greet: flag provided but not defined: -quiet", true},
		{"unknown run flag", []string{"-port", "80"}, nil, nil, "run: flag provided but not defined: -port", true},
		{"run arguments", []string{"run", "extra"}, nil, nil, `run: unexpected arguments ["extra"]`, true},
		{"routes arguments", []string{"routes", "-order"}, nil, nil, "routes: flag provided but not defined: -order", true},
		{"routes bad sort", []string{"routes", "-sort", "size"}, nil, nil, `routes: -sort "size": want endpoint`, true},
		{"routes help", []string{"routes", "-h"}, []string{"-sort", "-all-methods"}, nil, "", false},
		{"version", []string{"-version"}, []string{"Go " + runtime.Version() + "\n", "flasky "}, nil, "", false},
	}
	app := cliApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := app.RunCommand(tt.args...)
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("RunCommand(%q): %v\n%s", tt.args, err, out)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("RunCommand(%q) = %v, want an error saying %q", tt.args, err, tt.err)
			}
			for _, w := range tt.out {
				if !strings.Contains(out, w) {
					t.Errorf("RunCommand(%q) output lacks %q:\n%s", tt.args, w, out)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(out, w) {
					t.Errorf("RunCommand(%q) output has %q:\n%s", tt.args, w, out)
				}
			}
		})
	}
}

// A command's flags are back at their defaults for each run.
func TestRunCommandFlagsReset(t *testing.T) {
	app := flasky.New()
	var got []int
	var n *int
	cmd := app.Command("show", "Show n.", func(cc *flasky.CommandContext) error {
		got = append(got, *n)
		return nil
	})
	n = cmd.Flags().Int("n", 1, "how many")
	for _, args := range [][]string{{"show", "-n", "5"}, {"show"}} {
		if out, err := app.RunCommand(args...); err != nil {
			t.Fatalf("RunCommand(%q): %v\n%s", args, err, out)
		}
	}
	if fmt.Sprint(got) != "[5 1]" {
		t.Errorf("-n over two runs: %v, want [5 1]", got)
	}
}

func TestCommandNames(t *testing.T) {
	for _, name := range []string{"", "-x", "run", "routes", "help", "two words", "dup"} {
		t.Run(name, func(t *testing.T) {
			app := flasky.New()
			app.Command("dup", "", func(*flasky.CommandContext) error { return nil })
			v := mustPanic(t, func() { app.Command(name, "", func(*flasky.CommandContext) error { return nil }) })
			if msg, _ := v.(string); !strings.HasPrefix(msg, "flasky: command") {
				t.Errorf("Command(%q) panics with %v", name, v)
			}
		})
	}
	mustPanic(t, func() { flasky.New().Command("nil", "", nil) })
}

// run serves on -addr; an address in use is the command's error.
func TestRunCommandRun(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	app := flasky.New()
	app.Logger = discardLogger()
	_, err = app.RunCommand("-addr", ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "listen on "+ln.Addr().String()) {
		t.Errorf("run on an address in use = %v, want the listen error", err)
	}
}

// TestAppMain runs App.Main in a child process of the test
// binary, to see its exit status and what it prints.
func TestAppMain(t *testing.T) {
	if os.Getenv("FLASKY_TEST_MAIN") == "1" {
		// The program's arguments are those after the test binary's "--".
		for i, arg := range os.Args {
			if arg == "--" {
				os.Args = append(os.Args[:1:1], os.Args[i+1:]...)
				break
			}
		}
		cliApp().Main("127.0.0.1:0")
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no executable to run:", err)
	}
	tests := []struct {
		name         string
		args         []string
		code         int
		stdout, errs string
	}{
		{"success", []string{"init-db"}, 0, "Initialized the database.\n", ""},
		{"help", []string{"-h"}, 0, "init-db", ""},
		{"command error", []string{"shout"}, 1, "", "Error: never reached\n"},
		{"unknown command", []string{"nope"}, 2, "", "Error: no such command \"nope\"\nRun '"},
		{"unknown flag", []string{"greet", "-x"}, 2, "", "greet -h' for help."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(exe, append([]string{"-test.run=^TestAppMain$", "--"}, tt.args...)...)
			cmd.Env = append(os.Environ(), "FLASKY_TEST_MAIN=1")
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.errs) {
				t.Errorf("Main with %q: status %d, stdout %q, stderr %q; want %d, %q, %q",
					tt.args, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.errs)
			}
		})
	}
}
