// Package micro runs the in-process router benchmarks of the bench module
// (go test -bench), parses their output, and prints the medians, the
// ratios to a baseline router and the project's dispatch goals. It is
// shared by cmd/ratios and cmd/e2e, so both report the same numbers the
// same way.
package micro

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// BenchModule is the module path the benchmarks live in.
const BenchModule = "github.com/flasky-go/flasky/internal/bench"

// Run runs go test -bench in dir (the bench module), echoing go test's
// output to log as it comes, and returns that output. An empty benchtime
// leaves go test's default.
func Run(dir, bench string, count int, benchtime string, log io.Writer) ([]byte, error) {
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !bytes.Contains(mod, []byte("module "+BenchModule+"\n")) {
		return nil, fmt.Errorf("%s is not the benchmark module %s: run from internal/bench or pass -dir", dir, BenchModule)
	}
	args := []string{"test", "-run", "^$", "-bench", bench, "-benchmem", "-count", strconv.Itoa(count)}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	fmt.Fprintf(log, "in %s: go %s\n", dir, strings.Join(args, " "))
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout = io.MultiWriter(&buf, log)
	cmd.Stderr = log
	if err := cmd.Run(); err != nil {
		return buf.Bytes(), fmt.Errorf("go test -bench %s in %s: %w", bench, dir, err)
	}
	return buf.Bytes(), nil
}

// Key names one row: a benchmark (Hello) and a router (flasky).
type Key struct{ Bench, Router string }

// Samples holds every run's values of one row.
type Samples struct{ NS, Bytes, Allocs []float64 }

// Results are the parsed runs, rows in the order they first appear.
type Results struct {
	Rows []Key
	Runs map[Key]*Samples
}

// lineRE matches a result line: name, optional -GOMAXPROCS, iterations,
// then the measurements.
var lineRE = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// Parse reads go test -bench output. Names without a /router part are
// kept with an empty router.
func Parse(raw []byte) Results {
	res := Results{Runs: map[Key]*Samples{}}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		k := Key{Bench: m[1]}
		if i := strings.IndexByte(m[1], '/'); i >= 0 {
			k = Key{Bench: m[1][:i], Router: m[1][i+1:]}
		}
		s := res.Runs[k]
		if s == nil {
			s = &Samples{}
			res.Runs[k] = s
			res.Rows = append(res.Rows, k)
		}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.NS = append(s.NS, v)
			case "B/op":
				s.Bytes = append(s.Bytes, v)
			case "allocs/op":
				s.Allocs = append(s.Allocs, v)
			}
		}
	}
	return res
}

// Median returns the median of xs, or -1 when there is none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// benchBaselines names the baseline of benchmarks that have no router
// baseline: Render compares c.Render with a bare html/template Execute.
var benchBaselines = map[string]string{"Render": "htmltemplate"}

// BaseFor is the baseline router of one benchmark: def, unless the
// benchmark has its own.
func BaseFor(bench, def string) string {
	if b, ok := benchBaselines[bench]; ok {
		return b
	}
	return def
}

// Ratio is a router's median ns/op over the baseline's in the same
// benchmark, or -1 when either is missing.
func (r Results) Ratio(k Key, baseline string) float64 {
	base := r.Runs[Key{k.Bench, BaseFor(k.Bench, baseline)}]
	s := r.Runs[k]
	if base == nil || s == nil || len(base.NS) == 0 || len(s.NS) == 0 {
		return -1
	}
	return Median(s.NS) / Median(base.NS)
}

// PairedRatios divides each run of a row by the baseline's run of the
// same position: with -count 1 and several rounds, the runs of one round.
func (r Results) PairedRatios(k Key, baseline string) []float64 {
	base := r.Runs[Key{k.Bench, BaseFor(k.Bench, baseline)}]
	s := r.Runs[k]
	if base == nil || s == nil {
		return nil
	}
	n := min(len(s.NS), len(base.NS))
	out := make([]float64, n)
	for i := range n {
		out[i] = s.NS[i] / base.NS[i]
	}
	return out
}

