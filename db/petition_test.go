package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

func TestPetitionStore_Lifecycle(t *testing.T) {
	e := newPetitionEnv(t, 100)
	p := e.openPetition(ballot.CountLive)
	if p.Status != ballot.StatusOpen || p.Threshold != 100 || p.SponsorCount != 5 || p.SignatureCount != 5 {
		t.Fatalf("got status %s threshold %d sponsors %d count %d", p.Status, p.Threshold, p.SponsorCount, p.SignatureCount)
	}
	if got := p.ClosesAt.Sub(p.OpenedAt); got != 42*24*time.Hour {
		t.Errorf("window: got %v, want 42 days", got)
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Petition waiting for moderation%'`); n == 0 {
		t.Errorf("staff were not told the petition awaits moderation")
	}
	t.Run("PublishTwice", func(t *testing.T) {
		err := e.ps.Publish(context.Background(), p.ID, e.contract.Recall, ballot.Electorate{}, officer)
		if !errors.Is(err, ballot.ErrBadTransition) {
			t.Errorf("got %v, want ErrBadTransition", err)
		}
	})
}

func TestPetitionStore_Reject(t *testing.T) {
	e := newPetitionEnv(t, 100)
	ctx := context.Background()
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "T", Reasons: "R", CampaignerName: "C", CampaignerEmail: "c@example.org"}
	if err := e.ps.CreatePetition(ctx, p, testBase); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Reject(ctx, p.ID, "no reason", officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("reject before moderation: got %v, want ErrBadTransition", err)
	}
	if err := e.ps.Sign(ctx, p.ID, sig("A B", "ab@example.org", "AB1 2CD"), "", testBase); !errors.Is(err, ballot.ErrNotOpen) {
		t.Errorf("sign unpublished: got %v, want ErrNotOpen", err)
	}
	if err := e.ps.Sign(ctx, p.ID, sig("A B", "ab@example.org", "AB1 2CD"), "WRONGTOKEN", testBase); !errors.Is(err, ballot.ErrTokenInvalid) {
		t.Errorf("sign with a wrong share token: got %v, want ErrTokenInvalid", err)
	}
}

func TestPetitionStore_Sign(t *testing.T) {
	e := newPetitionEnv(t, 100)
	p := e.openPetition(ballot.CountLive)
	ctx := context.Background()
	t.Run("ConfirmOnce", func(t *testing.T) {
		if err := e.ps.Sign(ctx, p.ID, sig("Jo Bloggs", "Jo+recall@Example.org", "ab1 2cd"), "", testBase); err != nil {
			t.Fatal(err)
		}
		if got := e.petition(p.ID).SignatureCount; got != 5 {
			t.Errorf("pending counted: got %d, want 5", got)
		}
		tok, _ := e.lastTokens("Jo+recall@Example.org")
		c, err := e.ps.Confirm(ctx, tok)
		if err != nil || c.Already {
			t.Fatalf("confirm: already %v err %v", c != nil && c.Already, err)
		}
		c, err = e.ps.Confirm(ctx, tok)
		if err != nil || !c.Already {
			t.Fatalf("second confirm: already %v err %v", c != nil && c.Already, err)
		}
		if got := e.petition(p.ID).SignatureCount; got != 6 {
			t.Errorf("count: got %d, want 6", got)
		}
	})
	t.Run("NormalisedEmail", func(t *testing.T) {
		// Answered as a fresh signature (issue 16 item 3), saved as none.
		before := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ?`, p.ID)
		if err := e.ps.Sign(ctx, p.ID, sig("Jo Other", " jo@example.ORG ", "AB2 4GH"), "", testBase); err != nil {
			t.Errorf("got %v, want nil", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ?`, p.ID); n != before {
			t.Errorf("%d rows, want %d", n, before)
		}
	})
	bad := []struct {
		name string
		s    *ballot.Signature
		want error
	}{
		{"bad email", sig("A", "not-an-email", "AB1 2CD"), nil},
		{"bad postcode", sig("A", "a1@example.org", "12345"), nil},
		{"outside postcode", sig("A", "a2@example.org", "ZZ9 9ZZ"), ballot.ErrOutsideArea},
		{"no declaration", &ballot.Signature{Name: "A", Email: "a3@example.org", Postcode: "AB1 2CD"}, nil},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := e.ps.Sign(ctx, p.ID, tc.s, "", testBase)
			var ve *ballot.ValidationError
			if tc.want != nil && !errors.Is(err, tc.want) || tc.want == nil && !errors.As(err, &ve) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("UnknownToken", func(t *testing.T) {
		if _, err := e.ps.Confirm(ctx, "NOTATOKEN"); !errors.Is(err, ballot.ErrTokenInvalid) {
			t.Errorf("got %v, want ErrTokenInvalid", err)
		}
	})
	t.Run("ExpiredToken", func(t *testing.T) {
		if err := e.ps.Sign(ctx, p.ID, sig("Late Person", "late@example.org", "AB1 2CD"), "", testBase); err != nil {
			t.Fatal(err)
		}
		tok, _ := e.lastTokens("late@example.org")
		e.d.Now = func() time.Time { return time.Now().UTC().Add(8 * 24 * time.Hour) }
		defer func() { e.d.Now = func() time.Time { return time.Now().UTC() } }()
		if _, err := e.ps.Confirm(ctx, tok); !errors.Is(err, ballot.ErrTokenInvalid) {
			t.Errorf("got %v, want ErrTokenInvalid", err)
		}
	})
	if got, want := e.petition(p.ID).SignatureCount, e.confirmedRows(p.ID); got != want || got != 6 {
		t.Errorf("counter %d, rows %d, want 6", got, want)
	}
}

