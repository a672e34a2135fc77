package web

import (
	"errors"
	"strconv"
	"strings"
)

// maxPounds bounds an entered value well inside int64 pence: no council
// contract is worth a trillion pounds.
const maxPounds = 999_999_999_999

// parsePounds reads an amount in pounds as an officer types it, such as
// "1,250,000.50", "£1250000" or "99.5", and returns pence. Commas may
// group thousands; at most two digits may follow the point.
func parsePounds(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !validGrouping(whole) || hasPoint && (len(frac) == 0 || len(frac) > 2 || !allDigits(frac)) {
		return 0, errors.New("not an amount")
	}
	pounds, err := strconv.ParseInt(strings.ReplaceAll(whole, ",", ""), 10, 64)
	if err != nil || pounds > maxPounds {
		return 0, errors.New("not an amount")
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
		return s != "" && allDigits(s)
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// formatPence writes pence as pounds, "£1,250,000.50", leaving off ".00".
func formatPence(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	out := sign + "£" + groupThousands(p/100)
	if p%100 != 0 {
		out += "." + strconv.FormatInt(100+p%100, 10)[1:]
	}
	return out
}

// inputPence writes pence for a form field: "1250000.50", or "1250000".
func inputPence(p int64) string {
	out := strconv.FormatInt(p/100, 10)
	if p%100 != 0 {
		out += "." + strconv.FormatInt(100+p%100, 10)[1:]
	}
	return out
}

// groupThousands writes n with commas: 48210 → "48,210".
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
