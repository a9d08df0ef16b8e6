// Command ratios runs the router benchmarks of internal/bench and prints,
// for each benchmark and router, the median ns/op, B/op and allocs/op over
// the runs and the ratio of the router's ns/op to raw httprouter's, then
// whether flasky meets the project's performance goals.
//
// Run it from internal/bench:
//
//	go run ./cmd/ratios                 # go test -run '^$' -bench . -benchmem -count 5 -benchtime 500ms
//	go run ./cmd/ratios -out raw.txt    # also keep go test's output
//	go run ./cmd/ratios -in raw.txt     # only parse output saved before
//	go run ./cmd/ratios -count 1 -rounds 5
//
// -rounds runs go test that many times and pools the runs. With -count 1
// every router of a benchmark is measured once per round, so a slow spell
// of the machine (another process taking a core) spreads over all routers
// instead of falling on the few consecutive runs of one of them.
//
// The table is Markdown, ready for BENCHMARKS.md.
package main

import (
	"bufio"
	"bytes"
	"flag"
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

// benchModule is the module path the benchmarks live in.
const benchModule = "github.com/flasky-go/flasky/internal/bench"

// main parses the flags, runs or reads the benchmarks, and prints the
// table and the goals.
func main() {
	count := flag.Int("count", 5, "go test -count: runs of each benchmark; the table shows medians")
	benchtime := flag.String("benchtime", "500ms", "go test -benchtime for each run (empty: go test's default, 1s)")
	rounds := flag.Int("rounds", 1, "how many times to run go test; the runs of all rounds are pooled")
	bench := flag.String("bench", ".", "go test -bench: which benchmarks to run")
	dir := flag.String("dir", ".", "directory of the benchmark module (internal/bench)")
	baseline := flag.String("baseline", "httprouter", "router whose ns/op the ratios divide by")
	in := flag.String("in", "", "parse this saved go test -bench output instead of running the benchmarks")
	out := flag.String("out", "", "also write go test's raw output to this file")
	flag.Parse()

	var raw []byte
	var err error
	loadNote := ""
	if *in != "" {
		raw, err = os.ReadFile(*in)
	} else {
		before := loadAvg()
		if l, perr := strconv.ParseFloat(before, 64); perr == nil && l >= 0.5 {
			fmt.Fprintf(os.Stderr, "ratios: warning: load average %s: something else is using the CPUs, the results will be noisy\n", before)
		}
		for i := 1; i <= *rounds && err == nil; i++ {
			if *rounds > 1 {
				fmt.Fprintf(os.Stderr, "ratios: round %d of %d\n", i, *rounds)
			}
			var chunk []byte
			chunk, err = run(*dir, *bench, *count, *benchtime)
			raw = append(raw, chunk...)
		}
		loadNote = fmt.Sprintf("\nLoad average (1 min) before the runs: %s, right after: %s.\n", before, loadAvg())
	}
	if *out != "" && len(raw) > 0 {
		if werr := os.WriteFile(*out, raw, 0o644); werr != nil {
			fmt.Fprintln(os.Stderr, "ratios:", werr)
			os.Exit(1)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
	res := parse(raw)
	if len(res.rows) == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no benchmark results in the output")
		os.Exit(1)
	}
	printTable(os.Stdout, res, *baseline)
	fmt.Println()
	printGoals(os.Stdout, res, *baseline)
	fmt.Print(loadNote)
}

// loadAvg is the 1-minute load average, which tells whether something
// else was using the CPUs; "unknown" where /proc/loadavg is missing.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(bytes.Fields(b)) == 0 {
		return "unknown"
	}
	return string(bytes.Fields(b)[0])
}

// run runs the benchmarks in dir, echoing go test's output to standard
// error as it comes, and returns that output.
func run(dir, bench string, count int, benchtime string) ([]byte, error) {
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !bytes.Contains(mod, []byte("module "+benchModule+"\n")) {
		return nil, fmt.Errorf("%s is not the benchmark module %s: run from internal/bench or pass -dir", dir, benchModule)
	}
	args := []string{"test", "-run", "^$", "-bench", bench, "-benchmem", "-count", strconv.Itoa(count)}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	fmt.Fprintf(os.Stderr, "ratios: in %s: go %s\n", dir, strings.Join(args, " "))
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return buf.Bytes(), fmt.Errorf("go test: %w", err)
	}
	return buf.Bytes(), nil
}

// key names one row: a benchmark (Hello) and a router (flasky).
type key struct{ bench, router string }

// samples holds every run's values of one row.
type samples struct{ ns, bytes, allocs []float64 }

// results are the parsed runs, rows in the order they first appear.
type results struct {
	rows []key
	runs map[key]*samples
}

