// Command e2e is the end-to-end load benchmark: it serves the slide
// programs over real sockets with flasky (the Go examples), with Flask under
// gunicorn, and with Flask's development server, loads each one with wrk,
// and prints a Markdown table of requests per second, latency, the
// server's CPU time per request and flasky's speed over the others, then
// whether flasky meets the project's end-to-end goals.
//
// Run it from internal/bench (about 2m35s with the defaults, up to about
// 1m45s more when disturbed runs are measured again):
//
//	go run ./cmd/e2e
//	go run ./cmd/e2e -cases template -servers flasky,gunicorn -reps 5
//
// For every case it builds the Go example it needs (go build -o into a
// temporary folder, from the repository root found by walking up to the
// go.mod of module github.com/flasky-go/flasky), starts all selected
// servers on 127.0.0.1 pinned to CPU 0 (taskset -c 0), waits until each
// answers, checks once that each answers the case's URL with 200 and the
// expected text, warms each up with a short wrk run, then runs
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
// The servers are run as a user runs them: flasky with its access log on
// (the default of App.Run), gunicorn with one sync worker and no access
// log (its default), the development server with Werkzeug's request log.
// Their output goes to a file in the temporary folder.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// rootModule is the module path of the repository root.
const rootModule = "github.com/flasky-go/flasky"

// Time limits of the steps that do not depend on the flags.
const (
	buildTimeout = 3 * time.Minute        // one go build
	readyTimeout = 20 * time.Second       // until a server answers
	checkTimeout = 5 * time.Second        // one check request
	stopTimeout  = 5 * time.Second        // SIGTERM to exit, and SIGKILL to exit
	wrkSlack     = 30 * time.Second       // wrk's run beyond -d
	pollInterval = 100 * time.Millisecond // between readiness probes
)

// benchCase is one page loaded in every server.
type benchCase struct {
	name    string   // -cases name
	example string   // Go example under examples/
	module  string   // Flask program under internal/parity/testdata, without .py
	path    string   // the URL path wrk requests
	exact   string   // the body must be exactly this, if set
	has     []string // the body must contain each of these
	goal    float64  // flasky req/s at least goal times gunicorn's
	issue   string   // where the goal comes from
}

// cases are the pages measured, in table order.
var cases = []benchCase{
	{name: "hello", example: "hello", module: "hello", path: "/", exact: "hello~~", goal: 15, issue: "issue 8"},
	{name: "param", example: "routes", module: "routes", path: "/s5/gopher", exact: "data=gopher", goal: 15, issue: "issue 8"},
	{name: "template", example: "template", module: "template", path: "/s2",
		has:  []string{"Hello Flask Template 홍길동", "<li>홍길동</li>", "<li>이순신</li>", "<li>임꺽정</li>"},
		goal: 10, issue: "issue 3"},
	// Slide 33: drawn and JPEG-encoded on every request; the body must
	// start like a JPEG (SOI and APP/DQT marker).
	{name: "image", example: "image", module: "image", path: "/get_image2",
		has: []string{"\xff\xd8\xff"}, goal: 1.5, issue: "issue 5"},
}

// serverNames are the servers, in table order; flasky comes first and is
// the one the ratios compare with.
var serverNames = []string{"flasky", "gunicorn", "flask-dev"}

// config is what the flags and the environment give the run.
type config struct {
	root        string // repository root
	tmp         string // temporary folder: binaries and server logs
	duration    int    // wrk -d, seconds
	warmup      int    // seconds of the warm-up run, 0 for none
	connections int
	reps        int
	gunicorn    string // gunicorn's path
	python      string // the development server's interpreter (resolved, not a shim)
	binaries    map[string]string
	versions    []string // tools and interpreters, for the report
	retries     int      // disturbed runs that may still be measured again
	discarded   []string // the disturbed runs measured again, for the report
}

// server is one started server process.
type server struct {
	name    string
	cmd     *exec.Cmd
	url     string
	logPath string
	exited  chan struct{} // closed when the process has been waited for
	bodyLen int           // length of the checked response body
}

