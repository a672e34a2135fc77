package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Hub fans live updates out to websocket clients. It implements
// consult.Publisher and ballot.Publisher: stores call Changed(topic) after
// each commit, and the hub coalesces those calls. Every tick it builds one
// fresh snapshot per changed topic, pulled from the stores rather than
// carried by the event, and queues it to that topic's subscribers. A burst
// of thousands of signatures is therefore a few messages a second, and
// every message is built by the same secrecy rules as the pages.
//
// One goroutine builds snapshots and numbers them, so each topic's seq only
// grows. Queuing to a client never blocks: a client whose queue is full is
// dropped, so a slow or dead client cannot stall the others.
type Hub struct {
	src      Source
	log      *slog.Logger
	tick     time.Duration // how often changed topics are sent
	ping     time.Duration // how often every connection is pinged
	cacheFor time.Duration // how long a built snapshot may greet new subscribers

	mu      sync.Mutex
	topics  map[string]*topicState
	clients map[*client]struct{}
	addrs   map[string]int // open connections per client address
	closed  bool

	limits    caps
	upgrader  websocket.Upgrader
	startOnce sync.Once
	kick      chan struct{} // a new subscriber waits for a snapshot
	ready     chan *client  // connections with something to write, for the writers
	quit      chan struct{} // closed by Shutdown: the loop stops
	loopDone  chan struct{}
	conns     sync.WaitGroup // connection handlers still running

	// bodies keeps public JSON by topic for the read API; Changed drops a
	// topic's body as it marks the topic dirty.
	bodies *bodyCache
}

// topicState is one topic's subscribers and its latest message.
type topicState struct {
	subs    map[*client]uint64 // the seq last queued to each client; 0 before its first message
	waiting int                // subscribers still without a first message
	seq     uint64
	dirty   bool // changed since its last message to every subscriber
	last    *encoded
	lastAt  time.Time
}

// encoded is one encoded message, shared by every client it is queued to.
// The prepared form frames it once for all of them. The one pingMsg
// message asks the client's writer for a ping instead.
type encoded struct {
	data []byte
	pm   *websocket.PreparedMessage
}

// pingMsg, queued like a message, makes the writer send a ping.
var pingMsg = &encoded{}

// client is one websocket connection as the hub sees it. Only the hub,
// under its lock, sends to send. A connection has one goroutine of its own
// for its life, the reader; its writes are made by the hub's shared
// writers (see kick), so a connection costs one small stack.
type client struct {
	addr   string
	send   chan *encoded
	topics map[string]bool // guarded by Hub.mu

	writing atomic.Bool    // c is with a writer, or waiting for one (see kick)
	writers chan<- *client // the hub's writers' queue; nil in unit tests
	wmu     sync.Mutex     // held while writing: drain, and finish's close frame

	stopOnce  sync.Once
	stop      chan struct{} // closed once: finish sends a close frame and ends
	stopCode  int
	stopText  string
	conn      atomic.Pointer[websocket.Conn] // set after the upgrade; nil in unit tests
	writeDone chan struct{}                  // closed when finish has closed the connection
	readDone  chan struct{}                  // closed when readLoop ends
}

// Limits of the hub. The queue holds a greeting for each of a client's
// topics and as many updates again: it fills only when the writer is stuck
// on a connection that has stopped reading (8 s of one busy topic), and a
// client that far behind is dropped.
const (
	defaultInterval = 200 * time.Millisecond
	greetFor        = time.Second
	queueLen        = 2 * maxTopics // a greeting for every topic, and then some
	maxTopics       = 16
	maxAsks         = 4 * maxTopics // subscribe messages per connection
	buildTimeout    = 5 * time.Second
)

func newClient(addr string) *client {
	return &client{addr: addr, send: make(chan *encoded, queueLen), topics: map[string]bool{},
		stop: make(chan struct{}), writeDone: make(chan struct{}), readDone: make(chan struct{})}
}

// close has the connection sent a close frame with code and ended, by a
// goroutine of its own. The first reason given wins.
func (c *client) close(code int, text string) {
	c.stopOnce.Do(func() {
		c.stopCode, c.stopText = code, text
		close(c.stop)
		go c.finish()
	})
}

// Changed marks topic as changed; its subscribers get a fresh snapshot at
// the next tick, and the next read of its JSON is built afresh. It never
// blocks on a client and ignores topics nobody follows. A nil hub ignores
// everything.
func (h *Hub) Changed(topic string) {
	if h == nil {
		return
	}
	h.bodies.drop(topic)
	h.mu.Lock()
	if t := h.topics[topic]; t != nil {
		t.dirty = true
	}
	h.mu.Unlock()
}

// start runs the loop from the first connection on, so a server that
// never serves /live (most tests) has no goroutine to stop.
func (h *Hub) start() {
	h.startOnce.Do(func() {
		go h.loop()
		for range writers {
			go h.writeLoop()
		}
	})
}

