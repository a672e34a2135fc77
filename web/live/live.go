// Package live pushes live counts to web pages over websockets. Stores
// call Hub.Changed(topic) after each commit; the hub coalesces those calls
// and, every tick, sends each changed topic's subscribers one fresh
// snapshot, built by the web layer (Source.Build) so that the same secrecy
// rules as the pages decide what is sent. The hub also keeps encoded read
// API bodies by topic until the next change (Hub.Body).
//
// The package knows no OurSay type: what it needs from the web layer (the
// builder, the topic form, the client address, the handshake limit) is
// handed to it with Attach.
package live

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Options configure a Hub; the zero value of each field means its default.
type Options struct {
	// Interval is how often a changed topic is pushed to its subscribers
	// (the coalescing window); 0 means 200 ms.
	Interval time.Duration
	// MaxPerAddr and MaxConns cap the connections per client address and
	// in all; 0 means DefaultMaxPerAddr and DefaultMaxConns.
	MaxPerAddr, MaxConns int
	// BaseURL is the site's public address: pages from it, or from the
	// host a request was sent to, may connect (see sameOrigin).
	BaseURL string
	// Logger hears of snapshots that fail; nil means slog.Default().
	Logger *slog.Logger
}

// Source is what the hub takes from the web layer, which knows the
// topics, the stores and the clients. Attach it before serving.
type Source struct {
	// Build returns a topic's current snapshot, or ErrNoTopic for a topic
	// that does not exist or is not public.
	Build func(ctx context.Context, topic string) (Message, error)
	// ValidTopic checks a topic's form before anything is built, so that
	// one topic cannot be spelled two ways.
	ValidTopic func(topic string) bool
	// ClientAddr names the client that the per-address cap counts against.
	ClientAddr func(*http.Request) string
	// AllowHandshake reports whether the client at addr may open another
	// connection now (a rate, where MaxPerAddr caps those open at once).
	AllowHandshake func(addr string) bool
	// Now is the site's clock, which cached bodies age by (what a page
	// shows moves on with it: a petition's signing window closes); nil
	// means time.Now.
	Now func() time.Time
}

// New returns a hub with opts. It serves no connection until Attach has
// given it its Source; Changed and Body work from the start.
func New(opts Options) *Hub {
	h := &Hub{
		log: opts.Logger, tick: defaultInterval, ping: pingEvery, cacheFor: greetFor,
		topics: map[string]*topicState{}, clients: map[*client]struct{}{}, addrs: map[string]int{},
		limits: caps{perAddr: DefaultMaxPerAddr, total: DefaultMaxConns},
		kick:   make(chan struct{}, 1), quit: make(chan struct{}), loopDone: make(chan struct{}),
		bodies: newBodyCache(),
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if opts.MaxPerAddr > 0 {
		h.limits.perAddr = opts.MaxPerAddr
	}
	if opts.MaxConns > 0 {
		h.limits.total = opts.MaxConns
	}
	if opts.Interval > 0 {
		h.tick = opts.Interval
	}
	h.ready = make(chan *client, h.limits.total)
	base, _ := url.Parse(opts.BaseURL)
	h.upgrader = newUpgrader(base)
	return h
}

// Attach gives the hub what it takes from the web layer; every func of
// src is needed. Call it once, before the hub serves a connection.
func (h *Hub) Attach(src Source) {
	if src.Build == nil || src.ValidTopic == nil || src.ClientAddr == nil || src.AllowHandshake == nil {
		panic("live: Attach needs every func of Source")
	}
	h.src = src
	if src.Now != nil {
		h.bodies.now.Store(&src.Now)
	}
}

// MaxPerAddr is the most connections one client address may hold open.
func (h *Hub) MaxPerAddr() int { return h.limits.perAddr }
