package db_test

import (
	"context"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// TestPetition_ThresholdSetOnce: once a petition meets its threshold the
// moment stays: a withdrawal that takes the count back under it leaves it,
// and the database itself refuses to clear or move it.
func TestPetition_ThresholdSetOnce(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 6)
	p := e.openPetition(ballot.CountLive)
	if err := e.ps.Sign(ctx, p.ID, sig("Sixth Signer", "six@example.org", "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	confirm, withdraw := e.lastTokens("six@example.org")
	if _, err := e.ps.Confirm(ctx, confirm); err != nil {
		t.Fatal(err)
	}
	met := e.petition(p.ID).ThresholdMetAt
	if met.IsZero() {
		t.Fatal("threshold not met at 6 of 6")
	}
	if _, err := e.ps.Withdraw(ctx, withdraw); err != nil {
		t.Fatal(err)
	}
	if got := e.petition(p.ID); got.SignatureCount != 5 || !got.ThresholdMetAt.Equal(met) {
		t.Errorf("after a withdrawal: count %d, met at %v; want 5 and still %v", got.SignatureCount, got.ThresholdMetAt, met)
	}
	for _, q := range []string{`UPDATE petitions SET threshold_met_at = NULL WHERE id = ?`,
		`UPDATE petitions SET threshold_met_at = '2030-01-01T00:00:00.000000000Z' WHERE id = ?`} {
		if _, err := e.d.Writer().Exec(q, p.ID); err == nil {
			t.Errorf("%s: the database allowed it", q)
		}
	}
	if got := e.petition(p.ID).ThresholdMetAt; !got.Equal(met) {
		t.Errorf("met at %v, want %v", got, met)
	}
}
