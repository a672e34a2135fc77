package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/web"
)

// TestLive_IdleMemory measures what an idle live connection costs the
// server: N raw websocket clients on 127.0.0.1 each follow a petition and
// then say nothing. It runs only when asked, as it opens many sockets:
//
//	OURSAY_LIVE_MEM=1000 go test ./web -run TestLive_IdleMemory -v
//
// The clients are bare TCP connections in this process (no websocket
// library, no goroutine), so nearly all of the difference is the server's.
func TestLive_IdleMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OURSAY_LIVE_MEM"))
	if n <= 0 || n > 20_000 {
		t.Skip("set OURSAY_LIVE_MEM=1000 to measure memory per idle connection")
	}
	e := newLiveEnv(t, func(c *web.Config) { c.LiveMaxPerAddr, c.LiveMaxConns = n+1, n+1 })
	p := e.openPetition(ballot.CountLive, 10)
	addr := e.url[len("http://"):]
	rawLive(t, addr, p.ID).Close() // warm up pools and the hub's goroutine
	time.Sleep(200 * time.Millisecond)

	before := memNow()
	conns := make([]net.Conn, 0, n)
	for range n {
		conns = append(conns, rawLive(t, addr, p.ID))
	}
	time.Sleep(500 * time.Millisecond) // let every writer settle into waiting
	after := memNow()
	per := func(a, b uint64) string { return fmt.Sprintf("%.1f KiB", float64(int64(a)-int64(b))/float64(n)/1024) }
	t.Logf("%d idle connections: heap in use %s, goroutine stacks %s, heap+stacks %s, from the OS (Sys) %s per connection; goroutines %d -> %d",
		n, per(after.HeapInuse, before.HeapInuse), per(after.StackInuse, before.StackInuse),
		per(after.HeapInuse+after.StackInuse, before.HeapInuse+before.StackInuse), per(after.Sys, before.Sys),
		before.goroutines, after.goroutines)
	for _, c := range conns {
		c.Close()
	}
}

type memFigures struct {
	runtime.MemStats
	goroutines int
}

func memNow() memFigures {
	runtime.GC()
	runtime.GC()
	var m memFigures
	runtime.ReadMemStats(&m.MemStats)
	m.goroutines = runtime.NumGoroutine()
	return m
}

// rawLive opens /live for a petition by hand and reads the handshake and
// the first message, leaving nothing buffered on either side.
func rawLive(t *testing.T, addr string, id int64) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "GET /live?topic=petition:%d HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", id, addr, addr)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var buf [512]byte
	got := 0
	for { // the 101 response, then one small unmasked text frame
		k, err := c.Read(buf[got:])
		if err != nil && err != io.EOF {
			t.Fatalf("handshake: %v after %q", err, buf[:got])
		}
		got += k
		if end := bytes.Index(buf[:got], []byte("\r\n\r\n")); end >= 0 && frameDone(buf[end+4:got]) {
			break
		}
	}
	if !bytes.HasPrefix(buf[:got], []byte("HTTP/1.1 101")) {
		t.Fatalf("handshake: got %q", buf[:got])
	}
	c.SetReadDeadline(time.Time{})
	return c
}

// frameDone reports whether b holds a whole unmasked server frame of
// under 64 KiB.
func frameDone(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	n, hdr := int(b[1]&0x7f), 2
	if n == 126 {
		if len(b) < 4 {
			return false
		}
		n, hdr = int(b[2])<<8|int(b[3]), 4
	}
	return len(b) >= hdr+n
}
