package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/flasky-go/flasky/internal/bench/internal/micro"
)

// report is everything one run measured, printed as Markdown and drawn
// as the chart.
type report struct {
	opts                  options
	args                  []string // the command line's arguments
	versions              []string
	rows                  []*row
	discarded             []string
	cold                  *coldResult
	micro                 *micro.Results
	upload                *uploadResult
	took                  time.Duration
	loadBefore, loadAfter string
	chartLink             string   // the chart's path for the Markdown image, "" for none
	date                  string   // of the run, for the chart
	failures              []string // parts that failed, so are missing
}

// print writes the whole report.
func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "Made by `cd internal/bench && go run ./cmd/e2e%s` (%s).\n\n", argsLine(r.args), r.took.Round(time.Second))
	for _, v := range r.versions {
		fmt.Fprintf(w, "- %s\n", v)
	}
	fmt.Fprintf(w, "- load average (1 min): %s before, %s after\n", r.loadBefore, r.loadAfter)
	for _, f := range r.failures {
		fmt.Fprintf(w, "\n**Failed, so missing from this report:** %s\n", strings.SplitN(f, "\n", 2)[0])
	}
	if len(r.rows) > 0 {
		fmt.Fprintln(w)
		r.printE2E(w)
	}
	if r.cold != nil {
		fmt.Fprintln(w)
		r.printCold(w)
	}
	if r.micro != nil {
		fmt.Fprintf(w, "\n### Router micro-benchmarks\n\n`go test -run '^$' -bench%s -benchmem -count 1 -benchtime %s` run %s (as `go run ./cmd/ratios -count 1 -rounds %d`): in process, no sockets.\n\n",
			argsLine([]string{r.opts.microBench}), r.opts.microBenchtime, plural(r.opts.microRounds, "once", "%d times"), r.opts.microRounds)
		micro.PrintTable(w, *r.micro, "httprouter")
	}
	if r.upload != nil {
		fmt.Fprintf(w, "\n### Uploads\n\n`%s`: the server pinned to CPU 1, the client to CPU 0.\n\n", r.upload.command)
		fmt.Fprintln(w, uploadTable(r.upload.markdown))
	}
	fmt.Fprintln(w)
	r.printGoals(w)
	if r.chartLink != "" {
		fmt.Fprintf(w, "\n![Ratios of this run, drawn by flasky's image package](%s)\n", r.chartLink)
	}
}

