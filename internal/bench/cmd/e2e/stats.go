package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/flasky-go/flasky/internal/bench/internal/micro"
)

// median returns the median of xs (the mean of the middle two for an even
// count), or 0 when there is none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return micro.Median(xs)
}

// pick returns one value of every sample of a row.
func pick(r *row, f func(sample) float64) []float64 {
	out := make([]float64, len(r.samples))
	for i, s := range r.samples {
		out[i] = f(s)
	}
	return out
}

// reqPerSec is a sample's requests per second.
func reqPerSec(s sample) float64 { return s.reqPerSec }

// cpuPerReq is the server's CPU time per request of one sample, in µs.
func cpuPerReq(s sample) float64 {
	if s.requests == 0 {
		return 0
	}
	return s.cpuSec * 1e6 / float64(s.requests)
}

// medianRPS is a row's median req/s, or 0 for a missing row.
func medianRPS(r *row) float64 {
	if r == nil {
		return 0
	}
	return median(pick(r, reqPerSec))
}

// fmtLatency prints a latency in µs below 1 ms, else in ms.
func fmtLatency(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case us < 1000:
		return fmt.Sprintf("%.0f µs", us)
	case us < 100000:
		return fmt.Sprintf("%.2f ms", us/1000)
	default:
		return fmt.Sprintf("%.0f ms", us/1000)
	}
}

// findRow returns the row of a case and server, or nil.
func findRow(rows []*row, c, server string) *row {
	for _, r := range rows {
		if r.cas.name == c && r.server == server {
			return r
		}
	}
	return nil
}

// ratioRange is one row's req/s over another's, rep by rep (the servers
// take turns within a rep), as "min–max".
func ratioRange(a, b *row) string {
	n := min(len(a.samples), len(b.samples))
	var xs []float64
	for i := range n {
		if b.samples[i].reqPerSec > 0 {
			xs = append(xs, a.samples[i].reqPerSec/b.samples[i].reqPerSec)
		}
	}
	if len(xs) == 0 {
		return "n/a"
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	if hi >= 10 {
		return fmt.Sprintf("%.1f–%.1fx", lo, hi)
	}
	return fmt.Sprintf("%.2f–%.2fx", lo, hi)
}

// fmtRatio prints a ratio with two decimals below 10, one above.
func fmtRatio(x float64) string { return fmtRatioNum(x) + "x" }

func fmtRatioNum(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}
