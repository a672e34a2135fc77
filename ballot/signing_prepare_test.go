package ballot_test

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// TestSignOnline: one call readies an online signature, with literal keys,
// block-list domains and mail links.
func TestSignOnline(t *testing.T) {
	links := ballot.Links{Base: "https://x.test"}
	t.Run("OK", func(t *testing.T) {
		s := &ballot.Signature{Name: "  Jo  O'Brien", Email: "Jo+recall@Mail.Spam.Example", Postcode: "sw1a1aa", Resident: true}
		g, err := ballot.SignOnline(s, true, links)
		if err != nil {
			t.Fatal(err)
		}
		if g.Sig != s || s.Postcode != "SW1A 1AA" || s.Channel != ballot.ChannelOnline || s.Status != ballot.SignaturePending || !s.Sponsor {
			t.Errorf("got %+v, want online, pending, sponsor, postcode SW1A 1AA", s)
		}
		if g.NameKey != "jo o brien" || g.EmailKey != "jo@mail.spam.example" {
			t.Errorf("got keys %q, %q; want %q, %q", g.NameKey, g.EmailKey, "jo o brien", "jo@mail.spam.example")
		}
		if want := []string{"mail.spam.example", "spam.example"}; !reflect.DeepEqual(g.Domains, want) {
			t.Errorf("got domains %q, want %q", g.Domains, want)
		}
		m := g.Mail(&ballot.Petition{Title: "Bring bins back"}, "CT", "WT")
		if m.To != "Jo+recall@Mail.Spam.Example" || m.Subject != "Confirm your signature: Bring bins back" ||
			!strings.Contains(m.Body, "\nhttps://x.test/signatures/confirm?token=CT\n") ||
			!strings.Contains(m.Body, "\nhttps://x.test/signatures/withdraw?token=WT\n") {
			t.Errorf("got mail %+v", m)
		}
	})
	t.Run("ValidationError", func(t *testing.T) {
		_, err := ballot.SignOnline(&ballot.Signature{Email: "x", Postcode: "nope"}, false, links)
		var ve *ballot.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("got %v, want a *ValidationError", err)
		}
		var fields []string
		for f := range ve.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		if want := []string{"email", "name", "postcode", "resident"}; !reflect.DeepEqual(fields, want) {
			t.Errorf("got fields %v, want %v", fields, want)
		}
	})
}

// TestSignPaper: a paper signature is confirmed at once, has no email and
// so no email key or domains.
func TestSignPaper(t *testing.T) {
	s := &ballot.Signature{Name: "Ann LEE", Email: "a@b.example", Postcode: " ab1 2cd ", Sheet: " S-1 ", Line: 3, Resident: true}
	g, err := ballot.SignPaper(s)
	if err != nil {
		t.Fatal(err)
	}
	if s.Channel != ballot.ChannelPaper || s.Status != ballot.SignatureConfirmed || s.Email != "" || s.Sheet != "S-1" || s.Postcode != "AB1 2CD" {
		t.Errorf("got %+v, want paper, confirmed, no email, sheet S-1, postcode AB1 2CD", s)
	}
	if g.NameKey != "ann lee" || g.EmailKey != "" || g.Domains != nil {
		t.Errorf("got %q, %q, %q; want \"ann lee\" and no email key or domains", g.NameKey, g.EmailKey, g.Domains)
	}
}

// TestLinks: the site paths mail carries, spelled once.
func TestLinks(t *testing.T) {
	l := ballot.Links{Base: "https://x.test"}
	for got, want := range map[string]string{
		l.Petition(7):            "https://x.test/petitions/7",
		l.AdminPetition(7):       "https://x.test/admin/petitions/7",
		l.ConfirmCampaigner("T"): "https://x.test/petitions/confirm?token=T",
		l.ConfirmSignature("T"):  "https://x.test/signatures/confirm?token=T",
		l.WithdrawSignature("T"): "https://x.test/signatures/withdraw?token=T",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
