package db

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"sync/atomic"
)

// Signature links. With a LinkKey, the confirmation and withdrawal links
// in a signer's mail name the signature's row, encrypted, under a MAC, and
// the link finds its row by primary key; the token columns stay NULL.
// Without one (stores built in tests) each link is a random token whose
// hash is stored and looked up, as every link was before LinkKey.
//
// Why: the two hash columns are UNIQUE, so each signature put a random
// key into two indexes, each a different page of a million-row table to
// read, change, write to the WAL and checkpoint. Dropping them from the
// hot insert took sign from about 3,700 to 4,100-4,600 a second on the
// 1M database, and the server's CPU per signature down a fifth. NULLs
// sort together at the front of those indexes, so new rows cost them
// nothing random.
//
// Why encrypted: row ids count up, so a token that showed its id would
// tell anyone who signed twice how many signatures came between. The id
// and the link's purpose fill one AES block, enciphered under a key of
// its own; a MAC over that block and the purpose follows. Two tokens look
// unrelated whatever their ids.

// A token names its signature by id, so this relies on ids never being
// reused: signatures are never deleted (a withdrawal or an invalidation
// only changes their status), and a link's expiry is checked on the row.

// linkTokenLen is the length of a link token: a 16-byte AES block and a
// 16-byte MAC in unpadded base32, like the random tokens URL-safe and
// upper case. A random token (rand.Text) is 26 characters.
const linkTokenLen = 52

// legacyTokenLen is a token mailed before ids were encrypted: the id in
// the clear and a MAC of it. Those links still work until they expire.
const legacyTokenLen = 39

var linkEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Link purposes: a confirmation link cannot be used to withdraw.
const (
	linkConfirm  = "confirm"
	linkWithdraw = "withdraw"
)

// linkKeys is what a link key derives, worked out once: each link made or
// read took two HMACs and an AES key schedule before its own MAC, some
// ten per signature confirmed.
type linkKeys struct {
	key     string
	block   cipher.Block
	confirm []byte // purposeTag(key, linkConfirm)
	// withdraw is purposeTag(key, linkWithdraw).
	withdraw []byte
}

// lastLinkKeys holds what the last key used derives: a server has one.
var lastLinkKeys atomic.Pointer[linkKeys]

func linkKeysFor(key []byte) *linkKeys {
	if k := lastLinkKeys.Load(); k != nil && k.key == string(key) {
		return k
	}
	k := &linkKeys{key: string(key), block: linkCipher(key),
		confirm: purposeTag(key, linkConfirm), withdraw: purposeTag(key, linkWithdraw)}
	lastLinkKeys.Store(k)
	return k
}

// tag is purposeTag(k.key, purpose).
func (k *linkKeys) tag(purpose string) []byte {
	switch purpose {
	case linkConfirm:
		return k.confirm
	case linkWithdraw:
		return k.withdraw
	}
	return purposeTag([]byte(k.key), purpose)
}

// linkToken returns the token for one signature's link.
func linkToken(key []byte, purpose string, id int64) string {
	var b [32]byte
	k := linkKeysFor(key)
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	copy(b[8:16], k.tag(purpose))
	k.block.Encrypt(b[:16], b[:16])
	copy(b[16:], linkMAC(key, purpose, b[:16]))
	return linkEncoding.EncodeToString(b[:])
}

// parseLinkToken returns the signature id a token names, if the token is
// one we issued for purpose (or a legacy one, see legacyTokenLen). A
// random token is not one.
func parseLinkToken(key []byte, purpose, token string) (int64, bool) {
	if len(key) == 0 {
		return 0, false
	}
	if len(token) == legacyTokenLen {
		return parseLegacyToken(key, purpose, token)
	}
	b, ok := decodeToken(token, linkTokenLen, 32)
	if !ok || !hmac.Equal(b[16:], linkMAC(key, purpose, b[:16])) {
		return 0, false
	}
	k := linkKeysFor(key)
	k.block.Decrypt(b[:16], b[:16])
	if !hmac.Equal(b[8:16], k.tag(purpose)) {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	return id, id > 0
}

// parseLegacyToken reads a token of the first form: the id in the clear
// and a MAC of it.
func parseLegacyToken(key []byte, purpose, token string) (int64, bool) {
	b, ok := decodeToken(token, legacyTokenLen, 24)
	if !ok || !hmac.Equal(b[8:], linkMAC(key, purpose, b[:8])) {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	return id, id > 0
}

// decodeToken decodes a token of n characters into size bytes. The last
// character's spare bits must be zero, so each link has one token.
func decodeToken(token string, n, size int) ([]byte, bool) {
	if len(token) != n {
		return nil, false
	}
	b, err := linkEncoding.DecodeString(token)
	if err != nil || len(b) != size || linkEncoding.EncodeToString(b) != token {
		return nil, false
	}
	return b, true
}

func linkMAC(key []byte, purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("oursay signature link\x00" + purpose + "\x00"))
	m.Write(data)
	return m.Sum(nil)[:16]
}

// linkCipher is AES-256 under a key derived from the link key, apart from
// the MAC's.
func linkCipher(key []byte) cipher.Block {
	b, err := aes.NewCipher(derive(key, "oursay signature link cipher v2"))
	if err != nil {
		panic(err) // a 32-byte key is always a valid AES key
	}
	return b
}

// purposeTag fills the rest of the block: a token deciphered for the
// wrong purpose, or under the wrong key, shows it.
func purposeTag(key []byte, purpose string) []byte {
	return derive(key, "oursay signature link purpose\x00"+purpose)[:8]
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// LinkKey derives the key for signature links from the server's secret
// key (the voter code key file), so links need no key file of their own
// and a stolen database alone cannot forge them.
func LinkKey(secret []byte) []byte {
	return derive(secret, "oursay signature links v1")
}
