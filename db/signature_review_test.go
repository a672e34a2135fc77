package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// countedRows counts the rows the counter must equal: confirmed and not held.
func (e *petitionEnv) countedRows(id int64) int {
	e.t.Helper()
	return e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND status = 'confirmed'
		AND review_reason = ''`, id)
}

// wardCount sums the petition's ward counters.
func (e *petitionEnv) wardCount(id int64) int {
	e.t.Helper()
	return e.count(`SELECT COALESCE(SUM(count), 0) FROM petition_ward_counts WHERE petition_id = ?`, id)
}

// signHeld signs with a review reason and confirms from the email.
func (e *petitionEnv) signHeld(id int64, name, email string, reason ballot.ReviewReason, confirm bool) int64 {
	e.t.Helper()
	s := sig(name, email, "AB2 4GH")
	s.ReviewReason = reason
	if err := e.ps.Sign(context.Background(), id, s, "", testBase); err != nil {
		e.t.Fatal(err)
	}
	if confirm {
		tok, _ := e.lastTokens(email)
		if _, err := e.ps.Confirm(context.Background(), tok); err != nil {
			e.t.Fatal(err)
		}
	}
	return s.ID
}

func (e *petitionEnv) checkCounters(id int64, want int) {
	e.t.Helper()
	p := e.petition(id)
	if p.SignatureCount != want || e.countedRows(id) != want || e.wardCount(id) != want {
		e.t.Errorf("count %d, counted rows %d, ward counters %d; want all %d", p.SignatureCount, e.countedRows(id), e.wardCount(id), want)
	}
}

func TestPetitionStore_HeldSignatures(t *testing.T) {
	ctx := context.Background()
	t.Run("ConfirmedThenApproved", func(t *testing.T) {
		e := newPetitionEnv(t, 7) // five sponsors count; two more meet it
		p := e.openPetition(ballot.CountLive)
		e.signHeld(p.ID, "Fast Fingers", "fast@example.org", ballot.ReviewTooFast, true)
		a := e.signHeld(p.ID, "Pot Honey", "pot@example.org", ballot.ReviewHoneypot, true)
		e.checkCounters(p.ID, 5)
		held, err := e.ps.HeldSignatures(ctx, p.ID)
		if err != nil || len(held) != 2 || held[0].ReviewReason != ballot.ReviewTooFast || held[1].Status != ballot.SignatureConfirmed {
			t.Fatalf("held: got %+v, %v", held, err)
		}
		if err := e.ps.ApproveSignature(ctx, p.ID, held[0].ID, officer); err != nil {
			t.Fatal(err)
		}
		e.checkCounters(p.ID, 6)
		if err := e.ps.ApproveSignature(ctx, p.ID, a, officer); err != nil {
			t.Fatal(err)
		}
		e.checkCounters(p.ID, 7)
		if got := e.petition(p.ID); got.ThresholdMetAt.IsZero() || got.Milestone != 100 {
			t.Errorf("approval crossing the threshold: met at %v, milestone %d", got.ThresholdMetAt, got.Milestone)
		}
		if err := e.ps.ApproveSignature(ctx, p.ID, a, officer); !errors.Is(err, ballot.ErrNotFound) {
			t.Errorf("second approval: got %v, want ErrNotFound", err)
		}
		e.checkCounters(p.ID, 7)
		audits := e.count(`SELECT COUNT(*) FROM audit_log WHERE action IN ('signature.approve', 'petition.threshold_met')`)
		if audits != 3 {
			t.Errorf("audit entries: got %d, want 2 approvals and the threshold", audits)
		}
	})
	t.Run("ApprovedBeforeConfirming", func(t *testing.T) {
		e := newPetitionEnv(t, 100)
		p := e.openPetition(ballot.CountLive)
		id := e.signHeld(p.ID, "Early Bird", "early@example.org", ballot.ReviewTiming, false)
		if err := e.ps.ApproveSignature(ctx, p.ID, id, officer); err != nil {
			t.Fatal(err)
		}
		e.checkCounters(p.ID, 5)
		tok, _ := e.lastTokens("early@example.org")
		if _, err := e.ps.Confirm(ctx, tok); err != nil {
			t.Fatal(err)
		}
		e.checkCounters(p.ID, 6)
	})
	t.Run("RejectedAndWithdrawn", func(t *testing.T) {
		e := newPetitionEnv(t, 100)
		p := e.openPetition(ballot.CountLive)
		r := e.signHeld(p.ID, "Robot One", "r1@example.org", ballot.ReviewHoneypot, true)
		e.signHeld(p.ID, "Robot Two", "r2@example.org", ballot.ReviewHoneypot, true)
		if err := e.ps.RejectSignature(ctx, p.ID, r, officer); err != nil {
			t.Fatal(err)
		}
		if err := e.ps.ApproveSignature(ctx, p.ID, r, officer); !errors.Is(err, ballot.ErrNotFound) {
			t.Errorf("approve after reject: got %v, want ErrNotFound", err)
		}
		_, wd := e.lastTokens("r2@example.org")
		if _, err := e.ps.Withdraw(ctx, wd); err != nil {
			t.Fatal(err)
		}
		e.checkCounters(p.ID, 5)
		if held, err := e.ps.HeldSignatures(ctx, p.ID); err != nil || len(held) != 0 {
			t.Errorf("held after reject and withdraw: got %d, %v; want 0", len(held), err)
		}
	})
	t.Run("InvalidateSkipsHeld", func(t *testing.T) {
		e := newPetitionEnv(t, 100)
		p := e.openPetition(ballot.CountLive)
		e.signHeld(p.ID, "Held Spam", "a@spam.example", ballot.ReviewTooFast, true)
		e.signHeld(p.ID, "Counted Spam", "b@spam.example", "", true)
		e.checkCounters(p.ID, 6)
		n, err := e.ps.Invalidate(ctx, p.ID, ballot.Invalidation{Domain: "spam.example", Reason: "burst"}, officer)
		if err != nil || n != 2 {
			t.Fatalf("invalidate: got %d, %v", n, err)
		}
		e.checkCounters(p.ID, 5)
	})
	t.Run("ApproveAfterClose", func(t *testing.T) {
		e := newPetitionEnv(t, 100)
		p := e.openPetition(ballot.CountLive)
		id := e.signHeld(p.ID, "Late Review", "late@example.org", ballot.ReviewTooFast, true)
		e.d.Now = func() time.Time { return time.Now().UTC().Add(60 * 24 * time.Hour) }
		if err := e.ps.ApproveSignature(ctx, p.ID, id, officer); !errors.Is(err, ballot.ErrNotOpen) {
			t.Errorf("approve after signing closed: got %v, want ErrNotOpen", err)
		}
		e.checkCounters(p.ID, 5)
	})
}

func TestPetitionStore_BlockedDomains(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 100)
	p := e.openPetition(ballot.CountLive)
	if err := e.ps.BlockDomain(ctx, &ballot.BlockedDomain{Domain: "@Spam.Example", Reason: "Throwaway addresses"}, officer); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*ballot.BlockedDomain{{Domain: "spam.example", Reason: "again"}, {Domain: "not a domain", Reason: "x"}, {Domain: "ok.example"}} {
		if err := e.ps.BlockDomain(ctx, bad, officer); err == nil {
			t.Errorf("block %+v: got nil error", bad)
		}
	}
	for email, want := range map[string]error{
		"bot@spam.example":      ballot.ErrBlockedDomain,
		"bot@mx.SPAM.example":   ballot.ErrBlockedDomain,
		"jo@notspam.example":    nil,
		"jo@spam.example.co.uk": nil,
	} {
		err := e.ps.Sign(ctx, p.ID, sig("Name "+email, email, "AB1 2CD"), "", testBase)
		if !errors.Is(err, want) && !(want == nil && err == nil) {
			t.Errorf("%s: got %v, want %v", email, err, want)
		}
	}
	list, err := e.ps.BlockedDomains(ctx)
	if err != nil || len(list) != 1 || list[0].Domain != "spam.example" || list[0].AddedBy != officer {
		t.Fatalf("list: got %+v, %v", list, err)
	}
	if err := e.ps.UnblockDomain(ctx, "spam.example", officer); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.UnblockDomain(ctx, "spam.example", officer); !errors.Is(err, ballot.ErrNotFound) {
		t.Errorf("unblock twice: got %v, want ErrNotFound", err)
	}
	if err := e.ps.Sign(ctx, p.ID, sig("Now Allowed", "bot@spam.example", "AB1 2CD"), "", testBase); err != nil {
		t.Errorf("after unblocking: %v", err)
	}
	audits := e.count(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'blocklist.%' AND subject = 'domain:spam.example'`)
	if audits != 2 {
		t.Errorf("audit entries: got %d, want 2", audits)
	}
}

