//go:build !windows

package cluster_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/flasky-go/flasky/internal/cluster"
)

// The test binary is the app: with CLUSTER_TEST_APP=serve it listens on
// its -addr, says flasky's start line and a line per request, and exits
// 0 on SIGTERM; with CLUSTER_TEST_APP=fail it exits at once.
func TestMain(m *testing.M) {
	switch os.Getenv("CLUSTER_TEST_APP") {
	case "serve":
		addr := os.Args[len(os.Args)-1]
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, " * Running on http://%s\n", addr)
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM)
		go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(os.Stderr, "request %s\n", r.URL.Path)
		}))
		<-stop
		os.Exit(0)
	case "fail":
		fmt.Fprintln(os.Stderr, "cannot start")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestInstance(t *testing.T) {
	ports, err := cluster.FreePorts(2)
	if err != nil || len(ports) != 2 || ports[0] == ports[1] {
		t.Fatalf("FreePorts(2): %v %v", ports, err)
	}
	addr := "127.0.0.1:" + ports[0]
	var mu sync.Mutex
	var lines []string
	in := &cluster.Instance{Name: "a", Addr: addr, Args: []string{os.Args[0], addr}, Env: []string{"CLUSTER_TEST_APP=serve"},
		OnLine: func(l string) { mu.Lock(); lines = append(lines, l); mu.Unlock() }}
	if err := in.Start(); err != nil {
		t.Fatal(err)
	}
	defer in.Stop(time.Second)
	get := func() {
		t.Helper()
		res, err := http.Get("http://" + addr + "/hello")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	get()
	took, err := in.Restart(5 * time.Second)
	if err != nil {
		t.Fatalf("Restart: %v", err)
	}
	t.Logf("restarted: exited %v after SIGTERM", took)
	get()
	in.Stop(time.Second)
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("still listening after Stop")
	}
	mu.Lock()
	got := strings.Join(lines, "|")
	mu.Unlock()
	if strings.Count(got, "request /hello") != 2 || strings.Count(got, " * Running on ") != 2 {
		t.Errorf("lines seen: %s", got)
	}
}

func TestInstanceExitsAtStart(t *testing.T) {
	in := &cluster.Instance{Name: "b", Addr: "127.0.0.1:1", Args: []string{os.Args[0]}, Env: []string{"CLUSTER_TEST_APP=fail"}}
	err := in.Start()
	if err == nil || !strings.Contains(err.Error(), "instance b exited at start") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("Start of an app that exits: %v", err)
	}
}
