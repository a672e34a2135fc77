package db

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
)

// Signature links. With a LinkKey, the confirmation and withdrawal links
// in a signer's mail carry the signature's id and a MAC of it, and the
// link finds its row by primary key; the token columns stay NULL. Without
// one (stores built in tests) each link is a random token whose hash is
// stored and looked up, as every link was before LinkKey.
//
// Why: the two hash columns are UNIQUE, so each signature put a random
// key into two indexes, each a different page of a million-row table to
// read, change, write to the WAL and checkpoint. Dropping them from the
// hot insert took sign from about 3,700 to 4,100-4,600 a second on the
// 1M database, and the server's CPU per signature down a fifth. NULLs
// sort together at the front of those indexes, so new rows cost them
// nothing random.

// A token names its signature by id, so this relies on ids never being
// reused: signatures are never deleted (a withdrawal or an invalidation
// only changes their status), and a link's expiry is checked on the row.

// linkTokenLen is the length of a MAC link token: 8 bytes of id and a
// 16-byte MAC in unpadded base32, like the random tokens URL-safe and
// upper case. A random token (rand.Text) is 26 characters.
const linkTokenLen = 39

var linkEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Link purposes: a confirmation link cannot be used to withdraw.
const (
	linkConfirm  = "confirm"
	linkWithdraw = "withdraw"
)

// linkToken returns the token for one signature's link.
func linkToken(key []byte, purpose string, id int64) string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	copy(b[8:], linkMAC(key, purpose, b[:8]))
	return linkEncoding.EncodeToString(b[:])
}

// parseLinkToken returns the signature id a MAC token names, if the token
// is one and its MAC is right for purpose. A random token is not one.
func parseLinkToken(key []byte, purpose, token string) (int64, bool) {
	if len(key) == 0 || len(token) != linkTokenLen {
		return 0, false
	}
	b, err := linkEncoding.DecodeString(token)
	if err != nil || len(b) != 24 || linkEncoding.EncodeToString(b) != token {
		return 0, false // the last character's spare bits must be zero: one token per link
	}
	if !hmac.Equal(b[8:], linkMAC(key, purpose, b[:8])) {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	return id, id > 0
}

func linkMAC(key []byte, purpose string, id []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("oursay signature link\x00" + purpose + "\x00"))
	m.Write(id)
	return m.Sum(nil)[:16]
}

// LinkKey derives the key for signature links from the server's secret
// key (the voter code key file), so links need no key file of their own
// and a stolen database alone cannot forge them.
func LinkKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("oursay signature links v1"))
	return m.Sum(nil)
}
