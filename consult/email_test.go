package consult_test

import (
	"testing"

	"github.com/oursay/oursay/consult"
)

// TestNormaliseEmail_Domains: every spelling of one address is one address. The
// punycode forms are Python's ("bücher".encode("idna") is
// b'xn--bcher-kva'), not this package's.
func TestNormaliseEmail_Domains(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{" Ann@Example.ORG ", "ann@example.org"},
		{"ann@bücher.example", "ann@xn--bcher-kva.example"},
		{"ann@BÜCHER.example", "ann@xn--bcher-kva.example"},
		{"ann@xn--bcher-kva.example", "ann@xn--bcher-kva.example"},
		{"ann@ｅｘａｍｐｌｅ.org", "ann@example.org"}, // full-width letters map to ASCII
		{"no-at-sign", "no-at-sign"},
	} {
		if got := consult.NormaliseEmail(tc.in); got != tc.want {
			t.Errorf("NormaliseEmail(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEmail_HiddenCharacters: an address with a character nobody can see,
// or a dot that is not the ASCII dot, is refused with a message saying so,
// rather than silently mapped onto another address.
func TestEmail_HiddenCharacters(t *testing.T) {
	for _, in := range []string{"ann@exa\u200bmple.org", "ann@exa\u00admple.org", "an\u200dn@example.org",
		"ann@example\uff0eorg", "ann@example\u3002org", "\ufeffann@example.org"} {
		ve := &consult.ValidationError{}
		ve.Email("email", in)
		if got := ve.Fields["email"]; got != "Email address must not contain hidden characters or full-width dots. Type it again, like name@example.com" {
			t.Errorf("%q: got %q", in, got)
		}
	}
	ve := &consult.ValidationError{}
	ve.Email("email", "ann@bücher.example")
	if ve.Err() != nil {
		t.Errorf("an international domain was refused: %v", ve.Fields)
	}
	// Every listed character, and both ends of every listed block, is
	// hidden; the characters just outside each block are not.
	for _, r := range "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\ufeff\uffa0\u3002\uff0e\uff61\u2024\ufe52" +
		"\u200b\u200f\u202a\u202e\u2060\u206f\ufe00\ufe0f" {
		if !consult.EmailHidden("ann@ex" + string(r) + "ample.org") {
			t.Errorf("U+%04X is not refused as hidden", r)
		}
	}
	for _, r := range "\u200a\u2010\u2029\u202f\u205f\u2070\ufdff\ufe10.-_é" {
		if consult.EmailHidden("ann@ex" + string(r) + "ample.org") {
			t.Errorf("U+%04X is refused as hidden", r)
		}
	}
}