func (h *Hub) loop() {
	defer close(h.loopDone)
	t := time.NewTicker(h.tick)
	defer t.Stop()
	ping := time.NewTicker(h.ping)
	defer ping.Stop()
	for {
		select {
		case <-h.quit:
			return
		case <-h.kick:
			h.flush(false)
		case <-t.C:
			h.flush(true)
		case <-ping.C:
			h.pingAll()
		}
	}
}

// pending is a topic a flush builds, and whom the result goes to.
type pending struct {
	name string
	all  bool // every subscriber (the topic changed), not only the waiting
	msg  Message
	err  error
}

// flush builds a snapshot for each topic that has subscribers waiting for
// a first message and, on a tick (all), for each changed topic, then
// queues it. Builds run outside the lock; only this goroutine runs flush.
func (h *Hub) flush(all bool) {
	work := h.due(all)
	for i := range work {
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		work[i].msg, work[i].err = h.src.Build(ctx, work[i].name)
		cancel()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range work {
		h.deliver(&work[i])
	}
	if all {
		h.forgetIdle()
	}
}

// due picks the topics a flush must build, clearing dirty on those it will
// send to everyone: a Changed during the build sets it again.
func (h *Hub) due(all bool) []pending {
	h.mu.Lock()
	defer h.mu.Unlock()
	var work []pending
	for name, t := range h.topics {
		every := all && t.dirty && len(t.subs) > 0
		if !every && t.waiting == 0 {
			continue
		}
		if every {
			t.dirty = false
		}
		work = append(work, pending{name: name, all: every})
	}
	return work
}

// deliver numbers and queues one built snapshot. A topic that is not
// public is refused to its subscribers; a failed build is retried at the
// next tick. Callers hold h.mu.
func (h *Hub) deliver(p *pending) {
	t := h.topics[p.name]
	if t == nil {
		return
	}
	if errors.Is(p.err, ErrNoTopic) {
		t.seq++
		m := h.encode(&errorMsg{Error: "not found"}, p.name, t.seq)
		for c := range t.subs {
			h.queue(c, m)
			delete(c.topics, p.name)
		}
		delete(h.topics, p.name)
		return
	}
	if p.err != nil {
		h.log.Error("live snapshot", "topic", p.name, "err", p.err)
		t.dirty = t.dirty || p.all
		return
	}
	// A change that alters nothing the public may see is not sent: for a
	// sealed petition, a message each time it changed would tell when
	// people signed. Newcomers get the last message. A tick sends the
	// latest to every subscriber that has not had it yet, also when a
	// newcomer's greeting built it first: comparing the tick's build with
	// that greeting finds nothing new, but those already watching have
	// not seen it. Between ticks only newcomers are sent anything, so a
	// crowd arriving at a busy petition cannot raise the message rate.
	prev, m := t.last, t.last
	if !sameMessage(p, prev, t.seq) {
		t.seq++
		if m = h.encode(p.msg, p.name, t.seq); m == nil {
			return
		}
	}
	t.last, t.lastAt = m, time.Now()
	for c, got := range t.subs {
		if got == 0 || p.all && got < t.seq {
			t.subs[c] = t.seq
			h.queue(c, m)
		}
	}
	t.waiting = 0
}

// sameMessage reports whether p's snapshot, numbered seq, is prev.
func sameMessage(p *pending, prev *encoded, seq uint64) bool {
	if prev == nil {
		return false
	}
	p.msg.setHeader(p.name, seq)
	data, err := json.Marshal(p.msg)
	return err == nil && bytes.Equal(data, prev.data)
}

func (h *Hub) encode(m Message, topic string, seq uint64) *encoded {
	m.setHeader(topic, seq)
	data, err := json.Marshal(m)
	if err != nil {
		h.log.Error("live encode", "topic", topic, "err", err)
		return nil
	}
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
	if err != nil {
		h.log.Error("live prepare", "topic", topic, "err", err)
		return nil
	}
	return &encoded{data: data, pm: pm}
}

// queue hands m to c without ever waiting: a client whose queue is full
// is too slow to keep up and is dropped. Callers hold h.mu.
func (h *Hub) queue(c *client, m *encoded) {
	select {
	case c.send <- m:
		c.kick()
	default:
		h.dropLocked(c)
		c.close(websocket.CloseTryAgainLater, "too slow")
	}
}

// forgetIdle deletes topics nobody follows once their snapshot is too old
// to greet anyone. Callers hold h.mu.
func (h *Hub) forgetIdle() {
	now := time.Now()
	for name, t := range h.topics {
		if len(t.subs) == 0 && now.Sub(t.lastAt) > h.cacheFor {
			delete(h.topics, name)
		}
	}
}
