package db_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
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
	if len(confirm) != 52 || len(withdraw) != 52 || confirm == withdraw {
		t.Fatalf("tokens %q and %q: want two different 52-character signed tokens", confirm, withdraw)
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
	_, err := e.ps.Confirm(ctx, withdraw)
	refused("the withdrawal link used to confirm", err)
	flipped := []byte(confirm)
	flipped[30] = map[bool]byte{true: 'B', false: 'A'}[flipped[30] == 'A']
	_, err = e.ps.Confirm(ctx, string(flipped))
	refused("a changed token", err)
	other := db.NewPetitionStore(e.d)
	other.LinkKey = db.LinkKey([]byte("somebody else's key, 32 bytes.."))
	_, err = other.Confirm(ctx, confirm)
	refused("a token under another key", err)
	if got := e.petition(p.ID).SignatureCount; got != before {
		t.Fatalf("count %d after refused links, want %d", got, before)
	}

	if c, err := e.ps.Confirm(ctx, confirm); err != nil || c.Already {
		t.Fatalf("confirm: already %v, %v", c != nil && c.Already, err)
	}
	if c, err := e.ps.Confirm(ctx, confirm); err != nil || !c.Already {
		t.Fatalf("second confirm: already %v, %v; want already", c != nil && c.Already, err)
	}
	if _, err := e.ps.Confirm(ctx, oldConfirm); err != nil {
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

// TestPetitionStore_LinksHideIDs: a signer's links say nothing about the
// signature's row id, so someone who signs twice cannot learn how many
// signed in between. Consecutive signatures' tokens hold no form of their
// id and share no prefix. A link mailed in the first form (the id in the
// clear, then a MAC) still works.
func TestPetitionStore_LinksHideIDs(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 100)
	p := e.openPetition(ballot.CountLive)
	e.ps.LinkKey = db.LinkKey([]byte("the server's secret key, 32 byte"))
	var tokens []string
	for i := range 6 {
		addr := fmt.Sprintf("signer%d@example.org", i)
		if err := e.ps.Sign(ctx, p.ID, sig(fmt.Sprintf("Signer %c", 'A'+i), addr, "AB2 4GH"), "", testBase); err != nil {
			t.Fatal(err)
		}
		id := int64(e.count(fmt.Sprintf(`SELECT id FROM signatures WHERE email = '%s'`, addr)))
		confirm, withdraw := e.lastTokens(addr)
		for _, tok := range []string{confirm, withdraw} {
			raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(tok)
			if err != nil {
				t.Fatalf("token %q: %v", tok, err)
			}
			var be, le [8]byte
			binary.BigEndian.PutUint64(be[:], uint64(id))
			binary.LittleEndian.PutUint64(le[:], uint64(id))
			if bytes.Contains(raw, be[:]) || bytes.Contains(raw, le[:]) {
				t.Errorf("token %s holds signature id %d", tok, id)
			}
			tokens = append(tokens, tok)
		}
	}
	for i := range tokens {
		for j := range i {
			if tokens[i][:4] == tokens[j][:4] {
				t.Errorf("tokens %s and %s share their first four characters", tokens[j], tokens[i])
			}
		}
	}

	// The first form, built here as it was documented: 8 bytes of id, big
	// endian, then the first 16 bytes of HMAC-SHA256 under the link key of
	// "oursay signature link\0confirm\0" and those 8 bytes.
	if err := e.ps.Sign(ctx, p.ID, sig("Old Form", "old@example.org", "AB2 4GH"), "", testBase); err != nil {
		t.Fatal(err)
	}
	id := e.count(`SELECT id FROM signatures WHERE email = 'old@example.org'`)
	var b [24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	m := hmac.New(sha256.New, e.ps.LinkKey)
	m.Write([]byte("oursay signature link\x00confirm\x00"))
	m.Write(b[:8])
	copy(b[8:], m.Sum(nil)[:16])
	old := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
	if c, err := e.ps.Confirm(ctx, old); err != nil || c.Already {
		t.Fatalf("a link of the first form: already %v, %v", c != nil && c.Already, err)
	}
	if got := e.count(`SELECT COUNT(*) FROM signatures WHERE email = 'old@example.org' AND status = 'confirmed'`); got != 1 {
		t.Errorf("the first form's link confirmed %d signatures, want 1", got)
	}
}
