package ballot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// Fuzz targets for the keys signatures are matched on. Seeds are in
// testdata/fuzz/<name>.

var postcodeShape = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

// FuzzNormalisePostcode: the result is "" or a postcode in standard form,
// which normalises to itself, so one place is never two keys.
func FuzzNormalisePostcode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p := ballot.NormalisePostcode(s)
		if p == "" {
			return
		}
		if !postcodeShape.MatchString(p) || ballot.NormalisePostcode(p) != p {
			t.Fatalf("%q normalised to %q", s, p)
		}
	})
}

// FuzzEmailKeys: EmailKey is stable (applying it twice changes nothing),
// keeps the domain, drops any +tag, and is lower case; EmailDomain and
// the block list's suffixes agree with it.
func FuzzEmailKeys(f *testing.F) {
	f.Fuzz(func(t *testing.T, email string) {
		k := ballot.EmailKey(email)
		if ballot.EmailKey(k) != k || k != strings.ToLower(k) {
			t.Fatalf("%q: key %q is not stable", email, k)
		}
		if at := strings.LastIndexByte(k, '@'); at >= 0 {
			if strings.Contains(k[:at], "+") || k[at+1:] != ballot.EmailDomain(email) {
				t.Fatalf("%q: key %q, domain %q", email, k, ballot.EmailDomain(email))
			}
		}
		sfx := ballot.DomainSuffixes(email)
		if len(sfx) == 0 || sfx[0] != ballot.EmailDomain(email) {
			t.Fatalf("%q: suffixes %q", email, sfx)
		}
		for _, d := range sfx[1:] {
			if !strings.Contains(d, ".") || !strings.HasSuffix(sfx[0], "."+d) {
				t.Fatalf("%q: suffix %q of %q", email, d, sfx[0])
			}
		}
	})
}

// FuzzNameKey: the key is stable, has no leading, trailing or doubled
// spaces, and ignores surrounding punctuation and, in ASCII, case.
func FuzzNameKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string) {
		k := ballot.NameKey(name)
		if ballot.NameKey(k) != k || strings.TrimSpace(k) != k || strings.Contains(k, "  ") {
			t.Fatalf("%q: key %q", name, k)
		}
		if ballot.NameKey(" -"+name+" !") != k {
			t.Fatalf("%q: punctuation around it changes the key", name)
		}
		if isASCII(name) && ballot.NameKey(strings.ToUpper(name)) != k {
			t.Fatalf("%q: case changes the key", name)
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

// FuzzNormaliseDomain: an accepted domain is in the block list's form,
// normalises to itself, and is what a signer's address there is matched on.
func FuzzNormaliseDomain(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d := ballot.NormaliseDomain(s)
		if d == "" {
			return
		}
		if ballot.NormaliseDomain(d) != d || d != strings.ToLower(d) || !strings.Contains(d, ".") {
			t.Fatalf("%q normalised to %q", s, d)
		}
		if sfx := ballot.DomainSuffixes("someone@" + d); sfx[0] != d {
			t.Fatalf("%q: an address at it is matched on %q", d, sfx)
		}
	})
}
