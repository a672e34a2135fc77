package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Wrong voter codes allowed per client: a burst for typing mistakes, then
// one more every half minute. Guessing an 80-bit code is hopeless anyway;
// the limit keeps anyone from trying at scale, and from loading the server.
const (
	codeBurst      = 10
	codeRefill     = 30 * time.Second
	codeIdle       = time.Hour // a client with no wrong code for this long is forgotten
	codeMaxClients = 100_000
)

// codeLimiter counts wrong voter codes per client (RemoteAddr's host: no
// proxy header is trusted). The map evicts clients idle for codeIdle and
// never holds more than codeMaxClients.
type codeLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	clients map[string]*codeClient
}

type codeClient struct {
	lim  *rate.Limiter
	seen time.Time
}

func newCodeLimiter(now func() time.Time) *codeLimiter {
	return &codeLimiter{now: now, clients: map[string]*codeClient{}}
}

// Blocked reports whether client has used up its wrong attempts, and when
// it may try again.
func (l *codeLimiter) Blocked(client string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.clients[client]
	if c == nil {
		return false, 0
	}
	now := l.now()
	if tokens := c.lim.TokensAt(now); tokens < 1 {
		return true, time.Duration((1 - tokens) * float64(codeRefill))
	}
	return false, 0
}

// Wrong counts one wrong code against client.
func (l *codeLimiter) Wrong(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c := l.clients[client]
	if c == nil {
		if len(l.clients) >= codeMaxClients {
			l.evict(now)
		}
		c = &codeClient{lim: rate.NewLimiter(rate.Every(codeRefill), codeBurst)}
		l.clients[client] = c
	}
	c.seen = now
	c.lim.AllowN(now, 1)
}

// evict drops idle clients, and if every client is recent, any half of
// them: a flood of addresses must not grow the map without end.
func (l *codeLimiter) evict(now time.Time) {
	for k, c := range l.clients {
		if now.Sub(c.seen) > codeIdle {
			delete(l.clients, k)
		}
	}
	for k := range l.clients {
		if len(l.clients) < codeMaxClients/2 {
			break
		}
		delete(l.clients, k)
	}
}
