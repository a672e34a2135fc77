package live

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// Connection timings. A client must answer a ping within pongWait; every
// write, the close frame included, gets writeWait; after its close frame
// the server waits closeWait for the client's reply before hanging up.
//
// Writes are made by a few shared writers (see kick), so a write that
// blocks holds up the others: writeWait is short. A write blocks only when
// the client's socket buffer is full, many seconds of counts unread, which
// is a client that has gone (a phone switched off sends no goodbye).
const (
	pingEvery = 30 * time.Second
	pongWait  = 40 * time.Second
	writeWait = time.Second
	closeWait = time.Second
	readLimit = 512 // a subscribe message is tiny
)

// writers is how many goroutines write to every connection's socket. A
// push to 10,000 pages is 10,000 writes of a few hundred bytes, each a
// system call that does not wait: a few writers do them as fast as one
// goroutine per connection did, without 10,000 goroutines' stacks.
const writers = 32

// ServeHTTP upgrades GET /live?topic=…&topic=… to a websocket that follows
// those topics; the client may send {"subscribe":"petition:3"} or
// {"unsubscribe":…} later. Bad topics are refused before the upgrade.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.src.Build == nil {
		http.Error(w, "Live updates are not set up", http.StatusServiceUnavailable)
		return
	}
	topics := r.URL.Query()["topic"]
	if len(topics) > maxTopics {
		http.Error(w, "Too many topics", http.StatusBadRequest)
		return
	}
	for _, t := range topics {
		if !h.src.ValidTopic(t) {
			http.Error(w, "Unknown topic", http.StatusBadRequest)
			return
		}
	}
	c := newClient(h.src.ClientAddr(r)) // an IPv6 client's /64, as for rate limits
	c.writers = h.ready
	if !h.src.AllowHandshake(c.addr) {
		http.Error(w, "Too many live connections from your address", http.StatusTooManyRequests)
		return
	}
	switch err := h.admit(c); {
	case errors.Is(err, errAddrFull):
		http.Error(w, "Too many live connections from your address", http.StatusTooManyRequests)
		return
	case err != nil:
		w.Header().Set("Retry-After", "30")
		http.Error(w, "Live updates are busy; the page still works", http.StatusServiceUnavailable)
		return
	}
	conn, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		h.leave(c)
		return // the upgrader has answered
	}
	c.conn.Store(conn)
	if c.stopped() {
		// Shutdown (or a drop) came during the upgrade, and finish may
		// have found no connection to close: close it here. readLoop then
		// ends at once and serveConn cleans up as usual.
		conn.Close()
	}
	h.start()
	for _, t := range topics {
		h.subscribeOrRefuse(c, t)
	}
	// The reader gets a goroutine of its own so that this handler returns
	// at once: while it runs, net/http keeps the request, its buffers (some
	// 10 KiB) and a grown stack alive for the whole life of the socket.
	// The subscribing above is done here, not by the reader, so that the
	// reader's stack stays at its smallest: a stack grows on a deep call
	// and shrinks only when a collection finds it three quarters unused,
	// so a reader that once subscribed kept 4 or 8 KiB for its whole
	// life instead of 2.
	go h.serveConn(c)
}

// serveConn follows c's topics until the connection ends.
func (h *Hub) serveConn(c *client) {
	h.readLoop(c)
	c.close(websocket.CloseNormalClosure, "")
	<-c.writeDone // the connection is closed: now Shutdown may stop waiting for it
	h.leave(c)
}

// subscribeOrRefuse subscribes c, or queues a message saying why not.
func (h *Hub) subscribeOrRefuse(c *client, topic string) {
	err := h.subscribe(c, topic)
	if err == nil {
		return
	}
	msg := "not found"
	if errors.Is(err, errTooManyTopics) {
		msg = "too many topics"
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.encode(&errorMsg{Error: msg}, topic, 0); m != nil {
		h.queue(c, m)
	}
}

// readLoop reads subscribe messages and keeps the read deadline moving
// while pongs arrive. It returns when the connection fails or closes.
func (h *Hub) readLoop(c *client) {
	defer close(c.readDone)
	asks := 0
	ws := c.conn.Load()
	ws.SetReadLimit(readLimit)
	ws.SetReadDeadline(time.Now().Add(pongWait))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		ws.SetReadDeadline(time.Now().Add(pongWait))
		var m struct {
			Subscribe   string `json:"subscribe"`
			Unsubscribe string `json:"unsubscribe"`
		}
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		if m.Subscribe != "" {
			// Each unknown topic costs a database read: a page asks for a
			// few, a script probing for ids is cut off.
			if asks++; asks > maxAsks {
				c.close(websocket.ClosePolicyViolation, "too many subscriptions")
				return
			}
			h.subscribeOrRefuse(c, m.Subscribe)
		}
		if m.Unsubscribe != "" {
			h.unsubscribe(c, m.Unsubscribe)
		}
	}
}

