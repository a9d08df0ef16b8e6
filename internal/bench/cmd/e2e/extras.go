package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/flasky-go/flasky/internal/bench/internal/micro"
)

// runMicro runs the router micro-benchmarks of the bench module (the same
// go test -bench as cmd/ratios), rounds times with -count 1, and parses
// them. go test runs on both CPUs, as cmd/ratios runs it.
func runMicro(cfg *config, o options) (*micro.Results, error) {
	var raw []byte
	for i := 1; i <= o.microRounds; i++ {
		logf("micro-benchmarks: round %d of %d", i, o.microRounds)
		chunk, err := micro.Run(cfg.bench, o.microBench, 1, o.microBenchtime, os.Stderr)
		if err != nil {
			return nil, err
		}
		raw = append(raw, chunk...)
	}
	res := micro.Parse(raw)
	if len(res.Rows) == 0 {
		return nil, fmt.Errorf("micro-benchmarks: no results in go test's output")
	}
	return &res, nil
}

// uploadResult is cmd/upload's Markdown report and its goals.
type uploadResult struct {
	command  string
	markdown string
	goals    []uploadGoal
}

// uploadGoal is a goal as cmd/upload -json writes it (its type Goal).
type uploadGoal struct {
	Target      string  `json:"target"`
	Measured    string  `json:"measured"`
	Short       string  `json:"short"`
	Value       float64 `json:"value"`
	Limit       float64 `json:"limit"`
	LowerBetter bool    `json:"lower_is_better"`
	Met         bool    `json:"met"`
}

// parseUploadGoals reads cmd/upload's -json file.
func parseUploadGoals(b []byte) ([]uploadGoal, error) {
	var v struct {
		Goals []uploadGoal `json:"goals"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("cmd/upload -json: %w", err)
	}
	return v.Goals, nil
}

// runUpload runs the upload benchmark (cmd/upload, built into the
// temporary folder), which pins its servers itself, and keeps its report.
func runUpload(ctx context.Context, cfg *config, o options) (*uploadResult, error) {
	jsonPath := filepath.Join(cfg.tmp, "upload.json")
	args := []string{"-sizes", o.uploadSizes, "-servers", o.uploadServers, "-reps", strconv.Itoa(o.uploadReps), "-json", jsonPath}
	cmd := exec.CommandContext(ctx, cfg.bins["upload"], args...)
	cmd.Dir = cfg.bench
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	command := "go run ./cmd/upload " + strings.Join(args[:len(args)-2], " ")
	logf("uploads: %s", command)
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w", command, err)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		return nil, err
	}
	gs, err := parseUploadGoals(b)
	if err != nil {
		return nil, err
	}
	return &uploadResult{command: command, markdown: strings.TrimSpace(out.String()), goals: gs}, nil
}