// sample is one wrk run against one server.
type sample struct {
	reqPerSec float64
	p50, p99  time.Duration
	requests  int64
	cpuSec    float64 // server CPU seconds during the run
	wallSec   float64 // wall time of the run
	wrkCPUSec float64 // wrk's own CPU seconds
	otherSec  float64 // busy time of CPUs 0 and 1 that was neither the server's nor wrk's
	errors    string  // wrk's socket errors and non-2xx/3xx count, if any
}

// row is the samples of one case and server.
type row struct {
	cas     benchCase
	server  string
	bodyLen int
	samples []sample
}

// main parses the flags, runs every case and prints the table and goals.
func main() {
	duration := flag.Duration("duration", 5*time.Second, "wrk -d: length of each measured run (whole seconds)")
	warmup := flag.Duration("warmup", time.Second, "length of one unmeasured wrk run per server before the repetitions (0: none)")
	connections := flag.Int("connections", 16, "wrk -c: connections kept open")
	reps := flag.Int("reps", 3, "measured runs per case and server; the table shows medians")
	retries := flag.Int("retries", 3, "disturbed runs (other programs took over 10% of a CPU) that may be measured again, in all")
	casesFlag := flag.String("cases", "all", "comma-separated cases: hello, param, template, image, or all")
	serversFlag := flag.String("servers", "all", "comma-separated servers: flasky, gunicorn, flask-dev, or all")
	python := flag.String("python", "python3", "interpreter for Flask's development server")
	gunicorn := flag.String("gunicorn", "gunicorn", "gunicorn command (runs Flask with its own interpreter)")
	flag.Parse()

	if err := run(*duration, *warmup, *connections, *reps, *retries, *casesFlag, *serversFlag, *python, *gunicorn); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
}

