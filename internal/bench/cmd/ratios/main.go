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
// The table is Markdown, ready for BENCHMARKS.md. cmd/e2e prints the same
// table in its full report (package internal/micro holds the shared code).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/flasky-go/flasky/internal/bench/internal/micro"
)

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
			chunk, err = micro.Run(*dir, *bench, *count, *benchtime, os.Stderr)
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
	res := micro.Parse(raw)
	if len(res.Rows) == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no benchmark results in the output")
		os.Exit(1)
	}
	micro.PrintTable(os.Stdout, res, *baseline)
	fmt.Println()
	micro.PrintGoals(os.Stdout, res, *baseline)
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
