// Package cluster runs, on loopback, the parts of the project's
// scale-out checks (deploy/nginx, examples/sessions/cmd/cluster): app
// instances started, restarted and stopped by process id, and Debian's
// nginx in front of them, in the foreground, as the current user, with
// every file it writes in a folder of its own.
package cluster

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// NginxBinary returns the path of nginx (on PATH, or Debian's
// /usr/sbin/nginx, outside a normal user's PATH), or an error saying how
// to install it.
func NginxBinary() (string, error) {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx", nil
	}
	return "", errors.New("nginx is not installed (apt-get install -y nginx)")
}

// Config is what StartNginx needs.
type Config struct {
	// Bin is the nginx binary, Dir the folder for its configuration,
	// pid, logs and temporary files.
	Bin, Dir string
	// Site is the site's configuration (a server and its upstream), as
	// a file of deploy/ or examples/ has it. Every key of Addrs in it is
	// replaced by the value: the file's 127.0.0.1:8080 by the front's
	// free port, and so on.
	Site  string
	Addrs map[string]string
	// Front is the address nginx listens on after the replacement:
	// StartNginx returns once it accepts connections.
	Front string
	// AccessLog keeps nginx's access log (Dir/access.log); off by
	// default, for load runs.
	AccessLog bool
}

// Nginx is the nginx master process StartNginx started.
type Nginx struct {
	// Version is what nginx -V says first ("nginx/1.22.1").
	Version string
	dir     string
	cmd     *exec.Cmd
	done    chan struct{}
}

// StartNginx writes nginx.conf (a main configuration around the site's) and
// starts nginx in the foreground, checked first with nginx -t. It
// returns once nginx accepts connections on cfg.Front, or an error that
// quotes nginx's error log.
func StartNginx(cfg Config) (*Nginx, error) {
	site := cfg.Site
	for from, to := range cfg.Addrs {
		if !strings.Contains(site, from) {
			return nil, fmt.Errorf("cluster: the site configuration has no %s to replace", from)
		}
		site = strings.ReplaceAll(site, from, to)
	}
	dir := cfg.Dir
	if err := os.WriteFile(filepath.Join(dir, "site.conf"), []byte(site), 0o644); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	vOut, err := exec.Command(cfg.Bin, "-V").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("cluster: %s -V: %w", cfg.Bin, err)
	}
	version, _, _ := strings.Cut(strings.TrimPrefix(string(vOut), "nginx version: "), "\n")

	var conf strings.Builder
	fmt.Fprintf(&conf, "worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\n", dir, dir)
	if os.Geteuid() == 0 {
		// As root, nginx's workers would switch to nobody, who cannot
		// write dir: keep them as the current user.
		conf.WriteString("user root;\n")
	}
	conf.WriteString("events { worker_connections 512; }\nhttp {\n")
	accessLog := "off"
	if cfg.AccessLog {
		accessLog = dir + "/access.log"
	}
	fmt.Fprintf(&conf, "    access_log %s;\n    client_body_temp_path %s/body;\n    proxy_temp_path %s/proxy;\n", accessLog, dir, dir)
	for _, m := range []string{"fastcgi", "uwsgi", "scgi"} {
		if !strings.Contains(string(vOut), "--without-http_"+m+"_module") {
			fmt.Fprintf(&conf, "    %s_temp_path %s/%s;\n", m, dir, m)
		}
	}
	fmt.Fprintf(&conf, "    include %s/site.conf;\n}\n", dir)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf.String()), 0o644); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}

	args := []string{"-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"), "-g", "daemon off;"}
	if out, err := exec.Command(cfg.Bin, append([]string{"-t"}, args...)...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("cluster: nginx -t: %w\n%s", err, out)
	}
	cmd := exec.Command(cfg.Bin, args...)
	cmd.SysProcAttr = childAttr()
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cluster: start nginx: %w", err)
	}
	p := &Nginx{Version: version, dir: dir, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		select {
		case <-p.done:
			return nil, fmt.Errorf("cluster: nginx exited at start: %s", p.ErrorTail())
		default:
		}
		if c, err := net.Dial("tcp", cfg.Front); err == nil {
			c.Close()
			return p, nil
		}
	}
	p.Stop()
	return nil, fmt.Errorf("cluster: nginx did not listen on %s within 10s: %s", cfg.Front, p.ErrorTail())
}

// Stop asks nginx to finish (SIGQUIT: graceful), kills it after 5
// seconds, and waits until it has exited.
func (p *Nginx) Stop() {
	select {
	case <-p.done:
		return
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGQUIT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		_ = p.cmd.Process.Kill()
	}
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// ErrorTail returns the last 2000 bytes of nginx's error log.
func (p *Nginx) ErrorTail() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "error.log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// FailedAttempts counts the error log's lines for requests an upstream
// could not answer (refused, reset, closed), and how many were POSTs.
func (p *Nginx) FailedAttempts() (all, posts int) {
	b, _ := os.ReadFile(filepath.Join(p.dir, "error.log"))
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.Contains(line, "[error]") && strings.Contains(line, "upstream") {
			all++
			if strings.Contains(line, `request: "POST `) {
				posts++
			}
		}
	}
	return all, posts
}