// run checks the setup, measures and prints. Servers still running when it
// returns (an error, or an interrupt) are stopped by the deferred calls.
func run(duration, warmup time.Duration, connections, reps, retries int, casesFlag, serversFlag, python, gunicorn string) error {
	sel, err := selectCases(casesFlag)
	if err != nil {
		return err
	}
	servers, err := selectServers(serversFlag)
	if err != nil {
		return err
	}
	if reps < 1 || connections < 1 || duration < time.Second || warmup < 0 || retries < 0 {
		return errors.New("need -reps >= 1, -connections >= 1, -duration >= 1s, -warmup >= 0, -retries >= 0")
	}
	cfg := &config{
		duration:    int(duration.Round(time.Second) / time.Second),
		warmup:      int(warmup.Round(time.Second) / time.Second),
		connections: connections,
		reps:        reps,
		retries:     retries,
		binaries:    map[string]string{},
	}
	if runtime.NumCPU() < 2 {
		return fmt.Errorf("need 2 CPUs (server on CPU 0, wrk on CPU 1), have %d", runtime.NumCPU())
	}
	for _, tool := range []string{"taskset", "wrk"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found: %w", tool, err)
		}
	}
	if slices.Contains(servers, "gunicorn") {
		if cfg.gunicorn, err = exec.LookPath(gunicorn); err != nil {
			return fmt.Errorf("gunicorn not found: %w", err)
		}
	}
	if slices.Contains(servers, "flask-dev") {
		// Resolve the interpreter once, so that a pyenv shim does not run
		// between taskset and Python.
		out, err := exec.Command(python, "-c", "import sys; print(sys.executable)").Output()
		if err != nil {
			return fmt.Errorf("%s: %w", python, err)
		}
		cfg.python = strings.TrimSpace(string(out))
	}
	cfg.versions = versions(cfg)
	if cfg.root, err = findRoot(); err != nil {
		return err
	}
	if cfg.tmp, err = os.MkdirTemp("", "flasky-e2e-"); err != nil {
		return err
	}
	defer os.RemoveAll(cfg.tmp)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if slices.Contains(servers, "flasky") {
		for _, c := range sel {
			if err := build(ctx, cfg, c.example); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(os.Stderr, "e2e: load average before:", loadAvg())
	start := time.Now()
	var rows []*row
	for _, c := range sel {
		rs, err := runCase(ctx, cfg, c, servers)
		if err != nil {
			return fmt.Errorf("case %s: %w", c.name, err)
		}
		rows = append(rows, rs...)
	}
	printReport(os.Stdout, cfg, rows, time.Since(start))
	return nil
}

// versions describes the programs the run uses: go, wrk, and for each
// Flask server its interpreter and the versions of Flask and Werkzeug.
func versions(cfg *config) []string {
	first := func(name string, args ...string) string {
		out, _ := exec.Command(name, args...).CombinedOutput() // wrk -v exits 1
		line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		if line == "" {
			return "unknown"
		}
		return strings.TrimSpace(line)
	}
	flask := func(python string) string {
		return first(python, "-c", `import sys, importlib.metadata as m; print("Python", sys.version.split()[0] + ", Flask", m.version("flask") + ", Werkzeug", m.version("werkzeug") + ", Jinja2", m.version("jinja2"))`)
	}
	wrk, _, _ := strings.Cut(first("wrk", "-v"), " Copyright")
	out := []string{"go: " + first("go", "env", "GOVERSION"), "wrk: " + wrk}
	if cfg.gunicorn != "" {
		line := first(cfg.gunicorn, "--version")
		// gunicorn is a script: its #! line names the interpreter with Flask.
		if b, err := os.ReadFile(cfg.gunicorn); err == nil && bytes.HasPrefix(b, []byte("#!")) {
			shebang, _, _ := bytes.Cut(b[2:], []byte("\n"))
			if f := strings.Fields(string(shebang)); len(f) > 0 {
				line += " on " + f[0] + ": " + flask(f[0])
			}
		}
		out = append(out, "gunicorn: "+line)
	}
	if cfg.python != "" {
		out = append(out, "flask-dev: "+cfg.python+": "+flask(cfg.python))
	}
	return out
}

// selectCases returns the cases named in the -cases flag, in table order.
func selectCases(s string) ([]benchCase, error) {
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

// selectServers returns the servers named in the -servers flag, in table
// order.
func selectServers(s string) ([]string, error) {
	names, err := splitNames(s, serverNames)
	if err != nil {
		return nil, fmt.Errorf("-servers: %w", err)
	}
	var out []string
	for _, n := range serverNames {
		if slices.Contains(names, n) {
			out = append(out, n)
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

// findRoot walks up from the working directory to the go.mod that
// declares the repository's root module.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modulePath(b) == rootModule {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of module %s above the working directory: run from inside the repository", rootModule)
		}
		dir = parent
	}
}

// modulePath is the path in a go.mod's module line, or "".
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// build compiles examples/NAME from the repository root into the
// temporary folder, once per example.
func build(ctx context.Context, cfg *config, example string) error {
	if _, ok := cfg.binaries[example]; ok {
		return nil
	}
	out := filepath.Join(cfg.tmp, example)
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./examples/"+example)
	cmd.Dir = cfg.root
	fmt.Fprintf(os.Stderr, "e2e: in %s: go build -o %s ./examples/%s\n", cfg.root, out, example)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./examples/%s: %w\n%s", example, err, b)
	}
	cfg.binaries[example] = out
	return nil
}

// runCase starts every server for one case, checks and warms them up,
// measures them in turns and stops them.
func runCase(ctx context.Context, cfg *config, c benchCase, servers []string) ([]*row, error) {
	var started []*server
	defer func() {
		for _, s := range started {
			stopServer(s)
		}
	}()
	var rows []*row
	for _, name := range servers {
		s, err := startServer(cfg, c, name)
		if err != nil {
			return nil, err
		}
		started = append(started, s)
		if err := waitReady(ctx, s); err != nil {
			return nil, err
		}
		if err := checkBody(s, c); err != nil {
			return nil, err
		}
		rows = append(rows, &row{cas: c, server: name, bodyLen: s.bodyLen})
	}
	if cfg.warmup > 0 {
		for _, s := range started {
			fmt.Fprintf(os.Stderr, "e2e: %s %s: warm-up %ds\n", c.name, s.name, cfg.warmup)
			if _, err := measure(ctx, cfg, s, cfg.warmup); err != nil {
				return nil, err
			}
		}
	}
	for rep := 1; rep <= cfg.reps; rep++ {
		for i, s := range started {
			for {
				smp, err := measure(ctx, cfg, s, cfg.duration)
				if err != nil {
					return nil, err
				}
				fmt.Fprintf(os.Stderr, "e2e: %s %s rep %d/%d: %.0f req/s, p50 %s, p99 %s, %.1f µs CPU/req, server CPU %.0f%%, wrk CPU %.0f%%, other CPU %s%s\n",
					c.name, s.name, rep, cfg.reps, smp.reqPerSec, fmtLatency(smp.p50), fmtLatency(smp.p99),
					cpuPerReq(smp), 100*smp.cpuSec/smp.wallSec, 100*smp.wrkCPUSec/smp.wallSec, fmtOther(smp), errNote(smp.errors))
				if !disturbed(smp) || cfg.retries == 0 {
					rows[i].samples = append(rows[i].samples, smp)
					break
				}
				cfg.retries--
				cfg.discarded = append(cfg.discarded, fmt.Sprintf("%s %s rep %d (other CPU %s)", c.name, s.name, rep, fmtOther(smp)))
				fmt.Fprintf(os.Stderr, "e2e: other programs took %s of a CPU: waiting for quiet and measuring again (%d retries left)\n", fmtOther(smp), cfg.retries)
				if err := waitQuiet(ctx); err != nil {
					return nil, err
				}
			}
		}
	}
	return rows, nil
}

// disturbed tells whether other programs took more than busyOther
// percent of a CPU during a run.
func disturbed(s sample) bool {
	return s.otherSec >= 0 && 100*s.otherSec/s.wallSec > busyOther
}

// Waiting for the machine to be quiet before measuring a disturbed run
// again: at most quietWait, until two quietStep periods in a row were quiet.
const (
	quietWait = 30 * time.Second
	quietStep = time.Second
)

// waitQuiet waits until CPUs 0 and 1 have been busy less than busyOther
// percent of a CPU for two quietSteps in a row (the servers are idle
// meanwhile), or quietWait has passed.
func waitQuiet(ctx context.Context) error {
	deadline := time.Now().Add(quietWait)
	quiet := 0
	for quiet < 2 && time.Now().Before(deadline) {
		a, err := cpuBusyTicks()
		if err != nil {
			return nil // cannot tell: measure at once
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(quietStep):
		}
		b, err := cpuBusyTicks()
		if err != nil {
			return nil
		}
		if 100*float64(b-a)/clockTicks()/quietStep.Seconds() < busyOther {
			quiet++
		} else {
			quiet = 0
		}
	}
	return nil
}

// fmtOther formats the other programs' CPU time of a sample as a
// percentage of one CPU.
func fmtOther(s sample) string {
	if s.otherSec < 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f%%", 100*s.otherSec/s.wallSec)
}

// errNote formats wrk's error summary for a progress line.
func errNote(e string) string {
	if e == "" {
		return ""
	}
	return " (" + e + ")"
}

// freePort asks the kernel for a free port on 127.0.0.1. Another program
// could take it before the server binds it; the server would then fail
// to start and say so.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startServer starts one server for a case, pinned to CPU 0, its output
// going to a log file.
func startServer(cfg *config, c benchCase, name string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	var args []string
	env := os.Environ()
	switch name {
	case "flasky":
		args = []string{cfg.binaries[c.example], "-addr", addr}
	case "gunicorn":
		args = []string{cfg.gunicorn, "-w", "1", "-k", "sync", "-b", addr,
			"--chdir", filepath.Join(cfg.root, "internal", "parity", "testdata"), c.module + ":app"}
		// Do not leave __pycache__ in the repository.
		env = append(env, "PYTHONDONTWRITEBYTECODE=1")
	case "flask-dev":
		args = []string{cfg.python, filepath.Join("internal", "parity", "testdata", c.module+".py"), strconv.Itoa(port)}
		env = append(env, "PYTHONDONTWRITEBYTECODE=1")
	default:
		return nil, fmt.Errorf("unknown server %q", name)
	}
	logPath := filepath.Join(cfg.tmp, c.name+"-"+name+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child has its own descriptor
	cmd := exec.Command("taskset", append([]string{"-c", "0"}, args...)...)
	cmd.Dir = cfg.root
	cmd.Env = env
	cmd.Stdout = logf
	cmd.Stderr = logf
	// If this program dies without stopping the server, the kernel kills it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	fmt.Fprintf(os.Stderr, "e2e: %s: start taskset -c 0 %s\n", c.name, strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, url: "http://" + addr + c.path, logPath: logPath, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// waitReady polls the server until it answers any HTTP request, it exits,
// or readyTimeout passes.
func waitReady(ctx context.Context, s *server) error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(readyTimeout)
	for {
		resp, err := client.Get(s.url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("%s exited before answering (%s):\n%s", s.name, s.cmd.ProcessState, logTail(s.logPath))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer %s within %s:\n%s", s.name, s.url, readyTimeout, logTail(s.logPath))
		}
	}
}

// checkBody requests the case's URL once and fails unless the answer is
// 200 with the expected text, so that an error page is never measured.
func checkBody(s *server, c benchCase) error {
	client := &http.Client{Timeout: checkTimeout, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(s.url)
	if err != nil {
		return fmt.Errorf("check %s %s: %w", s.name, s.url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("check %s %s: %w", s.name, s.url, err)
	}
	if err := checkAnswer(c, resp.StatusCode, string(body)); err != nil {
		return fmt.Errorf("check %s %s: %w", s.name, s.url, err)
	}
	s.bodyLen = len(body)
	fmt.Fprintf(os.Stderr, "e2e: %s %s: GET %s: 200, %d-byte body as expected\n", c.name, s.name, c.path, len(body))
	return nil
}

// checkAnswer compares a status and body with what the case expects.
func checkAnswer(c benchCase, status int, body string) error {
	if status != http.StatusOK {
		return fmt.Errorf("status %d, want 200; body %.200q", status, body)
	}
	if c.exact != "" && body != c.exact {
		return fmt.Errorf("body %.200q, want %q", body, c.exact)
	}
	for _, h := range c.has {
		if !strings.Contains(body, h) {
			return fmt.Errorf("body %.400q lacks %q", body, h)
		}
	}
	return nil
}

// logTail is the end of a server's log, for error messages.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// measure runs wrk pinned to CPU 1 against a server for secs seconds and
// reads the server's CPU time around the run.
func measure(ctx context.Context, cfg *config, s *server, secs int) (sample, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(secs)*time.Second+wrkSlack)
	defer cancel()
	cmd := exec.CommandContext(ctx, "taskset", "-c", "1", "wrk", "-t1",
		"-c"+strconv.Itoa(cfg.connections), "-d"+strconv.Itoa(secs)+"s", "--latency", s.url)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	before, err := treeCPUTicks(s.cmd.Process.Pid)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %w", s.name, err)
	}
	busyBefore, busyErr := cpuBusyTicks()
	t0 := time.Now()
	runErr := cmd.Run()
	wall := time.Since(t0)
	busyAfter, busyErr2 := cpuBusyTicks()
	after, err := treeCPUTicks(s.cmd.Process.Pid)
	if runErr != nil {
		return sample{}, fmt.Errorf("wrk against %s: %w\n%s", s.name, runErr, out.String())
	}
	if err != nil {
		return sample{}, fmt.Errorf("%s after the run: %w\n%s", s.name, err, logTail(s.logPath))
	}
	smp, err := parseWrk(out.String())
	if err != nil {
		return sample{}, fmt.Errorf("wrk against %s: %w\n%s", s.name, err, out.String())
	}
	smp.cpuSec = float64(after-before) / clockTicks()
	smp.wallSec = wall.Seconds()
	if st := cmd.ProcessState; st != nil {
		smp.wrkCPUSec = (st.UserTime() + st.SystemTime()).Seconds()
	}
	smp.otherSec = -1 // unknown
	if busyErr == nil && busyErr2 == nil {
		smp.otherSec = max(0, float64(busyAfter-busyBefore)/clockTicks()-smp.cpuSec-smp.wrkCPUSec)
	}
	return smp, nil
}

// wrk output lines this program reads.
var (
	reqSecRE   = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	latencyRE  = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s|m|h)\s*$`)
	requestsRE = regexp.MustCompile(`(?m)^\s+(\d+) requests in `)
	socketRE   = regexp.MustCompile(`(?m)^\s+Socket errors: (.*)$`)
	non2xxRE   = regexp.MustCompile(`(?m)^\s+Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads Requests/sec, the 50% and 99% latencies, the request
// count and any errors from wrk --latency output.
func parseWrk(out string) (sample, error) {
	var s sample
	m := reqSecRE.FindStringSubmatch(out)
	if m == nil {
		return s, errors.New("no Requests/sec line")
	}
	s.reqPerSec, _ = strconv.ParseFloat(m[1], 64)
	m = requestsRE.FindStringSubmatch(out)
	if m == nil {
		return s, errors.New("no \"N requests in\" line")
	}
	s.requests, _ = strconv.ParseInt(m[1], 10, 64)
	for _, l := range latencyRE.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(l[2], 64)
		d := time.Duration(v * float64(map[string]time.Duration{
			"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
		}[l[3]]))
		if l[1] == "50" {
			s.p50 = d
		} else {
			s.p99 = d
		}
	}
	if s.p50 == 0 || s.p99 == 0 {
		return s, errors.New("no 50% and 99% latency lines (was --latency given?)")
	}
	var errs []string
	if m := socketRE.FindStringSubmatch(out); m != nil {
		errs = append(errs, "socket errors: "+m[1])
	}
	if m := non2xxRE.FindStringSubmatch(out); m != nil {
		errs = append(errs, m[1]+" non-2xx/3xx responses")
	}
	s.errors = strings.Join(errs, "; ")
	if s.requests == 0 {
		return s, errors.New("no request completed")
	}
	return s, nil
}

// cpuBusyTicks is the busy time of CPUs 0 and 1 in clock ticks, from
// /proc/stat: user, nice, system, irq, softirq and steal. Without
// CONFIG_IRQ_TIME_ACCOUNTING the kernel also charges softirq time (the
// loopback packets) to the process it interrupted, so the busy time not
// charged to the server or wrk is other programs' (or the kernel's idle
// time softirqs).
func cpuBusyTicks() (uint64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	var total uint64
	found := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || (f[0] != "cpu0" && f[0] != "cpu1") {
			continue
		}
		found++
		for _, i := range []int{1, 2, 3, 6, 7, 8} {
			v, err := strconv.ParseUint(f[i], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/stat %s: %w", f[0], err)
			}
			total += v
		}
	}
	if found != 2 {
		return 0, errors.New("/proc/stat: no cpu0 and cpu1 lines")
	}
	return total, nil
}

