// Package dbtest holds the set-ups that tests in more than one package
// need, on a real database, so that each is written once.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// Open opens a new database file in tb's temporary directory and closes it
// when the test ends (a test may close it sooner). It returns the file's
// path too, for tests that reopen the file or hand it to a command.
func Open(tb testing.TB) (*db.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "oursay.db")
	d, err := db.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Errorf("close %s: %v", path, err)
		}
	})
	return d, path
}

// OpenPetition takes p, a new petition on a contract whose council lists
// the postcode AB1 2CD, through its whole lifecycle on ps: created with
// links on base, the campaigner's link confirmed, five sponsors signed and
// confirmed (see SponsorPetition), and published by officer under rule.
// token returns the confirmation token last mailed to an address: tests
// read mail in different ways.
func OpenPetition(tb testing.TB, ps *db.PetitionStore, p *ballot.Petition, rule ballot.RecallRule,
	base, officer string, token func(addr string) string) {
	tb.Helper()
	SponsorPetition(tb, ps, p, base, token)
	if err := ps.Publish(context.Background(), p.ID, rule, ballot.Electorate{}, officer); err != nil {
		tb.Fatal(err)
	}
}

// SponsorPetition takes p as far as the moderation queue: created, the
// campaigner's link confirmed, five sponsors signed and confirmed.
func SponsorPetition(tb testing.TB, ps *db.PetitionStore, p *ballot.Petition, base string, token func(addr string) string) {
	tb.Helper()
	ctx := context.Background()
	if err := ps.CreatePetition(ctx, p, base); err != nil {
		tb.Fatal(err)
	}
	if _, _, err := ps.ConfirmCampaigner(ctx, token(p.CampaignerEmail)); err != nil {
		tb.Fatal(err)
	}
	share, err := ps.ShareToken(ctx, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range 5 {
		addr := "sponsor" + string(rune('a'+i)) + "@example.org"
		s := &ballot.Signature{Name: "Sponsor " + string(rune('A'+i)), Email: addr, Postcode: "AB1 2CD", Resident: true}
		if err := ps.Sign(ctx, p.ID, s, share, base); err != nil {
			tb.Fatalf("sponsor %d: %v", i, err)
		}
		if _, err := ps.Confirm(ctx, token(addr)); err != nil {
			tb.Fatalf("sponsor %d confirm: %v", i, err)
		}
	}
}
