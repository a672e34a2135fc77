package ballot

import "time"

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
