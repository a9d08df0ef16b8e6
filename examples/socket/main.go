// Command socket shows the transport layer through the operating system's
// socket interface (lecture slides 3, 5, 7 and 10).
//
// It starts a TCP echo server and a UDP echo server on one IP address and
// port number, then acts as a client: it sends the same message over TCP and
// over UDP and prints what both ends of each conversation see, that is, the
// IP address and port at each end.
//
// Run it from the repository root:
//
//	go run ./examples/socket
//	go run ./examples/socket -msg "안녕하세요"
//	go run ./examples/socket -mode server -addr 127.0.0.1:9001
//	go run ./examples/socket -mode client -addr 127.0.0.1:9001
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// timeout bounds every network operation, so nothing can hang.
const timeout = 5 * time.Second

// maxDatagram is the UDP read buffer size: 64 KiB holds any UDP payload
// (at most 65,507 bytes over IPv4). A shorter buffer would cut datagrams short.
const maxDatagram = 64 << 10

// main runs the program and exits with status 1 on error.
func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "socket:", err)
		os.Exit(1)
	}
}

// run parses the flags in args and runs the servers, the client or both,
// writing what happens to stdout.
func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("socket", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9001", "server `host:port`, for both TCP and UDP (port 0: any free port)")
	mode := fs.String("mode", "both", "what to run: both, server or client")
	msg := fs.String("msg", "hello, socket", "message to send")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	out := &lockedWriter{w: stdout} // servers and client write concurrently

	switch *mode {
	case "client":
		return echoBoth(*addr, *addr, *msg, out)
	case "server":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		_, _, wait, err := startServers(ctx, *addr, out)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "serving until Ctrl-C")
		return wait()
	case "both":
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		tcpAddr, udpAddr, wait, err := startServers(ctx, *addr, out)
		if err != nil {
			return err
		}
		clientErr := echoBoth(tcpAddr, udpAddr, *msg, out)
		cancel()
		return errors.Join(clientErr, wait())
	default:
		return fmt.Errorf("unknown -mode %q (want both, server or client)", *mode)
	}
}

// startServers opens a TCP listener and a UDP socket on addr and serves both
// until ctx is cancelled. It returns the actual addresses and a wait function
// that blocks until both servers have stopped.
func startServers(ctx context.Context, addr string, log io.Writer) (tcpAddr, udpAddr string, wait func() error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", "", nil, fmt.Errorf("tcp server on %s: %w", addr, err)
	}
	// The same port number again, but for UDP: a port belongs to one
	// transport protocol, so TCP port 9001 and UDP port 9001 are two separate
	// sockets that do not clash. With port 0 the OS picks a free port for
	// each protocol, so the two numbers then differ.
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		ln.Close()
		return "", "", nil, fmt.Errorf("udp server on %s: %w", addr, err)
	}
	fmt.Fprintf(log, "tcp server: listening on %s\n", ln.Addr())
	fmt.Fprintf(log, "udp server: listening on %s\n", pc.LocalAddr())

	ctx, cancel := context.WithCancel(ctx) // if one server fails, stop both
	errc := make(chan error, 2)
	go func() { errc <- serveTCP(ctx, ln, log); cancel() }()
	go func() { errc <- serveUDP(ctx, pc, log); cancel() }()
	wait = func() error { return errors.Join(<-errc, <-errc) }
	return ln.Addr().String(), pc.LocalAddr().String(), wait, nil
}

// serveTCP accepts connections on ln and echoes each one back until ctx is
// cancelled; then it closes ln, waits for open connections and returns nil.
func serveTCP(ctx context.Context, ln net.Listener, log io.Writer) error {
	defer ln.Close()
	stop := context.AfterFunc(ctx, func() { ln.Close() }) // ends Accept
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("tcp server on %s: %w", ln.Addr(), err)
		}
		// Accept returns a new socket for this one client: its local end is
		// the server's address, its remote end the client's IP and port.
		fmt.Fprintf(log, "tcp server: accepted %s -> %s\n", conn.RemoteAddr(), conn.LocalAddr())
		wg.Go(func() {
			if err := echoConn(conn); err != nil {
				fmt.Fprintf(log, "tcp server: %s: %v\n", conn.RemoteAddr(), err)
			}
		})
	}
}

// echoConn copies everything the client sends back to it until the client
// closes its sending side, then closes conn.
func echoConn(conn net.Conn) error {
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	_, err := io.Copy(conn, conn)
	return err
}

