package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/web/live"
)

// withLive serves GET /live beside app, ahead of the session and
// cross-origin middleware: LoadAndSave must not wrap a hijacked
// connection, and the live channel never touches a session. The hub
// checks the Origin itself.
func (s *Server) withLive(app http.Handler) http.Handler {
	root := http.NewServeMux()
	root.Handle("GET /live", s.live)
	root.Handle("/", app)
	return root
}

// Live returns the hub that serves /live: Config.Live, or the hub New
// made when that was nil.
func (s *Server) Live() *live.Hub { return s.live }

// attachLive gives the hub what it takes from web: the snapshot builder,
// the topic form, the client address (an IPv6 client's /64, behind a
// trusted proxy the client it names) and a handshake rate.
func (s *Server) attachLive(h *live.Hub) {
	// A client may open its whole allowance of connections twice a minute:
	// pages reconnect with backoff, so only a script comes near it.
	handshakes := newKeyedLimiter(Rate{N: 2 * h.MaxPerAddr(), Per: time.Minute}, time.Now, 100_000)
	h.Attach(live.Source{
		Build:      s.liveSnapshot,
		ValidTopic: validTopic,
		ClientAddr: clientKey,
		AllowHandshake: func(addr string) bool {
			ok, _ := handshakes.allow(addr)
			return ok
		},
		Now: s.cfg.Now,
	})
	s.live = h
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
