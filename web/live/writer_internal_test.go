package live

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestLiveWriter_OnDemand checks the writer that runs only while a
// connection has something to write: an idle connection has no writer
// goroutine, yet every message still arrives in order, pings go out on the
// hub's timer and are answered, and a dropped client gets its close frame.
func TestLiveWriter_OnDemand(t *testing.T) {
	h, _ := testHub(t)
	h.ping = 50 * time.Millisecond
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { h.Shutdown(t.Context()) })

	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/live?topic=petition:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var pings atomic.Int32
	ws.SetPingHandler(func(data string) error {
		pings.Add(1)
		return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	// One reader for the whole test: after a failed read gorilla fails
	// every later read, and pings are answered only while reading.
	type result struct {
		g   gotMsg
		err error
	}
	results := make(chan result, 100)
	go func() {
		for {
			var g gotMsg
			err := ws.ReadJSON(&g)
			results <- result{g, err}
			if err != nil {
				return
			}
		}
	}()
	next := func() result {
		t.Helper()
		select {
		case r := <-results:
			return r
		case <-time.After(5 * time.Second):
			t.Fatal("nothing read in 5 s")
			return result{}
		}
	}
	read := func() gotMsg {
		t.Helper()
		r := next()
		if r.err != nil {
			t.Fatalf("read: %v", r.err)
		}
		return r.g
	}
	if g := read(); g.Seq != 1 || g.Topic != "petition:1" {
		t.Fatalf("greeting = %+v, want seq 1", g)
	}

	var c *client
	h.mu.Lock()
	for k := range h.clients {
		c = k
	}
	h.mu.Unlock()
	// Between bursts the writer ends: nothing is left running for c.
	for deadline := time.Now().Add(2 * time.Second); c.writing.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the writer never ended on an idle connection")
		}
	}
	// Bursts queued by the hub, as a flush does, arrive whole and in order.
	for burst := range 3 {
		h.mu.Lock()
		t0 := h.topics["petition:1"]
		for range 5 {
			t0.seq++
			h.queue(c, h.encode(&testStatus{Status: "x"}, "petition:1", t0.seq))
		}
		h.mu.Unlock()
		for i := range 5 {
			if g := read(); g.Seq != uint64(2+5*burst+i) {
				t.Fatalf("burst %d message %d: seq %d, want %d", burst, i, g.Seq, 2+5*burst+i)
			}
		}
	}
	// Pings keep coming while the client reads (the reader runs the handler).
	for deadline := time.Now().Add(2 * time.Second); pings.Load() < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d pings in 2 s at one per 50 ms, want at least 2", pings.Load())
		}
	}

	// A dropped client is told why in a close frame.
	h.mu.Lock()
	h.dropLocked(c)
	c.close(websocket.CloseTryAgainLater, "too slow")
	h.mu.Unlock()
	r := next()
	if ce, ok := r.err.(*websocket.CloseError); !ok || ce.Code != websocket.CloseTryAgainLater {
		t.Fatalf("after the drop: %+v, want close 1013", r)
	}
}

// TestLiveWriter_DrainEndsOnceStopped: a client dropped with messages still
// queued must not keep a writer spinning on a queue nobody will empty.
func TestLiveWriter_DrainEndsOnceStopped(t *testing.T) {
	h, _ := testHub(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { h.Shutdown(t.Context()) })
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/live?topic=petition:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var c *client
	for deadline := time.Now().Add(5 * time.Second); c == nil; time.Sleep(time.Millisecond) {
		h.mu.Lock()
		for k := range h.clients {
			if k.conn.Load() != nil {
				c = k
			}
		}
		h.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("no client")
		}
	}
	h.mu.Lock()
	h.dropLocked(c)
	c.close(websocket.CloseTryAgainLater, "too slow")
	h.mu.Unlock()
	for len(c.send) < 3 {
		c.send <- pingMsg // left in the queue after the drop
	}
	c.writing.Store(false)
	done := make(chan struct{})
	go func() { c.drain(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("a writer kept running after the client was stopped")
	}
	h.mu.Lock()
	c.kick() // and no new one starts
	h.mu.Unlock()
	if c.writing.Load() {
		t.Error("kick started a writer for a stopped client")
	}
}

// TestLiveWriter_Shared: kick hands a connection to the hub's shared
// writers rather than starting a goroutine for it, and only once while it
// waits; when their queue is full, the connection gets a writer of its own,
// so a message is never left unwritten.
func TestLiveWriter_Shared(t *testing.T) {
	server := make(chan *websocket.Conn, 1)
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		server <- ws
	}))
	t.Cleanup(srv.Close)
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	sws := <-server
	defer sws.Close()

	ready := make(chan *client, 1) // no writer takes from it in this test
	c := newClient("a")
	c.conn.Store(sws)
	c.writers = ready
	msg := &encoded{data: []byte(`{"seq":1}`)}
	if msg.pm, err = websocket.NewPreparedMessage(websocket.TextMessage, msg.data); err != nil {
		t.Fatal(err)
	}
	c.send <- msg
	c.kick()
	c.kick() // already waiting for a writer: not handed over twice
	if len(ready) != 1 || !c.writing.Load() {
		t.Fatalf("after kick: %d in the writers' queue, writing %v; want the client handed to the shared writers once", len(ready), c.writing.Load())
	}
	// A writer takes it and drains its queue.
	(<-ready).drain()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, b, err := ws.ReadMessage(); err != nil || string(b) != `{"seq":1}` {
		t.Fatalf("read %q, %v; want the queued message", b, err)
	}
	if c.writing.Load() {
		t.Error("the client is still marked as with a writer after its queue was drained")
	}

	// The writers' queue is full: the client gets a goroutine of its own.
	ready <- newClient("someone else")
	c.send <- msg
	c.kick()
	if _, b, err := ws.ReadMessage(); err != nil || string(b) != `{"seq":1}` {
		t.Fatalf("with the writers' queue full: read %q, %v; want the message all the same", b, err)
	}
}
