package consult_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// Fuzz targets for what respondents and officers type. Seeds are in
// testdata/fuzz/<name>.

var postcodeShape = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

// FuzzNormalisePostcode: "" or a postcode in standard form that normalises
// to itself.
func FuzzNormalisePostcode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p := consult.NormalisePostcode(s)
		if p != "" && (!postcodeShape.MatchString(p) || consult.NormalisePostcode(p) != p) {
			t.Fatalf("%q normalised to %q", s, p)
		}
	})
}

// FuzzNormaliseEmail: the one-response-per-email key is stable (with
// international domains, mapped by UTS #46) and ignores surrounding space
// and, in ASCII, case.
func FuzzNormaliseEmail(f *testing.F) {
	for _, s := range []string{"Ann@Example.ORG", "ann@bücher.example", "a@xn--bcher-kva.example", "a@ｅｘａｍｐｌｅ.org",
		"a@b\u00adc.org", "a@b\uff0ec", "@", "a@", "a@.", "a@xn--", "a@xn--a.com", "İ@İ.com", "a@ß.de", "a@\u0130.x", "a@\u200d.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := consult.NormaliseEmail(s)
		if consult.NormaliseEmail(e) != e || consult.NormaliseEmail(" "+s+"\t\n") != e {
			t.Fatalf("%q normalised to %q", s, e)
		}
		if strings.ToUpper(s) != s && isASCII(s) && consult.NormaliseEmail(strings.ToUpper(s)) != e {
			t.Fatalf("%q: case changes the key", s)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FuzzParseOptions: every option typed one per line comes back trimmed
// and non-empty, one per non-blank line.
func FuzzParseOptions(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		opts := consult.ParseOptions(text)
		lines := 0
		for _, l := range strings.Split(text, "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		if len(opts) != lines {
			t.Fatalf("%q: %d options from %d lines", text, len(opts), lines)
		}
		for _, o := range opts {
			if o.Label == "" || strings.TrimSpace(o.Label) != o.Label || strings.Contains(o.Label, "\n") {
				t.Fatalf("%q: option %q", text, o.Label)
			}
		}
	})
}
