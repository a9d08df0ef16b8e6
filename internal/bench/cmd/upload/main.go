// Command upload measures big file uploads over a real loopback socket:
// the time and the server's peak memory of flasky's c.Files.Get + Save
// against a raw net/http handler that streams r.MultipartReader() to a
// file, and against net/http's ParseMultipartForm (and Flask, when asked).
//
// Run it from internal/bench (about a minute with the defaults):
//
//	go run ./cmd/upload
//	go run ./cmd/upload -sizes 256M,1G -servers raw,flasky,flasky-spool,parseform,flask -reps 5
//
// -json FILE also writes the goals, judged, as JSON: cmd/e2e runs this
// command for its full report and reads them from there.
//
// Every upload gets a server process of its own: this program starts
// itself again as the server (on 127.0.0.1, pinned to CPU 1 with taskset
// when there is one; the client side is pinned to CPU 0), reads its VmRSS
// from /proc/PID/status once it listens (idle), uploads 1 MiB to warm it
// up (its memory counts in the peak), sends the
// big upload as one multipart/form-data POST with a Content-Length, as a
// browser does, and reads the server's VmHWM (its peak resident memory)
// once it has answered. The time is the client's, from the first byte
// sent to the answer. The saved file's size and first and last MiB are
// checked, then the upload folder is deleted and the disk synced, so
// that one run's write-back does not fall on the next.
//
// The servers:
//
//	raw           net/http handler: r.MultipartReader(), NextPart, os.Create, io.Copy
//	flasky        flasky handler: c.Files.Get("file"), f.Save(dir)
//	flasky-spool  flasky handler that reads c.Form first, so the file is
//	              spooled to TMPDIR (same file system) and Save moves it
//	parseform     net/http handler: r.ParseMultipartForm(32 MiB), FormFile, io.Copy
//	flask         Flask 3 f.save() under Werkzeug's development server (python3)
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/flasky-go/flasky"
)

// Environment variables that make this program the server child.
const (
	envServe = "UPLOAD_BENCH_SERVE" // the server: raw, flasky...
	envDir   = "UPLOAD_BENCH_DIR"   // where it saves uploads
	envProf  = "UPLOAD_BENCH_PROF"  // if set, the CPU profile file it writes
)

const (
	boundary    = "flasky-upload-bench-boundary-7f3a9c"
	fieldName   = "file"
	fileName    = "big.bin"
	blockSize   = 1 << 20 // the client's data repeats one random block
	warmupSize  = 1 << 20
	readyWait   = 20 * time.Second
	stopWait    = 5 * time.Second
	uploadLimit = 10 * time.Minute
)

var goServers = []string{"raw", "flasky", "flasky-spool", "parseform"}

// flaskApp is the Flask program of the "flask" server: Flask's own upload
// pattern, request.files[...].save(), under the development server.
const flaskApp = `
import os, sys
from flask import Flask, request
from werkzeug.utils import secure_filename
app = Flask(__name__)
DIR = os.environ["UPLOAD_BENCH_DIR"]
@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    f.save(os.path.join(DIR, secure_filename(f.filename)))
    return "ok"
@app.route("/ready")
def ready():
    return "ok"
import logging; logging.getLogger("werkzeug").setLevel(logging.ERROR)
app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
`

