package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// benchCase is one page loaded in every server.
type benchCase struct {
	name    string // -cases name
	example string // flasky's Go example under examples/; "" for program
	program string // else flasky's program in the bench module's cmd/ (flasky-static, flasky-complex)
	module  string // Flask program, without .py
	// inSite tells that the Flask program is in the temporary site folder
	// (written by package site), not in internal/parity/testdata.
	inSite bool
	path   string                  // the URL path and query wrk requests
	exact  string                  // the body must be exactly this, if set
	has    []string                // the body must contain each of these
	check  func(body []byte) error // a further check of the body, if set
	goals  []caseGoal
	cost   *costGoal // flasky's time per request against another case's
}

// caseGoal is an end-to-end goal: flasky's req/s at least min times the
// req/s of the server vs.
type caseGoal struct {
	vs    string  // server name
	min   float64 // ratio
	issue string  // where the goal comes from
}

// costGoal is an end-to-end goal on flasky alone: its time per request
// in the case at most max times its time in case base, which serves the
// same answer through a simpler rule.
type costGoal struct {
	base  string // case name
	max   float64
	issue string
}

// cases are the pages measured, in table order.
var cases = []benchCase{
	{name: "hello", example: "hello", module: "hello", path: "/", exact: site.Hello,
		goals: []caseGoal{{"nethttp", 0.95, "issue 8"}, {"gunicorn", 15, "issue 8"}}},
	{name: "param", example: "routes", module: "routes", path: "/s5/" + site.ParamName, exact: site.ParamAnswer,
		goals: []caseGoal{{"nethttp", 0.95, "issue 8"}, {"gunicorn", 15, "issue 8"}}},
	// The param case's answer through /s6/<slug>.json, a rule flasky
	// matches itself (httprouter cannot carry it): cmd/flasky-complex is
	// examples/routes with that rule added. The peers without such rules
	// cut the ".json" in the handler.
	{name: "complex", program: "flasky-complex", module: site.FlaskComplexModule, inSite: true,
		path: site.ComplexPath, exact: site.ParamAnswer,
		cost: &costGoal{"param", 1.5, "issue 16"}},
	{name: "formget", example: "form", module: "form", path: "/formget?" + site.FormQuery, exact: site.FormAnswer},
	{name: "template", example: "template", module: "template", path: "/s2", has: site.TemplateHas,
		goals: []caseGoal{{"gunicorn", 10, "issues 3, 8"}}},
	// Slide 33: drawn and JPEG-encoded on every request.
	{name: "image", example: "image", module: "image", path: "/get_image2", has: []string{"\xff\xd8\xff"},
		check: site.CheckImage, goals: []caseGoal{{"gunicorn", 1.5, "issues 5, 8"}}},
	{name: "static", program: "flasky-static", module: site.FlaskStaticModule, inSite: true, path: "/static/" + site.StaticFile,
		exact: string(site.StaticContent())},
}

// request is the case's request in words, for the tables.
func (c benchCase) request() string {
	p := c.path
	if len(p) > 40 {
		p = p[:37] + "..."
	}
	return "GET " + p
}

// findCase returns the case called name.
func findCase(name string) (benchCase, bool) {
	i := slices.IndexFunc(cases, func(c benchCase) bool { return c.name == name })
	if i < 0 {
		return benchCase{}, false
	}
	return cases[i], true
}

// selectCases returns the cases named in the -cases flag, in table order;
// "none" selects none.
func selectCases(s string) ([]benchCase, error) {
	if strings.TrimSpace(s) == "none" {
		return nil, nil
	}
	names, err := splitNames(s, caseNames())
	if err != nil {
		return nil, fmt.Errorf("-cases: %w", err)
	}
	var out []benchCase
	for _, c := range cases {
		if slices.Contains(names, c.name) {
			out = append(out, c)
		}
	}
	return out, nil
}

// caseNames lists the names of all cases.
func caseNames() []string {
	var out []string
	for _, c := range cases {
		out = append(out, c.name)
	}
	return out
}

// splitNames splits a comma-separated list, "all" meaning every known
// name, and refuses unknown names and an empty list.
func splitNames(s string, known []string) ([]string, error) {
	if strings.TrimSpace(s) == "all" {
		return known, nil
	}
	var out []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.Contains(known, n) {
			return nil, fmt.Errorf("unknown name %q (known: %s, all)", n, strings.Join(known, ", "))
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("empty list")
	}
	return out, nil
}

// checkAnswer compares a status and body with what the case expects.
func checkAnswer(c benchCase, status int, body []byte) error {
	if status != http.StatusOK {
		return fmt.Errorf("status %d, want 200; body %.200q", status, body)
	}
	if c.exact != "" && string(body) != c.exact {
		return fmt.Errorf("body %.200q (%d bytes), want %.200q (%d bytes)", body, len(body), c.exact, len(c.exact))
	}
	for _, h := range c.has {
		if !bytes.Contains(body, []byte(h)) {
			return fmt.Errorf("body %.400q lacks %q", body, h)
		}
	}
	if c.check != nil {
		if err := c.check(body); err != nil {
			return fmt.Errorf("body: %w", err)
		}
	}
	return nil
}
