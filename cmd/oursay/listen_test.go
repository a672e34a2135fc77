package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"
)

// get sends one keep-alive request on a new connection from the loopback
// address from and reads the answer, leaving the connection open. It
// returns an error if the server closed the connection unanswered.
func get(t *testing.T, addr net.Addr, from string) (net.Conn, error) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr.String())
	if err != nil {
		t.Fatalf("dial from %s: %v", from, err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: oursay.test\r\n\r\n"); err != nil {
		c.Close()
		return nil, err
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("from %s: got %d, want 200", from, res.StatusCode)
	}
	return c, nil
}

// serveOn listens on loopback with caps until the test ends.
func serveOn(t *testing.T, caps connCaps) net.Addr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	noLive := func(context.Context) error { return nil }
	go func() {
		done <- listen(ctx, ln, h, noLive, caps, slog.New(slog.DiscardHandler), io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("listen: %v", err)
		}
	})
	return ln.Addr()
}

// TestListen_CapsConnectionsPerClient: with real TCP connections on
// loopback, one client address holding 256 idle keep-alive connections
// (the default cap) cannot open another; another address still can; and
// once one of the 256 closes, the first client can open one again.
func TestListen_CapsConnectionsPerClient(t *testing.T) {
	const perClient = 256 // defaultMaxConnsPerClient, written out
	if defaultMaxConnsPerClient != perClient {
		t.Fatalf("defaultMaxConnsPerClient = %d, want %d", defaultMaxConnsPerClient, perClient)
	}
	addr := serveOn(t, connCaps{perClient: defaultMaxConnsPerClient})
	held := make([]net.Conn, perClient)
	for i := range held {
		c, err := get(t, addr, "127.0.0.1")
		if err != nil {
			t.Fatalf("connection %d of %d: %v", i+1, perClient, err)
		}
		held[i] = c
		defer c.Close()
	}
	if c, err := get(t, addr, "127.0.0.1"); err == nil {
		c.Close()
		t.Errorf("connection %d from the same address was served, want it closed unanswered", perClient+1)
	}
	if c, err := get(t, addr, "127.0.0.2"); err != nil {
		t.Errorf("another address: %v, want it served", err)
	} else {
		c.Close()
	}
	held[0].Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := get(t, addr, "127.0.0.1")
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after one of its connections closed, the client still cannot open one: %v", err)
		}
	}
}

// TestListen_TrustedProxyNotCapped: behind a reverse proxy every
// connection comes from the proxy, so a peer in --trusted-proxies is not
// capped, while any other address is.
func TestListen_TrustedProxyNotCapped(t *testing.T) {
	addr := serveOn(t, connCaps{perClient: 2, exempt: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	for i := range 5 {
		c, err := get(t, addr, "127.0.0.1")
		if err != nil {
			t.Fatalf("proxy connection %d: %v, want it served", i+1, err)
		}
		defer c.Close()
	}
	for i := range 2 {
		c, err := get(t, addr, "127.0.0.3")
		if err != nil {
			t.Fatalf("client connection %d: %v, want it served", i+1, err)
		}
		defer c.Close()
	}
	if c, err := get(t, addr, "127.0.0.3"); err == nil {
		c.Close()
		t.Errorf("a third connection from a client not a proxy was served, want it closed")
	}
}
