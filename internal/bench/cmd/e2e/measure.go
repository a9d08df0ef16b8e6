package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// sample is one wrk run against one server.
type sample struct {
	reqPerSec float64
	p50, p99  time.Duration
	requests  int64
	cpuSec    float64 // server CPU seconds during the run
	wallSec   float64 // wall time of the run
	wrkCPUSec float64 // wrk's own CPU seconds
	otherSec  float64 // busy time of CPUs 0 and 1 that was neither the server's nor wrk's; -1 unknown
	errors    string  // wrk's socket errors and non-2xx/3xx count, if any
}

// row is the samples of one case and server.
type row struct {
	cas     benchCase
	server  string
	bodyLen int
	ctype   string
	samples []sample
}

// startCase starts every server for one case, waits for each and checks
// its answer. The caller stops the servers returned, also on error.
func startCase(ctx context.Context, cfg *config, c benchCase, servers []string) ([]*server, error) {
	var started []*server
	for _, name := range servers {
		s, err := startServer(cfg, c, name)
		if err != nil {
			return started, err
		}
		started = append(started, s)
		if err := waitReady(ctx, s); err != nil {
			return started, err
		}
		if err := checkBody(s, c); err != nil {
			return started, err
		}
	}
	return started, nil
}

// runCase starts every server for one case, checks and warms them up,
// measures them in turns and stops them.
func runCase(ctx context.Context, cfg *config, c benchCase, servers []string) ([]*row, error) {
	started, err := startCase(ctx, cfg, c, servers)
	defer func() {
		for _, s := range started {
			stopServer(s)
		}
	}()
	if err != nil {
		return nil, err
	}
	var rows []*row
	for _, s := range started {
		rows = append(rows, &row{cas: c, server: s.name, bodyLen: s.bodyLen, ctype: s.ctype})
		if cfg.warmup > 0 {
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
				logf("%s %s rep %d/%d: %.0f req/s, p50 %s, p99 %s, %.1f µs CPU/req, server CPU %.0f%%, wrk CPU %.0f%%, other CPU %s%s",
					c.name, s.name, rep, cfg.reps, smp.reqPerSec, fmtLatency(smp.p50), fmtLatency(smp.p99),
					cpuPerReq(smp), 100*smp.cpuSec/smp.wallSec, 100*smp.wrkCPUSec/smp.wallSec, fmtOther(smp), errNote(smp.errors))
				if !disturbed(smp) || cfg.retries == 0 {
					rows[i].samples = append(rows[i].samples, smp)
					break
				}
				cfg.retries--
				cfg.discarded = append(cfg.discarded, fmt.Sprintf("%s %s rep %d (other CPU %s)", c.name, s.name, rep, fmtOther(smp)))
				logf("other programs took %s of a CPU: waiting for quiet and measuring again (%d retries left)", fmtOther(smp), cfg.retries)
				if err := waitQuiet(ctx); err != nil {
					return nil, err
				}
			}
		}
	}
	return rows, nil
}

// checkCase starts every server for one case, checks its answer and
// stops them: -check, no load.
func checkCase(ctx context.Context, cfg *config, c benchCase, servers []string) ([]*row, error) {
	started, err := startCase(ctx, cfg, c, servers)
	var rows []*row
	for _, s := range started {
		if s.bodyLen > 0 {
			rows = append(rows, &row{cas: c, server: s.name, bodyLen: s.bodyLen, ctype: s.ctype})
		}
		stopServer(s)
	}
	return rows, err
}

// disturbed tells whether other programs took more than busyOther
// percent of a CPU during a run.
func disturbed(s sample) bool {
	return s.otherSec >= 0 && 100*s.otherSec/s.wallSec > busyOther
}

// busyOther is the share of one CPU, in percent, that other programs may
// take during a run before the report calls the run disturbed. A quiet
// run shows a few percent: softirqs on the idle CPU, this program.
const busyOther = 10.0

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

// latencyUnits are the units of wrk's latency lines.
var latencyUnits = map[string]time.Duration{
	"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
}

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
		d := time.Duration(v * float64(latencyUnits[l[3]]))
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