// procStat is what this program reads from /proc/PID/stat.
type procStat struct {
	ppid  int
	ticks uint64 // utime + stime, all threads
	start uint64 // start time after boot, which tells a reused PID apart
}

// parseStat reads the parent PID, utime+stime and the start time from the
// text of /proc/PID/stat. The command name (field 2) may hold spaces and
// parentheses, so the fields are counted from the last ')'.
func parseStat(b []byte) (procStat, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, errors.New("malformed stat")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); ppid is field 4, utime 14, stime 15,
	// starttime 22.
	if len(f) < 20 {
		return procStat{}, errors.New("short stat")
	}
	ppid, err1 := strconv.Atoi(f[1])
	ut, err2 := strconv.ParseUint(f[11], 10, 64)
	st, err3 := strconv.ParseUint(f[12], 10, 64)
	start, err4 := strconv.ParseUint(f[19], 10, 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return procStat{}, err
	}
	return procStat{ppid: ppid, ticks: ut + st, start: start}, nil
}

// readStat reads and parses /proc/PID/stat.
func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseStat(b)
}

// descendants reads every process's stat and returns those of the
// descendants of pid (gunicorn's worker, for example), by PID.
func descendants(pid int) map[int]procStat {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	all := map[int]procStat{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readStat(p); err == nil { // else it exited meanwhile
			all[p] = st
		}
	}
	out := map[int]procStat{}
	for p, st := range all {
		for a, hops := st.ppid, 0; a > 1 && hops < 64; a, hops = all[a].ppid, hops+1 {
			if a == pid {
				out[p] = st
				break
			}
			if _, ok := all[a]; !ok {
				break
			}
		}
	}
	return out
}

