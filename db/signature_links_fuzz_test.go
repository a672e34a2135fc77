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

// TestLinkKeysFollowTheKey: what a key derives is worked out once and
// kept, but a token is made and read under the key given each time: one
// made under one key is never read under another, whichever was used last.
func TestLinkKeysFollowTheKey(t *testing.T) {
	a, b := LinkKey([]byte("secret a")), LinkKey([]byte("secret b"))
	for range 2 {
		ta, tb := linkToken(a, linkConfirm, 7), linkToken(b, linkConfirm, 7)
		if ta == tb {
			t.Fatal("two keys made the same token")
		}
		for _, c := range []struct {
			key   []byte
			token string
			want  bool
		}{{a, ta, true}, {b, ta, false}, {b, tb, true}, {a, tb, false}} {
			if id, ok := parseLinkToken(c.key, linkConfirm, c.token); ok != c.want || ok && id != 7 {
				t.Errorf("parse under the %s key: %d, %v; want %v", map[bool]string{true: "right", false: "wrong"}[c.want], id, ok, c.want)
			}
		}
		if _, ok := parseLinkToken(a, linkWithdraw, ta); ok {
			t.Error("a confirmation token was read as a withdrawal's")
		}
		// Each token is the one the key and purpose make, worked out
		// afresh here without anything kept.
		for _, key := range [][]byte{a, b} {
			for _, purpose := range []string{linkConfirm, linkWithdraw} {
				var want [32]byte
				binary.BigEndian.PutUint64(want[:8], 7)
				copy(want[8:16], purposeTag(key, purpose))
				linkCipher(key).Encrypt(want[:16], want[:16])
				copy(want[16:], linkMAC(key, purpose, want[:16]))
				if got := linkToken(key, purpose, 7); got != linkEncoding.EncodeToString(want[:]) {
					t.Errorf("%s token under key %x…: not the one the key makes", purpose, key[:4])
				}
			}
		}
	}
}
