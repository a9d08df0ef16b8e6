package faults_test

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// slowLorisHeader is what each slow client sends, one byte per second:
// a request whose headers never end within the test.
var slowLorisHeader = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Pad: " + strings.Repeat("a", 200)

// normalLoad runs workers clients that each GET url on a new connection
// every pace until stop is closed, and returns the latencies and the
// number of failed requests.
func normalLoad(url string, workers int, pace time.Duration, stop <-chan struct{}) ([]time.Duration, int) {
	var (
		mu     sync.Mutex
		lat    []time.Duration
		failed int
		wg     sync.WaitGroup
	)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	for range workers {
		wg.Go(func() {
			tick := time.NewTicker(pace)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				start := time.Now()
				code, body, err := getBody(client, url)
				d := time.Since(start)
				mu.Lock()
				if err != nil || code != 200 || body != "hello~~" {
					failed++
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return lat, failed
}

// measure runs normalLoad for d.
func measure(url string, d time.Duration) ([]time.Duration, int) {
	stop := make(chan struct{})
	time.AfterFunc(d, func() { close(stop) })
	return normalLoad(url, 4, 5*time.Millisecond, stop)
}

func TestSlowClientsDoNotStarveOthers(t *testing.T) {
	const slow = 300
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/", func(c *flasky.Ctx) error { return c.String("hello~~") })
	base := serveApp(t, app) // the default server: ReadHeaderTimeout 10s
	url := base + "/"

	// Warm up (first connections, pools), then measure idle.
	measure(url, 300*time.Millisecond)
	idle, failed := measure(url, 2*time.Second)
	if failed > 0 || len(idle) < 100 {
		t.Fatalf("idle: %d requests, %d failed: the server does not answer normally", len(idle), failed)
	}
	idleP99 := percentile(idle, 99)
	t.Logf("idle: %d requests from 4 clients (new connection each), p50 %v, p99 %v",
		len(idle), percentile(idle, 50), idleP99)

	// Open the slow clients. Each sends one byte per second and notes
	// when the server cuts it off.
	stop := make(chan struct{})
	var (
		wg      sync.WaitGroup
		opened  atomic.Int64
		cut     atomic.Int64
		written atomic.Int64
	)
	addr := strings.TrimPrefix(base, "http://")
	for range slow {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("slow client %d could not connect: %v", opened.Load(), err)
		}
		opened.Add(1)
		wg.Go(func() {
			defer conn.Close()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for i := 0; i < len(slowLorisHeader); i++ {
				if _, err := conn.Write([]byte{slowLorisHeader[i]}); err != nil {
					cut.Add(1)
					return
				}
				written.Add(1)
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		})
	}
	defer func() { close(stop); wg.Wait() }()
	t.Logf("opened %d slow clients, each sending its headers at 1 byte/s", opened.Load())

	loaded, failed := measure(url, 6*time.Second)
	loadedP99 := percentile(loaded, 99)
	t.Logf("with %d slow clients: %d requests, %d failed, p50 %v, p99 %v (%.1fx idle); slow clients wrote %d bytes, %d were cut off",
		slow, len(loaded), failed, percentile(loaded, 50), loadedP99,
		float64(loadedP99)/float64(idleP99), written.Load(), cut.Load())
	if failed > 0 {
		t.Errorf("%d normal requests failed while slow clients held connections", failed)
	}
	if cut.Load() > 0 {
		t.Errorf("%d slow clients were cut off before ReadHeaderTimeout: the test did not hold %d connections", cut.Load(), slow)
	}
	if loadedP99 > 5*idleP99 {
		// The idle value may have been measured in a quiet moment of a
		// shared machine: measure it again, the slow clients gone.
		close(stop)
		wg.Wait()
		stop = make(chan struct{})
		again, _ := measure(url, 2*time.Second)
		againP99 := percentile(again, 99)
		t.Logf("p99 over 5x idle: idle measured again without slow clients: p99 %v", againP99)
		if loadedP99 > 5*max(idleP99, againP99) {
			t.Errorf("p99 with %d slow clients is %v, over 5x the idle p99 (%v, then %v)", slow, loadedP99, idleP99, againP99)
		}
	}
}
