package db

import "testing"

// FuzzParseLinkToken: whatever arrives in ?token=, parsing never panics,
// and the only tokens accepted are exactly those linkToken issues.
func FuzzParseLinkToken(f *testing.F) {
	key := LinkKey([]byte("fuzz key"))
	f.Add(linkToken(key, linkConfirm, 1))
	f.Add(linkToken(key, linkWithdraw, 1<<40))
	f.Add("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFG")
	f.Add("7QXJ2ZKQ5W3NL4V6HTYRB2MDPE") // a random token's shape
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		for _, purpose := range []string{linkConfirm, linkWithdraw} {
			id, ok := parseLinkToken(key, purpose, token)
			if ok && (id <= 0 || linkToken(key, purpose, id) != token) {
				t.Fatalf("accepted %q for %s as id %d, which is not a token we issue", token, purpose, id)
			}
		}
		if _, ok := parseLinkToken(nil, linkConfirm, token); ok {
			t.Fatal("a store without a key accepted a signed token")
		}
	})
}