// RatioRange formats the smallest and largest paired ratio.
func RatioRange(xs []float64) string {
	if len(xs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f–%.2fx", slices.Min(xs), slices.Max(xs))
}

// PrintTable prints the Markdown table of medians and ratios.
func PrintTable(w io.Writer, r Results, baseline string) {
	fmt.Fprintf(w, "| benchmark | router | ns/op | B/op | allocs/op | ns/op vs %s | run by run |\n", baseline)
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, k := range r.Rows {
		s := r.Runs[k]
		ratio, runs := "n/a", RatioRange(r.PairedRatios(k, baseline))
		if x := r.Ratio(k, baseline); x >= 0 {
			ratio = fmt.Sprintf("%.2fx", x)
		}
		if k.Router == BaseFor(k.Bench, baseline) {
			runs = "(baseline)"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", k.Bench, k.Router,
			nsNum(Median(s.NS)), num(Median(s.Bytes)), num(Median(s.Allocs)), ratio, runs)
	}
	fmt.Fprintf(w, "\nMedians of %d run(s) per row; \"run by run\" is the range of the ratios of the\n"+
		"n-th run of the row to the n-th run of %s.\n", runsPerRow(r), baseline)
}

// runsPerRow is the smallest number of runs any row has.
func runsPerRow(r Results) int {
	n := -1
	for _, s := range r.Runs {
		if n < 0 || len(s.NS) < n {
			n = len(s.NS)
		}
	}
	return n
}

// nsNum formats ns/op: one decimal below 1000, whole numbers above;
// n/a when missing.
func nsNum(x float64) string {
	switch {
	case x < 0:
		return "n/a"
	case x < 1000:
		return strconv.FormatFloat(x, 'f', 1, 64)
	default:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
}

// num formats B/op and allocs/op: whole numbers, or one decimal for a
// median between two runs; n/a when missing.
func num(x float64) string {
	switch {
	case x < 0:
		return "n/a"
	case x == float64(int64(x)):
		return strconv.FormatFloat(x, 'f', 0, 64)
	default:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
}

// Goal is one of the project's performance goals for flasky's dispatch.
type Goal struct {
	Bench         string
	MaxRatio      float64 // flasky ns/op over the baseline's, at most
	NoExtraAllocs bool    // flasky allocs/op at most the baseline's
}

// Goals are the targets of the project's performance issues.
var Goals = []Goal{
	{Bench: "Hello", MaxRatio: 0.90, NoExtraAllocs: true},
	{Bench: "Param", MaxRatio: 0.90, NoExtraAllocs: true},
	{Bench: "GithubAll", MaxRatio: 1.05},
	{Bench: "Render", MaxRatio: 1.25},
}

// Verdict is one goal checked against the results.
type Verdict struct {
	Goal     Goal
	Target   string  // the goal in words
	Measured string  // what was measured, in words; "not measured" when absent
	Ratio    float64 // flasky's median ns/op over the baseline's; -1 when absent
	Met      bool
}

// Check judges every goal against the results.
func Check(r Results, baseline string) []Verdict {
	var out []Verdict
	for _, g := range Goals {
		bl := BaseFor(g.Bench, baseline)
		fl, base := r.Runs[Key{g.Bench, "flasky"}], r.Runs[Key{g.Bench, bl}]
		v := Verdict{Goal: g, Ratio: -1, Measured: "not measured",
			Target: fmt.Sprintf("%s: flasky ns/op <= %.2fx %s", g.Bench, g.MaxRatio, bl)}
		if g.NoExtraAllocs {
			v.Target += ", no more allocs/op"
		}
		if fl == nil || base == nil || len(fl.NS) == 0 || len(base.NS) == 0 {
			out = append(out, v)
			continue
		}
		v.Ratio = r.Ratio(Key{g.Bench, "flasky"}, baseline)
		v.Met = v.Ratio <= g.MaxRatio
		paired := r.PairedRatios(Key{g.Bench, "flasky"}, baseline)
		over := 0
		for _, x := range paired {
			if x > g.MaxRatio {
				over++
			}
		}
		v.Measured = fmt.Sprintf("%.2fx (run by run %s, %d of %d runs above %.2fx)",
			v.Ratio, RatioRange(paired), over, len(paired), g.MaxRatio)
		if g.NoExtraAllocs {
			fa, ba := Median(fl.Allocs), Median(base.Allocs)
			v.Measured += fmt.Sprintf(", %s vs %s allocs/op", num(fa), num(ba))
			v.Met = v.Met && fa <= ba
		}
		out = append(out, v)
	}
	return out
}

// PrintGoals prints each goal with the measured values and met / not met.
func PrintGoals(w io.Writer, r Results, baseline string) {
	fmt.Fprintln(w, "| goal | measured | result |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, v := range Check(r, baseline) {
		result := "met"
		switch {
		case v.Ratio < 0:
			result = "n/a"
		case !v.Met:
			result = "NOT met"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", v.Target, v.Measured, result)
	}
}
