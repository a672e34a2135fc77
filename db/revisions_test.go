package db_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestConsultStore_Revisions: a published outcome and a recorded decision
// can be revised with a note; each earlier version is kept with when it
// went up; refusals change nothing; each revision is audited.
func TestConsultStore_Revisions(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	now := fixedClock(d, t0)
	s := db.NewConsultStore(d)
	mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	v1 := consult.Outcome{WeAsked: "Whether to outsource parks.", YouSaid: "Mostly no.", WeDid: "Kept it in house."}
	v2, v3 := v1, v1
	v2.YouSaid, v3.WeDid = "Most said no; 40 said yes.", "Kept it in house for five years."
	dec := consult.Decision{Proposal: consult.ProposalInHouse, Summary: "In house.", InHouseComparison: "Cheaper in house."}

	if err := s.ReviseOutcome(ctx, "parks", v2, "Counts corrected", officer); !errors.Is(err, consult.ErrBadTransition) {
		t.Errorf("revise before publishing: got %v, want ErrBadTransition", err)
	}
	if err := s.Close(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishOutcome(ctx, "parks", v1, officer); err != nil {
		t.Fatal(err)
	}
	if err := s.ReviseDecision(ctx, "parks", dec, "x", officer); !errors.Is(err, consult.ErrBadTransition) {
		t.Errorf("revise a decision not recorded: got %v, want ErrBadTransition", err)
	}
	var ve *consult.ValidationError
	for _, bad := range []struct {
		o    consult.Outcome
		note string
	}{{v2, "  "}, {v1, "No change"}, {consult.Outcome{}, "Blank"}} {
		if err := s.ReviseOutcome(ctx, "parks", bad.o, bad.note, officer); !errors.As(err, &ve) {
			t.Errorf("%+v %q: got %v, want a *ValidationError", bad.o, bad.note, err)
		}
	}
	*now = t0.Add(time.Hour)
	if err := s.ReviseOutcome(ctx, "parks", v2, "Counts corrected", officer); err != nil {
		t.Fatal(err)
	}
	*now = t0.Add(2 * time.Hour)
	if err := s.ReviseOutcome(ctx, "parks", v3, " Term added ", officer); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordDecision(ctx, "parks", dec, officer); err != nil {
		t.Fatal(err)
	}
	dec2 := dec
	dec2.Summary = "In house, reviewed in 2031."
	*now = t0.Add(3 * time.Hour)
	if err := s.ReviseDecision(ctx, "parks", dec2, "Review year added", officer); err != nil {
		t.Fatal(err)
	}

	c, err := s.Consultation(ctx, "parks")
	if err != nil {
		t.Fatal(err)
	}
	if *c.Outcome != (consult.Outcome{WeAsked: v3.WeAsked, YouSaid: v3.YouSaid, WeDid: v3.WeDid, PublishedAt: c.Outcome.PublishedAt}) ||
		!c.Outcome.PublishedAt.Equal(t0) || c.Decision.Summary != dec2.Summary {
		t.Errorf("current: %+v %+v", c.Outcome, c.Decision)
	}
	if len(c.OutcomeRevisions) != 2 || len(c.DecisionRevisions) != 1 {
		t.Fatalf("revisions: %+v %+v", c.OutcomeRevisions, c.DecisionRevisions)
	}
	r0, r1 := c.OutcomeRevisions[0], c.OutcomeRevisions[1]
	if r0.Was.YouSaid != v1.YouSaid || !r0.Was.PublishedAt.Equal(t0) || !r0.At.Equal(t0.Add(time.Hour)) || r0.Note != "Counts corrected" || r0.Actor != officer {
		t.Errorf("first revision: %+v", r0)
	}
	if r1.Was.YouSaid != v2.YouSaid || !r1.Was.PublishedAt.Equal(t0.Add(time.Hour)) || r1.Note != "Term added" {
		t.Errorf("second revision: %+v", r1)
	}
	if dr := c.DecisionRevisions[0]; dr.Was.Summary != dec.Summary || dr.Note != "Review year added" || !dr.Was.RecordedAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("decision revision: %+v", dr)
	}
	if got := auditDetails(t, d, "consultation.outcome_revise"); fmt.Sprint(got) != "["+officer+" outcome revised: Counts corrected "+officer+" outcome revised: Term added]" {
		t.Errorf("audit: %v", got)
	}
	if got := auditDetails(t, d, "consultation.decision_revise"); len(got) != 1 {
		t.Errorf("decision audit: %v", got)
	}
}