// serveUDP echoes every datagram it reads from pc back to its sender until
// ctx is cancelled; then it closes pc and returns nil.
func serveUDP(ctx context.Context, pc net.PacketConn, log io.Writer) error {
	defer pc.Close()
	stop := context.AfterFunc(ctx, func() { pc.Close() }) // ends ReadFrom
	defer stop()
	buf := make([]byte, maxDatagram)
	for {
		// No connection and no accept: each datagram arrives on its own,
		// and ReadFrom tells us who sent it.
		n, peer, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("udp server on %s: %w", pc.LocalAddr(), err)
		}
		fmt.Fprintf(log, "udp server: datagram %s -> %s (%d bytes)\n", peer, pc.LocalAddr(), n)
		if err := pc.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
			return fmt.Errorf("udp server on %s: %w", pc.LocalAddr(), err)
		}
		if _, err := pc.WriteTo(buf[:n], peer); err != nil {
			fmt.Fprintf(log, "udp server: reply to %s: %v\n", peer, err)
		}
	}
}

// echoTCP connects to the TCP echo server at addr, sends msg, and returns
// the reply. Sockets carry bytes; a Go string is UTF-8 bytes, so any text
// (Korean included) comes back unchanged.
func echoTCP(addr, msg string, log io.Writer) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout) // three-way handshake
	if err != nil {
		return "", fmt.Errorf("tcp client: %s: %w", addr, err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", fmt.Errorf("tcp client: %s: %w", addr, err)
	}
	if _, err := io.WriteString(conn, msg); err != nil {
		return "", fmt.Errorf("tcp client: send to %s: %w", addr, err)
	}
	// TCP is a byte stream with no message boundaries, so we mark the end of
	// the message by closing our sending side; the server then sees EOF.
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		return "", fmt.Errorf("tcp client: %s: %w", addr, err)
	}
	reply, err := io.ReadAll(conn)
	if err != nil {
		return "", fmt.Errorf("tcp client: receive from %s: %w", addr, err)
	}
	fmt.Fprintf(log, "tcp client: local %s remote %s\n", conn.LocalAddr(), conn.RemoteAddr())
	fmt.Fprintf(log, "tcp client: sent %q, got back %q\n", msg, reply)
	return string(reply), nil
}

// echoUDP sends msg as one datagram to the UDP echo server at addr and
// returns the datagram that comes back.
func echoUDP(addr, msg string, log io.Writer) (string, error) {
	// Dialing UDP sends nothing: it only picks a local port and fixes the
	// remote address for Write and Read.
	conn, err := net.DialTimeout("udp", addr, timeout)
	if err != nil {
		return "", fmt.Errorf("udp client: %s: %w", addr, err)
	}
	defer conn.Close()
	// UDP has no delivery guarantee: a lost datagram or reply is never
	// resent, so without a read deadline we could wait forever.
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", fmt.Errorf("udp client: %s: %w", addr, err)
	}
	if _, err := conn.Write([]byte(msg)); err != nil { // one Write, one datagram
		return "", fmt.Errorf("udp client: send to %s: %w", addr, err)
	}
	buf := make([]byte, maxDatagram)
	n, err := conn.Read(buf) // one Read, one whole datagram
	if err != nil {
		return "", fmt.Errorf("udp client: no reply from %s: %w", addr, err)
	}
	fmt.Fprintf(log, "udp client: local %s remote %s\n", conn.LocalAddr(), conn.RemoteAddr())
	fmt.Fprintf(log, "udp client: sent %q, got back %q\n", msg, buf[:n])
	return string(buf[:n]), nil
}

// echoBoth sends msg to the TCP server at tcpAddr and to the UDP server at
// udpAddr, and fails if either reply differs from msg.
func echoBoth(tcpAddr, udpAddr, msg string, log io.Writer) error {
	reply, err := echoTCP(tcpAddr, msg, log)
	if err == nil && reply != msg {
		err = fmt.Errorf("tcp client: %s echoed %q, want %q", tcpAddr, reply, msg)
	}
	if err != nil {
		return err
	}
	reply, err = echoUDP(udpAddr, msg, log)
	if err == nil && reply != msg {
		err = fmt.Errorf("udp client: %s echoed %q, want %q", udpAddr, reply, msg)
	}
	return err
}

// lockedWriter serialises writes so that lines from the servers and the
// client do not interleave.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p to the underlying writer while holding the lock.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
