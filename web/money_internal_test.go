package web

import "testing"

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

func TestContractSpend_ShareOfValue(t *testing.T) {
	for _, tc := range []struct {
		total, value int64
		want         string
	}{{1338000, 1845000000, "less than 1%"}, {0, 100, "0%"}, {50, 100, "50%"}, {150, 100, "150%"}, {10, 0, ""}} {
		if got := (&contractSpend{Total: tc.total, Value: tc.value}).ShareOfValue(); got != tc.want {
			t.Errorf("%d of %d = %q, want %q", tc.total, tc.value, got, tc.want)
		}
	}
}
