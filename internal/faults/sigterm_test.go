package faults_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// slowAnswer is one /slow request: accepted once its headers arrived,
// then read to the end.
type slowAnswer struct {
	resp *http.Response
	err  error
}

// startSlow GETs /slow on p and returns once the answer's headers have
// arrived: the server has accepted and started the request.
func startSlow(c *http.Client, p *proc, ms, kb int) slowAnswer {
	resp, err := c.Get(fmt.Sprintf("%s/slow?ms=%d&kb=%d", p.base, ms, kb))
	if err == nil && resp.StatusCode != 200 {
		resp.Body.Close()
		err = fmt.Errorf("GET /slow = %d", resp.StatusCode)
	}
	return slowAnswer{resp, err}
}

// readAll reads a slow answer's body and says whether it is complete.
func (s slowAnswer) readAll() (int64, bool) {
	if s.err != nil {
		return 0, false
	}
	defer s.resp.Body.Close()
	n, err := io.Copy(io.Discard, s.resp.Body)
	return n, err == nil && n == s.resp.ContentLength
}

func TestSIGTERMFinishesAcceptedRequests(t *testing.T) {
	skipWithoutSIGTERM(t)
	const (
		grace   = 5 * time.Second
		slowMS  = 1500
		slowN   = 4
		workers = 4
	)
	p := startFaultApp(t, "-grace", grace.String(), "-quiet")
	slowClient := &http.Client{Timeout: 20 * time.Second}

	// Steady load on "/", one new connection per request, until a while
	// after the SIGTERM.
	var (
		wg                                sync.WaitGroup
		stop                              = make(chan struct{})
		complete, refused, dropped, wrong atomic.Int64
		mu                                sync.Mutex
		firstWrong                        string
	)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				code, body, err := getBody(client, p.base+"/")
				switch {
				case err == nil && code == 200 && body == "hello~~":
					complete.Add(1)
				case err != nil && notAccepted(err) == "refused":
					refused.Add(1)
					time.Sleep(10 * time.Millisecond)
				case err != nil && notAccepted(err) == "closed":
					dropped.Add(1) // by the kernel, if the server's counts agree
				default:
					wrong.Add(1)
					mu.Lock()
					if firstWrong == "" {
						firstWrong = fmt.Sprintf("%d %.80q %v", code, body, err)
					}
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(time.Second)
	before := complete.Load()

	// Slow requests in flight: their headers are out, the rest comes
	// 1.5s later, after the SIGTERM.
	slows := make([]slowAnswer, slowN)
	var sw sync.WaitGroup
	for i := range slows {
		sw.Go(func() { slows[i] = startSlow(slowClient, p, slowMS, 256) })
	}
	sw.Wait()
	for i, s := range slows {
		if s.err != nil {
			t.Fatalf("slow request %d not accepted before SIGTERM: %v", i, s.err)
		}
	}

	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(500*time.Millisecond, func() { close(stop) })

	var slowDone int
	for _, s := range slows {
		if n, ok := s.readAll(); ok {
			slowDone++
		} else {
			t.Errorf("a slow request accepted before SIGTERM got %d of %d bytes", n, s.resp.ContentLength)
		}
	}
	wg.Wait()
	exited, err := p.wait(grace + 2*time.Second)
	took := time.Since(sent)
	if !exited {
		t.Fatalf("faultapp still runs %v after SIGTERM (grace %v)\n%s", took, grace, p.stderr())
	}
	handled, accepted, unused := p.counts()
	answered := complete.Load() + int64(slowDone)
	t.Logf("load: %d requests answered before the slow ones started; SIGTERM with %d slow requests in flight", before, slowN)
	t.Logf("after SIGTERM: exit in %v (grace %v, exit error %v); %d slow answers complete; %d fast answers complete in all, %d refused after the listener closed, %d dropped from the accept queue, %d wrong",
		took.Round(time.Millisecond), grace, err, slowDone, complete.Load(), refused.Load(), dropped.Load(), wrong.Load())
	t.Logf("server: accepted %d connections (%d closed before a request), started %d requests; clients received %d complete answers",
		accepted, unused, handled, answered)
	if err != nil {
		t.Errorf("faultapp exited with %v after a graceful stop\n%s", err, p.stderr())
	}
	if took > grace {
		t.Errorf("exit took %v, over the grace time %v", took, grace)
	}
	if wrong.Load() > 0 {
		t.Errorf("%d requests got a broken answer; first: %s", wrong.Load(), firstWrong)
	}
	if handled < 0 || int64(handled) != answered {
		t.Errorf("the server started %d requests but clients received %d complete answers\n%s", handled, answered, p.stderr())
	}
	if unused != 0 {
		t.Errorf("the server closed %d accepted connections without reading their request", unused)
	}
	if accepted >= 0 && int64(accepted) != answered {
		t.Errorf("the server accepted %d connections (one request each) but clients received %d complete answers", accepted, answered)
	}
	if refused.Load() == 0 {
		t.Errorf("no request was refused after SIGTERM: the load did not outlast the listener")
	}
}

// A request longer than the grace time is cut off at that time: the
// process does not wait for it.
func TestSIGTERMGraceTimeIsABound(t *testing.T) {
	skipWithoutSIGTERM(t)
	const grace = time.Second
	p := startFaultApp(t, "-grace", grace.String(), "-quiet")
	c := &http.Client{Timeout: 20 * time.Second}
	s := startSlow(c, p, 30000, 64)
	if s.err != nil {
		t.Fatal(s.err)
	}
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited, err := p.wait(grace + 3*time.Second)
	took := time.Since(sent)
	n, complete := s.readAll()
	t.Logf("a 30s request in flight, SIGTERM with grace %v: exit after %v with %v; the client got %d of %d bytes",
		grace, took.Round(time.Millisecond), err, n, s.resp.ContentLength)
	if !exited {
		t.Fatalf("faultapp still runs %v after SIGTERM with grace %v", took, grace)
	}
	if took > grace+time.Second {
		t.Errorf("exit took %v, want about the grace time %v", took, grace)
	}
	if err == nil {
		t.Errorf("exit status 0 although a request was cut off; stderr:\n%s", p.stderr())
	}
	if complete {
		t.Errorf("the 30s request was answered in full within %v", took)
	}
}
