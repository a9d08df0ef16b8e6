package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverDef is one kind of server of the table.
type serverDef struct {
	name  string // -servers name
	label string // name in the tables
	peer  bool   // served by cmd/peers -router name
}

// serverDefs are the servers, in table order; flasky comes first.
var serverDefs = []serverDef{
	{name: "flasky", label: "flasky"},
	{name: "nethttp", label: "net/http", peer: true},
	{name: "httprouter", label: "httprouter", peer: true},
	{name: "gin", label: "gin", peer: true},
	{name: "echo", label: "echo", peer: true},
	{name: "chi", label: "chi", peer: true},
	{name: "gunicorn", label: "gunicorn+Flask"},
	{name: "flask-dev", label: "Flask dev server"},
}

// serverNames lists the names of all servers.
func serverNames() []string {
	var out []string
	for _, d := range serverDefs {
		out = append(out, d.name)
	}
	return out
}

// serverLabel is a server's name in the tables.
func serverLabel(name string) string {
	for _, d := range serverDefs {
		if d.name == name {
			return d.label
		}
	}
	return name
}

// isPeer tells whether cmd/peers serves the server.
func isPeer(name string) bool {
	i := slices.IndexFunc(serverDefs, func(d serverDef) bool { return d.name == name })
	return i >= 0 && serverDefs[i].peer
}

// selectServers returns the servers named in the -servers flag, in table
// order.
func selectServers(s string) ([]string, error) {
	names, err := splitNames(s, serverNames())
	if err != nil {
		return nil, fmt.Errorf("-servers: %w", err)
	}
	var out []string
	for _, n := range serverNames() {
		if slices.Contains(names, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// server is one started server process.
type server struct {
	name    string
	cmd     *exec.Cmd
	url     string
	logPath string
	exited  chan struct{} // closed when the process has been waited for
	bodyLen int           // length of the checked response body
	ctype   string        // its Content-Type
}

// serverArgs is the command line of one server for a case (to run under
// taskset), and the extra environment it needs.
func serverArgs(cfg *config, c benchCase, name, addr string) (args, env []string, err error) {
	_, port, _ := net.SplitHostPort(addr)
	pyDir := filepath.Join(cfg.root, "internal", "parity", "testdata")
	if c.inSite {
		pyDir = cfg.site
	}
	// Do not leave __pycache__ in the repository.
	pyEnv := []string{"PYTHONDONTWRITEBYTECODE=1"}
	switch {
	case name == "flasky" && c.example != "":
		return []string{cfg.bins["example-"+c.example], "-addr", addr}, nil, nil
	case name == "flasky" && c.program == "flasky-static":
		return []string{cfg.bins["flasky-static"], "-addr", addr, "-root", cfg.site}, nil, nil
	case name == "flasky" && c.program != "":
		return []string{cfg.bins[c.program], "-addr", addr}, nil, nil
	case isPeer(name):
		return []string{cfg.bins["peers"], "-router", name, "-addr", addr, "-root", cfg.site}, nil, nil
	case name == "gunicorn":
		return []string{cfg.gunicorn, "-w", "1", "-k", "sync", "-b", addr, "--chdir", pyDir, c.module + ":app"}, pyEnv, nil
	case name == "flask-dev":
		return []string{cfg.python, filepath.Join(pyDir, c.module+".py"), port}, pyEnv, nil
	}
	return nil, nil, fmt.Errorf("unknown server %q", name)
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

// startPinned starts args pinned to CPU 0 (taskset -c 0), in the
// repository root, its output going to logPath.
func startPinned(cfg *config, args, env []string, logPath string) (*exec.Cmd, chan struct{}, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, nil, err
	}
	defer logf.Close() // the child has its own descriptor
	cmd := exec.Command("taskset", append([]string{"-c", "0"}, args...)...)
	cmd.Dir = cfg.root
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("start %s: %w", args[0], err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	return cmd, exited, nil
}

// startServer starts one server for a case, pinned to CPU 0, its output
// going to a log file.
func startServer(cfg *config, c benchCase, name string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args, env, err := serverArgs(cfg, c, name, addr)
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(cfg.tmp, c.name+"-"+name+".log")
	logf("%s: start taskset -c 0 %s", c.name, strings.Join(args, " "))
	cmd, exited, err := startPinned(cfg, args, env, logPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &server{name: name, cmd: cmd, url: "http://" + addr + c.path, logPath: logPath, exited: exited}, nil
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
	if err := checkAnswer(c, resp.StatusCode, body); err != nil {
		return fmt.Errorf("check %s %s: %w", s.name, s.url, err)
	}
	s.bodyLen, s.ctype = len(body), resp.Header.Get("Content-Type")
	logf("%s %s: %s: 200, %d-byte body as expected (%s)", c.name, s.name, c.request(), len(body), s.ctype)
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

// stopServer stops a server by its PID: SIGTERM, then SIGKILL if it has not
// exited after stopTimeout. Descendants that outlive it (gunicorn's worker
// if the master had to be killed) are killed by their own PIDs.
func stopServer(s *server) {
	stopProcess(s.name, s.cmd, s.exited)
}

// stopProcess stops a started process and its descendants, as stopServer.
func stopProcess(name string, cmd *exec.Cmd, exited chan struct{}) {
	pid := cmd.Process.Pid
	kids := descendants(pid)
	select {
	case <-exited:
	default:
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(stopTimeout):
			logf("%s (pid %d) still running %s after SIGTERM: SIGKILL", name, pid, stopTimeout)
			cmd.Process.Kill()
			select {
			case <-exited:
			case <-time.After(stopTimeout):
				logf("%s (pid %d) not reaped after SIGKILL", name, pid)
			}
		}
	}
	for k, was := range kids {
		// The same process only if it still has the start time seen before.
		if st, err := readStat(k); err == nil && st.start == was.start {
			logf("%s's child pid %d outlived it: SIGKILL", name, k)
			if p, err := os.FindProcess(k); err == nil {
				p.Kill()
			}
		}
	}
}

// logf prints a progress line to standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "e2e: "+format+"\n", args...)
}
