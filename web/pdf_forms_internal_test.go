package web

import "testing"

func TestParsePaperSerial(t *testing.T) {
	for _, tc := range []struct {
		slug, typed, want string
		ok                bool
	}{
		{"parks", "PARKS-000123", "PARKS-000123", true},
		{"parks", " parks - 12 ", "PARKS-000012", true},
		{"parks-north", "Parks-North-999999", "PARKS-NORTH-999999", true},
		{"parks", "", "", true}, // blank is the response validation's to report
		{"parks", "PARKS-NORTH-000001", "", false},
		{"parks-north", "PARKS-000001", "", false},
		{"parks", "PARKS-0", "", false},
		{"parks", "PARKS-+12", "", false},
		{"parks", "PARKS-1000000", "", false},
		{"parks", "PARKS000123", "", false},
		{"parks", "PARKS-12a", "", false},
	} {
		got, msg := parsePaperSerial(tc.slug, tc.typed)
		if (msg == "") != tc.ok || tc.ok && got != tc.want {
			t.Errorf("parsePaperSerial(%q, %q): got %q, %q", tc.slug, tc.typed, got, msg)
		}
	}
}