func TestPetitionStore_SignatureActivity(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 1000)
	p := e.openPetition(ballot.CountLive)
	base := time.Now().UTC().Truncate(time.Hour).Add(-5 * time.Hour)
	at := func(d time.Duration) { e.d.Now = func() time.Time { return base.Add(d) } }
	at(10 * time.Minute)
	e.signHeld(p.ID, "Early One", "e1@example.org", "", false)
	at(3*time.Hour + 5*time.Minute)
	for i, pc := range []string{"AB1 2CD", "AB1 2CD", "AB2 4GH"} {
		s := sig("Burst "+string(rune('A'+i)), "burst"+string(rune('a'+i))+"@example.org", pc)
		if i == 0 {
			s.ReviewReason = ballot.ReviewTooFast
		}
		if err := e.ps.Sign(ctx, p.ID, s, "", testBase); err != nil {
			t.Fatal(err)
		}
	}
	at(5*time.Hour + 30*time.Minute)
	a, err := e.ps.SignatureActivity(ctx, p.ID, base, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Hours) != 6 || !a.Hours[0].Hour.Equal(base) {
		t.Fatalf("hours: got %d starting %v, want 6 from %v", len(a.Hours), a.Hours[0].Hour, base)
	}
	if a.Hours[0].Made != 1 || a.Hours[3].Made != 3 || a.Hours[3].Held != 1 || a.Hours[1].Made != 0 || a.Held != 1 {
		t.Errorf("hours: got %+v, held %d", a.Hours, a.Held)
	}
	// Sponsors (5) and one signer at AB1 2CD, two burst signers: AB1 2CD leads.
	if len(a.Postcodes) != 2 || a.Postcodes[0] != (ballot.PostcodeCount{Postcode: "AB1 2CD", Ward: "Riverside", Count: 7}) {
		t.Errorf("postcodes: got %+v", a.Postcodes)
	}
}

func TestDB_ServerKey(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/k.db"
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	k1, err := d.ServerKey(ctx, "form")
	if err != nil || len(k1) != 32 {
		t.Fatalf("got %d bytes, %v", len(k1), err)
	}
	other, err := d.ServerKey(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d, err = db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	k2, err := d.ServerKey(ctx, "form")
	if err != nil {
		t.Fatal(err)
	}
	if string(k1) != string(k2) || string(k1) == string(other) {
		t.Errorf("the key changed across a restart, or two names share one")
	}
}