// TestPetitionStore_SameEmailConcurrently: 200 goroutines signing with the
// same email each get a pending signature (a pending one reserves nothing),
// and confirming all 200 at once counts exactly one: the confirm path
// re-checks under the write lock and refuses the rest as already signed.
func TestPetitionStore_SameEmailConcurrently(t *testing.T) {
	e := newPetitionEnv(t, 100)
	p := e.openPetition(ballot.CountLive)
	ctx := context.Background()
	emails := []string{"same@example.org", "SAME@example.org", "same+x@example.org"}
	parallel(t, 200, func(i int) error {
		return e.ps.Sign(ctx, p.ID, sig(fmt.Sprintf("Person %d", i), emails[i%3], "AB1 2CD"), "", testBase)
	})
	if rows := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND sponsor = 0 AND status = 'pending'`, p.ID); rows != 200 {
		t.Fatalf("%d pending rows, want 200", rows)
	}
	var tokens []string
	for _, addr := range emails {
		rows, err := e.d.Reader().Query(`SELECT body FROM outbox WHERE to_addr = ?`, addr)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, tokenRE.FindStringSubmatch(body)[2])
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	if len(tokens) != 200 {
		t.Fatalf("%d confirmation links, want 200", len(tokens))
	}
	var mu sync.Mutex
	ok, dup := 0, 0
	parallel(t, len(tokens), func(i int) error {
		_, err := e.ps.Confirm(ctx, tokens[i])
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ballot.ErrAlreadySigned):
			dup++
		default:
			return err
		}
		return nil
	})
	if ok != 1 || dup != 199 {
		t.Errorf("got %d confirmed, %d already signed; want 1, 199", ok, dup)
	}
	e.checkCounters(p.ID, 6)
}

// TestPetitionStore_ConcurrentConfirmations: 10,000 distinct signatures
// confirmed concurrently are counted exactly, and crossing the threshold
// sets threshold_met_at exactly once.
func TestPetitionStore_ConcurrentConfirmations(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 signatures")
	}
	const n = 10_000
	e := newPetitionEnv(t, 5000)
	p := e.openPetition(ballot.CountLive)
	ctx := context.Background()
	parallel(t, n, func(i int) error {
		return e.ps.Sign(ctx, p.ID, sig(fmt.Sprintf("Signer %d", i), fmt.Sprintf("s%d@example.org", i), "AB2 4GH"), "", testBase)
	})
	rows, err := e.d.Reader().Query(`SELECT body FROM outbox WHERE subject LIKE 'Confirm your signature%' AND to_addr LIKE 's%@example.org' AND to_addr NOT LIKE 'sponsor%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		m := tokenRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no token in %q", body)
		}
		tokens = append(tokens, m[2])
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(tokens) != n {
		t.Fatalf("got %d confirmation mails, want %d", len(tokens), n)
	}
	parallel(t, n, func(i int) error {
		_, err := e.ps.Confirm(ctx, tokens[i])
		return err
	})
	got := e.petition(p.ID)
	if got.SignatureCount != n+5 || e.confirmedRows(p.ID) != n+5 {
		t.Errorf("count %d, rows %d, want %d", got.SignatureCount, e.confirmedRows(p.ID), n+5)
	}
	if got.ThresholdMetAt.IsZero() || got.Milestone != 100 {
		t.Errorf("threshold_met_at %v milestone %d", got.ThresholdMetAt, got.Milestone)
	}
	audits := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'petition.threshold_met'`)
	mails := e.count(`SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Recall threshold met%'`)
	if audits != 1 || mails != 1 {
		t.Errorf("threshold recorded %d times and mailed %d times, want 1 and 1 (one staff account)", audits, mails)
	}
	if milestones := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'petition.milestone'`); milestones != 3 {
		t.Errorf("milestone entries: got %d, want 3 (25, 50, 75%%)", milestones)
	}
	wards, err := e.ps.CountByWard(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if wards[ballot.Ward{Code: "E05000002", Name: "Hillcrest"}] != n || wards[ballot.Ward{Code: "E05000001", Name: "Riverside"}] != 5 {
		t.Errorf("by ward: %v", wards)
	}
}

// parallel runs fn for 0..n-1 on 64 goroutines and fails on any error.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	next := make(chan int)
	errs := make(chan error, n)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("got %v", err)
	}
}

func TestPetitionStore_Sealed(t *testing.T) {
	e := newPetitionEnv(t, 6)
	p := e.openPetition(ballot.CountSealed)
	ctx := context.Background()
	if err := e.ps.Sign(ctx, p.ID, sig("Pat Doe", "pat@example.org", "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	tok, _ := e.lastTokens("pat@example.org")
	if _, err := e.ps.Confirm(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got := e.petition(p.ID)
	if got.ThresholdMetAt.IsZero() {
		t.Fatal("threshold not recorded")
	}
	if got.CountPublic(time.Now()) {
		t.Errorf("sealed count public while open")
	}
	// No mail says a number, and the threshold notice waits for the close.
	rows, err := e.d.Reader().Query(`SELECT subject, body, send_after FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	thresholdMails := 0
	for rows.Next() {
		var subj, body, after string
		if err := rows.Scan(&subj, &body, &after); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, "6 confirmed") && !strings.Contains(body, "threshold of 6") {
			t.Errorf("mail %q carries a count", subj)
		}
		if !strings.HasPrefix(subj, "Recall threshold met") {
			continue
		}
		thresholdMails++
		if after < got.ClosesAt.UTC().Format(time.RFC3339)[:19] {
			t.Errorf("threshold mail for a sealed petition due %s, before the close %s", after, got.ClosesAt)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// The timing check above must have had a mail to look at.
	if thresholdMails != 1 {
		t.Errorf("%d threshold mails queued, want 1 (one staff account)", thresholdMails)
	}
}

