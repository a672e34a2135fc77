package web

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// liveLimits caps connections, per client address and in all.
type liveLimits struct {
	perAddr, total int
}

// Defaults for Config.LiveMaxPerAddr and Config.LiveMaxConns. At some
// 13 KiB per idle connection, plus the kernel's socket buffers, the total
// is some 250 MB; the watch scenario of `make bench` reports the server's
// memory with 10,000 connections open.
const (
	defaultLivePerAddr = 32
	defaultLiveConns   = 20_000
)

var (
	errLiveFull     = errors.New("live: too many connections")
	errLiveAddrFull = errors.New("live: too many connections from this address")
	errLiveClosed   = errors.New("live: shutting down")
)

// admit registers a new connection from c.addr, or says why not. An
// admitted connection is counted in h.conns, for Shutdown to wait on,
// until leave.
func (h *Hub) admit(c *liveClient) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return errLiveClosed
	case len(h.clients) >= h.limits.total:
		return errLiveFull
	case h.addrs[c.addr] >= h.limits.perAddr:
		return errLiveAddrFull
	}
	h.clients[c] = struct{}{}
	h.addrs[c.addr]++
	h.conns.Add(1)
	return nil
}

// leave forgets a connection that has ended. It may be called again.
func (h *Hub) leave(c *liveClient) {
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
func (h *Hub) dropLocked(c *liveClient) {
	for name := range c.topics {
		h.unsubscribeLocked(c, name)
	}
	c.topics = nil
}

// subscribe adds c to topic. Its first message is the latest snapshot, at
// once, when one was built lately and nothing has changed since; otherwise
// the loop is woken to build one. A snapshot from before a change would
// take a page rendered after it back in time until the next tick.
func (h *Hub) subscribe(c *liveClient, topic string) error {
	if !validTopic(topic) {
		return errLiveNotFound
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || c.topics == nil || c.topics[topic] {
		return nil
	}
	if len(c.topics) >= liveMaxTopics {
		return errLiveTooManyTopics
	}
	t := h.topics[topic]
	if t == nil {
		t = &liveTopic{subs: map[*liveClient]bool{}}
		h.topics[topic] = t
	}
	c.topics[topic] = true
	if t.last != nil && !t.dirty && time.Since(t.lastAt) <= h.cacheFor {
		t.subs[c] = true
		h.queue(c, t.last)
		return nil
	}
	t.subs[c] = false
	t.waiting++
	select {
	case h.kick <- struct{}{}:
	default: // a build is already due
	}
	return nil
}

var errLiveTooManyTopics = errors.New("live: too many topics on one connection")

// unsubscribe removes c from topic.
func (h *Hub) unsubscribe(c *liveClient, topic string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.topics[topic] {
		h.unsubscribeLocked(c, topic)
	}
}

func (h *Hub) unsubscribeLocked(c *liveClient, topic string) {
	delete(c.topics, topic)
	t := h.topics[topic]
	if t == nil {
		return
	}
	if had, ok := t.subs[c]; ok && !had {
		t.waiting--
	}
	delete(t.subs, c)
}

// validTopic checks a topic's form: petition:ID, ballot:ID or
// consultation:SLUG, each written the one way the stores write it, so that
// "petition:07" cannot become a second copy of petition:7.
func validTopic(topic string) bool {
	kind, key, ok := strings.Cut(topic, ":")
	if !ok || key == "" || len(topic) > 120 {
		return false
	}
	switch kind {
	case "petition", "ballot":
		id, err := strconv.ParseInt(key, 10, 64)
		return err == nil && id > 0 && strconv.FormatInt(id, 10) == key
	case "consultation":
		for _, r := range key {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
		return true
	}
	return false
}
