package web

import (
	"strconv"
	"strings"

	"github.com/oursay/oursay/consult"
)

// parsePounds reads an amount in pounds as an officer types it and
// returns pence: the domain's one money reader, consult.ParsePence.
func parsePounds(s string) (int64, error) { return consult.ParsePence(s) }

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

// allDigits reports whether s holds only the digits 0 to 9.
func allDigits(s string) bool { return consult.AllDigits(s) }
