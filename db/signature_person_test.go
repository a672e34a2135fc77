package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// TestPetitionStore_SamePerson_PendingOnline: a pending online signature
// reserves nothing (README, "What counts as the same person"; issue 16
// item 4, which replaced the old rule that a pending signature held its
// name and postcode). The same person typed in from paper is counted, and
// the online signature, confirmed afterwards, is refused as already signed
// and counts nothing.
func TestPetitionStore_SamePerson_PendingOnline(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 20)
	p := e.openPetition(ballot.CountLive)
	e.checkCounters(p.ID, 5) // the five sponsors
	if err := e.ps.Sign(ctx, p.ID, sig("Pat O'Brien", "pat@example.org", "ab12cd"), "", testBase); err != nil {
		t.Fatal(err)
	}
	confirm, _ := e.lastTokens("pat@example.org")
	if n := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND status = 'pending'`, p.ID); n != 1 {
		t.Fatalf("%d pending signatures, want 1", n)
	}

	// "o brien pat" at AB1 2CD, written differently on the sheet.
	paper := &ballot.Signature{Name: "PAT  O'BRIEN", Postcode: "AB1 2CD", Sheet: "S1", Line: 1, Resident: true}
	if err := e.ps.AddPaperSignature(ctx, p.ID, paper, officer); err != nil {
		t.Fatalf("paper twin of a pending online signer: %v, want it counted", err)
	}
	e.checkCounters(p.ID, 6)

	// The paper signature is confirmed, so it is the one that counts.
	if _, err := e.ps.Confirm(ctx, confirm); !errors.Is(err, ballot.ErrAlreadySigned) {
		t.Errorf("confirming the online twin: got %v, want ErrAlreadySigned", err)
	}
	e.checkCounters(p.ID, 6)

	// Typed in again from another sheet, the confirmed person is refused:
	// staff entering paper may be told.
	paper.Line = 3
	if err := e.ps.AddPaperSignature(ctx, p.ID, paper, officer); !errors.Is(err, ballot.ErrAlreadySigned) {
		t.Errorf("paper signature twice: got %v, want ErrAlreadySigned", err)
	}
	e.checkCounters(p.ID, 6)
}

// TestPetitionStore_Sign_AlreadySignedLooksFresh: signing again with the
// email, or the name and postcode, of a confirmed signature answers as a
// fresh signature does (nil), saves nothing and mails the address typed to
// say the petition was already signed with those details (issue 16 item 3).
func TestPetitionStore_Sign_AlreadySignedLooksFresh(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 20)
	p := e.openPetition(ballot.CountLive)
	if err := e.ps.Sign(ctx, p.ID, sig("Jane Doe", "jane@example.org", "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	confirm, _ := e.lastTokens("jane@example.org")
	if _, err := e.ps.Confirm(ctx, confirm); err != nil {
		t.Fatal(err)
	}
	e.checkCounters(p.ID, 6)
	rows := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ?`, p.ID)
	for _, tc := range []struct{ name, email, postcode string }{
		{"Someone Else", "JANE+x@Example.org", "AB2 4GH"}, // same email key
		{"jane  DOE", "mallory@example.org", "ab12cd"},    // same name and postcode
	} {
		if err := e.ps.Sign(ctx, p.ID, sig(tc.name, tc.email, tc.postcode), "", testBase); err != nil {
			t.Errorf("sign again as %q <%s>: got %v, want nil as for a fresh signature", tc.name, tc.email, err)
		}
		var subject, body string
		if err := e.d.Reader().QueryRow(`SELECT subject, body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`,
			tc.email).Scan(&subject, &body); err != nil {
			t.Fatalf("no mail to %s: %v", tc.email, err)
		}
		if subject != "Petition already signed: End the CleanCo contract" || strings.Contains(body, "token=") ||
			!strings.Contains(body, "already been signed with the details given") {
			t.Errorf("mail to %s: %q\n%s", tc.email, subject, body)
		}
		if strings.Contains(body, "Jane") || strings.Contains(body, "jane@") && tc.email != "JANE+x@Example.org" {
			t.Errorf("mail to %s tells more than was typed:\n%s", tc.email, body)
		}
	}
	if got := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ?`, p.ID); got != rows {
		t.Errorf("%d signature rows, want %d: a repeat was saved", got, rows)
	}
	e.checkCounters(p.ID, 6)
}

// TestPetitionStore_WithdrawnSignsAgain: a withdrawn signer may sign again
// with the same email, and that signature counts (issue 16 item 4).
func TestPetitionStore_WithdrawnSignsAgain(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 20)
	p := e.openPetition(ballot.CountLive)
	if err := e.ps.Sign(ctx, p.ID, sig("Wes Drawn", "wes@example.org", "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	confirm, withdraw := e.lastTokens("wes@example.org")
	if _, err := e.ps.Confirm(ctx, confirm); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ps.Withdraw(ctx, withdraw); err != nil {
		t.Fatal(err)
	}
	e.checkCounters(p.ID, 5)
	if err := e.ps.Sign(ctx, p.ID, sig("Wes Drawn", "wes@example.org", "AB1 2CD"), "", testBase); err != nil {
		t.Fatalf("sign again after withdrawing: %v", err)
	}
	again, _ := e.lastTokens("wes@example.org")
	if again == "" || again == confirm {
		t.Fatalf("no new confirmation link (got %q, first %q)", again, confirm)
	}
	if c, err := e.ps.Confirm(ctx, again); err != nil || c.Already {
		t.Fatalf("confirm again: already %v, err %v", c != nil && c.Already, err)
	}
	e.checkCounters(p.ID, 6)
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

// TestPetitionStore_WithdrawnSponsorUncounted: a sponsor who withdraws no
// longer counts towards the five sponsors, so four confirmed sponsors, one
// withdrawn and one more confirmed leave the petition gathering sponsors
// (issue 16 item 10).
func TestPetitionStore_WithdrawnSponsorUncounted(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 20)
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam Campaigner", CampaignerEmail: "sam@example.org", CountPolicy: ballot.CountLive}
	if err := e.ps.CreatePetition(ctx, p, testBase); err != nil {
		t.Fatal(err)
	}
	camp, _ := e.lastTokens("sam@example.org")
	if _, _, err := e.ps.ConfirmCampaigner(ctx, camp); err != nil {
		t.Fatal(err)
	}
	share, err := e.ps.ShareToken(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var withdrawA string
	for i := range 5 {
		addr := fmt.Sprintf("sponsor%d@example.org", i)
		if err := e.ps.Sign(ctx, p.ID, sig(fmt.Sprintf("Sponsor %d", i), addr, "AB1 2CD"), share, testBase); err != nil {
			t.Fatal(err)
		}
		confirm, withdraw := e.lastTokens(addr)
		if _, err := e.ps.Confirm(ctx, confirm); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			withdrawA = withdraw
		}
		if i == 3 {
			if _, err := e.ps.Withdraw(ctx, withdrawA); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := e.petition(p.ID)
	if got.SponsorCount != 4 || got.Status != ballot.StatusSponsoring {
		t.Errorf("after 5 sponsors, one withdrawn: %d sponsors, status %s; want 4, sponsoring", got.SponsorCount, got.Status)
	}
}
