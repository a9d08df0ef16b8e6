package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky/internal/bench/internal/site"
)

// wrkOutput is wrk 4.1.0's --latency output against gunicorn.
const wrkOutput = `Running 5s test @ http://127.0.0.1:45435/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.61ms   11.47ms  62.57ms   88.64%
    Req/Sec     2.94k   153.10     3.13k    84.00%
  Latency Distribution
     50%    5.14ms
     75%    5.55ms
     90%   23.96ms
     99%   48.67ms
  14617 requests in 5.00s, 2.47MB read
  Socket errors: connect 0, read 3, write 0, timeout 0
  Non-2xx or 3xx responses: 2
Requests/sec:   2923.11
Transfer/sec:    505.27KB
`

// TestParseWrk reads every value the table needs from wrk's output.
func TestParseWrk(t *testing.T) {
	s, err := parseWrk(wrkOutput)
	if err != nil {
		t.Fatal(err)
	}
	if s.reqPerSec != 2923.11 || s.requests != 14617 {
		t.Errorf("req/s %v, requests %d", s.reqPerSec, s.requests)
	}
	if s.p50 != 5140*time.Microsecond || s.p99 != 48670*time.Microsecond {
		t.Errorf("p50 %v, p99 %v", s.p50, s.p99)
	}
	if want := "socket errors: connect 0, read 3, write 0, timeout 0; 2 non-2xx/3xx responses"; s.errors != want {
		t.Errorf("errors %q, want %q", s.errors, want)
	}
	s, err = parseWrk("     50%  612.00us\n     99%    1.02s\n  10 requests in 1.00s, 1KB read\nRequests/sec:     10.00\n")
	if err != nil || s.p50 != 612*time.Microsecond || s.p99 != 1020*time.Millisecond || s.errors != "" {
		t.Errorf("units: %+v, %v", s, err)
	}
	for _, tt := range []struct{ name, bad string }{
		{"banner only", "Running 5s test\n"},
		{"no latencies", "  0 requests in 1.00s, 0B read\nRequests/sec: 0.00\n"},
		{"no requests", "     50%  612.00us\n     99%    1.02s\n  0 requests in 1.00s, 0B read\nRequests/sec:     0.00\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseWrk(tt.bad); err == nil {
				t.Errorf("parsed %q", tt.bad)
			}
		})
	}
}

// TestParseStat counts fields from the last ')', whatever the name holds.
func TestParseStat(t *testing.T) {
	line := "4242 (a) b (c)) S 17 4242 17 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 3 0 98765 1000 100 18446744073709551615\n"
	st, err := parseStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if st.ppid != 17 || st.ticks != 281 || st.start != 98765 {
		t.Errorf("got %+v", st)
	}
	if _, err := parseStat([]byte("4242 (x) S 1 2")); err == nil {
		t.Error("short stat parsed")
	}
}

// TestParseBusy sums user, nice, system, irq, softirq and steal of CPUs 0
// and 1 only.
func TestParseBusy(t *testing.T) {
	stat := "cpu  1000 1000 1000 1000 1000 1000 1000 1000 0 0\n" +
		"cpu0 1 2 3 1000 1000 4 5 6 0 0\n" +
		"cpu1 10 20 30 1000 1000 40 50 60 0 0\n" +
		"cpu2 100 100 100 100 100 100 100 100 0 0\nintr 5\n"
	got, err := parseBusy([]byte(stat))
	if err != nil || got != 21+210 {
		t.Errorf("parseBusy = %d, %v; want 231", got, err)
	}
	if _, err := parseBusy([]byte("cpu0 1 2 3 4 5 6 7 8\n")); err == nil {
		t.Error("a /proc/stat without cpu1 parsed")
	}
}

// TestParseAffinity reads taskset -c -p's answer.
func TestParseAffinity(t *testing.T) {
	if got, err := parseAffinity("pid 42's current affinity list: 0,1\n"); err != nil || got != "0,1" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := parseAffinity("taskset: failed"); err == nil {
		t.Error("garbage parsed")
	}
}

// TestTreeCPUTicks reads this process's own stat.
func TestTreeCPUTicks(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := treeCPUTicks(os.Getpid()); err != nil {
		t.Fatal(err)
	}
}

