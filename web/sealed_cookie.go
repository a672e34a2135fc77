package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// A sealed cookie keeps a little state on the person's own browser between
// a form and the page after it: a voter code on its way from a letter's QR
// link to the ballot, a vote being checked, a receipt to show again on
// reload. It is encrypted and authenticated (AES-GCM), so nobody who sees
// the cookie can read it or make one, and it carries its own expiry. Being
// on the browser and nowhere else, it puts no receipt in the database
// beside a time, and no code in a URL, history or log.
type cookieSealer struct {
	aead   cipher.AEAD
	secure bool // served over https: Secure, with a __Host- name
	now    func() time.Time
}

// newCookieSealer derives the sealing key from key (the code key, which
// lives outside the database); with no key, a random one per process.
func newCookieSealer(key []byte, baseURL string, now func() time.Time) *cookieSealer {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("oursay sealed cookies"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &cookieSealer{aead: aead, secure: strings.HasPrefix(baseURL, "https://"), now: now}
}

// sealed is what a cookie holds once opened.
type sealed struct {
	Until int64           `json:"until"` // Unix seconds
	Value json.RawMessage `json:"v"`
}

func (c *cookieSealer) name(base string) string {
	if c.secure {
		return "__Host-" + base
	}
	return base
}

// set seals v into the cookie called name for ttl. The name is sealed in
// too, so one cookie's value cannot be replayed as another's.
func (c *cookieSealer) set(w http.ResponseWriter, name string, v any, ttl time.Duration) {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err) // the values sealed are plain structs
	}
	plain, _ := json.Marshal(sealed{Until: c.now().Add(ttl).Unix(), Value: raw})
	nonce := make([]byte, c.aead.NonceSize())
	rand.Read(nonce)
	box := c.aead.Seal(nonce, nonce, plain, []byte(name))
	http.SetCookie(w, c.cookie(name, base64.RawURLEncoding.EncodeToString(box), int(ttl.Seconds())))
}

// get opens the cookie called name into v, reporting whether there was one
// that is genuine and not expired.
func (c *cookieSealer) get(r *http.Request, name string, v any) bool {
	ck, err := r.Cookie(c.name(name))
	if err != nil {
		return false
	}
	box, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || len(box) < c.aead.NonceSize() {
		return false
	}
	n := c.aead.NonceSize()
	plain, err := c.aead.Open(nil, box[:n], box[n:], []byte(name))
	if err != nil {
		return false
	}
	var s sealed
	if json.Unmarshal(plain, &s) != nil || c.now().Unix() >= s.Until {
		return false
	}
	return json.Unmarshal(s.Value, v) == nil
}

// clear removes the cookie called name.
func (c *cookieSealer) clear(w http.ResponseWriter, name string) {
	http.SetCookie(w, c.cookie(name, "", -1))
}

// cookie is one of ours: HttpOnly, SameSite=Lax (sent when a letter's link
// or a bookmark opens the site, never on another site's form), Path=/, and
// Secure with a __Host- name over https, as the session cookie.
func (c *cookieSealer) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: c.name(name), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.secure}
}
