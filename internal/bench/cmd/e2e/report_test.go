package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
	"github.com/flasky-go/flasky/internal/bench/internal/micro"
)

// mkRow makes a row of one case and server with one sample per req/s
// given: 5 s runs, 20 µs of CPU per request at 10000 req/s scaled.
func mkRow(t *testing.T, cas, server string, rps ...float64) *row {
	t.Helper()
	c, ok := findCase(cas)
	if !ok {
		t.Fatalf("no case %s", cas)
	}
	r := &row{cas: c, server: server, bodyLen: 7}
	for _, x := range rps {
		r.samples = append(r.samples, sample{reqPerSec: x, requests: int64(x * 5), cpuSec: 5,
			wallSec: 5, wrkCPUSec: 3, p50: 400 * time.Microsecond, p99: 2 * time.Millisecond, otherSec: 0.1})
	}
	return r
}

// microOutput is one round of the micro-benchmarks, made up.
const microOutput = `BenchmarkHello/httprouter-2 	 1000	 100.0 ns/op	 24 B/op	 2 allocs/op
BenchmarkHello/flasky-2 	 1000	 60.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkParam/httprouter-2 	 1000	 100.0 ns/op	 64 B/op	 3 allocs/op
BenchmarkParam/flasky-2 	 1000	 95.0 ns/op	 32 B/op	 1 allocs/op
`

