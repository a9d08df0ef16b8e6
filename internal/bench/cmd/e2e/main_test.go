package main

import (
	"os"
	"testing"
	"time"
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
	if _, err := parseWrk("Running 5s test\n"); err == nil {
		t.Error("output without results parsed")
	}
	if _, err := parseWrk("  0 requests in 1.00s, 0B read\nRequests/sec: 0.00\n"); err == nil {
		t.Error("output without latencies parsed")
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

// TestTreeCPUTicks reads this process's own stat.
func TestTreeCPUTicks(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := treeCPUTicks(os.Getpid()); err != nil {
		t.Fatal(err)
	}
}

// TestCheckAnswer refuses error pages and wrong bodies.
func TestCheckAnswer(t *testing.T) {
	hello, template := cases[0], cases[2]
	if err := checkAnswer(hello, 200, "hello~~"); err != nil {
		t.Error(err)
	}
	if err := checkAnswer(hello, 404, "hello~~"); err == nil {
		t.Error("404 accepted")
	}
	if err := checkAnswer(hello, 200, "hello~~\n"); err == nil {
		t.Error("other body accepted")
	}
	page := "<h1>Hello Flask Template 홍길동\n  <ul><li>홍길동</li><li>이순신</li><li>임꺽정</li></ul>\n</h1>"
	if err := checkAnswer(template, 200, page); err != nil {
		t.Error(err)
	}
	if err := checkAnswer(template, 200, "<h1>Hello Flask Template 홍길동\n  <ul></ul>\n</h1>"); err == nil {
		t.Error("page without the list accepted")
	}
}

// TestSelect checks the -cases and -servers lists.
func TestSelect(t *testing.T) {
	cs, err := selectCases("template, hello")
	if err != nil || len(cs) != 2 || cs[0].name != "hello" || cs[1].name != "template" {
		t.Errorf("selectCases: %v, %v", cs, err)
	}
	if _, err := selectCases("nope"); err == nil {
		t.Error("unknown case accepted")
	}
	if _, err := selectServers(","); err == nil {
		t.Error("empty server list accepted")
	}
	ss, err := selectServers("all")
	if err != nil || len(ss) != 3 || ss[0] != "flasky" {
		t.Errorf("selectServers: %v, %v", ss, err)
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
