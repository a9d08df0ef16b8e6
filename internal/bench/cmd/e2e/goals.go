package main

import (
	"fmt"
	"io"

	"github.com/flasky-go/flasky/internal/bench/internal/micro"
)

// goal is one of the project's performance goals, judged on one run.
type goal struct {
	area     string // "dispatch", "end to end", "upload"
	target   string // the goal in words
	measured string // what was measured, in words
	short    string // an ASCII label for the chart
	value    float64
	limit    float64 // value must be at least limit, or at most if lowerBetter
	lower    bool    // lower values are better
	known    bool    // measured in this run
	met      bool
}

// score is how far the goal is met: the measured value over the limit,
// or the limit over it when lower is better; 1 or more is met. A value of
// 0 where lower is better scores as high as a chart shows.
func (g goal) score() float64 {
	switch {
	case !g.known:
		return 0
	case g.lower && g.value <= 0:
		return chartMaxScore
	case g.lower:
		return g.limit / g.value
	case g.limit <= 0:
		return chartMaxScore
	default:
		return g.value / g.limit
	}
}

// goals gathers every goal of the run: the router micro-benchmarks'
// dispatch goals, the end-to-end goals, and the uploads' goals.
func (r *report) goals() []goal {
	var out []goal
	if r.micro != nil {
		for _, v := range micro.Check(*r.micro, "httprouter") {
			out = append(out, goal{
				area: "dispatch", target: v.Target, measured: v.Measured,
				short: fmt.Sprintf("%s ns/op vs %s", v.Goal.Bench, micro.BaseFor(v.Goal.Bench, "httprouter")),
				value: v.Ratio, limit: v.Goal.MaxRatio, lower: true, known: v.Ratio >= 0, met: v.Met,
			})
		}
	}
	for _, c := range cases {
		for _, cg := range c.goals {
			out = append(out, r.e2eGoal(c, cg))
		}
		if c.cost != nil {
			out = append(out, r.costGoal(c, *c.cost))
		}
	}
	if r.upload != nil {
		for _, g := range r.upload.goals {
			out = append(out, goal{area: "upload", target: g.Target, measured: g.Measured, short: g.Short,
				value: g.Value, limit: g.Limit, lower: g.LowerBetter, known: true, met: g.Met})
		}
	}
	return out
}

// e2eGoal judges one end-to-end goal: flasky's median req/s over the
// other server's, with the rep-by-rep range and the ratio of CPU time per
// request beside it.
func (r *report) e2eGoal(c benchCase, cg caseGoal) goal {
	other := serverLabel(cg.vs)
	if c.name == "image" && cg.vs == "gunicorn" {
		other = "gunicorn+Pillow"
	}
	g := goal{
		area:   "end to end",
		target: fmt.Sprintf("%s (%s): flasky req/s >= %gx %s", c.name, cg.issue, cg.min, other),
		short:  fmt.Sprintf("%s vs %s", c.name, other),
		limit:  cg.min, measured: "not measured",
	}
	fl, ot := findRow(r.rows, c.name, "flasky"), findRow(r.rows, c.name, cg.vs)
	if fl == nil || ot == nil || len(fl.samples) == 0 || len(ot.samples) == 0 {
		return g
	}
	f, o := medianRPS(fl), medianRPS(ot)
	fc, oc := median(pick(fl, cpuPerReq)), median(pick(ot, cpuPerReq))
	g.value, g.known = f/o, true
	g.met = g.value >= cg.min
	g.measured = fmt.Sprintf("%.0f vs %.0f req/s = %s (rep by rep %s); CPU per request %.1f vs %.1f µs = %s",
		f, o, fmtRatio(g.value), ratioRange(fl, ot), fc, oc, fmtRatio(oc/fc))
	return g
}

// costGoal judges flasky's time per request in case c against its time
// in the case cg.base: the median req/s of base over c's (lower is
// better), with the ratio of CPU time per request, and the same against
// raw net/http in each case when it was measured (which takes out the
// machine's drift between the two cases, measured one after the other).
func (r *report) costGoal(c benchCase, cg costGoal) goal {
	bc, _ := findCase(cg.base)
	g := goal{
		area: "end to end",
		target: fmt.Sprintf("%s (%s): flasky's time per request on `%s` <= %gx on `%s` (%s)",
			c.name, cg.issue, c.path, cg.max, bc.path, cg.base),
		short: fmt.Sprintf("%s vs %s, flasky time", c.name, cg.base),
		limit: cg.max, lower: true, measured: "not measured",
	}
	fl, bl := findRow(r.rows, c.name, "flasky"), findRow(r.rows, cg.base, "flasky")
	if fl == nil || bl == nil || len(fl.samples) == 0 || len(bl.samples) == 0 {
		return g
	}
	f, b := medianRPS(fl), medianRPS(bl)
	fc, bcpu := median(pick(fl, cpuPerReq)), median(pick(bl, cpuPerReq))
	g.value, g.known = b/f, true
	g.met = g.value <= cg.max
	g.measured = fmt.Sprintf("%.0f vs %.0f req/s = %s the time per request; CPU per request %.1f vs %.1f µs = %s",
		f, b, fmtRatio(g.value), fc, bcpu, fmtRatio(fc/bcpu))
	fn, bn := medianRPS(findRow(r.rows, c.name, "nethttp")), medianRPS(findRow(r.rows, cg.base, "nethttp"))
	if fn > 0 && bn > 0 {
		g.measured += fmt.Sprintf("; req/s ÷ net/http in the same case %s (%s) and %s (%s): %s the time relative to net/http",
			fmtRatio(f/fn), c.name, fmtRatio(b/bn), cg.base, fmtRatio((b/bn)/(f/fn)))
	}
	return g
}

// printGoals prints every goal with what was measured and the verdict.
func (r *report) printGoals(w io.Writer) {
	fmt.Fprintln(w, "### Goals")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| area | goal | measured | result |")
	fmt.Fprintln(w, "|---|---|---|---|")
	met, known := 0, 0
	for _, g := range r.goals() {
		result := "n/a"
		if g.known {
			known++
			result = "**NOT met**"
			if g.met {
				met++
				result = "met"
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", g.area, g.target, g.measured, result)
	}
	fmt.Fprintf(w, "\n%d of %d goals measured in this run are met.", met, known)
	if len(r.rows) > 0 {
		fmt.Fprint(w, " End-to-end goals are judged on req/s; each server has one CPU, so the ratio of CPU time per request is the req/s ratio both would reach with CPU 0 to themselves, and it moves less than req/s when other programs compete.")
	}
	fmt.Fprintln(w)
}