// slide33 is slide 33's picture as a JPEG, drawn with the standard
// library; broken paints the box blue.
func slide33(t *testing.T, broken bool) []byte {
	t.Helper()
	im := image.NewRGBA(image.Rect(0, 0, 220, 190))
	box := color.RGBA{0xff, 0xff, 0x33, 0xff}
	if broken {
		box = color.RGBA{0, 0, 0xff, 0xff}
	}
	for y := 40; y <= 180; y++ {
		for x := 40; x <= 210; x++ {
			im.Set(x, y, box)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, im, &jpeg.Options{Quality: 70}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCheckAnswer refuses error pages and wrong bodies, case by case.
func TestCheckAnswer(t *testing.T) {
	get := func(name string) benchCase {
		c, ok := findCase(name)
		if !ok {
			t.Fatalf("no case %s", name)
		}
		return c
	}
	page := "<h1>Hello Flask Template 홍길동\n  <ul><li>홍길동</li><li>이순신</li><li>임꺽정</li></ul>\n</h1>"
	static := site.StaticContent()
	tests := []struct {
		name   string
		cas    string
		status int
		body   []byte
		ok     bool
	}{
		{"hello", "hello", 200, []byte("hello~~"), true},
		{"hello 404", "hello", 404, []byte("hello~~"), false},
		{"hello extra newline", "hello", 200, []byte("hello~~\n"), false},
		{"param", "param", 200, []byte("data=gopher"), true},
		{"complex", "complex", 200, []byte("data=gopher"), true},
		{"complex with the suffix", "complex", 200, []byte("data=gopher.json"), false},
		{"formget", "formget", 200, []byte("name = 홍길동<br/>email = hong@example.com<br/>"), true},
		{"formget empty fields", "formget", 200, []byte("name = <br/>email = <br/>"), false},
		{"template", "template", 200, []byte(page), true},
		{"template empty list", "template", 200, []byte("<h1>Hello Flask Template 홍길동\n  <ul></ul>\n</h1>"), false},
		{"image", "image", 200, slide33(t, false), true},
		{"image wrong color", "image", 200, slide33(t, true), false},
		{"image not a JPEG", "image", 200, []byte("\xff\xd8\xffnot a jpeg"), false},
		{"static", "static", 200, static, true},
		{"static cut short", "static", 200, static[:len(static)-1], false},
		{"static 500", "static", 500, static, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkAnswer(get(tt.cas), tt.status, tt.body)
			if (err == nil) != tt.ok {
				t.Errorf("%s %d %.40q: error %v, want ok %v", tt.cas, tt.status, tt.body, err, tt.ok)
			}
		})
	}
}

// TestSelect checks the -cases and -servers lists.
func TestSelect(t *testing.T) {
	cs, err := selectCases("static, hello")
	if err != nil || len(cs) != 2 || cs[0].name != "hello" || cs[1].name != "static" {
		t.Errorf("selectCases: %v, %v", cs, err)
	}
	if cs, err := selectCases("none"); err != nil || len(cs) != 0 {
		t.Errorf("selectCases(none): %v, %v", cs, err)
	}
	if cs, err := selectCases("all"); err != nil || len(cs) != 7 {
		t.Errorf("selectCases(all): %d cases, %v", len(cs), err)
	}
	if _, err := selectCases("nope"); err == nil {
		t.Error("unknown case accepted")
	}
	if _, err := selectServers(","); err == nil {
		t.Error("empty server list accepted")
	}
	ss, err := selectServers("all")
	if err != nil || len(ss) != 8 || ss[0] != "flasky" || ss[7] != "flask-dev" {
		t.Errorf("selectServers: %v, %v", ss, err)
	}
	ss, err = selectServers("gunicorn,gin,flasky")
	if err != nil || strings.Join(ss, ",") != "flasky,gin,gunicorn" {
		t.Errorf("selectServers order: %v, %v", ss, err)
	}
}

// TestParseFlags checks the defaults, -check and refused values.
func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !o.micro || !o.upload || o.coldstart != 10 || o.chart != defaultChart || o.reps != 3 || o.duration != 5*time.Second {
		t.Errorf("defaults: %+v", o)
	}
	o, err = parseFlags([]string{"-check"}, io.Discard)
	if err != nil || o.micro || o.upload || o.coldstart != 0 || o.chart != "" {
		t.Errorf("-check: %+v, %v", o, err)
	}
	o, err = parseFlags([]string{"-micro=false", "-upload=false", "-chart", "", "-duration", "1s", "-reps", "1", "-warmup", "0"}, io.Discard)
	if err != nil || o.micro || o.upload || o.chart != "" || o.reps != 1 || o.warmup != 0 {
		t.Errorf("quick: %+v, %v", o, err)
	}
	o, err = parseFlags([]string{"-cases", "hello"}, io.Discard)
	if err != nil || o.chart != "" {
		t.Errorf("-cases hello: chart %q, %v; want none (a partial chart would replace the report's)", o.chart, err)
	}
	o, err = parseFlags([]string{"-servers", "flasky,gunicorn", "-chart", "/tmp/x.png"}, io.Discard)
	if err != nil || o.chart != "/tmp/x.png" {
		t.Errorf("-servers with -chart: chart %q, %v", o.chart, err)
	}
	for _, bad := range [][]string{{"-reps", "0"}, {"-duration", "500ms"}, {"-coldstart", "-1"}, {"-nope"}, {"extra"}} {
		t.Run(strings.Join(bad, " "), func(t *testing.T) {
			if _, err := parseFlags(bad, io.Discard); err == nil {
				t.Errorf("%q accepted", bad)
			}
		})
	}
}

// TestServerArgs checks each server's command line.
func TestServerArgs(t *testing.T) {
	cfg := &config{root: "/r", site: "/t/site", gunicorn: "/usr/bin/gunicorn", python: "/usr/bin/python3",
		bins: map[string]string{"example-routes": "/t/example-routes", "flasky-static": "/t/flasky-static",
			"flasky-complex": "/t/flasky-complex", "peers": "/t/peers"}}
	param, _ := findCase("param")
	static, _ := findCase("static")
	complexCase, _ := findCase("complex")
	tests := []struct {
		cas    benchCase
		server string
		want   string
	}{
		{param, "flasky", "/t/example-routes -addr 127.0.0.1:9"},
		{static, "flasky", "/t/flasky-static -addr 127.0.0.1:9 -root /t/site"},
		{complexCase, "flasky", "/t/flasky-complex -addr 127.0.0.1:9"},
		{complexCase, "nethttp", "/t/peers -router nethttp -addr 127.0.0.1:9 -root /t/site"},
		{complexCase, "gunicorn", "/usr/bin/gunicorn -w 1 -k sync -b 127.0.0.1:9 --chdir /t/site complex_site:app"},
		{complexCase, "flask-dev", "/usr/bin/python3 /t/site/complex_site.py 9"},
		{param, "gin", "/t/peers -router gin -addr 127.0.0.1:9 -root /t/site"},
		{param, "nethttp", "/t/peers -router nethttp -addr 127.0.0.1:9 -root /t/site"},
		{param, "gunicorn", "/usr/bin/gunicorn -w 1 -k sync -b 127.0.0.1:9 --chdir /r/internal/parity/testdata routes:app"},
		{static, "gunicorn", "/usr/bin/gunicorn -w 1 -k sync -b 127.0.0.1:9 --chdir /t/site static_site:app"},
		{param, "flask-dev", "/usr/bin/python3 /r/internal/parity/testdata/routes.py 9"},
	}
	for _, tt := range tests {
		t.Run(tt.cas.name+" "+tt.server, func(t *testing.T) {
			args, _, err := serverArgs(cfg, tt.cas, tt.server, "127.0.0.1:9")
			if got := strings.Join(args, " "); err != nil || got != tt.want {
				t.Errorf("%s %s: %q, %v; want %q", tt.cas.name, tt.server, got, err, tt.want)
			}
		})
	}
	if _, _, err := serverArgs(cfg, param, "nope", "127.0.0.1:9"); err == nil {
		t.Error("unknown server accepted")
	}
}

// TestMedian checks odd and even counts.
func TestMedian(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3: %v", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median of 4: %v", m)
	}
	if m := median(nil); m != 0 {
		t.Errorf("median of none: %v", m)
	}
}

// TestModulePath reads the module line of a go.mod.
func TestModulePath(t *testing.T) {
	if p := modulePath([]byte("// c\nmodule github.com/flasky-go/flasky\n\ngo 1.25.0\n")); p != rootModule {
		t.Errorf("got %q", p)
	}
	if p := modulePath([]byte("go 1.25.0\n")); p != "" {
		t.Errorf("got %q", p)
	}
}
