package main

import (
	"bytes"
	"context"
	"os"
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
