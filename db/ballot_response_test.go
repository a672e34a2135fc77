package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestBallotStore_RecordResponse: the council's response is refused before
// the ballot closes and when it contradicts itself, then recorded once with
// its audit entry and the campaigner's mail, in one transaction, and read
// back with the ballot.
func TestBallotStore_RecordResponse(t *testing.T) {
	ctx := context.Background()
	e := newBallotEnv(t)
	b, codes := e.open(4)
	if _, err := e.vote(b, codes[0], 0); err != nil {
		t.Fatal(err)
	}
	notExercised := &ballot.CouncilResponse{Reason: "Re-letting would cost more than the savings"}
	if err := e.bs.RecordResponse(ctx, b.ID, notExercised, officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("before close: got %v, want ErrBadTransition", err)
	}
	if _, err := e.bs.Close(ctx, b.ID, officer); err != nil {
		t.Fatal(err)
	}
	mails := e.count(`SELECT COUNT(*) FROM outbox`)
	var ve *ballot.ValidationError
	if err := e.bs.RecordResponse(ctx, b.ID, &ballot.CouncilResponse{}, officer); !errors.As(err, &ve) || ve.Fields["reason"] == "" {
		t.Errorf("no reason: got %v, want a message on reason", err)
	}
	late := &ballot.CouncilResponse{Exercised: true, BreakOn: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)} // after the contract ends
	if err := e.bs.RecordResponse(ctx, b.ID, late, officer); !errors.As(err, &ve) || ve.Fields["break_on"] == "" {
		t.Errorf("break after the contract ends: got %v, want a message on break_on", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'ballot.response'`); n != 0 || e.count(`SELECT COUNT(*) FROM outbox`) != mails {
		t.Fatalf("refused responses audited %d or mailed", n)
	}
	exercised := &ballot.CouncilResponse{Exercised: true, BreakOn: time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)}
	if err := e.bs.RecordResponse(ctx, b.ID, exercised, officer); err != nil {
		t.Fatal(err)
	}
	got, err := e.bs.Ballot(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Response; r == nil || !r.Exercised || !r.BreakOn.Equal(exercised.BreakOn) || r.RecordedAt.IsZero() {
		t.Errorf("read back %+v", got.Response)
	}
	var detail string
	mustScan(t, e.d.Reader().QueryRow(`SELECT detail FROM audit_log WHERE action = 'ballot.response' AND subject = ?`, "ballot:"+itoa(b.ID)), &detail)
	if !strings.Contains(detail, "the contract ends on 1 June 2029") {
		t.Errorf("audit detail %q", detail)
	}
	var subject string
	mustScan(t, e.d.Reader().QueryRow(`SELECT subject FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, e.petition.CampaignerEmail), &subject)
	if !strings.HasPrefix(subject, "The council's response to the recall ballot") {
		t.Errorf("campaigner's last mail %q", subject)
	}
	if err := e.bs.RecordResponse(ctx, b.ID, notExercised, officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("second response: got %v, want ErrBadTransition", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'ballot.response'`); n != 1 {
		t.Errorf("audited %d times, want 1", n)
	}
}
