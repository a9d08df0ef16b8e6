package flasky_test

import (
	"fmt"

	"github.com/flasky-go/flasky"
)

// A command of the app's own, as Flask's @app.cli.command("init-db"),
// run the way a test runs it (Flask's test_cli_runner).
func ExampleApp_Command() {
	app := flasky.New()
	cmd := app.Command("init-db", "Clear the data and create new tables.", func(cc *flasky.CommandContext) error {
		fmt.Fprintln(cc.Stdout, "Initialized the database.")
		return nil
	})
	cmd.Flags().Bool("keep", false, "keep the old data")

	out, err := app.RunCommand("init-db", "-keep")
	fmt.Print(out)
	fmt.Println(err)
	_, err = app.RunCommand("init-dv")
	fmt.Println(err)
	// Output:
	// Initialized the database.
	// <nil>
	// no such command "init-dv"
}

// The route table, as flask routes prints it.
func ExampleApp_RunCommand() {
	app := flasky.New()
	app.Route("/users/<int:id>", func(c *flasky.Ctx) error { return nil }).SetEndpoint("user")
	out, _ := app.RunCommand("routes")
	fmt.Print(out)
	// Output:
	// Endpoint  Methods  Rule
	// --------  -------  ----
	// user      GET      /users/<int:id>
}

// A program's main: "prog" serves on 0.0.0.0:8080, "prog -addr
// 127.0.0.1:8081" elsewhere, "prog run -debug" in debug mode, "prog
// routes" prints the route table, "prog init-db" runs the command, and
// "prog -h" lists them.
func ExampleApp_Main() {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.String("hello~~") })
	app.Command("init-db", "Clear the data and create new tables.", func(cc *flasky.CommandContext) error {
		return nil
	})
	app.Main("0.0.0.0:8080")
}
