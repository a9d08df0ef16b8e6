package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// protocol bundles what TestEcho needs to exercise one transport protocol.
type protocol struct {
	name  string
	start func(t *testing.T, ctx context.Context, log *bytes.Buffer) (addr string, done <-chan error)
	echo  func(addr, msg string, log io.Writer) (string, error)
	// serverLine is the line the server logs for a client at peer.
	serverLine func(peer, server string, n int) string
}

// protocols lists TCP and UDP, each started on a free loopback port.
var protocols = []protocol{
	{
		name: "tcp",
		start: func(t *testing.T, ctx context.Context, log *bytes.Buffer) (string, <-chan error) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- serveTCP(ctx, ln, log) }()
			return ln.Addr().String(), done
		},
		echo: echoTCP,
		serverLine: func(peer, server string, _ int) string {
			return fmt.Sprintf("tcp server: accepted %s -> %s\n", peer, server)
		},
	},
	{
		name: "udp",
		start: func(t *testing.T, ctx context.Context, log *bytes.Buffer) (string, <-chan error) {
			pc, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- serveUDP(ctx, pc, log) }()
			return pc.LocalAddr().String(), done
		},
		echo: echoUDP,
		serverLine: func(peer, server string, n int) string {
			return fmt.Sprintf("udp server: datagram %s -> %s (%d bytes)\n", peer, server, n)
		},
	},
}

// clientLine matches the client's "local ... remote ..." line.
var clientLine = regexp.MustCompile(`(?m)^(tcp|udp) client: local (127\.0\.0\.1:\d+) remote (127\.0\.0\.1:\d+)$`)

// TestEcho sends each message over each protocol and checks the reply and
// that the server's and the client's logs agree on both ends' addresses.
func TestEcho(t *testing.T) {
	messages := []struct {
		name string
		msg  string
	}{
		{"ascii", "hello, socket"},
		{"korean", "안녕하세요"},
		{"empty", ""}, // TCP: connect and close; UDP: a legal zero-length datagram
		{"max UDP payload", strings.Repeat("가", 65507/3) + "xx"}, // 65,507 bytes
	}
	for _, p := range protocols {
		for _, m := range messages {
			t.Run(p.name+"/"+m.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var serverLog, clientLog bytes.Buffer
				addr, done := p.start(t, ctx, &serverLog)

				reply, err := p.echo(addr, m.msg, &clientLog)
				if err != nil {
					t.Fatalf("echo: %v", err)
				}
				if reply != m.msg {
					t.Errorf("reply = %.40q (%d bytes), want %.40q (%d bytes)", reply, len(reply), m.msg, len(m.msg))
				}

				cancel() // stop the server; afterwards its log is safe to read
				if err := <-done; err != nil {
					t.Fatalf("server: %v", err)
				}

				match := clientLine.FindStringSubmatch(clientLog.String())
				if match == nil || match[1] != p.name {
					t.Fatalf("client log lacks %q addresses:\n%s", p.name, clientLog.String())
				}
				local, remote := match[2], match[3]
				if remote != addr {
					t.Errorf("client remote = %s, want server address %s", remote, addr)
				}
				want := p.serverLine(local, addr, len(m.msg))
				if !strings.Contains(serverLog.String(), want) {
					t.Errorf("server log lacks %q (client's local port):\n%s", want, serverLog.String())
				}
				wantSent := fmt.Sprintf("%s client: sent %q, got back %q\n", p.name, m.msg, m.msg)
				if !strings.Contains(clientLog.String(), wantSent) {
					t.Errorf("client log lacks the sent/got line")
				}
			})
		}
	}
}

// TestRun runs the whole program in both mode on free ports and checks the
// printed lines.
func TestRun(t *testing.T) {
	for _, msg := range []string{"hello, socket", "안녕하세요"} {
		t.Run(msg, func(t *testing.T) {
			args := []string{"-addr", "127.0.0.1:0"}
			if msg != "hello, socket" {
				args = append(args, "-msg", msg)
			}
			var buf bytes.Buffer
			if err := run(args, &buf); err != nil {
				t.Fatalf("run(%q): %v", args, err)
			}
			out := buf.String()
			t.Logf("output:\n%s", out)
			checkBothEnds(t, out, "tcp", msg, `tcp server: accepted %s -> %s`)
			checkBothEnds(t, out, "udp", msg, `udp server: datagram %s -> %s \(\d+ bytes\)`)
		})
	}
}

