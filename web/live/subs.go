package live

import (
	"errors"
	"time"
)

// caps caps connections, per client address and in all.
type caps struct {
	perAddr, total int
}

// Defaults for Options.MaxPerAddr and Options.MaxConns. At some
// 8-9 KiB of server RSS per idle connection (8.2-8.5 KiB in the watch
// scenario of `make bench`, 10,000 connections), plus the kernel's socket
// buffers, the total is some 170 MB; the watch scenario reports the
// server's memory with 10,000 connections open.
const (
	DefaultMaxPerAddr = 32
	DefaultMaxConns   = 20_000
)

var (
	errFull     = errors.New("live: too many connections")
	errAddrFull = errors.New("live: too many connections from this address")
	errClosed   = errors.New("live: shutting down")
)

// Conns is how many live connections are open.
func (h *Hub) Conns() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// admit registers a new connection from c.addr, or says why not. An
// admitted connection is counted in h.conns, for Shutdown to wait on,
// until leave.
func (h *Hub) admit(c *client) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return errClosed
	case len(h.clients) >= h.limits.total:
		return errFull
	case h.addrs[c.addr] >= h.limits.perAddr:
		return errAddrFull
	}
	h.clients[c] = struct{}{}
	h.addrs[c.addr]++
	h.conns.Add(1)
	return nil
}

// leave forgets a connection that has ended. It may be called again.
func (h *Hub) leave(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; !ok {
		return
	}
	h.dropLocked(c)
	delete(h.clients, c)
	if h.addrs[c.addr]--; h.addrs[c.addr] <= 0 {
		delete(h.addrs, c.addr)
	}
	h.conns.Done()
}

// dropLocked unsubscribes c from everything, for good. A dropped client
// stays counted, and Shutdown still waits for it, until its connection
// has ended and leave runs. Callers hold h.mu.
func (h *Hub) dropLocked(c *client) {
	for name := range c.topics {
		h.unsubscribeLocked(c, name)
	}
	c.topics = nil
}

// subscribe adds c to topic. Its first message is the latest snapshot, at
// once, when one was built lately and nothing has changed since; otherwise
// the loop is woken to build one. A snapshot from before a change would
// take a page rendered after it back in time until the next tick.
func (h *Hub) subscribe(c *client, topic string) error {
	if !h.src.ValidTopic(topic) {
		return ErrNoTopic
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || c.topics == nil || c.topics[topic] {
		return nil
	}
	if len(c.topics) >= maxTopics {
		return errTooManyTopics
	}
	t := h.topics[topic]
	if t == nil {
		t = &topicState{subs: map[*client]uint64{}}
		h.topics[topic] = t
	}
	c.topics[topic] = true
	if t.last != nil && !t.dirty && time.Since(t.lastAt) <= h.cacheFor {
		t.subs[c] = t.seq
		h.queue(c, t.last)
		return nil
	}
	t.subs[c] = 0
	t.waiting++
	select {
	case h.kick <- struct{}{}:
	default: // a build is already due
	}
	return nil
}

var errTooManyTopics = errors.New("live: too many topics on one connection")

// unsubscribe removes c from topic.
func (h *Hub) unsubscribe(c *client, topic string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.topics[topic] {
		h.unsubscribeLocked(c, topic)
	}
}

func (h *Hub) unsubscribeLocked(c *client, topic string) {
	delete(c.topics, topic)
	t := h.topics[topic]
	if t == nil {
		return
	}
	if got, ok := t.subs[c]; ok && got == 0 {
		t.waiting--
	}
	delete(t.subs, c)
}