func main() {
	if mode := os.Getenv(envServe); mode != "" {
		if err := serveChild(mode, os.Getenv(envDir), os.Getenv(envProf)); err != nil {
			fmt.Fprintln(os.Stderr, "upload server:", err)
			os.Exit(1)
		}
		return
	}
	sizes := flag.String("sizes", "256M,1G", "comma-separated upload sizes (K, M, G suffixes are KiB, MiB, GiB)")
	servers := flag.String("servers", "raw,flasky", "comma-separated servers: raw, flasky, flasky-spool, parseform, flask")
	reps := flag.Int("reps", 3, "uploads per size and server; the table shows medians")
	tmp := flag.String("tmp", os.TempDir(), "folder for the uploaded files (each run's folder is deleted after it)")
	pin := flag.Bool("pin", true, "pin the server to CPU 1 and the client to CPU 0 with taskset, when there is one")
	prof := flag.String("cpuprofile", "", "folder where each Go server writes a CPU profile (SERVER-SIZE-REP.prof)")
	jsonOut := flag.String("json", "", "also write the goals, judged, to this JSON file (for cmd/e2e)")
	flag.Parse()
	cfg := config{reps: *reps, tmp: *tmp, pin: *pin, prof: *prof}
	if cfg.prof != "" {
		if err := os.MkdirAll(cfg.prof, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "upload:", err)
			os.Exit(2)
		}
	}
	var err error
	if cfg.sizes, err = parseSizes(*sizes); err != nil {
		fmt.Fprintln(os.Stderr, "upload:", err)
		os.Exit(2)
	}
	cfg.servers = strings.Split(*servers, ",")
	for _, s := range cfg.servers {
		if !slices.Contains(goServers, s) && s != "flask" {
			fmt.Fprintf(os.Stderr, "upload: unknown server %q\n", s)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	results, err := run(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "upload:", err)
		os.Exit(1)
	}
	report(os.Stdout, cfg, results)
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, goals(cfg, medians(cfg, results))); err != nil {
			fmt.Fprintln(os.Stderr, "upload:", err)
			os.Exit(1)
		}
	}
}

type config struct {
	sizes   []int64
	servers []string
	reps    int
	tmp     string
	pin     bool
	prof    string
}

// sample is one measured upload.
type sample struct {
	seconds  float64
	cpu      float64 // the server's user+system CPU seconds during the upload
	idleKiB  int64   // VmRSS once started, before the warm-up
	peakKiB  int64   // VmHWM after the upload
	fileSize int64
}

type key struct {
	size   int64
	server string
}

func parseSizes(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		mult := int64(1)
		switch {
		case strings.HasSuffix(f, "K"):
			mult, f = 1<<10, strings.TrimSuffix(f, "K")
		case strings.HasSuffix(f, "M"):
			mult, f = 1<<20, strings.TrimSuffix(f, "M")
		case strings.HasSuffix(f, "G"):
			mult, f = 1<<30, strings.TrimSuffix(f, "G")
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad size %q", f)
		}
		out = append(out, n*mult)
	}
	return out, nil
}

// run measures every size and server reps times, the servers taking
// turns within each repetition.
func run(ctx context.Context, cfg config, log io.Writer) (map[key][]sample, error) {
	if cfg.pin {
		if _, err := exec.LookPath("taskset"); err != nil {
			cfg.pin = false
		} else {
			// The client: this process, every thread.
			_ = exec.Command("taskset", "-a", "-p", "-c", "0", strconv.Itoa(os.Getpid())).Run()
		}
	}
	block := make([]byte, blockSize)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range block {
		block[i] = byte(rng.Uint32())
	}
	results := map[key][]sample{}
	for _, size := range cfg.sizes {
		for rep := 0; rep < cfg.reps; rep++ {
			for _, srv := range cfg.servers {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				s, err := measure(ctx, cfg, srv, size, rep, block)
				if err != nil {
					return nil, fmt.Errorf("%s, %s: %w", srv, human(size), err)
				}
				fmt.Fprintf(log, "%-12s %7s  %6.3f s  cpu %6.2f s  idle %6.1f MiB  peak %6.1f MiB\n", srv, human(size), s.seconds,
					s.cpu, float64(s.idleKiB)/1024, float64(s.peakKiB)/1024)
				results[key{size, srv}] = append(results[key{size, srv}], s)
			}
		}
	}
	return results, nil
}

