// Command e2e is the project's whole performance report in one command
// (issue 8). It serves the slides' pages over real loopback sockets with
// flasky (the Go examples, as users run them: access log on), with its
// Go peers (raw net/http, raw httprouter, gin, echo, chi: cmd/peers), with
// Flask under gunicorn (one sync worker) and with Flask's development
// server; loads each with wrk; and prints, as Markdown ready for
// BENCHMARKS.md, requests per second, latency, the server's CPU time per
// request and the ratios to raw net/http and to gunicorn. It then times
// the cold start of the hello programs and lists their binary sizes, runs
// the router micro-benchmarks (as cmd/ratios) and the upload benchmark
// (cmd/upload), judges every goal of the project in one table, and draws
// the ratios as a bar chart (PNG) with flasky's own image package.
//
// Run it from internal/bench (about 18 minutes with the defaults):
//
//	go run ./cmd/e2e > /tmp/bench-report.md
//	go run ./cmd/e2e -cases hello,param -servers flasky,nethttp,gunicorn -micro=false -upload=false -coldstart 0
//	go run ./cmd/e2e -check        # start every server for every case and check its answer, no load
//
// For every case it starts all selected servers on 127.0.0.1 pinned to
// CPU 0 (taskset -c 0), waits until each answers, checks once that each
// answers the case's URL with 200 and the expected body (package
// internal/site holds what every server must answer), warms each up with
// a short wrk run, then runs
//
//	taskset -c 1 wrk -t1 -c<connections> -d<duration>s --latency URL
//
// -reps times per server, the servers taking turns in each repetition so
// that a slow spell of the machine does not fall on one server only. The
// server's CPU time is the utime+stime of its process and all its
// descendants (gunicorn's worker) read from /proc/PID/stat before and after
// each wrk run; divided by the requests wrk counted it gives the CPU time
// per request. Every server is stopped by its PID: SIGTERM, then SIGKILL
// after a timeout.
//
// The busy time of CPUs 0 and 1 in /proc/stat, less the server's and wrk's,
// is what other programs took during a run. A run where they took more
// than 10% of a CPU is disturbed: it is measured again after waiting for
// the CPUs to be quiet, -retries times at most in all, and the report says
// how disturbed the runs in the table were.
//
// The programs are built into a temporary folder with go build's default
// flags; the static file, the template and the Flask program of the
// static case are written into a site folder there, so the repository
// stays as it was. Only the chart is written into it: docs/bench.png
// unless -chart says otherwise (a run narrowed by -cases or -servers
// draws none unless -chart is given). A part that fails (a case, the cold
// start, the micro-benchmarks, the uploads) is named in the report, the
// other parts still run, and the command exits with status 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// Time limits of the steps that do not depend on the flags.
const (
	buildTimeout = 3 * time.Minute        // one go build
	readyTimeout = 20 * time.Second       // until a server answers
	checkTimeout = 5 * time.Second        // one check request
	stopTimeout  = 5 * time.Second        // SIGTERM to exit, and SIGKILL to exit
	wrkSlack     = 30 * time.Second       // wrk's run beyond -d
	pollInterval = 100 * time.Millisecond // between readiness probes
)

// options are the command's flags.
type options struct {
	duration, warmup           time.Duration
	connections, reps, retries int
	cases, servers             string
	python, gunicorn           string
	check                      bool
	coldstart                  int
	micro                      bool
	microRounds                int
	microBenchtime, microBench string
	upload                     bool
	uploadSizes, uploadServers string
	uploadReps                 int
	chart                      string
}

// defaultMicroBench are the micro-benchmarks of the report: the router
// benchmarks and c.Render against html/template, not the JPEG encoders.
const defaultMicroBench = "^Benchmark(Hello|Param|Github(Param|Static|All)|Render)$"

// defaultChart is where the chart goes, relative to the repository root.
const defaultChart = "docs/bench.png"

