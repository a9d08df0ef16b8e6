package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the server child, as the command is.
func TestMain(m *testing.M) {
	if mode := os.Getenv(envServe); mode != "" {
		if err := serveChild(mode, os.Getenv(envDir), os.Getenv(envProf)); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRun runs the whole measurement with a small upload against every
// Go server, checks that each saved the file and that the report has its
// rows and goals.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := config{sizes: []int64{3 << 20, 4 << 20}, servers: goServers, reps: 1, tmp: t.TempDir()}
	var log bytes.Buffer
	results, err := run(ctx, cfg, &log)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range cfg.sizes {
		for _, srv := range cfg.servers {
			ss := results[key{size, srv}]
			if len(ss) != 1 || ss[0].fileSize != size || ss[0].peakKiB <= 0 || ss[0].idleKiB <= 0 {
				t.Errorf("%s %d: %+v", srv, size, ss)
			}
		}
	}
	var out bytes.Buffer
	report(&out, cfg, results)
	for _, want := range []string{"| 3 MiB | flasky |", "| 4 MiB | parseform |", "flasky Save time <= 1.2x raw", "peak above idle flat"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if ents, _ := os.ReadDir(cfg.tmp); len(ents) != 0 {
		t.Errorf("left in the temporary folder: %v", ents)
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("256M,1G,10K,7")
	if err != nil || len(got) != 4 || got[0] != 256<<20 || got[1] != 1<<30 || got[2] != 10<<10 || got[3] != 7 {
		t.Errorf("parseSizes = %v, %v", got, err)
	}
	if _, err := parseSizes("x"); err == nil {
		t.Error("parseSizes(\"x\"): no error")
	}
}

// TestGoals judges the goals from made-up samples and writes them as JSON.
func TestGoals(t *testing.T) {
	cfg := config{sizes: []int64{256 << 20, 1 << 30}, servers: []string{"raw", "flasky"}}
	mk := func(secs float64, aboveMiB int64) []sample {
		return []sample{{seconds: secs, idleKiB: 8 << 10, peakKiB: 8<<10 + aboveMiB<<10}}
	}
	results := map[key][]sample{
		{256 << 20, "raw"}: mk(1, 1), {256 << 20, "flasky"}: mk(1.1, 1),
		{1 << 30, "raw"}: mk(4, 1), {1 << 30, "flasky"}: mk(6, 20),
	}
	gs := goals(cfg, medians(cfg, results))
	want := []struct {
		short string
		met   bool
	}{
		{"upload 256MiB time vs raw", true}, {"upload 256MiB peak RSS", true},
		{"upload 1GiB time vs raw", false}, {"upload 1GiB peak RSS", false},
		{"upload peak RSS growth", false},
	}
	if len(gs) != len(want) {
		t.Fatalf("%d goals, want %d: %+v", len(gs), len(want), gs)
	}
	for i, w := range want {
		if gs[i].Short != w.short || gs[i].Met != w.met {
			t.Errorf("goal %d: %q met %v, want %q met %v", i, gs[i].Short, gs[i].Met, w.short, w.met)
		}
	}
	if gs[2].Value != 1.5 || gs[4].Value != 19 {
		t.Errorf("values %v and %v, want 1.5 and 19", gs[2].Value, gs[4].Value)
	}
	path := filepath.Join(t.TempDir(), "goals.json")
	if err := writeJSON(path, gs); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"lower_is_better": true`) || !strings.Contains(string(b), `"short": "upload peak RSS growth"`) {
		t.Errorf("JSON:\n%s", b)
	}
	var out bytes.Buffer
	report(&out, cfg, results)
	if !strings.Contains(out.String(), "| 1 GiB: flasky Save time <= 1.2x raw MultipartReader streaming | 6.000 s vs 4.000 s: 1.50x | **missed** |") {
		t.Errorf("report:\n%s", out.String())
	}
}