// treeCPUTicks is the utime+stime, in clock ticks, of process pid (all its
// threads) and of all its living descendants.
func treeCPUTicks(pid int) (uint64, error) {
	root, err := readStat(pid)
	if err != nil {
		return 0, fmt.Errorf("server process %d: %w", pid, err)
	}
	total := root.ticks
	for _, st := range descendants(pid) {
		total += st.ticks
	}
	return total, nil
}

// clockTicks is the kernel's USER_HZ, the unit of utime and stime: what
// getconf CLK_TCK says, else 100 (its value on every common Linux).
var clockTicks = sync.OnceValue(func() float64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil && v > 0 {
			return v
		}
	}
	return 100
})

// stopServer stops a server by its PID: SIGTERM, then SIGKILL if it has not
// exited after stopTimeout. Descendants that outlive it (gunicorn's worker
// if the master had to be killed) are killed by their own PIDs.
func stopServer(s *server) {
	pid := s.cmd.Process.Pid
	kids := descendants(pid)
	select {
	case <-s.exited:
	default:
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			fmt.Fprintf(os.Stderr, "e2e: %s (pid %d) still running %s after SIGTERM: SIGKILL\n", s.name, pid, stopTimeout)
			s.cmd.Process.Kill()
			select {
			case <-s.exited:
			case <-time.After(stopTimeout):
				fmt.Fprintf(os.Stderr, "e2e: %s (pid %d) not reaped after SIGKILL\n", s.name, pid)
			}
		}
	}
	for k, was := range kids {
		// The same process only if it still has the start time seen before.
		if st, err := readStat(k); err == nil && st.start == was.start {
			fmt.Fprintf(os.Stderr, "e2e: %s's child pid %d outlived it: SIGKILL\n", s.name, k)
			syscall.Kill(k, syscall.SIGKILL)
		}
	}
}