// measure starts one server, warms it up, uploads size bytes and stops it.
func measure(ctx context.Context, cfg config, srv string, size int64, rep int, block []byte) (sample, error) {
	runDir, err := os.MkdirTemp(cfg.tmp, "upload-bench-")
	if err != nil {
		return sample{}, err
	}
	defer func() {
		_ = os.RemoveAll(runDir)
		syncDisks()
	}()
	dest, spool := filepath.Join(runDir, "dest"), filepath.Join(runDir, "spool")
	for _, d := range []string{dest, spool} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return sample{}, err
		}
	}
	prof := ""
	if cfg.prof != "" {
		prof = filepath.Join(cfg.prof, fmt.Sprintf("%s-%s-%d.prof", srv, strings.ReplaceAll(human(size), " ", ""), rep))
	}
	child, err := startServer(ctx, cfg, srv, dest, spool, prof)
	if err != nil {
		return sample{}, err
	}
	defer child.stop()

	time.Sleep(200 * time.Millisecond)
	idle, err := procStatus(child.pid(), "VmRSS")
	if err != nil {
		return sample{}, err
	}
	client := &http.Client{Transport: &http.Transport{WriteBufferSize: 256 << 10, DisableCompression: true}}
	if _, err := upload(ctx, client, child.url, warmupSize, block); err != nil {
		return sample{}, fmt.Errorf("warm-up: %w (server log: %s)", err, child.log())
	}
	cpu0, err := procCPU(child.pid())
	if err != nil {
		return sample{}, err
	}
	secs, err := upload(ctx, client, child.url, size, block)
	if err != nil {
		return sample{}, fmt.Errorf("%w (server log: %s)", err, child.log())
	}
	cpu1, err := procCPU(child.pid())
	if err != nil {
		return sample{}, err
	}
	peak, err := procStatus(child.pid(), "VmHWM")
	if err != nil {
		return sample{}, err
	}
	n, err := check(filepath.Join(dest, fileName), size, block)
	if err != nil {
		return sample{}, err
	}
	return sample{seconds: secs, cpu: cpu1 - cpu0, idleKiB: idle, peakKiB: peak, fileSize: n}, nil
}

// dataReader yields size bytes of block repeated.
type dataReader struct {
	block []byte
	off   int64
	size  int64
}

func (d *dataReader) Read(p []byte) (int, error) {
	if d.off >= d.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), d.size-d.off)]
	n := 0
	for n < len(p) {
		n += copy(p[n:], d.block[(d.off+int64(n))%int64(len(d.block)):])
	}
	d.off += int64(n)
	return n, nil
}

// upload sends size bytes as the file of a multipart/form-data POST with
// a Content-Length, and returns the seconds until the answer.
func upload(ctx context.Context, client *http.Client, url string, size int64, block []byte) (float64, error) {
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fieldName + "\"; filename=\"" + fileName +
		"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	body := io.MultiReader(strings.NewReader(head), &dataReader{block: block, size: size}, strings.NewReader(tail))
	ctx, cancel := context.WithTimeout(ctx, uploadLimit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/upload", body)
	if err != nil {
		return 0, err
	}
	req.ContentLength = int64(len(head)) + size + int64(len(tail))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	answer, err := io.ReadAll(res.Body)
	secs := time.Since(start).Seconds()
	res.Body.Close()
	if err != nil {
		return 0, err
	}
	if res.StatusCode != 200 || strings.TrimSpace(string(answer)) != "ok" {
		return 0, fmt.Errorf("answer %d %q", res.StatusCode, answer)
	}
	return secs, nil
}

// check verifies the saved file's size and its first and last MiB.
func check(path string, size int64, block []byte) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.Size() != size {
		return st.Size(), fmt.Errorf("saved %d bytes, sent %d", st.Size(), size)
	}
	for _, off := range []int64{0, max(0, size-blockSize)} {
		n := min(blockSize, size-off)
		got := make([]byte, n)
		if _, err := f.ReadAt(got, off); err != nil {
			return 0, err
		}
		want := make([]byte, n)
		_, _ = io.ReadFull(&dataReader{block: block, size: size, off: off}, want)
		if !bytes.Equal(got, want) {
			return 0, fmt.Errorf("saved data differs at offset %d", off)
		}
	}
	return size, nil
}

// procStatus reads one "Vm...: N kB" line of /proc/PID/status.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// procCPU returns the user+system CPU seconds of a process (fields 14
// and 15 of /proc/PID/stat, in clock ticks of 1/100 s).
func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // after the command name
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return float64(utime+stime) / 100, nil
}

// child is a started server process.
type child struct {
	cmd    *exec.Cmd
	url    string
	output *bytes.Buffer
	done   chan struct{}
}

func (c *child) pid() int { return c.cmd.Process.Pid }

func (c *child) log() string { return strings.TrimSpace(c.output.String()) }

