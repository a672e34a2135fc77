package ballot_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
)

func TestSignature_Validate(t *testing.T) {
	online := func() *ballot.Signature {
		return &ballot.Signature{Name: "Jo Bloggs", Email: "jo@example.org", Postcode: "sw1a 1aa", Resident: true, Channel: ballot.ChannelOnline}
	}
	paper := func() *ballot.Signature {
		return &ballot.Signature{Name: "Jo Bloggs", Postcode: "SW1A 1AA", Resident: true, Channel: ballot.ChannelPaper, Sheet: "S-12", Line: 1}
	}
	for _, tc := range []struct {
		name   string
		s      *ballot.Signature
		spoil  func(*ballot.Signature)
		fields []string
	}{
		{"OnlineOK", online(), func(s *ballot.Signature) {}, nil},
		{"OnlineNoEmail", online(), func(s *ballot.Signature) { s.Email = "" }, []string{"email"}},
		{"OnlineNoName", online(), func(s *ballot.Signature) { s.Name = " " }, []string{"name"}},
		{"OnlineName201", online(), func(s *ballot.Signature) { s.Name = strings.Repeat("é", 201) }, []string{"name"}},
		{"BadPostcode", online(), func(s *ballot.Signature) { s.Postcode = "SW1A" }, []string{"postcode"}},
		{"NotResident", online(), func(s *ballot.Signature) { s.Resident = false }, []string{"resident"}},
		{"PaperOK", paper(), func(s *ballot.Signature) {}, nil},
		{"PaperLine1000", paper(), func(s *ballot.Signature) { s.Line = 1000 }, nil},
		{"PaperLine0", paper(), func(s *ballot.Signature) { s.Line = 0 }, []string{"line"}},
		{"PaperLine1001", paper(), func(s *ballot.Signature) { s.Line = 1001 }, []string{"line"}},
		{"PaperNoSheet", paper(), func(s *ballot.Signature) { s.Sheet = "" }, []string{"sheet"}},
		{"PaperSheet41", paper(), func(s *ballot.Signature) { s.Sheet = strings.Repeat("9", 41) }, []string{"sheet"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.spoil(tc.s)
			wantFields(t, tc.s.Validate(), tc.fields...)
		})
	}
}

func TestEmailKeyAndDomain(t *testing.T) {
	for _, tc := range []struct{ in, key, domain string }{
		{"jo@example.org", "jo@example.org", "example.org"},
		{" Jo+Recall@Example.ORG ", "jo@example.org", "example.org"},
		{"jo.bloggs+a+b@example.org", "jo.bloggs@example.org", "example.org"},
		{"+x@example.org", "@example.org", "example.org"},
		{`"a@b"@Example.org`, `"a@b"@example.org`, "example.org"},
		{"no-at-sign+x", "no-at-sign+x", "no-at-sign+x"},
		// One domain, three spellings: one key (punycode from Python's
		// "bücher".encode("idna")).
		{"Jo+x@BÜCHER.example", "jo@xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"jo@xn--bcher-kva.example", "jo@xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"jo@ｂüｃｈｅｒ.example", "jo@xn--bcher-kva.example", "xn--bcher-kva.example"},
	} {
		if got := ballot.EmailKey(tc.in); got != tc.key {
			t.Errorf("EmailKey(%q) = %q, want %q", tc.in, got, tc.key)
		}
		if got := ballot.EmailDomain(tc.in); got != tc.domain {
			t.Errorf("EmailDomain(%q) = %q, want %q", tc.in, got, tc.domain)
		}
	}
}

func TestNameKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Jo Bloggs", "jo bloggs"},
		{"  JO   BLOGGS  ", "jo bloggs"},
		{"O'Neill-Smith, Mary", "o neill smith mary"},
		{"Zoë 2nd", "zoë 2nd"},
		{"--", ""},
		{"", ""},
	} {
		if got := ballot.NameKey(tc.in); got != tc.want {
			t.Errorf("NameKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBallotNormalisePostcode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"sw1a1aa", "SW1A 1AA"},
		{" m1  1ae ", "M1 1AE"},
		{"DN55 1PT", "DN55 1PT"},
		{"SW1A", ""},
		{"SW1A 1AAA", ""},
		{"", ""},
	} {
		if got := ballot.NormalisePostcode(tc.in); got != tc.want {
			t.Errorf("NormalisePostcode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestReviewReason_Describe(t *testing.T) {
	for _, tc := range []struct {
		r    ballot.ReviewReason
		want string
	}{
		{ballot.ReviewHoneypot, "Filled in the hidden field that people leave blank"},
		{ballot.ReviewTooFast, "Sent within seconds of the form being shown"},
		{ballot.ReviewTiming, "The form's timing check was missing or altered"},
		{ballot.ReviewNone, ""},
		{"other", "other"},
	} {
		if got := tc.r.Describe(); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestNormaliseDomain(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	name253 := strings.Repeat(label63+".", 3) + strings.Repeat("b", 61) // 3×64 + 61 = 253
	for _, tc := range []struct{ in, want string }{
		{"spam.example", "spam.example"},
		{" @Spam.Example. ", "spam.example"},
		{"*.spam.example", "spam.example"},
		{"a-b.x9.example", "a-b.x9.example"},
		{"z0.a9.example", "z0.a9.example"},
		{label63 + ".example", label63 + ".example"},
		{"a" + label63 + ".example", ""},
		{name253, name253},
		{"a" + name253, ""},
		{"example", ""},
		{"", ""},
		{"@", ""},
		{"spam..example", ""},
		{"-spam.example", ""},
		{"spam-.example", ""},
		{"sp_am.example", ""},
		{"spam.exam/ple", ""},
		{"spam.exa`mple", ""},
		{"spam.exa{mple", ""},
		{"spam.exa:mple", ""},
		// An international domain is kept in its punycode form (UTS #46;
		// expected values from Python's "éxample".encode("idna")), so both
		// spellings are one entry; hidden characters and full-width dots
		// are refused.
		{"spam.éxample", "spam.xn--xample-9ua"},
		{"SPAM.ÉXAMPLE", "spam.xn--xample-9ua"},
		{"spam.xn--xample-9ua", "spam.xn--xample-9ua"},
		{"sp\u00adam.example", ""},
		{"sp\u200bam.example", ""},
		{"spam\uff0eexample", ""},
	} {
		if got := ballot.NormaliseDomain(tc.in); got != tc.want {
			t.Errorf("NormaliseDomain(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDomainSuffixes(t *testing.T) {
	for _, tc := range []struct {
		email string
		want  []string
	}{
		{"jo@a.spam.example", []string{"a.spam.example", "spam.example"}},
		{"jo@spam.example", []string{"spam.example"}},
		{"jo@x.y.z.example", []string{"x.y.z.example", "y.z.example", "z.example"}},
		{"jo@localhost", []string{"localhost"}},
		{"jo@.spam.example", []string{".spam.example", "spam.example"}},
		// An international domain meets the block list in punycode, as
		// NormaliseDomain keeps it.
		{"jo@a.Bücher.example", []string{"a.xn--bcher-kva.example", "xn--bcher-kva.example"}},
	} {
		if got := ballot.DomainSuffixes(tc.email); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("DomainSuffixes(%q) = %q, want %q", tc.email, got, tc.want)
		}
	}
}

func TestValidateBlockedDomain(t *testing.T) {
	wantFields(t, ballot.ValidateBlockedDomain(&ballot.BlockedDomain{Domain: "spam.example", Reason: "Bulk sign-ups"}))
	wantFields(t, ballot.ValidateBlockedDomain(&ballot.BlockedDomain{Domain: "spam", Reason: "Bulk sign-ups"}), "domain")
	wantFields(t, ballot.ValidateBlockedDomain(&ballot.BlockedDomain{Domain: "spam.example"}), "reason")
	wantFields(t, ballot.ValidateBlockedDomain(&ballot.BlockedDomain{Domain: "spam.example", Reason: strings.Repeat("x", 501)}), "reason")
}
