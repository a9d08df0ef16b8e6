package micro

import (
	"bytes"
	"strings"
	"testing"
)

// benchOutput is two rounds of go test -bench -count 1 output, as
// go test prints it (with GOMAXPROCS suffixes and a PASS line).
const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/flasky-go/flasky/internal/bench
BenchmarkHello/httprouter-2   	 9072315	       100.0 ns/op	      24 B/op	       2 allocs/op
BenchmarkHello/flasky-2       	15542127	        80.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkParam/httprouter-2   	 6712436	       200.0 ns/op	      64 B/op	       3 allocs/op
BenchmarkParam/flasky-2       	 7612436	       190.0 ns/op	      32 B/op	       1 allocs/op
BenchmarkRender/htmltemplate-2	  363684	      3000 ns/op	    1144 B/op	      35 allocs/op
BenchmarkRender/flasky-2      	  339987	      3300 ns/op	    1128 B/op	      34 allocs/op
PASS
ok  	github.com/flasky-go/flasky/internal/bench	9.1s
BenchmarkHello/httprouter-2   	 9072315	       120.0 ns/op	      24 B/op	       2 allocs/op
BenchmarkHello/flasky-2       	15542127	        84.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkParam/httprouter-2   	 6712436	       200.0 ns/op	      64 B/op	       3 allocs/op
BenchmarkParam/flasky-2       	 7612436	       170.0 ns/op	      32 B/op	       1 allocs/op
BenchmarkRender/htmltemplate-2	  363684	      3000 ns/op	    1144 B/op	      35 allocs/op
BenchmarkRender/flasky-2      	  339987	      3900 ns/op	    1128 B/op	      34 allocs/op
`

// TestParse pools the rounds by benchmark and router, in first-seen order.
func TestParse(t *testing.T) {
	r := Parse([]byte(benchOutput))
	if len(r.Rows) != 6 || r.Rows[0] != (Key{"Hello", "httprouter"}) || r.Rows[5] != (Key{"Render", "flasky"}) {
		t.Fatalf("rows %v", r.Rows)
	}
	s := r.Runs[Key{"Hello", "flasky"}]
	if len(s.NS) != 2 || s.NS[1] != 84 || s.Allocs[0] != 0 || s.Bytes[0] != 0 {
		t.Errorf("Hello/flasky %+v", s)
	}
	if x := r.Ratio(Key{"Hello", "flasky"}, "httprouter"); x != 82.0/110 {
		t.Errorf("Hello ratio %v, want %v", x, 82.0/110)
	}
	if x := r.Ratio(Key{"Render", "flasky"}, "httprouter"); x != 3600.0/3000 {
		t.Errorf("Render ratio %v (its baseline is htmltemplate)", x)
	}
	if p := r.PairedRatios(Key{"Param", "flasky"}, "httprouter"); len(p) != 2 || p[0] != 0.95 || p[1] != 0.85 {
		t.Errorf("paired %v", p)
	}
	if x := r.Ratio(Key{"Nope", "flasky"}, "httprouter"); x != -1 {
		t.Errorf("missing ratio %v", x)
	}
}

// TestCheck judges the goals: Hello met, Param missed (0.90x on the
// median), Render met, GithubAll not measured.
func TestCheck(t *testing.T) {
	vs := Check(Parse([]byte(benchOutput)), "httprouter")
	want := map[string]struct{ met, known bool }{
		"Hello": {true, true}, "Param": {true, true}, "GithubAll": {false, false}, "Render": {true, true},
	}
	if len(vs) != len(Goals) {
		t.Fatalf("%d verdicts", len(vs))
	}
	for _, v := range vs {
		w := want[v.Goal.Bench]
		if v.Met != w.met || (v.Ratio >= 0) != w.known {
			t.Errorf("%s: met %v ratio %v, want met %v known %v (%s)", v.Goal.Bench, v.Met, v.Ratio, w.met, w.known, v.Measured)
		}
	}
	// One more allocation than the baseline misses a no-extra-allocs goal.
	more := strings.ReplaceAll(benchOutput, "0 B/op	       0 allocs/op", "0 B/op	       9 allocs/op")
	for _, v := range Check(Parse([]byte(more)), "httprouter") {
		if v.Goal.Bench == "Hello" && v.Met {
			t.Errorf("Hello with 9 allocs/op met: %s", v.Measured)
		}
	}
}

// TestPrint checks the Markdown rows and goal lines.
func TestPrint(t *testing.T) {
	r := Parse([]byte(benchOutput))
	var b bytes.Buffer
	PrintTable(&b, r, "httprouter")
	PrintGoals(&b, r, "httprouter")
	for _, want := range []string{
		"| Hello | flasky | 82.0 | 0 | 0 | 0.75x | 0.70–0.80x |",
		"| Hello | httprouter | 110.0 | 24 | 2 | 1.00x | (baseline) |",
		"| Render | flasky | 3600 | 1128 | 34 | 1.20x | 1.10–1.30x |",
		"Medians of 2 run(s) per row",
		"| GithubAll: flasky ns/op <= 1.05x httprouter | not measured | n/a |",
		"| Param: flasky ns/op <= 0.90x httprouter, no more allocs/op | 0.90x (run by run 0.85–0.95x, 1 of 2 runs above 0.90x), 1 vs 3 allocs/op | met |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

// TestRunRefusesOtherModules checks the module guard before go test runs.
func TestRunRefusesOtherModules(t *testing.T) {
	if _, err := Run(t.TempDir(), ".", 1, "", &bytes.Buffer{}); err == nil {
		t.Error("a folder without the bench module's go.mod accepted")
	}
}
