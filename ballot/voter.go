package ballot

import (
	"crypto/rand"
	"time"
)

// GenerateCodes returns n distinct new voter codes for a ballot and, in the
// same order, the keyed hashes that are all the database keeps of them.
func GenerateCodes(key []byte, ballotID int64, n int) (codes []string, hashes [][]byte) {
	codes, hashes = make([]string, 0, n), make([][]byte, 0, n)
	seen := make(map[string]bool, n)
	for len(codes) < n {
		c := NewCode()
		if seen[c] { // 80 bits: never in practice, but a repeat would be one code counted twice
			continue
		}
		seen[c] = true
		codes = append(codes, c)
		hashes = append(hashes, HashCode(key, ballotID, c))
	}
	return codes, hashes
}

// ReceiptLength is the number of symbols in a vote receipt: 12 × 5 = 60
// bits, enough that no two receipts on one ballot meet by chance (the store
// still refuses a repeat and draws again).
const ReceiptLength = 12

// NewReceipt returns a random vote receipt, printed in groups of four. It
// is drawn afresh for each vote and says nothing about the code or the
// choice: it only lets a voter find their vote in the published list.
func NewReceipt() string {
	b := make([]byte, ReceiptLength)
	rand.Read(b)
	for i := range b {
		b[i] = CodeAlphabet[b[i]&31]
	}
	return GroupCode(string(b))
}

// RecallQuestion is the question a recall ballot asks by default, naming
// the provider and, when known, the break point at which the contract
// would end.
func RecallQuestion(c *Contract, breakOn time.Time) string {
	q := "Should the council end its contract with " + c.Provider + " for " + c.Service + " at the break point"
	if !breakOn.IsZero() {
		q += " on " + breakOn.Format("2 January 2006")
	}
	return q + "?"
}
