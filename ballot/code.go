package ballot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strings"
)

// CodeAlphabet is the voter code alphabet: 32 symbols, no 0, O, 1 or I, so
// nothing on a letter can be misread. Each symbol carries 5 bits.
const CodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// CodeLength is the number of symbols in a voter code: 16 × 5 = 80 bits.
const CodeLength = 16

// ErrCodeFormat means typed text cannot be a voter code.
var ErrCodeFormat = errors.New("a voter code is 16 letters and digits, as printed on your letter, such as ABCD-EFGH-JKLM-NPQR")

// NewCode returns a random voter code in canonical form (no separators).
func NewCode() string {
	b := make([]byte, CodeLength)
	rand.Read(b)
	for i := range b {
		b[i] = CodeAlphabet[b[i]&31] // 256 is a multiple of 32: no bias
	}
	return string(b)
}

// GroupCode prints a canonical code in groups of four: ABCD-EFGH-JKLM-NPQR.
func GroupCode(code string) string {
	var sb strings.Builder
	for i, r := range code {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// ParseCode reads a code as a person types it: any case, with spaces or
// dashes anywhere. O, 0, I and 1 are never printed on a letter, so typing
// one (like anything of the wrong length) gets ErrCodeFormat's message
// rather than a guess.
func ParseCode(s string) (string, error) {
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '\u00a0':
			continue
		case r < 128 && strings.IndexByte(CodeAlphabet, byte(r)) >= 0:
			sb.WriteRune(r)
		default:
			return "", ErrCodeFormat
		}
		if sb.Len() > CodeLength {
			return "", ErrCodeFormat
		}
	}
	if sb.Len() != CodeLength {
		return "", ErrCodeFormat
	}
	return sb.String(), nil
}

// HashCode is the keyed hash stored for a code: HMAC-SHA256 under a key kept
// outside the database, bound to the ballot so a code means nothing on another.
func HashCode(key []byte, ballotID int64, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte{byte(ballotID >> 56), byte(ballotID >> 48), byte(ballotID >> 40), byte(ballotID >> 32),
		byte(ballotID >> 24), byte(ballotID >> 16), byte(ballotID >> 8), byte(ballotID)})
	m.Write([]byte(code))
	return m.Sum(nil)
}
