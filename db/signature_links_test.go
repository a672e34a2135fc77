package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// TestPetitionStore_SignedLinks: with a LinkKey, a signer's links carry
// the signature's id under a MAC, nothing about them is stored, each works
// only for its own purpose, and a changed or foreign token is refused. A
// link mailed before the key was set (a stored hash) still works.
func TestPetitionStore_SignedLinks(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 100)
	p := e.openPetition(ballot.CountLive) // sponsors signed with random tokens
	before := e.petition(p.ID).SignatureCount

	// A signature from before the key: its random link must keep working.
	if err := e.ps.Sign(ctx, p.ID, sig("Old Link", "old@example.org", "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	oldConfirm, _ := e.lastTokens("old@example.org")

	e.ps.LinkKey = db.LinkKey([]byte("the server's secret key, 32 byte"))
	if err := e.ps.Sign(ctx, p.ID, sig("Ann Signer", "ann@example.org", "AB2 4GH"), "", testBase); err != nil {
		t.Fatal(err)
	}
	confirm, withdraw := e.lastTokens("ann@example.org")
	if len(confirm) != 39 || len(withdraw) != 39 || confirm == withdraw {
		t.Fatalf("tokens %q and %q: want two different 39-character signed tokens", confirm, withdraw)
	}
	if stored := e.count(`SELECT COUNT(*) FROM signatures WHERE email = 'ann@example.org'
		AND confirm_token_hash IS NULL AND withdraw_token_hash IS NULL`); stored != 1 {
		t.Fatal("a signed link's signature should store no token hash")
	}

	refused := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ballot.ErrTokenInvalid) {
			t.Errorf("%s: got %v, want ErrTokenInvalid", what, err)
		}
	}
	_, _, err := e.ps.Confirm(ctx, withdraw)
	refused("the withdrawal link used to confirm", err)
	flipped := []byte(confirm)
	flipped[30] = map[bool]byte{true: 'B', false: 'A'}[flipped[30] == 'A']
	_, _, err = e.ps.Confirm(ctx, string(flipped))
	refused("a changed token", err)
	other := db.NewPetitionStore(e.d)
	other.LinkKey = db.LinkKey([]byte("somebody else's key, 32 bytes.."))
	_, _, err = other.Confirm(ctx, confirm)
	refused("a token under another key", err)
	if got := e.petition(p.ID).SignatureCount; got != before {
		t.Fatalf("count %d after refused links, want %d", got, before)
	}

	if _, already, err := e.ps.Confirm(ctx, confirm); err != nil || already {
		t.Fatalf("confirm: already %v, %v", already, err)
	}
	if _, already, err := e.ps.Confirm(ctx, confirm); err != nil || !already {
		t.Fatalf("second confirm: already %v, %v; want already", already, err)
	}
	if _, _, err := e.ps.Confirm(ctx, oldConfirm); err != nil {
		t.Fatalf("a link from before the key: %v", err)
	}
	if got := e.petition(p.ID).SignatureCount; got != before+2 {
		t.Fatalf("count %d, want %d", got, before+2)
	}
	_, err = e.ps.Withdraw(ctx, confirm)
	refused("the confirmation link used to withdraw", err)
	if _, err := e.ps.Withdraw(ctx, withdraw); err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	if got := e.petition(p.ID).SignatureCount; got != before+1 {
		t.Fatalf("count %d after the withdrawal, want %d", got, before+1)
	}
}