// parseFlags reads the command line.
func parseFlags(args []string, errOut io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("e2e", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "wrk -d: length of each measured run (whole seconds)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "length of one unmeasured wrk run per server before the repetitions (0: none)")
	fs.IntVar(&o.connections, "connections", 16, "wrk -c: connections kept open")
	fs.IntVar(&o.reps, "reps", 3, "measured runs per case and server; the table shows medians")
	fs.IntVar(&o.retries, "retries", 3, "disturbed runs (other programs took over 10% of a CPU) that may be measured again, in all")
	fs.StringVar(&o.cases, "cases", "all", "comma-separated cases: "+strings.Join(caseNames(), ", ")+"; all, or none")
	fs.StringVar(&o.servers, "servers", "all", "comma-separated servers: "+strings.Join(serverNames(), ", ")+", or all")
	fs.StringVar(&o.python, "python", "", "interpreter for Flask's development server (default: gunicorn's, from its #! line, else python3)")
	fs.StringVar(&o.gunicorn, "gunicorn", "gunicorn", "gunicorn command (runs Flask with its own interpreter)")
	fs.BoolVar(&o.check, "check", false, "only start every server for every case and check its answer (no wrk, no other part)")
	fs.IntVar(&o.coldstart, "coldstart", 10, "cold starts per hello program, for the cold start and binary size table (0: skip it)")
	fs.BoolVar(&o.micro, "micro", true, "run the router micro-benchmarks (go test -bench, as cmd/ratios)")
	fs.IntVar(&o.microRounds, "micro-rounds", 5, "rounds of go test -count 1 for the micro-benchmarks")
	fs.StringVar(&o.microBenchtime, "micro-benchtime", "500ms", "go test -benchtime of the micro-benchmarks")
	fs.StringVar(&o.microBench, "micro-bench", defaultMicroBench, "go test -bench: which micro-benchmarks")
	fs.BoolVar(&o.upload, "upload", true, "run the upload benchmark (cmd/upload)")
	fs.StringVar(&o.uploadSizes, "upload-sizes", "256M,1G", "cmd/upload -sizes")
	fs.StringVar(&o.uploadServers, "upload-servers", "raw,flasky,flask", "cmd/upload -servers")
	fs.IntVar(&o.uploadReps, "upload-reps", 3, "cmd/upload -reps")
	fs.StringVar(&o.chart, "chart", defaultChart, "where to write the bar chart (PNG); a relative path is from the repository root; empty: no chart (the default when -cases or -servers narrow the run)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.reps < 1 || o.connections < 1 || o.duration < time.Second || o.warmup < 0 || o.retries < 0 ||
		o.coldstart < 0 || o.microRounds < 1 || o.uploadReps < 1 {
		return o, errors.New("need -reps >= 1, -connections >= 1, -duration >= 1s, -warmup >= 0, -retries >= 0, -coldstart >= 0, -micro-rounds >= 1, -upload-reps >= 1")
	}
	if o.check {
		o.coldstart, o.micro, o.upload, o.chart = 0, false, false, ""
	}
	// A narrowed run must not replace the full report's chart, which
	// BENCHMARKS.md shows, with a partial one.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["chart"] && (set["cases"] || set["servers"]) {
		o.chart = ""
	}
	return o, nil
}

// config is what the flags and the environment give the run.
type config struct {
	root        string // repository root
	bench       string // the bench module: root/internal/bench
	tmp         string // temporary folder: binaries, server logs, the site
	site        string // the site folder (package site) in tmp
	duration    int    // wrk -d, seconds
	warmup      int    // seconds of the warm-up run, 0 for none
	connections int
	reps        int
	gunicorn    string            // gunicorn's path
	python      string            // the development server's interpreter (resolved, not a shim)
	bins        map[string]string // built programs by key
	versions    []string          // tools and interpreters, for the report
	retries     int               // disturbed runs that may still be measured again
	discarded   []string          // the disturbed runs measured again, for the report
}

// main parses the flags and runs.
func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil {
		err = run(o, os.Args[1:], os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
}

// run checks the setup, measures and reports. Servers still running when
// it returns (an error, or an interrupt) are stopped by deferred calls.
func run(o options, args []string, out io.Writer) error {
	if runtime.GOOS != "linux" {
		return errors.New("runs on Linux only, because it pins servers to CPUs with taskset and reads their CPU time from /proc")
	}
	sel, err := selectCases(o.cases)
	if err != nil {
		return err
	}
	servers, err := selectServers(o.servers)
	if err != nil {
		return err
	}
	cfg := &config{
		duration:    int(o.duration.Round(time.Second) / time.Second),
		warmup:      int(o.warmup.Round(time.Second) / time.Second),
		connections: o.connections,
		reps:        o.reps,
		retries:     o.retries,
		bins:        map[string]string{},
	}
	if err := setup(cfg, o, sel, servers); err != nil {
		return err
	}
	if cfg.tmp, err = os.MkdirTemp("", "flasky-e2e-"); err != nil {
		return err
	}
	defer os.RemoveAll(cfg.tmp)
	cfg.site = filepath.Join(cfg.tmp, "site")
	if err := os.Mkdir(cfg.site, 0o755); err != nil {
		return err
	}
	if err := site.Write(cfg.site, filepath.Join(cfg.root, "examples", "template", "templates", site.TemplateFile)); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := buildAll(ctx, cfg, o, sel, servers); err != nil {
		return err
	}
	rep := &report{opts: o, args: args, versions: cfg.versions, loadBefore: loadAvg(), date: time.Now().Format("2006-01-02")}
	start := time.Now()
	logf("load average before: %s", rep.loadBefore)
	// A part that fails is reported and the others still run, so that a
	// long run keeps what it measured; the command then exits non-zero.
	var failed []error
	fail := func(part string, err error) {
		logf("%s failed: %v", part, err)
		failed = append(failed, fmt.Errorf("%s: %w", part, err))
	}
	for _, c := range sel {
		if ctx.Err() != nil {
			break
		}
		var rows []*row
		if o.check {
			rows, err = checkCase(ctx, cfg, c, servers)
		} else {
			rows, err = runCase(ctx, cfg, c, servers)
		}
		if err != nil {
			fail("case "+c.name, err)
			continue
		}
		rep.rows = append(rep.rows, rows...)
	}
	rep.discarded = cfg.discarded
	if o.check {
		printCheck(out, rep.rows)
		return errors.Join(failed...)
	}
	if o.coldstart > 0 && ctx.Err() == nil {
		if rep.cold, err = coldStart(ctx, cfg, o.coldstart); err != nil {
			rep.cold = nil
			fail("cold start", err)
		}
	}
	if o.micro && ctx.Err() == nil {
		if rep.micro, err = runMicro(cfg, o); err != nil {
			rep.micro = nil
			fail("micro-benchmarks", err)
		}
	}
	if o.upload && ctx.Err() == nil {
		if rep.upload, err = runUpload(ctx, cfg, o); err != nil {
			rep.upload = nil
			fail("uploads", err)
		}
	}
	if err := ctx.Err(); err != nil {
		fail("run", err)
	}
	rep.took, rep.loadAfter = time.Since(start), loadAvg()
	switch path := chartPath(cfg.root, o.chart); {
	case path == "":
	case len(chartPanels(rep)) == 0:
		logf("no chart: nothing measured that it shows")
	default:
		if err := writeChart(path, rep); err != nil {
			fail("chart", err)
			break
		}
		logf("chart written to %s", path)
		rep.chartLink = filepath.ToSlash(o.chart)
		if rel, err := filepath.Rel(cfg.root, path); err == nil && !strings.HasPrefix(rel, "..") {
			rep.chartLink = filepath.ToSlash(rel)
		}
	}
	for _, err := range failed {
		rep.failures = append(rep.failures, err.Error())
	}
	rep.print(out)
	return errors.Join(failed...)
}

// chartPath is where -chart writes: a relative path is taken from the
// repository root; "" for no chart.
func chartPath(root, flagValue string) string {
	if flagValue == "" || filepath.IsAbs(flagValue) {
		return flagValue
	}
	return filepath.Join(root, flagValue)
}

// setup checks the machine and the tools the run needs and finds the
// repository.
func setup(cfg *config, o options, sel []benchCase, servers []string) error {
	var err error
	if cfg.root, err = findRoot(); err != nil {
		return err
	}
	cfg.bench = filepath.Join(cfg.root, "internal", "bench")
	tools := []string{"taskset"}
	if !o.check && len(sel) > 0 {
		tools = append(tools, "wrk")
		if runtime.NumCPU() < 2 {
			return fmt.Errorf("need 2 CPUs (servers on CPU 0, wrk on CPU 1), have %d", runtime.NumCPU())
		}
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found: %w", tool, err)
		}
	}
	if len(sel) > 0 && slices.Contains(servers, "gunicorn") {
		if cfg.gunicorn, err = exec.LookPath(o.gunicorn); err != nil {
			return fmt.Errorf("gunicorn not found: %w", err)
		}
	}
	if len(sel) > 0 && slices.Contains(servers, "flask-dev") {
		python := o.python
		if python == "" {
			python = "python3"
			if g, err := exec.LookPath(o.gunicorn); err == nil && shebang(g) != "" {
				python = shebang(g) // the same Flask as gunicorn's, with Pillow
			}
		}
		// Resolve the interpreter once, so that a pyenv shim does not run
		// between taskset and Python.
		b, err := exec.Command(python, "-c", "import sys; print(sys.executable)").Output()
		if err != nil {
			return fmt.Errorf("%s: %w", python, err)
		}
		cfg.python = strings.TrimSpace(string(b))
	}
	cfg.versions = versions(cfg)
	return nil
}
