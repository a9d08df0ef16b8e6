// Command nginx checks flasky's scale-out story on one machine: two
// instances of an app behind Debian's nginx, restarted one at a time
// while clients keep sending requests. It is a command, not a library
// package, so that nothing imports the configuration it checks.
//
//	bash deploy/nginx/run.sh              # installs nginx if missing, then:
//	go run ./deploy/nginx -duration 20s
//
// It builds internal/faults/cmd/faultapp (the examples' routes plus /ip,
// which answers the client address the app sees), starts two instances
// on free loopback ports with TrustProxies("127.0.0.1"), and runs nginx
// as the current user with flasky.conf (beside this file) in a temporary
// folder that also holds its pid, logs and temp files. Clients connect
// to nginx from 127.0.0.2 and send a forged X-Forwarded-For; every /ip
// answer must name 127.0.0.2. Meanwhile each instance in turn gets
// SIGTERM, exits after finishing its requests, and starts again.
//
// It prints what it did and exits 1 when any request failed, an answer
// was wrong or an instance never served; it exits 0 with a message when
// nginx is not installed. It stops only the processes it started.
package main

import (
	"context"
	_ "embed"
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
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/flasky-go/flasky/internal/cluster"
)

// siteConf is flasky.conf, embedded so that the check runs the very file
// users copy: an upstream of two instances on 127.0.0.1:8081 and
// 127.0.0.1:8082 and a server on 127.0.0.1:8080 that forwards to them,
// for nginx's http block.
//
//go:embed flasky.conf
var siteConf string

func main() {
	duration := flag.Duration("duration", 20*time.Second, "how long the load runs")
	clients := flag.Int("clients", 4, "concurrent clients")
	appBin := flag.String("app", "", "faultapp binary (default: go build ./internal/faults/cmd/faultapp)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, *duration, *clients, *appBin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
	}
	os.Exit(code)
}

// say prints one line of the report.
func say(format string, args ...any) { fmt.Printf("cluster: "+format+"\n", args...) }