// kick has c's queue written unless a writer has it already: it hands c
// to the hub's shared writers (writeLoop), which drain its queue and move
// on, so a connection holds no goroutine of its own for writing. A push to
// every page watching a petition used to start a goroutine for each, and
// 10,000 of them at once held some 40 MB of stacks. Should the writers'
// queue be full (it holds every open connection, but clients that have
// left may still be in it), c gets a goroutine of its own. Once the client
// is stopping nothing is written: finish has the connection. In unit
// tests, which read send themselves, there is no connection and no writer.
func (c *client) kick() {
	if c.conn.Load() != nil && !c.stopped() && c.writing.CompareAndSwap(false, true) {
		select {
		case c.writers <- c:
		default:
			go c.drain()
		}
	}
}

// writeLoop is one of the hub's writers: it drains the queue of each
// client handed to it until the hub shuts down.
func (h *Hub) writeLoop() {
	for {
		select {
		case <-h.quit:
			return
		case c := <-h.ready:
			c.drain()
		}
	}
}

// stopped reports whether close has been called.
func (c *client) stopped() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}

// drain writes queued messages (and pings) until the queue is empty, then
// ends. A write that fails or passes writeWait closes the connection. It
// rechecks the queue after giving up the writer's role, so a message
// queued in between is never left without a writer. Once the client is
// stopping it ends at once, keeping the role, so that nothing spins on a
// queue nobody will empty.
func (c *client) drain() {
	ws := c.conn.Load()
	for {
		c.wmu.Lock()
		ok := c.writeQueued(ws)
		c.wmu.Unlock()
		if !ok {
			c.close(websocket.CloseNormalClosure, "") // the connection failed
			return
		}
		if c.stopped() {
			return
		}
		c.writing.Store(false)
		if len(c.send) == 0 || !c.writing.CompareAndSwap(false, true) {
			return
		}
	}
}

// writeQueued writes what is queued now and reports whether every write
// succeeded. After stop it writes nothing: finish has the connection.
func (c *client) writeQueued(ws *websocket.Conn) bool {
	for {
		if c.stopped() {
			return true
		}
		var m *encoded
		select {
		case m = <-c.send:
		default:
			return true
		}
		var err error
		if m == pingMsg {
			err = ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
		} else {
			ws.SetWriteDeadline(time.Now().Add(writeWait))
			err = ws.WritePreparedMessage(m.pm)
		}
		if err != nil {
			return false
		}
	}
}

// finish sends the close frame (unless the client went first or the
// connection failed), waits for any write in progress, and closes the
// connection, which also ends readLoop. A connection not yet upgraded is
// closed by ServeHTTP when it sees stop.
func (c *client) finish() {
	defer close(c.writeDone)
	ws := c.conn.Load()
	if ws == nil {
		return
	}
	c.wmu.Lock() // a write in progress ends by its deadline at the latest
	defer c.wmu.Unlock()
	defer ws.Close()
	c.sayGoodbye(ws)
}

// sayGoodbye sends the close frame and gives the client a moment to
// answer it, so the frame is not lost to a reset of the connection.
func (c *client) sayGoodbye(ws *websocket.Conn) {
	if c.stopCode == websocket.CloseNormalClosure && c.stopText == "" {
		return // the client went first, or the connection failed
	}
	msg := websocket.FormatCloseMessage(c.stopCode, c.stopText)
	if ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait)) != nil {
		return
	}
	ws.SetReadDeadline(time.Now().Add(closeWait)) // readLoop sees the reply, or times out
	t := time.NewTimer(closeWait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.readDone:
	}
}

// pingAll queues a ping to every client, so each writer pings its
// connection when it next runs (at once). It runs every pingEvery from
// the hub's loop: one timer for all connections instead of one each.
func (h *Hub) pingAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.queue(c, pingMsg)
	}
}

// Shutdown closes every live connection with a close frame ("going away",
// so pages reconnect after a pause) and refuses new ones. It returns when
// all have ended, or when ctx ends, hanging up on any left. Call it before
// http.Server.Shutdown, which does not wait for hijacked connections.
func (h *Hub) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	first := !h.closed
	h.closed = true
	clients := make([]*client, 0, len(h.clients))
	for c := range h.clients {
		clients = append(clients, c)
	}
	h.mu.Unlock()
	if first {
		close(h.quit)
	}
	for _, c := range clients {
		c.close(websocket.CloseGoingAway, "server restarting")
	}
	done := make(chan struct{})
	go func() { h.conns.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, c := range clients {
			if ws := c.conn.Load(); ws != nil {
				ws.Close()
			}
		}
		return ctx.Err()
	}
}
