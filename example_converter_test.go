package flasky_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/flasky-go/flasky"
)

// A regex converter, the common Werkzeug recipe: <regex("[a-z]{3}"):code>
// matches what its argument matches. ParamValue returns what Parse makes
// of the text, and URLFor formats values back into the rule.
func ExampleApp_AddConverter() {
	app := flasky.New()
	app.AddConverter("regex", func(args ...string) (flasky.Converter, error) {
		if len(args) != 1 {
			return flasky.Converter{}, errors.New("want one argument, the expression")
		}
		return flasky.Converter{Regex: args[0]}, nil
	})
	app.AddConverter("upper", func(args ...string) (flasky.Converter, error) {
		return flasky.Converter{
			Regex: `[A-Za-z]+`,
			Parse: func(s string) (any, error) { return strings.ToUpper(s), nil },
			Format: func(v any) (string, error) {
				return strings.ToLower(fmt.Sprint(v)), nil
			},
		}, nil
	})
	app.Route("/lang/<regex(\"[a-z]{3}\"):code>.json", func(c *flasky.Ctx) error {
		return c.String("code=" + c.Param("code"))
	})
	app.Route("/shout/<upper:word>", func(c *flasky.Ctx) error {
		return c.String(fmt.Sprint(c.ParamValue("word")))
	}).SetEndpoint("shout")

	for _, path := range []string{"/lang/kor.json", "/lang/korean.json", "/shout/hello"} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, w.Code, strings.SplitN(w.Body.String(), "\n", 2)[0])
	}
	u, _ := app.URLFor("shout", flasky.M{"word": "HEY"})
	fmt.Println(u)
	// Output:
	// /lang/kor.json 200 code=kor
	// /lang/korean.json 404 <!doctype html>
	// /shout/hello 200 HELLO
	// /shout/hey
}