// stop ends the server by its PID: SIGTERM, then SIGKILL.
func (c *child) stop() {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(stopWait):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// startServer starts srv as a child process and waits until it answers.
func startServer(ctx context.Context, cfg config, srv, dest, spool, prof string) (*child, error) {
	var args []string
	port := ""
	if srv == "flask" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		ln.Close()
		args = []string{"python3", "-c", flaskApp, port}
	} else {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		args = []string{exe}
	}
	if cfg.pin {
		args = append([]string{"taskset", "-c", "1"}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(os.Environ(), envServe+"="+srv, envDir+"="+dest, envProf+"="+prof, "TMPDIR="+spool)
	out := &bytes.Buffer{}
	cmd.Stderr = out
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, output: out, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(c.done) }()
	if srv == "flask" {
		go func() { _, _ = io.Copy(out, stdout) }()
		c.url = "http://127.0.0.1:" + port
		deadline := time.Now().Add(readyWait)
		for {
			res, err := http.Get(c.url + "/ready")
			if err == nil {
				res.Body.Close()
				break
			}
			if time.Now().After(deadline) {
				c.stop()
				return nil, fmt.Errorf("flask did not start: %s", c.log())
			}
			time.Sleep(100 * time.Millisecond)
		}
		return c, nil
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				ready <- addr
			}
		}
	}()
	select {
	case addr := <-ready:
		c.url = "http://" + addr
		return c, nil
	case <-time.After(readyWait):
	case <-c.done:
	}
	c.stop()
	return nil, fmt.Errorf("server %s did not start: %s", srv, c.log())
}

// serveChild is the server process: it serves mode on a free loopback
// port, prints "READY addr", and stops on SIGTERM.
func serveChild(mode, dir, prof string) error {
	if dir == "" {
		return errors.New(envDir + " is not set")
	}
	if prof != "" {
		f, err := os.Create(prof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	h, err := handler(mode, dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println("READY " + ln.Addr().String())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if app, ok := h.(*flasky.App); ok {
		return app.Serve(ctx, ln, flasky.NoAccessLog())
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// handler returns the server of one mode, saving uploads in dir.
func handler(mode, dir string) (http.Handler, error) {
	ok := func(w http.ResponseWriter) { _, _ = io.WriteString(w, "ok") }
	switch mode {
	case "raw":
		// The least a Go program can do: stream each file part to a file.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mr, err := r.MultipartReader()
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					http.Error(w, err.Error(), 400)
					return
				}
				if p.FileName() == "" {
					continue
				}
				f, err := os.Create(filepath.Join(dir, filepath.Base(p.FileName())))
				if err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
				_, err = io.Copy(f, p)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
			}
			ok(w)
		}), nil
	case "parseform":
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseMultipartForm(32 << 20); err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			src, hdr, err := r.FormFile(fieldName)
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			defer src.Close()
			f, err := os.Create(filepath.Join(dir, filepath.Base(hdr.Filename)))
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			_, err = io.Copy(f, src)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			ok(w)
		}), nil
	case "flasky", "flasky-spool":
		app := flasky.New()
		app.Route("/upload", func(c *flasky.Ctx) error {
			if mode == "flasky-spool" {
				_ = c.Form.Get("x") // reads past the file: it is spooled
			}
			f, err := c.Files.Get(fieldName)
			if err != nil {
				return err
			}
			if _, err := f.Save(dir); err != nil {
				return err
			}
			return c.String("ok")
		}, "POST")
		return app, nil
	}
	return nil, fmt.Errorf("unknown server %q", mode)
}