func run(ctx context.Context, duration time.Duration, clients int, appBin string) (int, error) {
	if runtime.GOOS == "windows" {
		say("Unix only, because instances are restarted with SIGTERM, which Windows cannot send: skipped")
		return 0, nil
	}
	nginxBin, err := cluster.NginxBinary()
	if err != nil {
		say("%v: skipped", err)
		return 0, nil
	}
	dir, err := os.MkdirTemp("", "flasky-cluster-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)

	if appBin == "" {
		appBin = filepath.Join(dir, "faultapp")
		out, err := exec.Command("go", "build", "-o", appBin, "github.com/flasky-go/flasky/internal/faults/cmd/faultapp").CombinedOutput()
		if err != nil {
			return 1, fmt.Errorf("go build faultapp: %w\n%s", err, out)
		}
	}
	ports, err := cluster.FreePorts(3)
	if err != nil {
		return 1, err
	}
	front := "127.0.0.1:" + ports[0]
	var insts []*cluster.Instance
	var access []*accessLog
	for i, name := range []string{"a", "b"} {
		addr := "127.0.0.1:" + ports[i+1]
		log := &accessLog{}
		access = append(access, log)
		insts = append(insts, &cluster.Instance{Name: name, Addr: addr, OnLine: log.line,
			Args: []string{appBin, "-addr", addr, "-trust", "127.0.0.1", "-grace", "5s", "-name", name}})
	}
	defer func() {
		for _, in := range insts {
			in.Stop(5 * time.Second)
		}
	}()
	for _, in := range insts {
		if err := in.Start(); err != nil {
			return 1, err
		}
	}

	ng, err := cluster.StartNginx(cluster.Config{
		Bin: nginxBin, Dir: dir, Site: siteConf, Front: front, AccessLog: true,
		Addrs: map[string]string{"127.0.0.1:8080": front, "127.0.0.1:8081": insts[0].Addr, "127.0.0.1:8082": insts[1].Addr},
	})
	if err != nil {
		return 1, err
	}
	defer ng.Stop()
	say("%s on %s in front of a (%s) and b (%s); its files in %s", ng.Version, front, insts[0].Addr, insts[1].Addr, dir)

	clientIP := "127.0.0.2"
	if l, err := net.Listen("tcp", clientIP+":0"); err != nil {
		say("cannot use %s as a client address (%v): clients use 127.0.0.1", clientIP, err)
		clientIP = "127.0.0.1"
	} else {
		l.Close()
	}

	// The load: GET /, /ip (with a forged X-Forwarded-For) and a slow
	// request, round robin, from each client, until the end.
	var (
		total, failed, ipOK atomic.Int64
		byName              sync.Map // instance name -> *atomic.Int64
		mu                  sync.Mutex
		failures            []string
		wg                  sync.WaitGroup
	)
	for _, in := range insts {
		byName.Store(in.Name, new(atomic.Int64))
	}
	loadCtx, endLoad := context.WithTimeout(ctx, duration)
	defer endLoad()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(clientIP)}, Timeout: 5 * time.Second}
	client := &http.Client{
		Transport: &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: clients},
		Timeout:   15 * time.Second,
	}
	paths := []string{"/", "/ip", "/", "/ip", "/slow?ms=200&kb=16"}
	for c := range clients {
		wg.Go(func() {
			for i := c; loadCtx.Err() == nil; i++ {
				path := paths[i%len(paths)]
				total.Add(1)
				got, err := fetch(client, "http://"+front+path)
				switch {
				case err == nil && path == "/ip":
					fields := strings.Fields(got)
					if len(fields) == 3 && fields[0] == clientIP {
						ipOK.Add(1)
						if n, ok := byName.Load(fields[2]); ok {
							n.(*atomic.Int64).Add(1)
						}
					} else {
						err = fmt.Errorf("the app saw the client as %q, want %s", got, clientIP)
					}
				case err == nil && path == "/" && got != "hello~~":
					err = fmt.Errorf("body %q", got)
				case err == nil && strings.HasPrefix(path, "/slow") && len(got) != 16*1024:
					err = fmt.Errorf("%d of %d bytes", len(got), 16*1024)
				}
				if err != nil {
					failed.Add(1)
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s %s: %v", time.Now().Format("15:04:05.000"), path, err))
					mu.Unlock()
				}
			}
		})
	}
	say("%v of load from %d clients at %s, restarting one instance at a time", duration, clients, clientIP)

	// Restart a, b, a, b... with a pause between, so nginx's fail_timeout
	// (2s) has passed and both instances serve again before the next.
	gap := max(duration/5, 3*time.Second)
	var restartErr error
	for i := 0; ; i++ {
		select {
		case <-loadCtx.Done():
		case <-time.After(gap):
		}
		if loadCtx.Err() != nil || time.Until(deadline(loadCtx)) < gap/2 {
			break
		}
		in := insts[i%len(insts)]
		took, err := in.Restart(10 * time.Second)
		if err != nil {
			restartErr = err
			endLoad()
			break
		}
		say("restart %s: SIGTERM, exited in %v (exit status 0), listening again", in.Name, took.Round(time.Millisecond))
	}
	<-loadCtx.Done()
	wg.Wait()
	if ctx.Err() != nil {
		return 1, errors.New("interrupted")
	}
	if restartErr != nil {
		return 1, restartErr
	}

	// What the instances logged: the access log line starts with the
	// address ClientIP found.
	counts := []string{}
	ok := failed.Load() == 0
	for i, in := range insts {
		n, _ := byName.Load(in.Name)
		served := n.(*atomic.Int64).Load()
		lines := access[i].lines(clientIP)
		counts = append(counts, fmt.Sprintf("%s answered %d /ip, its access log shows %s on %d lines", in.Name, served, clientIP, lines))
		if served == 0 || lines == 0 {
			ok = false
		}
	}
	say("%d requests, %d failed; /ip named the client %s (not nginx's address nor the forged 6.6.6.6) %d times",
		total.Load(), failed.Load(), clientIP, ipOK.Load())
	say("%s", strings.Join(counts, "; "))
	for i, f := range failures {
		if i == 10 {
			say("... %d more failures", len(failures)-10)
			break
		}
		say("failed: %s", f)
	}
	if !ok {
		say("FAIL (nginx error log: %s)", ng.ErrorTail())
		return 1, nil
	}
	say("PASS: no request failed during %d-instance rolling restarts", len(insts))
	return 0, nil
}

func deadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// fetch GETs url with a forged X-Forwarded-For and returns the body of a
// 200 answer.
func fetch(c *http.Client, url string) (string, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("X-Forwarded-For", "6.6.6.6")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("status %d: %.100q", resp.StatusCode, b)
	}
	return string(b), nil
}

// accessLog counts an instance's access-log lines by client address,
// over all its runs: the line starts with the address ClientIP found.
type accessLog struct {
	mu     sync.Mutex
	byHost map[string]int
}

func (l *accessLog) line(line string) {
	host, _, ok := strings.Cut(line, " - - [")
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byHost == nil {
		l.byHost = map[string]int{}
	}
	l.byHost[host]++
}

func (l *accessLog) lines(host string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.byHost[host]
}
