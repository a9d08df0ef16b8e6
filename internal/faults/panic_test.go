package faults_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// countPanics is a slog.Handler that counts the panics the app logs
// (once each, with its stack).
type countPanics struct{ n *atomic.Int64 }

func (h countPanics) Enabled(context.Context, slog.Level) bool { return true }
func (h countPanics) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "flasky: panic serving ") {
		h.n.Add(1)
	}
	return nil
}
func (h countPanics) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countPanics) WithGroup(string) slog.Handler      { return h }

// settle runs the GC until the heap stops shrinking and returns the live
// heap and goroutine count. Pooled objects survive one GC, so one is not
// enough.
func settle() (heap uint64, goroutines int) {
	var ms runtime.MemStats
	for range 3 {
		runtime.GC()
	}
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, runtime.NumGoroutine()
}

func TestPanicsAreAnswered(t *testing.T) {
	total, workers := 20000, 8
	if raceEnabled {
		// 20000 take 7s under -race on 2 cores: keep the race check of
		// the panic path, at a tenth of the scale. CI runs the package
		// again without -race at full scale.
		total = 2000
		t.Logf("race detector on: %d requests instead of 20000", total)
	}
	app := flasky.New()
	app.Route("/ok", func(c *flasky.Ctx) error { return c.String("ok") })
	app.Route("/panic/<int:n>", func(c *flasky.Ctx) error {
		panic(fmt.Sprintf("panic number %d", c.ParamInt("n")))
	})
	var logged atomic.Int64
	app.Logger = slog.New(countPanics{&logged})
	base := serveApp(t, app)

	tr := &http.Transport{MaxIdleConnsPerHost: workers}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	if code, _, err := getBody(client, base+"/ok"); err != nil || code != 200 {
		t.Fatalf("warm-up GET /ok = %d, %v", code, err)
	}
	tr.CloseIdleConnections()
	heap0, g0 := waitGoroutines(t, 0)
	t.Logf("baseline: %d goroutines, %d KiB live heap", g0, heap0>>10)

	var (
		next, ok, answered500, wrong atomic.Int64

		mu         sync.Mutex
		firstWrong string
		wg         sync.WaitGroup
		start      = time.Now()
		deadline   = start.Add(90 * time.Second)
	)
	for range workers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := next.Add(1)
				if i > int64(total) {
					return
				}
				url, wantCode := base+"/ok", 200
				if i%2 == 0 {
					url, wantCode = fmt.Sprintf("%s/panic/%d", base, i), 500
				}
				code, body, err := getBody(client, url)
				switch {
				case err == nil && code == wantCode && wantCode == 200 && body == "ok":
					ok.Add(1)
				case err == nil && code == wantCode && wantCode == 500 && strings.Contains(body, "Internal Server Error"):
					answered500.Add(1)
				default:
					wrong.Add(1)
					mu.Lock()
					if firstWrong == "" {
						firstWrong = fmt.Sprintf("%s: %d %.80q %v", url, code, body, err)
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	t.Logf("%d requests (%d workers, keep-alive) in %v: %d answered 200, %d panics answered 500, %d panics logged, %d wrong",
		total, workers, took.Round(time.Millisecond), ok.Load(), answered500.Load(), logged.Load(), wrong.Load())
	if wrong.Load() > 0 {
		t.Errorf("%d requests got no proper answer; first: %s", wrong.Load(), firstWrong)
	}
	if got := ok.Load() + answered500.Load(); got != int64(total) {
		t.Errorf("%d of %d requests answered (time bound 90s)", got, total)
	}
	if logged.Load() != answered500.Load() {
		t.Errorf("%d panics logged for %d 500 answers", logged.Load(), answered500.Load())
	}

	// The server is still up, and once the clients go, it holds nothing
	// more than before.
	if code, body, err := getBody(client, base+"/ok"); err != nil || code != 200 || body != "ok" {
		t.Errorf("after the panics GET /ok = %d %q %v", code, body, err)
	}
	tr.CloseIdleConnections()
	heap1, g1 := waitGoroutines(t, g0)
	slack := max(heap0/10, 2<<20)
	t.Logf("after: %d goroutines (baseline %d), %d KiB live heap (baseline %d KiB, slack %d KiB)",
		g1, g0, heap1>>10, heap0>>10, slack>>10)
	if g1 > g0+2 {
		t.Errorf("goroutines did not return to baseline: %d, was %d", g1, g0)
	}
	if heap1 > heap0+slack {
		t.Errorf("live heap did not return to baseline: %d KiB, was %d KiB", heap1>>10, heap0>>10)
	}
}

// waitGoroutines waits up to 5s for the goroutine count to fall to want
// (or, with want 0, to stop falling) after connections close, and
// returns the settled heap and count.
func waitGoroutines(t *testing.T, want int) (uint64, int) {
	t.Helper()
	heap, g := settle()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
		time.Sleep(50 * time.Millisecond)
		h, g2 := settle()
		if (want > 0 && g2 <= want) || (want == 0 && g2 == g) {
			return h, g2
		}
		heap, g = h, g2
	}
	return heap, g
}
