package consult

import "testing"

func TestParsePence(t *testing.T) {
	for in, want := range map[string]int64{
		"1,250,000.50": 125000050, "£1250000": 125000000, "99.5": 9950, "0": 0, " £ 12.05 ": 1205,
		"999,999,999,999.99": 99999999999999,
	} {
		if got, err := ParsePence(in); err != nil || got != want {
			t.Errorf("ParsePence(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "12,50", "1,2345", ",100", "1.", "1.234", "-5", "ten", "1 000", "1,000,000,000,000", "1e6"} {
		if got, err := ParsePence(in); err == nil {
			t.Errorf("ParsePence(%q) = %d, want an error", in, got)
		}
	}
}
