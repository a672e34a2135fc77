package web

import (
	"time"
)

// Wrong voter codes allowed per client: a burst for typing mistakes, then
// one more every half minute. Guessing an 80-bit code is hopeless anyway;
// the limit keeps anyone from trying at scale, and from loading the server.
const (
	codeBurst      = 10
	codeRefill     = 30 * time.Second
	codeMaxClients = 100_000
)

// codeLimiter counts wrong voter codes per client (RemoteAddr's host, which
// realClient sets from X-Forwarded-For only behind a configured proxy). It
// is the per-client token bucket of the rate limits (keyedLimiter), except
// that only a wrong code takes a token, after the fact: a client with none
// left is refused before its code is looked up. The map forgets a client
// once its bucket is full again and never holds more than codeMaxClients.
type codeLimiter struct {
	l *keyedLimiter
}

func newCodeLimiter(now func() time.Time) *codeLimiter {
	return &codeLimiter{newKeyedLimiter(Rate{N: codeBurst, Per: codeBurst * codeRefill}, now, codeMaxClients)}
}

// Blocked reports whether client has used up its wrong attempts, and when
// it may try again.
func (c *codeLimiter) Blocked(client string) (bool, time.Duration) { return c.l.blocked(client) }

// Wrong counts one wrong code against client.
func (c *codeLimiter) Wrong(client string) { c.l.take(client) }