// testReport is a made-up run: hello and image measured on three
// servers, the cold start, the micro-benchmarks and the uploads.
func testReport(t *testing.T) *report {
	t.Helper()
	o, err := parseFlags(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := micro.Parse([]byte(microOutput))
	return &report{
		opts:     o,
		args:     []string{"-chart", "", "-reps", "3"},
		versions: []string{"go: go1.26.8", "wrk: 4.1.0"},
		rows: []*row{
			mkRow(t, "hello", "flasky", 48000, 50000, 52000),
			mkRow(t, "hello", "nethttp", 51000, 50000, 52000),
			mkRow(t, "hello", "gunicorn", 5000, 5000, 5000),
			mkRow(t, "image", "flasky", 4000, 4000, 4000),
			mkRow(t, "image", "nethttp", 3000, 3000, 3000),
			mkRow(t, "image", "gunicorn", 2000, 2000, 2000),
		},
		cold: &coldResult{
			rows: []*coldRow{
				{name: "flasky", size: 12 << 20, starts: []time.Duration{4 * time.Millisecond, 5 * time.Millisecond, 6 * time.Millisecond}},
				{name: "gin", size: 10 << 20, starts: []time.Duration{7 * time.Millisecond, 8 * time.Millisecond, 9 * time.Millisecond}},
			},
			exec: []time.Duration{time.Millisecond, time.Millisecond, 2 * time.Millisecond},
		},
		micro: &m,
		upload: &uploadResult{
			command:  "go run ./cmd/upload -sizes 256M -servers raw,flasky -reps 1",
			markdown: "| size | server |\n|---|---|\n| 256 MiB | flasky |\n\n| goal | measured | result |\n|---|---|---|\n| x | y | z |",
			goals: []uploadGoal{
				{Target: "256 MiB: flasky Save time <= 1.2x raw", Measured: "0.30x", Short: "upload 256MiB time vs raw", Value: 0.3, Limit: 1.2, LowerBetter: true, Met: true},
				{Target: "256 MiB: flasky peak RSS <= 16 MiB above idle", Measured: "20 MiB", Short: "upload 256MiB peak RSS", Value: 20, Limit: 16, LowerBetter: true},
			},
		},
		failures: []string{"case static: check flasky: status 404\nmore"},
		took:     90 * time.Second, loadBefore: "0.10", loadAfter: "1.90", chartLink: "docs/bench.png", date: "2026-11-30",
	}
}

// TestReport checks the Markdown: the end-to-end rows with both ratios,
// the cold start table, the micro and upload tables, and every goal.
func TestReport(t *testing.T) {
	var b bytes.Buffer
	testReport(t).print(&b)
	out := b.String()
	for _, want := range []string{
		"Made by `cd internal/bench && go run ./cmd/e2e -chart '' -reps 3` (1m30s).",
		"- wrk: 4.1.0\n",
		"**Failed, so missing from this report:** case static: check flasky: status 404\n",
		"- load average (1 min): 0.10 before, 1.90 after",
		"`wrk -t1 -c16 -d5s --latency` pinned to CPU 1",
		"| hello | flasky | 50000 | 400 µs | 2.00 ms | 20.0 | 100% | 60% | 0.98x | 10.0x | 7 |",
		"| hello | net/http | 51000 | 400 µs | 2.00 ms | 19.6 | 100% | 60% | 1.00x | 10.2x | 7 |",
		"| image | gunicorn+Flask | 2000 | 400 µs | 2.00 ms | 500.0 | 100% | 60% | 0.67x | 1.00x | 7 |",
		"Requests: hello `GET /`, image `GET /get_image2`.",
		"median 2%, worst 2%",
		"| flasky `examples/hello` | 5.0 ms | 4.0–6.0 ms | 12.0 MiB (12582912 bytes) | 1.20x |",
		"| gin `cmd/hello/gin` | 8.0 ms | 7.0–9.0 ms | 10.0 MiB (10485760 bytes) | 1.00x |",
		"Starting `taskset -c 0 true` and waiting for it took 1.0 ms",
		"| Hello | flasky | 60.0 | 0 | 0 | 0.60x | 0.60–0.60x |",
		"| 256 MiB | flasky |\n",
		"| dispatch | Param: flasky ns/op <= 0.90x httprouter, no more allocs/op | 0.95x (run by run 0.95–0.95x, 1 of 1 runs above 0.90x), 1 vs 3 allocs/op | **NOT met** |",
		"| end to end | hello (issue 8): flasky req/s >= 0.95x net/http | 50000 vs 51000 req/s = 0.98x (rep by rep 0.94–1.00x); CPU per request 20.0 vs 19.6 µs = 0.98x | met |",
		"| end to end | hello (issue 8): flasky req/s >= 15x gunicorn+Flask | 50000 vs 5000 req/s = 10.0x (rep by rep 9.6–10.4x); CPU per request 20.0 vs 200.0 µs = 10.0x | **NOT met** |",
		"| end to end | image (issues 5, 8): flasky req/s >= 1.5x gunicorn+Pillow | 4000 vs 2000 req/s = 2.00x",
		"| end to end | template (issues 3, 8): flasky req/s >= 10x gunicorn+Flask | not measured | n/a |",
		"| upload | 256 MiB: flasky peak RSS <= 16 MiB above idle | 20 MiB | **NOT met** |",
		"4 of 7 goals measured in this run are met.",
		"![Ratios of this run, drawn by flasky's image package](docs/bench.png)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "| x | y | z |") {
		t.Error("the upload's own goals table is repeated")
	}
	if t.Failed() {
		t.Log(out)
	}
}

// TestCostGoal judges the complex case's time per request against the
// param case's, on flasky alone, with net/http's ratios beside it.
func TestCostGoal(t *testing.T) {
	r := testReport(t)
	r.rows = []*row{
		mkRow(t, "param", "flasky", 50000, 50000, 50000),
		mkRow(t, "param", "nethttp", 50000, 50000, 50000),
		mkRow(t, "complex", "flasky", 40000, 40000, 40000),
		mkRow(t, "complex", "nethttp", 48000, 48000, 48000),
	}
	c, _ := findCase("complex")
	g := r.costGoal(c, *c.cost)
	want := "40000 vs 50000 req/s = 1.25x the time per request; CPU per request 25.0 vs 20.0 µs = 1.25x; " +
		"req/s ÷ net/http in the same case 0.83x (complex) and 1.00x (param): 1.20x the time relative to net/http"
	if !g.known || !g.met || !g.lower || g.value != 1.25 || g.measured != want {
		t.Errorf("goal %+v\nmeasured %q\nwant     %q", g, g.measured, want)
	}
	if !strings.Contains(g.target, "complex (issue 16): flasky's time per request on `/s6/gopher.json` <= 1.5x on `/s5/gopher` (param)") {
		t.Errorf("target %q", g.target)
	}
	r.rows[2] = mkRow(t, "complex", "flasky", 30000, 30000, 30000)
	if g := r.costGoal(c, *c.cost); g.met || g.value <= 1.5 {
		t.Errorf("1.67x the time judged met: %+v", g)
	}
	r.rows = r.rows[:2]
	if g := r.costGoal(c, *c.cost); g.known || g.measured != "not measured" {
		t.Errorf("without the complex rows: %+v", g)
	}
}

// TestGoalScore checks higher- and lower-is-better scores.
func TestGoalScore(t *testing.T) {
	tests := []struct {
		name string
		g    goal
		want float64
	}{
		{"higher is better, twice the limit", goal{value: 30, limit: 15, known: true}, 2},
		{"lower is better, half the limit", goal{value: 0.45, limit: 0.9, lower: true, known: true}, 2},
		{"lower is better, twice the limit", goal{value: 1.8, limit: 0.9, lower: true, known: true}, 0.5},
		{"lower is better, zero", goal{value: 0, limit: 2, lower: true, known: true}, chartMaxScore},
		{"unknown", goal{value: 5, limit: 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.score(); got != tt.want {
				t.Errorf("%+v: score %v, want %v", tt.g, got, tt.want)
			}
		})
	}
}

// TestChartPanels checks the bars the chart draws from a report.
func TestChartPanels(t *testing.T) {
	ps := chartPanels(testReport(t))
	if len(ps) != 3 {
		t.Fatalf("%d panels, want 3", len(ps))
	}
	rel := ps[0]
	if len(rel.groups) != 2 || len(rel.groups[0].bars) != 3 || rel.groups[0].title != "hello GET /" {
		t.Fatalf("relative panel: %+v", rel.groups)
	}
	fl := rel.groups[0].bars[0]
	if fl.label != "flasky" || fl.value != 50000.0/51000 || fl.mark != 0.95 || fl.color != serverColors["flasky"] {
		t.Errorf("hello flasky bar %+v", fl)
	}
	if img := rel.groups[1].bars[0]; img.mark != 0 || img.value != 4000.0/3000 {
		t.Errorf("image flasky bar %+v", img)
	}
	gun := ps[1].groups[0].bars
	if len(gun) != 2 || gun[0].mark != 15 || gun[0].color != missedColor || gun[1].color != metColor || gun[1].value != 2 {
		t.Errorf("gunicorn panel %+v", gun)
	}
	goals := ps[2]
	if len(goals.groups) != 3 || goals.groups[0].title != "dispatch" || goals.groups[2].title != "upload" {
		t.Fatalf("goals groups %+v", goals.groups)
	}
	if b := goals.groups[2].bars[1]; b.color != missedColor || b.value != 0.8 || !strings.HasPrefix(b.text, "NOT met  20.0 MiB <= 16 MiB") {
		t.Errorf("upload RSS bar %+v", b)
	}
}

// TestFit cuts long labels to the chart's label column.
func TestFit(t *testing.T) {
	if got := fit("static GET /static/file-64k.bin", 30); got != "static GET /static/file-64k..." || len(got) != 30 {
		t.Errorf("fit = %q", got)
	}
	if got := fit("hello GET /", 30); got != "hello GET /" {
		t.Errorf("fit = %q", got)
	}
}

// TestScale checks the round scale ends and steps.
func TestScale(t *testing.T) {
	for _, tt := range []struct{ m, step float64 }{{1.05, 0.2}, {7, 1}, {16, 2}, {0.3, 0.05}, {250, 50}} {
		t.Run(fmt.Sprintf("tickStep %v", tt.m), func(t *testing.T) {
			if got := tickStep(tt.m); got != tt.step {
				t.Errorf("tickStep(%v) = %v, want %v", tt.m, got, tt.step)
			}
		})
	}
	p := chartPanel{ref: 1, groups: []chartGroup{{bars: []chartBar{{value: 10.4, mark: 15}}}}}
	if m := scaleMax(p); m != 16 {
		t.Errorf("scaleMax = %v, want 16", m)
	}
	if m := scaleMax(chartPanel{max: 2, groups: p.groups}); m != 2 {
		t.Errorf("fixed scaleMax = %v", m)
	}
}

// TestDrawChart draws a report's chart, writes it as a PNG and checks the
// pixels of a bar, of the space after it and of a goal tick.
func TestDrawChart(t *testing.T) {
	r := testReport(t)
	path := filepath.Join(t.TempDir(), "docs", "bench.png")
	if err := writeChart(path, r); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	im, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	ps := chartPanels(r)
	h := chartMargin + titleH + chartMargin + 16
	for _, p := range ps {
		h += panelHeight(p) + panelGap
	}
	if b := im.Bounds(); b.Dx() != chartW || b.Dy() != h {
		t.Fatalf("chart is %v, want %dx%d", b, chartW, h)
	}
	// The first bar: hello, flasky, 0.98 of net/http on the first panel.
	y := chartMargin + titleH + chartMargin + titleH + headH + 2 + barH/2
	m := scaleMax(ps[0])
	want, _ := flasky.ParseColor(serverColors["flasky"])
	end := xOf(ps[0].groups[0].bars[0].value, m)
	for _, x := range []int{barX0 + 3, end - 3} {
		if r, g, b, _ := im.At(x, y).RGBA(); uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(b>>8) != want.B {
			t.Errorf("pixel (%d, %d) is %v, want flasky's colour %v", x, y, im.At(x, y), want)
		}
	}
	if r, g, b, _ := im.At(end+2, y).RGBA(); r>>8 < 0xe0 || g>>8 < 0xe0 || b>>8 < 0xe0 {
		t.Errorf("pixel after the bar (%d, %d) is %v, want white or grid", end+2, y, im.At(end+2, y))
	}
	if r, _, _, _ := im.At(xOf(0.95, m), y).RGBA(); r != 0 {
		t.Errorf("goal tick at 0.95 is %v, want black", im.At(xOf(0.95, m), y))
	}
	if _, err := drawChart("t", "f", nil); err == nil {
		t.Error("empty chart drawn")
	}
}

// TestUploadGoals reads cmd/upload's -json output.
func TestUploadGoals(t *testing.T) {
	gs, err := parseUploadGoals([]byte(`{"goals":[{"target":"t","measured":"m","short":"s","value":0.5,"limit":1.2,"lower_is_better":true,"met":true}]}`))
	if err != nil || len(gs) != 1 || gs[0].Value != 0.5 || !gs[0].LowerBetter || !gs[0].Met || gs[0].Short != "s" {
		t.Errorf("got %+v, %v", gs, err)
	}
	if _, err := parseUploadGoals([]byte("not json")); err == nil {
		t.Error("garbage parsed")
	}
}