// argsLine is the command's arguments, for the report's first line.
func argsLine(args []string) string {
	var b strings.Builder
	for _, a := range args {
		if a == "" || strings.IndexFunc(a, shellSpecial) >= 0 {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		b.WriteString(" " + a)
	}
	return b.String()
}

// shellSpecial tells whether a shell would read r as more than itself.
func shellSpecial(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./,:=+@%", r))
}

// plural is one when n is 1, else many with n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// uploadTable is cmd/upload's report without its goals table, which the
// report's own goals table repeats.
func uploadTable(md string) string {
	if i := strings.Index(md, "\n| goal |"); i >= 0 {
		md = md[:i]
	}
	return strings.TrimSpace(md)
}

// printE2E prints the end-to-end table and its notes.
func (r *report) printE2E(w io.Writer) {
	warm := "no warm-up"
	if r.opts.warmup > 0 {
		warm = fmt.Sprintf("after a %s warm-up run per server", r.opts.warmup)
	}
	fmt.Fprintf(w, "### End to end (wrk)\n\n`wrk -t1 -c%d -d%ds --latency` pinned to CPU 1, each server pinned to CPU 0; %s per row (%s).\n\n",
		r.opts.connections, int(r.opts.duration.Round(time.Second)/time.Second), plural(r.opts.reps, "one run", "medians of %d runs"), warm)
	fmt.Fprintln(w, "| case | server | req/s | p50 | p99 | server CPU µs/req | server CPU | wrk CPU | req/s ÷ net/http | req/s ÷ gunicorn | body bytes |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	var notes []string
	for _, row := range r.rows {
		rps := medianRPS(row)
		p50 := time.Duration(median(pick(row, func(s sample) float64 { return float64(s.p50) })))
		p99 := time.Duration(median(pick(row, func(s sample) float64 { return float64(s.p99) })))
		util := median(pick(row, func(s sample) float64 { return s.cpuSec / s.wallSec }))
		wrkUtil := median(pick(row, func(s sample) float64 { return s.wrkCPUSec / s.wallSec }))
		fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %.1f | %.0f%% | %.0f%% | %s | %s | %d |\n",
			row.cas.name, serverLabel(row.server), rps, fmtLatency(p50), fmtLatency(p99), median(pick(row, cpuPerReq)),
			100*util, 100*wrkUtil, r.vs(row, "nethttp"), r.vs(row, "gunicorn"), row.bodyLen)
		for i, s := range row.samples {
			if s.errors != "" && s.errors != "socket errors: connect 0, read 0, write 0, timeout 0" {
				notes = append(notes, fmt.Sprintf("%s %s run %d: wrk reported %s", row.cas.name, row.server, i+1, s.errors))
			}
		}
	}
	fmt.Fprintln(w)
	var reqs []string
	for _, c := range cases {
		if slices.ContainsFunc(r.rows, func(x *row) bool { return x.cas.name == c.name }) {
			reqs = append(reqs, fmt.Sprintf("%s `GET %s`", c.name, c.path))
		}
	}
	fmt.Fprintf(w, "Requests: %s.\n", strings.Join(reqs, ", "))
	fmt.Fprintln(w, "\"server CPU µs/req\" is the server's user+system time (with its children's) over the requests wrk counted;")
	fmt.Fprintln(w, "\"server CPU\" is that time over the run's wall time (100% = all of CPU 0), \"wrk CPU\" the same for wrk on CPU 1.")
	fmt.Fprintln(w, "\"req/s ÷ net/http\" and \"req/s ÷ gunicorn\" divide the row's median req/s by raw net/http's and gunicorn+Flask's in the same case.")
	fmt.Fprintln(w, otherSummary(r.rows))
	if len(r.discarded) > 0 {
		fmt.Fprintf(w, "Disturbed runs measured again (not in the table): %s.\n", strings.Join(r.discarded, "; "))
	}
	for _, n := range notes {
		fmt.Fprintln(w, "Note:", n)
	}
}

// vs is a row's median req/s over another server's in the same case, or
// n/a when that server was not measured.
func (r *report) vs(row *row, server string) string {
	base := medianRPS(findRow(r.rows, row.cas.name, server))
	if base <= 0 {
		return "n/a"
	}
	return fmtRatio(medianRPS(row) / base)
}

// otherSummary says how busy CPUs 0 and 1 were with other work during
// the measured runs: the median and the worst run.
func otherSummary(rows []*row) string {
	var xs []float64
	worst, where, busy := -1.0, "", 0
	for _, r := range rows {
		for i, s := range r.samples {
			if s.otherSec < 0 || s.wallSec <= 0 {
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

// printCold prints the cold start and binary size table.
func (r *report) printCold(w io.Writer) {
	fmt.Fprintf(w, "### Cold start and binary size\n\n")
	fmt.Fprintf(w, "From starting `taskset -c 0 PROGRAM -addr 127.0.0.1:PORT` to the first `200 hello~~` for `GET /`, polled every %s from CPU 1; %s, the programs taking turns. Sizes are of `go build` with default flags.\n\n",
		coldPoll, plural(len(r.cold.exec), "one start", "medians of %d starts"))
	fmt.Fprintln(w, "| program | cold start | runs | binary size | size ÷ gin's |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	var gin int64
	for _, c := range r.cold.rows {
		if c.name == "gin" {
			gin = c.size
		}
	}
	for _, c := range r.cold.rows {
		prog := "`examples/hello`"
		if c.name != "flasky" {
			prog = "`cmd/hello/" + c.name + "`"
		}
		rel := "n/a"
		if gin > 0 {
			rel = fmtRatio(float64(c.size) / float64(gin))
		}
		fmt.Fprintf(w, "| %s %s | %s | %s | %.1f MiB (%d bytes) | %s |\n", serverLabel(c.name), prog,
			fmtMs(medianDur(c.starts)), durRange(c.starts), float64(c.size)/(1<<20), c.size, rel)
	}
	fmt.Fprintf(w, "\nStarting `taskset -c 0 true` and waiting for it took %s (median; runs %s): the share of every row that is only starting a process.\n",
		fmtMs(medianDur(r.cold.exec)), durRange(r.cold.exec))
}

// medianDur is the median of durations.
func medianDur(ds []time.Duration) time.Duration {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(median(xs))
}

// durRange formats the fastest and slowest of durations in ms.
func durRange(ds []time.Duration) string {
	if len(ds) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f–%.1f ms", float64(slices.Min(ds))/1e6, float64(slices.Max(ds))/1e6)
}

// printCheck prints what -check saw: every server's answer per case.
func printCheck(w io.Writer, rows []*row) {
	fmt.Fprintln(w, "| case | request | server | status | body bytes | Content-Type |")
	fmt.Fprintln(w, "|---|---|---|---|---:|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | `%s` | %s | 200, as expected | %d | %s |\n", r.cas.name, r.cas.request(), serverLabel(r.server), r.bodyLen, r.ctype)
	}
}
