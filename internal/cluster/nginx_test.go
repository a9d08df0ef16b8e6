package cluster_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/flasky-go/flasky/internal/cluster"
)

const site = `upstream backends {
    server 127.0.0.1:8081;
    server 127.0.0.1:8082;
}
server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://backends;
        proxy_next_upstream error timeout;
    }
}
`

func nginxBin(t *testing.T) string {
	t.Helper()
	bin, err := cluster.NginxBinary()
	if err == nil {
		return bin
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v; .ci/run installs it", err)
	}
	t.Skipf("%v: skipped", err)
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// nginx in front of one live backend and one port nobody listens on:
// every request is answered by the live one, the error log counts the
// attempts on the dead one (POSTs too, since nginx had not sent them),
// and Stop ends nginx.
func TestStartNginx(t *testing.T) {
	bin := nginxBin(t)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Method+" ok")
	}))
	defer backend.Close()
	front := freeAddr(t)
	p, err := cluster.StartNginx(cluster.Config{
		Bin: bin, Dir: t.TempDir(), Site: site, Front: front,
		Addrs: map[string]string{"127.0.0.1:8080": front, "127.0.0.1:8081": backend.Listener.Addr().String(), "127.0.0.1:8082": freeAddr(t)},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if !strings.HasPrefix(p.Version, "nginx/") {
		t.Errorf("Version %q", p.Version)
	}
	for _, method := range []string{"POST", "POST", "GET", "GET"} {
		req, _ := http.NewRequest(method, "http://"+front+"/", strings.NewReader("x"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(body) != method+" ok" {
			t.Errorf("%s through nginx: %d %q", method, res.StatusCode, body)
		}
	}
	all, posts := p.FailedAttempts()
	if all < 1 || posts < 1 {
		t.Errorf("failed attempts %d (POSTs %d), want the first POST's on the dead backend; error log:\n%s", all, posts, p.ErrorTail())
	}
	p.Stop()
	if c, err := net.Dial("tcp", front); err == nil {
		c.Close()
		t.Errorf("nginx still listens after Stop")
	}
}

// A site without the address to replace, and one nginx refuses, are
// errors that say why.
func TestStartNginxErrors(t *testing.T) {
	bin := nginxBin(t)
	front := freeAddr(t)
	_, err := cluster.StartNginx(cluster.Config{Bin: bin, Dir: t.TempDir(), Site: site, Front: front,
		Addrs: map[string]string{"127.0.0.1:9999": front}})
	if err == nil || !strings.Contains(err.Error(), "no 127.0.0.1:9999 to replace") {
		t.Errorf("missing address: %v", err)
	}
	_, err = cluster.StartNginx(cluster.Config{Bin: bin, Dir: t.TempDir(), Site: "server { listen " + front + "; bogus_directive on; }", Front: front})
	if err == nil || !strings.Contains(err.Error(), "nginx -t") || !strings.Contains(err.Error(), "bogus_directive") {
		t.Errorf("bad site: %v", err)
	}
}
