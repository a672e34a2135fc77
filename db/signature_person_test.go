package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// TestPetitionStore_SamePerson_PendingOnline: a pending online signature
// already holds its name and postcode (README, "What counts as the same
// person"), so the same person typed in from paper is refused, and the
// paper entry counts once the online one is withdrawn.
func TestPetitionStore_SamePerson_PendingOnline(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 20)
	p := e.openPetition(ballot.CountLive)
	e.checkCounters(p.ID, 5) // the five sponsors
	if err := e.ps.Sign(ctx, p.ID, sig("Pat O'Brien", "pat@example.org", "ab12cd"), "", testBase); err != nil {
		t.Fatal(err)
	}
	_, withdraw := e.lastTokens("pat@example.org")
	if n := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND status = 'pending'`, p.ID); n != 1 {
		t.Fatalf("%d pending signatures, want 1", n)
	}

	// "o brien pat" at AB1 2CD, written differently on the sheet.
	paper := &ballot.Signature{Name: "PAT  O'BRIEN", Postcode: "AB1 2CD", Sheet: "S1", Line: 1, Resident: true}
	if err := e.ps.AddPaperSignature(ctx, p.ID, paper, officer); !errors.Is(err, ballot.ErrAlreadySigned) {
		t.Errorf("paper twin of a pending online signer: got %v, want ErrAlreadySigned", err)
	}
	e.checkCounters(p.ID, 5)

	// Someone else at the same postcode is not the same person.
	other := &ballot.Signature{Name: "Pat O'Brian", Postcode: "AB1 2CD", Sheet: "S1", Line: 2, Resident: true}
	if err := e.ps.AddPaperSignature(ctx, p.ID, other, officer); err != nil {
		t.Fatalf("another name at the postcode: %v", err)
	}
	e.checkCounters(p.ID, 6)

	if _, err := e.ps.Withdraw(ctx, withdraw); err != nil {
		t.Fatal(err)
	}
	paper.Line = 3
	if err := e.ps.AddPaperSignature(ctx, p.ID, paper, officer); err != nil {
		t.Errorf("paper signature after the online one was withdrawn: %v", err)
	}
	e.checkCounters(p.ID, 7)
}

// TestPetitionStore_Withdraw_Unconfirmed: a pending signature never
// counted, so withdrawing it moves no counter (total, ward or rows).
func TestPetitionStore_Withdraw_Unconfirmed(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 20)
	p := e.openPetition(ballot.CountLive)
	if err := e.ps.Sign(ctx, p.ID, sig("Una Confirmed", "una@example.org", "AB2 4GH"), "", testBase); err != nil {
		t.Fatal(err)
	}
	_, withdraw := e.lastTokens("una@example.org")
	e.checkCounters(p.ID, 5)
	got, err := e.ps.Withdraw(ctx, withdraw)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != p.ID {
		t.Errorf("Withdraw returned petition %d, want %d", got.ID, p.ID)
	}
	if n := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND status = 'withdrawn'`, p.ID); n != 1 {
		t.Fatalf("%d withdrawn signatures, want 1", n)
	}
	e.checkCounters(p.ID, 5)
	if n := e.count(`SELECT COALESCE(SUM(count), 0) FROM petition_ward_counts WHERE petition_id = ? AND ward_code = 'E05000002'`, p.ID); n != 0 {
		t.Errorf("Hillcrest ward count %d, want 0", n)
	}
}
