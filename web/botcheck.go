package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Bot signals on the HTML sign form. Neither refuses a signature: a person
// who trips one (a password manager that fills every box, someone very
// quick with autofill) must not lose their signature, and a bot must not
// learn which signal caught it. A flagged signature is saved held, the
// signer sees the usual "check your email" page, and a moderator decides.
const (
	// honeypotField is a text box hidden from people (visually and from
	// screen readers, out of the tab order) that scripts fill in.
	honeypotField = "website"
	// startedField carries the signed time the form was shown.
	startedField = "started"
	// futureSlack tolerates a little clock difference on a stamp.
	futureSlack = time.Minute
)

// stampLifetime is how long a sign form's stamp is good for: a form left
// open longer is still taken, but held for review like a missing stamp.
const stampLifetime = 2 * time.Hour

// formClock signs the moment a form is shown, so the server can tell how
// long it took to come back. Each stamp carries a random nonce and is good
// once: the stamps used are remembered until they expire (stampLifetime),
// so one stamp cannot serve a script for many signatures.
type formClock struct {
	key []byte
	now func() time.Time
	min time.Duration // 0 turns the timing signal off

	macs sync.Pool // of hmac.New(sha256.New, key), see mac

	mu   sync.Mutex
	used map[string]time.Time // stamp -> when it expires
	next time.Time            // when to sweep expired stamps next
}

func newFormClock(key []byte, now func() time.Time, min time.Duration) *formClock {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	return &formClock{key: key, now: now, min: min, used: map[string]time.Time{}}
}

// stamp returns a token holding now, a nonce and their MAC:
// "<unix ms base 36>.<nonce>.<mac>".
func (c *formClock) stamp() string {
	ms := strconv.FormatInt(c.now().UnixMilli(), 36)
	var n [8]byte
	rand.Read(n[:])
	body := ms + "." + base64.RawURLEncoding.EncodeToString(n[:])
	return body + "." + c.mac(body)
}

func (c *formClock) mac(body string) string {
	// Keyed HMACs are used again: every shared page a visitor opens
	// carries a fresh stamp, and setting up the key took two of the four
	// SHA-256 blocks a stamp costs.
	h, _ := c.macs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, c.key)
	}
	h.Reset()
	h.Write([]byte("oursay form shown at " + body))
	var sum [sha256.Size]byte
	mac := base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:16])
	c.macs.Put(h)
	return mac
}

// shownAt returns the time a stamp holds, if its MAC is good.
func (c *formClock) shownAt(token string) (time.Time, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 64 {
		return time.Time{}, false
	}
	body, mac := token[:i], token[i+1:]
	ms, _, ok := strings.Cut(body, ".")
	if !ok || len(ms) > 12 || !hmac.Equal([]byte(mac), []byte(c.mac(body))) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ms, 36, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(n), true
}

// use records a genuine stamp as used and reports whether it was unused.
func (c *formClock) use(token string, shown time.Time) bool {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !now.Before(c.next) {
		for k, exp := range c.used {
			if now.After(exp) {
				delete(c.used, k)
			}
		}
		c.next = now.Add(time.Minute)
	}
	if _, ok := c.used[token]; ok {
		return false
	}
	c.used[token] = shown.Add(stampLifetime + futureSlack)
	return true
}

// isUsed reports whether a stamp has been used.
func (c *formClock) isUsed(token string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.used[token]
	return ok
}

// check reads the bot signals of a posted sign form. A genuine stamp is
// used up by it.
func (c *formClock) check(form url.Values) ballot.ReviewReason {
	if strings.TrimSpace(form.Get(honeypotField)) != "" {
		return ballot.ReviewHoneypot
	}
	if c.min <= 0 {
		return ballot.ReviewNone
	}
	token := form.Get(startedField)
	shown, ok := c.shownAt(token)
	now := c.now()
	if !ok || shown.After(now.Add(futureSlack)) || now.Sub(shown) > stampLifetime || !c.use(token, shown) {
		return ballot.ReviewTiming
	}
	if now.Sub(shown) < c.min {
		return ballot.ReviewTooFast
	}
	return ballot.ReviewNone
}

// keepStamp is the stamp to put back in a re-shown form: the one it was
// sent with, if genuine and unused, so fixing a typo quickly does not look
// like a bot; else a new one.
func (c *formClock) keepStamp(form url.Values) string {
	if t := form.Get(startedField); t != "" {
		if _, ok := c.shownAt(t); ok && !c.isUsed(t) {
			return t
		}
	}
	return c.stamp()
}
