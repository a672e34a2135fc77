package web

import "testing"

func TestParsePounds(t *testing.T) {
	for in, want := range map[string]int64{
		"1,250,000.50": 125000050, "£1250000": 125000000, "99.5": 9950, "0": 0, " £ 12.05 ": 1205,
		"999,999,999,999.99": 99999999999999,
	} {
		if got, err := parsePounds(in); err != nil || got != want {
			t.Errorf("parsePounds(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "12,50", "1,2345", ",100", "1.", "1.234", "-5", "ten", "1 000", "1,000,000,000,000", "1e6"} {
		if got, err := parsePounds(in); err == nil {
			t.Errorf("parsePounds(%q) = %d, want an error", in, got)
		}
	}
}

func TestFormatPence(t *testing.T) {
	for in, want := range map[int64]string{125000050: "£1,250,000.50", 100: "£1", 5: "£0.05", 99999: "£999.99", -250: "-£2.50"} {
		if got := formatPence(in); got != want {
			t.Errorf("formatPence(%d) = %q, want %q", in, got, want)
		}
	}
	if got := inputPence(125000050); got != "1250000.50" {
		t.Errorf("inputPence = %q", got)
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]int{"10": 1000, "7.5%": 750, "0.25": 25, "100": 10000} {
		if got, err := parsePercent(in); err != nil || got != want {
			t.Errorf("parsePercent(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ten", "1.234", "1000", "-1", ".5"} {
		if _, err := parsePercent(in); err == nil {
			t.Errorf("parsePercent(%q) succeeded, want an error", in)
		}
	}
}
