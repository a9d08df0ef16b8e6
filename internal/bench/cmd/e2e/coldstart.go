package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// helloPrograms are the programs of the cold start and binary size table:
// flasky's examples/hello and the peers' hello programs (cmd/hello/NAME),
// by their server names, in table order.
var helloPrograms = []string{"flasky", "nethttp", "httprouter", "gin", "echo", "chi"}

// helloBin is the key of a hello program's binary in config.bins.
func helloBin(name string) string {
	if name == "flasky" {
		return "example-hello"
	}
	return "hello-" + name
}

// coldRow is one program's cold starts and binary size.
type coldRow struct {
	name   string
	size   int64           // bytes of the binary, go build with default flags
	starts []time.Duration // process start to the first 200
}

// coldResult is the cold start table.
type coldResult struct {
	rows []*coldRow
	// exec is the time to start and wait for taskset -c 0 true: what the
	// process start alone costs, in every row.
	exec []time.Duration
}

// coldPoll is the pause between two requests while a program starts.
const coldPoll = 200 * time.Microsecond

// coldStart starts each hello program n times, the programs taking turns,
// and times each start to its first 200 answer. This process is pinned
// to CPU 1 meanwhile, so that its polling does not slow the program
// starting on CPU 0.
func coldStart(ctx context.Context, cfg *config, n int) (*coldResult, error) {
	res := &coldResult{}
	for _, name := range helloPrograms {
		st, err := os.Stat(cfg.bins[helloBin(name)])
		if err != nil {
			return nil, err
		}
		res.rows = append(res.rows, &coldRow{name: name, size: st.Size()})
	}
	if cpus, err := selfCPUs(); err == nil {
		if err := pinSelf("1"); err != nil {
			return nil, err
		}
		defer func() {
			if err := pinSelf(cpus); err != nil {
				logf("restoring the CPU list %s: %v", cpus, err)
			}
		}()
	}
	for rep := 1; rep <= n; rep++ {
		d, err := timeExec(ctx)
		if err != nil {
			return nil, err
		}
		res.exec = append(res.exec, d)
		for _, r := range res.rows {
			d, err := startOnce(ctx, cfg, r.name)
			if err != nil {
				return nil, fmt.Errorf("cold start of %s: %w", r.name, err)
			}
			r.starts = append(r.starts, d)
		}
		logf("cold start rep %d/%d: %s", rep, n, coldLine(res, rep-1))
	}
	return res, nil
}

// coldLine is one repetition's times, for the progress line.
func coldLine(res *coldResult, i int) string {
	s := fmt.Sprintf("exec %s", fmtMs(res.exec[i]))
	for _, r := range res.rows {
		s += fmt.Sprintf(", %s %s", r.name, fmtMs(r.starts[i]))
	}
	return s
}

// timeExec is the time to start taskset -c 0 true and wait for it.
func timeExec(ctx context.Context) (time.Duration, error) {
	t0 := time.Now()
	if err := exec.CommandContext(ctx, "taskset", "-c", "0", "true").Run(); err != nil {
		return 0, fmt.Errorf("taskset -c 0 true: %w", err)
	}
	return time.Since(t0), nil
}

// startOnce starts one hello program pinned to CPU 0, requests GET / as
// fast as it can until the answer is 200 hello~~, and stops the program.
func startOnce(ctx context.Context, cfg *config, name string) (time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	args := []string{cfg.bins[helloBin(name)], "-addr", addr}
	logPath := filepath.Join(cfg.tmp, "cold-"+name+".log")
	t0 := time.Now()
	cmd, exited, err := startPinned(cfg, args, nil, logPath)
	if err != nil {
		return 0, err
	}
	defer stopProcess(name, cmd, exited)
	for {
		resp, err := client.Get("http://" + addr + "/")
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			d := time.Since(t0)
			if rerr != nil || resp.StatusCode != 200 || string(body) != site.Hello {
				return 0, fmt.Errorf("GET /: %d %q, %v", resp.StatusCode, body, rerr)
			}
			return d, nil
		}
		select {
		case <-exited:
			return 0, fmt.Errorf("exited before answering (%s):\n%s", cmd.ProcessState, logTail(logPath))
		case <-ctx.Done():
			return 0, ctx.Err()
		default:
		}
		if time.Since(t0) > readyTimeout {
			return 0, fmt.Errorf("no answer within %s:\n%s", readyTimeout, logTail(logPath))
		}
		time.Sleep(coldPoll)
	}
}

// fmtMs prints a duration in milliseconds.
func fmtMs(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