// checkBothEnds checks that out has the listening, server and client lines
// for proto, all naming the same two addresses. serverFormat is a regexp with
// two %s for the client's and the server's address.
func checkBothEnds(t *testing.T, out, proto, msg, serverFormat string) {
	t.Helper()
	addr := `(127\.0\.0\.1:\d+)`
	m := regexp.MustCompile(`(?m)^` + proto + ` client: local ` + addr + ` remote ` + addr + `$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s client address line in output", proto)
	}
	client, server := m[1], m[2]
	for _, want := range []string{
		fmt.Sprintf(`%s server: listening on %s`, proto, regexp.QuoteMeta(server)),
		fmt.Sprintf(serverFormat, regexp.QuoteMeta(client), regexp.QuoteMeta(server)),
		regexp.QuoteMeta(fmt.Sprintf(`%s client: sent %q, got back %q`, proto, msg, msg)),
	} {
		if !regexp.MustCompile(`(?m)^` + want + `$`).MatchString(out) {
			t.Errorf("output lacks a line matching %s", want)
		}
	}
}

// TestRunClientMode runs -mode client against servers that share one port
// number for TCP and UDP.
func TestRunClientMode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, pc := listenSamePort(t)
	var serverLog bytes.Buffer
	addr, done := mustStart(ctx, ln, pc, &serverLog)

	var buf bytes.Buffer
	if err := run([]string{"-mode", "client", "-addr", addr, "-msg", "안녕하세요"}, &buf); err != nil {
		t.Fatalf("run: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("servers: %v", err)
	}
	out := buf.String()
	for _, want := range []string{
		"remote " + addr + "\ntcp client: sent \"안녕하세요\", got back \"안녕하세요\"\n",
		"remote " + addr + "\nudp client: sent \"안녕하세요\", got back \"안녕하세요\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(serverLog.String(), "-> "+addr); n != 2 {
		t.Errorf("server log names %s %d times, want 2 (tcp and udp):\n%s", addr, n, serverLog.String())
	}
}

// listenSamePort opens a TCP listener and a UDP socket on one free loopback
// port number, retrying if the UDP port happens to be taken.
func listenSamePort(t *testing.T) (net.Listener, net.PacketConn) {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		pc, err := net.ListenPacket("udp", ln.Addr().String())
		if err == nil {
			return ln, pc
		}
		ln.Close()
	}
	t.Fatal("no port free for both TCP and UDP")
	return nil, nil
}

// mustStart serves ln and pc until ctx is cancelled and returns their common
// address and a channel that yields the servers' joint error once both stop.
func mustStart(ctx context.Context, ln net.Listener, pc net.PacketConn, log *bytes.Buffer) (string, <-chan error) {
	lw := &lockedWriter{w: log}
	done := make(chan error, 1)
	go func() {
		errc := make(chan error, 1)
		go func() { errc <- serveUDP(ctx, pc, lw) }()
		err := serveTCP(ctx, ln, lw)
		if uerr := <-errc; err == nil {
			err = uerr
		}
		done <- err
	}()
	return ln.Addr().String(), done
}

// TestRunServerMode runs -mode server, talks to it, and stops it with SIGINT
// as Ctrl-C would.
func TestRunServerMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("cannot send SIGINT to ourselves on Windows")
	}
	var buf bytes.Buffer
	out := &lockedWriter{w: &buf}
	done := make(chan error, 1)
	go func() { done <- run([]string{"-mode", "server", "-addr", "127.0.0.1:0"}, out) }()

	read := func() string { out.mu.Lock(); defer out.mu.Unlock(); return buf.String() }
	deadline := time.Now().Add(timeout)
	for !strings.Contains(read(), "serving until Ctrl-C") { // signal handler is installed
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", read())
		}
		time.Sleep(10 * time.Millisecond)
	}
	listening := regexp.MustCompile(`(tcp|udp) server: listening on (\S+)`).FindAllStringSubmatch(read(), -1)
	if len(listening) != 2 {
		t.Fatalf("want two listening lines:\n%s", read())
	}
	for i, echo := range []func(string, string, io.Writer) (string, error){echoTCP, echoUDP} {
		t.Run(listening[i][1], func(t *testing.T) {
			var clientLog bytes.Buffer
			if got, err := echo(listening[i][2], "ping", &clientLog); err != nil || got != "ping" {
				t.Errorf("%s echo = %q, %v; want \"ping\"", listening[i][1], got, err)
			}
		})
	}

	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := self.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(timeout):
		t.Fatal("server did not stop on SIGINT")
	}
}

// TestRunErrors checks that bad flags and a missing server give errors, and
// that the error names the address.
func TestRunErrors(t *testing.T) {
	// A port that was just free: nothing listens there now.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown mode", []string{"-mode", "nope"}, `unknown -mode "nope"`},
		{"extra argument", []string{"extra"}, "unexpected arguments"},
		{"port out of range", []string{"-addr", "127.0.0.1:99999"}, "127.0.0.1:99999"},
		{"nothing listening", []string{"-mode", "client", "-addr", closed}, closed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := run(tc.args, &buf)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v, want error containing %q", tc.args, err, tc.want)
			}
		})
	}
}