func human(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// med is the median time and peak above idle of one size and server.
type med struct{ secs, above float64 }

// medians computes med for every size and server measured.
func medians(cfg config, results map[key][]sample) map[key]med {
	meds := map[key]med{}
	for _, size := range cfg.sizes {
		for _, srv := range cfg.servers {
			ss := results[key{size, srv}]
			if len(ss) == 0 {
				continue
			}
			var secs, above []float64
			for _, s := range ss {
				secs = append(secs, s.seconds)
				above = append(above, float64(s.peakKiB-s.idleKiB)/1024)
			}
			meds[key{size, srv}] = med{median(secs), median(above)}
		}
	}
	return meds
}

// Goal is one of the uploads issue's goals, judged; it is also what
// -json writes, for cmd/e2e's report and chart.
type Goal struct {
	Target      string  `json:"target"`   // the goal in words
	Measured    string  `json:"measured"` // what was measured, in words
	Short       string  `json:"short"`    // an ASCII label for a chart
	Value       float64 `json:"value"`    // the measured ratio or MiB
	Limit       float64 `json:"limit"`    // the most Value may be
	LowerBetter bool    `json:"lower_is_better"`
	Met         bool    `json:"met"`
}

// goals judges the goals for the sizes and servers measured.
func goals(cfg config, meds map[key]med) []Goal {
	var out []Goal
	for _, size := range cfg.sizes {
		f, okF := meds[key{size, "flasky"}]
		r, okR := meds[key{size, "raw"}]
		if okF && okR {
			ratio := f.secs / r.secs
			out = append(out, Goal{
				Target:   fmt.Sprintf("%s: flasky Save time <= 1.2x raw MultipartReader streaming", human(size)),
				Measured: fmt.Sprintf("%.3f s vs %.3f s: %.2fx", f.secs, r.secs, ratio),
				Short:    fmt.Sprintf("upload %s time vs raw", strings.ReplaceAll(human(size), " ", "")),
				Value:    ratio, Limit: 1.2, LowerBetter: true, Met: ratio <= 1.2,
			})
		}
		if okF {
			out = append(out, Goal{
				Target:   fmt.Sprintf("%s: flasky peak RSS <= 16 MiB above idle", human(size)),
				Measured: fmt.Sprintf("%.1f MiB", f.above),
				Short:    fmt.Sprintf("upload %s peak RSS", strings.ReplaceAll(human(size), " ", "")),
				Value:    f.above, Limit: 16, LowerBetter: true, Met: f.above <= 16,
			})
		}
	}
	if len(cfg.sizes) > 1 {
		small, big := cfg.sizes[0], cfg.sizes[len(cfg.sizes)-1]
		fs, ok1 := meds[key{small, "flasky"}]
		fb, ok2 := meds[key{big, "flasky"}]
		if ok1 && ok2 {
			grow := fb.above - fs.above
			out = append(out, Goal{
				Target:   fmt.Sprintf("flasky peak above idle flat from %s to %s (within 2 MiB)", human(small), human(big)),
				Measured: fmt.Sprintf("%.1f MiB to %.1f MiB", fs.above, fb.above),
				Short:    "upload peak RSS growth",
				Value:    grow, Limit: 2, LowerBetter: true, Met: grow <= 2,
			})
		}
	}
	return out
}

// writeJSON writes the goals to path, for cmd/e2e.
func writeJSON(path string, gs []Goal) error {
	b, err := json.MarshalIndent(struct {
		Goals []Goal `json:"goals"`
	}{gs}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// report prints the table of medians and the goals.
func report(w io.Writer, cfg config, results map[key][]sample) {
	fmt.Fprintf(w, "\n| size | server | time (median) | runs | MiB/s | server CPU | idle RSS | peak RSS (VmHWM) | peak above idle |\n")
	fmt.Fprintf(w, "|---|---|---:|---|---:|---:|---:|---:|---:|\n")
	meds := medians(cfg, results)
	for _, size := range cfg.sizes {
		for _, srv := range cfg.servers {
			ss := results[key{size, srv}]
			if len(ss) == 0 {
				continue
			}
			var cpu, idle, peak []float64
			var runs []string
			for _, s := range ss {
				cpu = append(cpu, s.cpu)
				idle = append(idle, float64(s.idleKiB)/1024)
				peak = append(peak, float64(s.peakKiB)/1024)
				runs = append(runs, fmt.Sprintf("%.2f", s.seconds))
			}
			m := meds[key{size, srv}]
			fmt.Fprintf(w, "| %s | %s | %.3f s | %s | %.0f | %.2f s | %.1f MiB | %.1f MiB | %.1f MiB |\n", human(size), srv, m.secs,
				strings.Join(runs, ", "), float64(size)/(1<<20)/m.secs, median(cpu), median(idle), median(peak), m.above)
		}
	}
	fmt.Fprintf(w, "\n| goal | measured | result |\n|---|---|---|\n")
	for _, g := range goals(cfg, meds) {
		verdict := "**met**"
		if !g.Met {
			verdict = "**missed**"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", g.Target, g.Measured, verdict)
	}
}
