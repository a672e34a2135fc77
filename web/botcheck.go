package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
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

// formClock signs the moment a form is shown, so the server can tell how
// long it took to come back without keeping any state per form.
type formClock struct {
	key []byte
	now func() time.Time
	min time.Duration // 0 turns the timing signal off
}

func newFormClock(key []byte, now func() time.Time, min time.Duration) *formClock {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	return &formClock{key: key, now: now, min: min}
}

// stamp returns a token holding now and its MAC: "<unix ms base 36>.<mac>".
func (c *formClock) stamp() string {
	ms := strconv.FormatInt(c.now().UnixMilli(), 36)
	return ms + "." + c.mac(ms)
}

func (c *formClock) mac(ms string) string {
	h := hmac.New(sha256.New, c.key)
	h.Write([]byte("oursay form shown at " + ms))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// shownAt returns the time a stamp holds, if its MAC is good.
func (c *formClock) shownAt(token string) (time.Time, bool) {
	ms, mac, ok := strings.Cut(token, ".")
	if !ok || len(ms) > 12 || !hmac.Equal([]byte(mac), []byte(c.mac(ms))) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ms, 36, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(n), true
}

// check reads the bot signals of a posted sign form.
func (c *formClock) check(form url.Values) ballot.ReviewReason {
	if strings.TrimSpace(form.Get(honeypotField)) != "" {
		return ballot.ReviewHoneypot
	}
	if c.min <= 0 {
		return ballot.ReviewNone
	}
	shown, ok := c.shownAt(form.Get(startedField))
	if !ok || shown.After(c.now().Add(futureSlack)) {
		return ballot.ReviewTiming
	}
	if c.now().Sub(shown) < c.min {
		return ballot.ReviewTooFast
	}
	return ballot.ReviewNone
}

// keepStamp is the stamp to put back in a re-shown form: the one it was
// sent with, if genuine, so fixing a typo quickly does not look like a bot.
func (c *formClock) keepStamp(form url.Values) string {
	if t := form.Get(startedField); t != "" {
		if _, ok := c.shownAt(t); ok {
			return t
		}
	}
	return c.stamp()
}