// median returns the median of xs (the mean of the middle two for an even
// count), or 0 when there is none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// pick returns one value of every sample of a row.
func pick(r *row, f func(sample) float64) []float64 {
	out := make([]float64, len(r.samples))
	for i, s := range r.samples {
		out[i] = f(s)
	}
	return out
}

// cpuPerReq is the server's CPU time per request of one sample, in µs.
func cpuPerReq(s sample) float64 {
	return s.cpuSec * 1e6 / float64(s.requests)
}

// fmtLatency prints a latency in µs below 1 ms, else in ms.
func fmtLatency(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case us < 1000:
		return fmt.Sprintf("%.0f µs", us)
	case us < 100000:
		return fmt.Sprintf("%.2f ms", us/1000)
	default:
		return fmt.Sprintf("%.0f ms", us/1000)
	}
}

// findRow returns the row of a case and server, or nil.
func findRow(rows []*row, c, server string) *row {
	for _, r := range rows {
		if r.cas.name == c && r.server == server {
			return r
		}
	}
	return nil
}

// ratioRange is flasky's req/s over another server's, rep by rep (the
// servers take turns within a rep), as "min–max".
func ratioRange(fl, other *row) string {
	n := min(len(fl.samples), len(other.samples))
	if n == 0 {
		return "n/a"
	}
	var xs []float64
	for i := range n {
		xs = append(xs, fl.samples[i].reqPerSec/other.samples[i].reqPerSec)
	}
	return fmt.Sprintf("%.1f–%.1fx", slices.Min(xs), slices.Max(xs))
}

