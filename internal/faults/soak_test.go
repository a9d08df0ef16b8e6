package faults_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var soakFlag = flag.Duration("soak", 0, "how long TestSoakMixedRoutes runs (default $FLASKY_SOAK, else 5s)")

// soakDuration is -soak, else $FLASKY_SOAK, else 5s.
func soakDuration(t *testing.T) time.Duration {
	if *soakFlag > 0 {
		return *soakFlag
	}
	if s := os.Getenv("FLASKY_SOAK"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("FLASKY_SOAK=%q: want a duration such as 60s", s)
		}
		return d
	}
	return 5 * time.Second
}

// soakRequest is one kind of request of the mix and a check of its answer.
type soakRequest struct {
	name  string
	build func(base string) (*http.Request, error)
	check func(code int, ctype, body string) bool
}

func soakMix() []soakRequest {
	get := func(path string) func(string) (*http.Request, error) {
		return func(base string) (*http.Request, error) { return http.NewRequest("GET", base+path, nil) }
	}
	upload := bytes.Repeat([]byte("flasky soak "), 32<<10/12)
	return []soakRequest{
		{"hello", get("/"), func(code int, _, body string) bool { return code == 200 && body == "hello~~" }},
		{"params", get("/s5/" + url.PathEscape("홍길동")), func(code int, _, body string) bool { return code == 200 && body == "data=홍길동" }},
		{"form", func(base string) (*http.Request, error) {
			r, err := http.NewRequest("POST", base+"/form", strings.NewReader("name=%3Cb%3E&email=a%40b.c"))
			if err == nil {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			return r, err
		}, func(code int, _, body string) bool {
			return code == 200 && body == "name = &lt;b&gt;<br/>email = a@b.c<br/>"
		}},
		{"template", get("/tmpl"), func(code int, _, body string) bool {
			return code == 200 && strings.Contains(body, "<li>이순신</li>")
		}},
		{"upload", func(base string) (*http.Request, error) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, err := mw.CreateFormFile("file1", "soak.txt")
			if err != nil {
				return nil, err
			}
			fw.Write(upload)
			mw.Close()
			r, err := http.NewRequest("POST", base+"/fileUpload", &buf)
			if err == nil {
				r.Header.Set("Content-Type", mw.FormDataContentType())
			}
			return r, err
		}, func(code int, _, body string) bool {
			return code == 200 && body == fmt.Sprintf("saved %d", len(upload))
		}},
		{"image", get("/get_image2"), func(code int, ctype, body string) bool {
			return code == 200 && ctype == "image/jpeg" && strings.HasPrefix(body, "\xff\xd8")
		}},
	}
}

// sample is one measurement of the server process.
type sample struct {
	at         time.Duration
	rssKB      int64
	goroutines int
}

