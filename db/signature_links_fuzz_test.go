package db

import (
	"encoding/binary"
	"testing"
)

// FuzzParseLinkToken: whatever arrives in ?token=, parsing never panics,
// and the only tokens accepted are exactly those linkToken issues, or
// legacyToken issued before ids were encrypted.
func FuzzParseLinkToken(f *testing.F) {
	key := LinkKey([]byte("fuzz key"))
	f.Add(linkToken(key, linkConfirm, 1))
	f.Add(linkToken(key, linkWithdraw, 1<<40))
	f.Add(legacyToken(key, linkConfirm, 7))
	f.Add("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFG")
	f.Add("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST")
	f.Add("7QXJ2ZKQ5W3NL4V6HTYRB2MDPE") // a random token's shape
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		for _, purpose := range []string{linkConfirm, linkWithdraw} {
			id, ok := parseLinkToken(key, purpose, token)
			if ok && (id <= 0 || linkToken(key, purpose, id) != token && legacyToken(key, purpose, id) != token) {
				t.Fatalf("accepted %q for %s as id %d, which is not a token we issue", token, purpose, id)
			}
		}
		if _, ok := parseLinkToken(nil, linkConfirm, token); ok {
			t.Fatal("a store without a key accepted a signed token")
		}
	})
}

// legacyToken is a token of the first form: the id in the clear, then a
// MAC of it.
func legacyToken(key []byte, purpose string, id int64) string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	copy(b[8:], linkMAC(key, purpose, b[:8]))
	return linkEncoding.EncodeToString(b[:])
}