// busyOther is the share of one CPU, in percent, that other programs may
// take during a run before the report calls the run disturbed. A quiet
// run shows a few percent: softirqs on the idle CPU, this program.
const busyOther = 10.0

// otherSummary says how busy CPUs 0 and 1 were with other work during
// the measured runs: the median and the worst run.
func otherSummary(rows []*row) string {
	var xs []float64
	worst, where, busy := -1.0, "", 0
	for _, r := range rows {
		for i, s := range r.samples {
			if s.otherSec < 0 {
				continue
			}
			x := 100 * s.otherSec / s.wallSec
			xs = append(xs, x)
			if x > busyOther {
				busy++
			}
			if x > worst {
				worst, where = x, fmt.Sprintf("%s %s run %d", r.cas.name, r.server, i+1)
			}
		}
	}
	if len(xs) == 0 {
		return "Other programs' CPU time on CPUs 0-1 during the runs: unknown."
	}
	s := fmt.Sprintf("Other programs' CPU time on CPUs 0-1 during the runs (busy time in /proc/stat less the server's and wrk's, %% of one CPU): median %.0f%%, worst %.0f%% (%s); %d of %d runs above %.0f%%.",
		median(xs), worst, where, busy, len(xs), busyOther)
	if busy > 0 {
		s += "\nWARNING: other programs competed with the servers or wrk; run again on a quiet machine."
	}
	return s
}