func TestSoakMixedRoutes(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("soak: Linux only, because it reads the server's RSS from /proc")
	}
	d := soakDuration(t)
	const workers = 6
	p := startFaultApp(t, "-quiet")
	mix := soakMix()

	var (
		wg             sync.WaitGroup
		stop           = make(chan struct{})
		count          = make([]atomic.Int64, len(mix))
		failed         atomic.Int64
		mu             sync.Mutex
		firstFailure   string
		start          = time.Now()
		tr             = &http.Transport{MaxIdleConnsPerHost: workers}
		client         = &http.Client{Transport: tr, Timeout: 20 * time.Second}
		samples        []sample
		sampleErr      error
		statsTransport = &http.Transport{}
		// Workers hold pause for reading around each request; the
		// sampler takes it to measure between requests, when the
		// server's goroutines are one per idle connection.
		pause sync.RWMutex
	)
	defer tr.CloseIdleConnections()
	defer statsTransport.CloseIdleConnections()
	for w := range workers {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := i % len(mix)
				pause.RLock()
				code, ctype, body, err := do(client, mix[k], p.base)
				pause.RUnlock()
				if err != nil || !mix[k].check(code, ctype, body) {
					failed.Add(1)
					mu.Lock()
					if firstFailure == "" {
						firstFailure = fmt.Sprintf("%s: %d %q %.80q %v", mix[k].name, code, ctype, body, err)
					}
					mu.Unlock()
					continue
				}
				count[k].Add(1)
			}
		})
	}

	// Sample RSS from /proc and goroutines from /stats four times a
	// second, between requests.
	statsClient := &http.Client{Transport: statsTransport, Timeout: 5 * time.Second}
	tick := time.NewTicker(250 * time.Millisecond)
	for time.Since(start) < d {
		<-tick.C
		pause.Lock()
		rss, err := rssKB(p.pid())
		if err != nil {
			pause.Unlock()
			sampleErr = err
			break
		}
		var st struct{ Goroutines int }
		code, body, err := getBody(statsClient, p.base+"/stats")
		pause.Unlock()
		if err == nil && code == 200 {
			err = json.Unmarshal([]byte(body), &st)
		}
		if err != nil {
			sampleErr = fmt.Errorf("/stats: %d %v", code, err)
			break
		}
		samples = append(samples, sample{time.Since(start), rss, st.Goroutines})
	}
	tick.Stop()
	close(stop)
	wg.Wait()
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}

	var total int64
	var per []string
	for k := range mix {
		total += count[k].Load()
		per = append(per, fmt.Sprintf("%s %d", mix[k].name, count[k].Load()))
	}
	t.Logf("soak %v (-soak or FLASKY_SOAK), %d workers over keep-alive: %d requests (%s), %d failed",
		d, workers, total, strings.Join(per, ", "), failed.Load())
	if failed.Load() > 0 {
		t.Errorf("%d requests failed; first: %s", failed.Load(), firstFailure)
	}
	for k := range mix {
		if count[k].Load() == 0 {
			t.Errorf("no %s request succeeded", mix[k].name)
		}
	}

	// After a warm-up of 30% of the run, compare the first fifth of the
	// rest with the last fifth: both RSS and goroutines grow under 10%.
	warm := d * 3 / 10
	var rest []sample
	for _, s := range samples {
		if s.at >= warm {
			rest = append(rest, s)
		}
	}
	if len(rest) < 5 {
		t.Fatalf("only %d samples after warm-up", len(rest))
	}
	n := len(rest) / 5
	early, late := rest[:n], rest[len(rest)-n:]
	rssEarly, rssLate := medianOf(early, func(s sample) int64 { return s.rssKB }), medianOf(late, func(s sample) int64 { return s.rssKB })
	gEarly, gLate := medianOf(early, func(s sample) int64 { return int64(s.goroutines) }), medianOf(late, func(s sample) int64 { return int64(s.goroutines) })
	t.Logf("samples: %d (every 250ms), warm-up %v; RSS %d KiB at first, %d KiB after warm-up, %d KiB at the end (%+.1f%%); goroutines %d after warm-up, %d at the end",
		len(samples), warm, samples[0].rssKB, rssEarly, rssLate, 100*(float64(rssLate)/float64(rssEarly)-1), gEarly, gLate)
	if float64(rssLate) >= 1.1*float64(rssEarly) {
		t.Errorf("RSS grew %d KiB -> %d KiB after warm-up (10%% or more)", rssEarly, rssLate)
	}
	if float64(gLate) >= 1.1*float64(gEarly) {
		t.Errorf("goroutines grew %d -> %d after warm-up (10%% or more)", gEarly, gLate)
	}
}

// do sends one request of the mix and returns the status, type and body.
func do(c *http.Client, r soakRequest, base string) (int, string, string, error) {
	req, err := r.build(base)
	if err != nil {
		return 0, "", "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b), err
}

// medianOf returns the median of f over ss.
func medianOf(ss []sample, f func(sample) int64) int64 {
	v := make([]int64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	return v[len(v)/2]
}
