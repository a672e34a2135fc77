package consult_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// TestReviseOutcome: only a published outcome is revised, only with a note
// of at most MaxRevisionNote characters and a real change; the revision
// keeps the version it replaces and when that version went up.
func TestReviseOutcome(t *testing.T) {
	t0 := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	o := consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c", PublishedAt: t0}
	c := &consult.Consultation{Status: consult.StatusClosed}
	if _, err := c.ReviseOutcome(t0, o, "note"); !errors.Is(err, consult.ErrBadTransition) {
		t.Errorf("before publishing: %v", err)
	}
	c.Status, c.Outcome = consult.StatusOutcome, &o
	changed := o
	changed.YouSaid = "b, recounted"
	for _, tc := range []struct {
		o     consult.Outcome
		note  string
		field string
	}{
		{changed, "", "revision_note"},
		{changed, "   ", "revision_note"},
		{changed, strings.Repeat("x", consult.MaxRevisionNote+1), "revision_note"},
		{o, "No change", "we_asked"},
		{consult.Outcome{WeAsked: "a", WeDid: "c"}, "Blanked", "you_said"},
	} {
		_, err := c.ReviseOutcome(t0, tc.o, tc.note)
		var ve *consult.ValidationError
		if !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
			t.Errorf("%+v (a note of %d characters): got %v, want a message on %s", tc.o, len(tc.note), err, tc.field)
		}
	}
	rev, err := c.ReviseOutcome(t0.Add(time.Hour), changed, strings.Repeat("x", consult.MaxRevisionNote))
	if err != nil || rev.Was.YouSaid != "b" || !rev.Was.PublishedAt.Equal(t0) || !rev.At.Equal(t0.Add(time.Hour)) {
		t.Errorf("revision: %+v %v", rev, err)
	}
	c.OutcomeRevisions = append(c.OutcomeRevisions, rev)
	c.Outcome = &changed
	again := changed
	again.WeDid = "c, later"
	if rev, err := c.ReviseOutcome(t0.Add(2*time.Hour), again, "Again"); err != nil || !rev.Was.PublishedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("a second revision should date the version it replaces from the first: %+v %v", rev, err)
	}
	if c.LastOutcomeRevision() == nil || c.LastOutcomeRevision().At != rev.At {
		t.Error("LastOutcomeRevision")
	}
}

func TestReviseDecision(t *testing.T) {
	t0 := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	d := consult.Decision{Proposal: consult.ProposalInHouse, Summary: "s", InHouseComparison: "c", RecordedAt: t0}
	c := &consult.Consultation{Status: consult.StatusOutcome}
	if _, err := c.ReviseDecision(t0, d, "note"); !errors.Is(err, consult.ErrBadTransition) {
		t.Errorf("no decision yet: %v", err)
	}
	c.Decision = &d
	var ve *consult.ValidationError
	if _, err := c.ReviseDecision(t0, d, "Same"); !errors.As(err, &ve) || ve.Fields["decision"] == "" {
		t.Errorf("no change: %v", err)
	}
	changed := d
	changed.Proposal = consult.ProposalOutsource
	if _, err := c.ReviseDecision(t0, changed, ""); !errors.As(err, &ve) || ve.Fields["revision_note"] == "" {
		t.Errorf("no note: %v", err)
	}
	if rev, err := c.ReviseDecision(t0.Add(time.Hour), changed, " Corrected "); err != nil || rev.Note != "Corrected" || rev.Was.Proposal != consult.ProposalInHouse {
		t.Errorf("revision: %+v %v", rev, err)
	}
}