// lineRE matches a result line: name, optional -GOMAXPROCS, iterations,
// then the measurements.
var lineRE = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// parse reads go test -bench output. Names without a /router part are
// kept with an empty router.
func parse(raw []byte) results {
	res := results{runs: map[key]*samples{}}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		k := key{bench: m[1]}
		if i := strings.IndexByte(m[1], '/'); i >= 0 {
			k = key{bench: m[1][:i], router: m[1][i+1:]}
		}
		s := res.runs[k]
		if s == nil {
			s = &samples{}
			res.runs[k] = s
			res.rows = append(res.rows, k)
		}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			}
		}
	}
	return res
}

// median returns the median of xs, or -1 when there is none.
func median(xs []float64) float64 {
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

// baseFor is the baseline of one benchmark.
func baseFor(bench, def string) string {
	if b, ok := benchBaselines[bench]; ok {
		return b
	}
	return def
}

// ratio is a router's median ns/op over the baseline's in the same
// benchmark, or -1 when either is missing.
func (r results) ratio(k key, baseline string) float64 {
	base := r.runs[key{k.bench, baseFor(k.bench, baseline)}]
	s := r.runs[k]
	if base == nil || s == nil || len(base.ns) == 0 || len(s.ns) == 0 {
		return -1
	}
	return median(s.ns) / median(base.ns)
}

// pairedRatios divides each run of a row by the baseline's run of the
// same position: with -count 1 -rounds N, the runs of one round.
func (r results) pairedRatios(k key, baseline string) []float64 {
	base := r.runs[key{k.bench, baseFor(k.bench, baseline)}]
	s := r.runs[k]
	if base == nil || s == nil {
		return nil
	}
	n := min(len(s.ns), len(base.ns))
	out := make([]float64, n)
	for i := range n {
		out[i] = s.ns[i] / base.ns[i]
	}
	return out
}

// ratioRange formats the smallest and largest paired ratio.
func ratioRange(xs []float64) string {
	if len(xs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f–%.2fx", slices.Min(xs), slices.Max(xs))
}

// printTable prints the Markdown table of medians and ratios.
func printTable(w io.Writer, r results, baseline string) {
	fmt.Fprintf(w, "| benchmark | router | ns/op | B/op | allocs/op | ns/op vs %s | run by run |\n", baseline)
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, k := range r.rows {
		s := r.runs[k]
		ratio, runs := "n/a", ratioRange(r.pairedRatios(k, baseline))
		if x := r.ratio(k, baseline); x >= 0 {
			ratio = fmt.Sprintf("%.2fx", x)
		}
		if k.router == baseFor(k.bench, baseline) {
			runs = "(baseline)"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", k.bench, k.router,
			nsNum(median(s.ns)), num(median(s.bytes)), num(median(s.allocs)), ratio, runs)
	}
	fmt.Fprintf(w, "\nMedians of %d run(s) per row; \"run by run\" is the range of the ratios of the\n"+
		"n-th run of the row to the n-th run of %s.\n", runsPerRow(r), baseline)
}

// runsPerRow is the smallest number of runs any row has.
func runsPerRow(r results) int {
	n := -1
	for _, s := range r.runs {
		if n < 0 || len(s.ns) < n {
			n = len(s.ns)
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

// goal is one of the project's performance goals for flasky.
type goal struct {
	bench         string
	maxRatio      float64 // flasky ns/op over the baseline's, at most
	noExtraAllocs bool    // flasky allocs/op at most the baseline's
}

// goals are the targets of the project's performance issue.
var goals = []goal{
	{bench: "Hello", maxRatio: 0.90, noExtraAllocs: true},
	{bench: "Param", maxRatio: 0.90, noExtraAllocs: true},
	{bench: "GithubAll", maxRatio: 1.05},
	{bench: "Render", maxRatio: 1.25},
}

// printGoals prints each goal with the measured values and met / not met.
func printGoals(w io.Writer, r results, baseline string) {
	fmt.Fprintln(w, "| goal | measured | result |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, g := range goals {
		bl := baseFor(g.bench, baseline)
		fl, base := r.runs[key{g.bench, "flasky"}], r.runs[key{g.bench, bl}]
		target := fmt.Sprintf("%s: flasky ns/op <= %.2fx %s", g.bench, g.maxRatio, bl)
		if g.noExtraAllocs {
			target += ", no more allocs/op"
		}
		if fl == nil || base == nil {
			fmt.Fprintf(w, "| %s | not measured | n/a |\n", target)
			continue
		}
		ratio := r.ratio(key{g.bench, "flasky"}, baseline)
		met := ratio <= g.maxRatio
		paired := r.pairedRatios(key{g.bench, "flasky"}, baseline)
		over := 0
		for _, x := range paired {
			if x > g.maxRatio {
				over++
			}
		}
		measured := fmt.Sprintf("%.2fx (run by run %s, %d of %d runs above %.2fx)",
			ratio, ratioRange(paired), over, len(paired), g.maxRatio)
		if g.noExtraAllocs {
			fa, ba := median(fl.allocs), median(base.allocs)
			measured += fmt.Sprintf(", %s vs %s allocs/op", num(fa), num(ba))
			met = met && fa <= ba
		}
		result := "met"
		if !met {
			result = "NOT met"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", target, measured, result)
	}
}
