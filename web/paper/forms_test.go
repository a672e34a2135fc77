package paper_test

import (
	"strings"
	"testing"

	"github.com/oursay/oursay/web/paper"
)

func TestParseFormSerial(t *testing.T) {
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
		got, msg := paper.ParseFormSerial(tc.slug, tc.typed)
		if (msg == "") != tc.ok || tc.ok && got != tc.want {
			t.Errorf("ParseFormSerial(%q, %q): got %q, %q", tc.slug, tc.typed, got, msg)
		}
	}
}

// FuzzParseFormSerial: an accepted serial is in printed form for this
// consultation, and reading it again gives itself.
func FuzzParseFormSerial(f *testing.F) {
	f.Fuzz(func(t *testing.T, slug, typed string) {
		if slug == "" || strings.ContainsAny(slug, " \t\n-") {
			return // slugs are checked when a consultation is made
		}
		got, msg := paper.ParseFormSerial(slug, typed)
		if msg != "" || got == "" {
			return
		}
		if !strings.HasPrefix(got, strings.ToUpper(slug)+"-") {
			t.Fatalf("(%q, %q) accepted as %q", slug, typed, got)
		}
		if again, msg := paper.ParseFormSerial(slug, got); again != got || msg != "" {
			t.Fatalf("%q reads again as %q, %q", got, again, msg)
		}
	})
}
