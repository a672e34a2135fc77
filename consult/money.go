package consult

import (
	"errors"
	"strconv"
	"strings"
)

// MaxPounds bounds an amount well inside int64 pence: no council contract
// or payment is worth a trillion pounds.
const MaxPounds = 999_999_999_999

// ErrNotMoney means a text is not an amount of money as ParsePence reads it.
var ErrNotMoney = errors.New("not an amount of money")

// ParsePence reads an amount in pounds as people type it, such as
// "1,250,000.50", "£1250000" or "99.5", and returns pence. Commas may
// group thousands; at most two digits may follow the point. It is the one
// reader of money: officers' forms and the spending importer both use it.
func ParsePence(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !validGrouping(whole) || hasPoint && (len(frac) == 0 || len(frac) > 2 || !AllDigits(frac)) {
		return 0, ErrNotMoney
	}
	pounds, err := strconv.ParseInt(strings.ReplaceAll(whole, ",", ""), 10, 64)
	if err != nil || pounds > MaxPounds {
		return 0, ErrNotMoney
	}
	pence := int64(0)
	if hasPoint {
		pence, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	return pounds*100 + pence, nil
}

// validGrouping accepts digits, optionally grouped in threes by commas
// ("1,250,000"), but not misplaced commas ("12,50").
func validGrouping(s string) bool {
	if !strings.Contains(s, ",") {
		return s != "" && AllDigits(s)
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !AllDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !AllDigits(g) {
			return false
		}
	}
	return true
}

// AllDigits reports whether s holds only the digits 0 to 9.
func AllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
