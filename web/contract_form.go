package web

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// The contract form keeps its lists in plain textareas, so it works without
// JavaScript: one break clause date per line, one KPI per line.

// maxKPIs bounds the KPI rows of one contract.
const maxKPIs = 200

// parseBreakClauses reads dates as year-month-day, one per line (commas
// also separate). The error names the line.
func parseBreakClauses(s string) ([]time.Time, error) {
	var out []time.Time
	for i, line := range strings.Split(strings.ReplaceAll(s, ",", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		d, err := time.Parse("2006-01-02", line)
		if err != nil {
			return nil, fmt.Errorf("Break clause %d: enter the date as year-month-day, like 2028-04-01", i+1)
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out, nil
}

// breakInputs is how many break clause date inputs the contract form
// shows at least; a contract with more shows one more than it has.
const breakInputs = 6

func breakKey(n int) string { return "break_" + strconv.Itoa(n) }

// breakSlots numbers the break clause date inputs form needs: breakInputs,
// or one more than the last filled in.
func breakSlots(form url.Values) []int {
	n := breakInputs
	for k := range form {
		var i int
		if _, err := fmt.Sscanf(k, "break_%d", &i); err == nil && i >= n {
			n = i + 1
		}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// readBreakClauses reads the break clause dates from their GOV.UK date
// inputs (break_1, break_2, …), blank ones skipped. A form
// from a script may give them instead as break_clauses, one
// year-month-day date a line.
func readBreakClauses(f *formReader) []time.Time {
	if _, lines := f.form["break_clauses"]; lines {
		dates, err := parseBreakClauses(f.text("break_clauses"))
		if err != nil {
			f.note("break_clauses", err.Error())
		}
		return dates
	}
	var out []time.Time
	for _, i := range breakSlots(f.form) {
		if d := f.formDate(breakKey(i), "Break clause "+strconv.Itoa(i), time.UTC); !d.IsZero() {
			out = append(out, d)
		}
	}
	return out // the store keeps them in date order
}

// parseKPIs reads one KPI per line as "name | target | actual | period |
// rating". Name and target are needed; actual, period and rating may be
// left off the end of the line or left empty. The rating is one of the
// Procurement Act's, as words ("Requires improvement") or as its code. The
// error names the line.
func parseKPIs(s string) ([]ballot.KPI, error) {
	var out []ballot.KPI
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		if len(parts) > 5 {
			return nil, fmt.Errorf("KPI line %d: use at most 5 parts: name | target | actual | period | rating", i+1)
		}
		parts = append(parts, "", "", "", "")[:5]
		if parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("KPI line %d: give at least a name and a target, like Missed bins | ≤ 50", i+1)
		}
		rating, ok := ratingFromText(parts[4])
		if !ok {
			return nil, fmt.Errorf("KPI line %d: the rating must be Good, Approaching target, Requires improvement, Inadequate or Other", i+1)
		}
		for _, p := range parts[:4] {
			if len([]rune(p)) > 200 {
				return nil, fmt.Errorf("KPI line %d: each part must be 200 characters or fewer", i+1)
			}
		}
		out = append(out, ballot.KPI{Name: parts[0], Target: parts[1], Actual: parts[2], Period: parts[3], Rating: rating})
		if len(out) > maxKPIs {
			return nil, errors.New("Enter " + strconv.Itoa(maxKPIs) + " KPI lines or fewer")
		}
	}
	return out, nil
}

// ratingFromText accepts a rating's label or code in any case; "" is no rating.
func ratingFromText(s string) (ballot.Rating, bool) {
	if s == "" {
		return "", true
	}
	key := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "_", " ")), " "))
	for _, r := range ballot.Ratings {
		if key == strings.ToLower(r.Label()) {
			return r, true
		}
	}
	return "", false
}

// formatKPIs writes KPIs back as the textarea's lines.
func formatKPIs(kpis []ballot.KPI) string {
	lines := make([]string, len(kpis))
	for i, k := range kpis {
		rating := ""
		if k.Rating != "" {
			rating = k.Rating.Label()
		}
		lines[i] = strings.TrimRight(strings.Join([]string{k.Name, k.Target, k.Actual, k.Period, rating}, " | "), " |")
	}
	return strings.Join(lines, "\n")
}

// parsePercent reads a share such as "10", "7.5%" or "0.25" as basis
// points (hundredths of a percent), exactly.
func parsePercent(s string) (int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || len(whole) > 3 || hasPoint && (frac == "" || len(frac) > 2 || !allDigits(frac)) {
		return 0, errors.New("not a percentage")
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi((frac + "00")[:2])
	return w*100 + f, nil
}

// formatPercent writes basis points as a percentage: 1000 → "10", 750 → "7.5".
func formatPercent(bp int) string {
	return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64)
}