func TestPetitionStore_WithdrawPaperInvalidate(t *testing.T) {
	e := newPetitionEnv(t, 10)
	p := e.openPetition(ballot.CountLive)
	ctx := context.Background()
	if err := e.ps.Sign(ctx, p.ID, sig("Kim Lee", "kim@spam.example", "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	tok, wd := e.lastTokens("kim@spam.example")
	if _, err := e.ps.Confirm(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if got := e.petition(p.ID).SignatureCount; got != 6 {
		t.Fatalf("count %d, want 6", got)
	}
	t.Run("Withdraw", func(t *testing.T) {
		if _, err := e.ps.Withdraw(ctx, wd); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ps.Withdraw(ctx, wd); err != nil {
			t.Errorf("second withdraw: %v", err)
		}
		if got := e.petition(p.ID).SignatureCount; got != 5 {
			t.Errorf("count %d, want 5", got)
		}
	})
	t.Run("PaperDedupe", func(t *testing.T) {
		paper := &ballot.Signature{Name: "Sponsor  a", Postcode: "ab12cd", Sheet: "S1", Line: 1, Resident: true}
		if err := e.ps.AddPaperSignature(ctx, p.ID, paper, officer); !errors.Is(err, ballot.ErrAlreadySigned) {
			t.Errorf("paper twin of an online signer: got %v, want ErrAlreadySigned", err)
		}
		paper.Name = "Lee Paper"
		if err := e.ps.AddPaperSignature(ctx, p.ID, paper, officer); err != nil {
			t.Fatal(err)
		}
		other := &ballot.Signature{Name: "Someone Else", Postcode: "AB1 2CD", Sheet: "S1", Line: 1, Resident: true}
		if err := e.ps.AddPaperSignature(ctx, p.ID, other, officer); !errors.Is(err, ballot.ErrDuplicate) {
			t.Errorf("same sheet and line: got %v, want ErrDuplicate", err)
		}
		// Online, the twin is answered as a new signer and told by mail.
		if err := e.ps.Sign(ctx, p.ID, sig("lee paper", "lee@example.org", "AB1 2CD"), "", testBase); err != nil {
			t.Errorf("online twin of a paper signer: got %v, want nil", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM outbox WHERE to_addr = 'lee@example.org' AND subject LIKE 'Petition already signed%'`); n != 1 {
			t.Errorf("%d already-signed mails to the online twin, want 1", n)
		}
		if got := e.petition(p.ID).SignatureCount; got != 6 {
			t.Errorf("count %d, want 6", got)
		}
	})
	t.Run("InvalidateByDomain", func(t *testing.T) {
		for i := range 3 {
			addr := fmt.Sprintf("bot%d@spam.example", i)
			if err := e.ps.Sign(ctx, p.ID, sig(fmt.Sprintf("Bot %d", i), addr, "AB1 2CD"), "", testBase); err != nil {
				t.Fatal(err)
			}
			tok, _ := e.lastTokens(addr)
			if _, err := e.ps.Confirm(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		n, err := e.ps.Invalidate(ctx, p.ID, ballot.Invalidation{Domain: "spam.example", Reason: "bot run"}, officer)
		if err != nil || n != 3 {
			t.Fatalf("got %d, %v; want 3", n, err)
		}
		got := e.petition(p.ID)
		if got.SignatureCount != 6 || e.confirmedRows(p.ID) != 6 {
			t.Errorf("count %d, rows %d, want 6", got.SignatureCount, e.confirmedRows(p.ID))
		}
	})
}