// printReport prints the table, the notes and the goals.
func printReport(w io.Writer, cfg *config, rows []*row, took time.Duration) {
	for _, v := range cfg.versions {
		fmt.Fprintln(w, v)
	}
	fmt.Fprintf(w, "\nwrk -t1 -c%d -d%ds --latency on CPU 1, servers on CPU 0; medians of %d runs per row.\n\n",
		cfg.connections, cfg.duration, cfg.reps)
	fmt.Fprintln(w, "| case | server | req/s | p50 | p99 | server CPU µs/req | server CPU | wrk CPU | flasky req/s ÷ this | body bytes |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	var notes []string
	for _, r := range rows {
		rps := median(pick(r, func(s sample) float64 { return s.reqPerSec }))
		p50 := time.Duration(median(pick(r, func(s sample) float64 { return float64(s.p50) })))
		p99 := time.Duration(median(pick(r, func(s sample) float64 { return float64(s.p99) })))
		cpu := median(pick(r, cpuPerReq))
		util := median(pick(r, func(s sample) float64 { return s.cpuSec / s.wallSec }))
		wrkUtil := median(pick(r, func(s sample) float64 { return s.wrkCPUSec / s.wallSec }))
		ratio := "n/a"
		if fl := findRow(rows, r.cas.name, "flasky"); fl != nil && rps > 0 {
			ratio = fmt.Sprintf("%.2fx", median(pick(fl, func(s sample) float64 { return s.reqPerSec }))/rps)
		}
		fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %.1f | %.0f%% | %.0f%% | %s | %d |\n",
			r.cas.name, r.server, rps, fmtLatency(p50), fmtLatency(p99), cpu, 100*util, 100*wrkUtil, ratio, r.bodyLen)
		for i, s := range r.samples {
			if s.errors != "" && s.errors != "socket errors: connect 0, read 0, write 0, timeout 0" {
				notes = append(notes, fmt.Sprintf("%s %s run %d: wrk reported %s", r.cas.name, r.server, i+1, s.errors))
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\"server CPU\" is the server's CPU time over the run's wall time (100% = all of CPU 0);")
	fmt.Fprintln(w, "\"wrk CPU\" the same for wrk on CPU 1.")
	fmt.Fprintln(w, otherSummary(rows))
	if len(cfg.discarded) > 0 {
		fmt.Fprintf(w, "Disturbed runs measured again (not in the table): %s.\n", strings.Join(cfg.discarded, "; "))
	}
	for _, n := range notes {
		fmt.Fprintln(w, "Note:", n)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "The goals are judged on req/s. Each server has one CPU, so the ratio of CPU time per")
	fmt.Fprintln(w, "request (gunicorn's over flasky's) is the req/s ratio both would reach with CPU 0 to")
	fmt.Fprintln(w, "themselves; it moves much less than req/s when other programs compete.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| goal | measured | result |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, c := range cases {
		fl, gu := findRow(rows, c.name, "flasky"), findRow(rows, c.name, "gunicorn")
		if fl == nil || gu == nil {
			continue
		}
		f := median(pick(fl, func(s sample) float64 { return s.reqPerSec }))
		g := median(pick(gu, func(s sample) float64 { return s.reqPerSec }))
		fc, gc := median(pick(fl, cpuPerReq)), median(pick(gu, cpuPerReq))
		x := f / g
		result := "met"
		if x < c.goal {
			result = "NOT met"
		}
		fmt.Fprintf(w, "| %s (%s): flasky req/s >= %gx gunicorn+Flask | %.0f vs %.0f req/s = %.2fx (rep by rep %s); CPU per request %.0f vs %.1f µs = %.2fx | %s |\n",
			c.name, c.issue, c.goal, f, g, x, ratioRange(fl, gu), gc, fc, gc/fc, result)
	}
	fmt.Fprintf(w, "\nLoad average (1 min) right after: %s. Took %s.\n", loadAvg(), took.Round(time.Second))
}

// loadAvg is the 1-minute load average, or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(bytes.Fields(b)) == 0 {
		return "unknown"
	}
	return string(bytes.Fields(b)[0])
}
