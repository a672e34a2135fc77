package consult

import (
	"context"
	"strings"
	"time"
)

// A published outcome ("We asked, you said, we did") or decision can be
// revised, never silently: each revision carries a public note saying what
// changed and why, and the version it replaced stays readable on the
// consultation page and in its JSON.

// MaxRevisionNote is the longest revision note, in characters.
const MaxRevisionNote = 1000

// OutcomeRevision is one revision of a published outcome: Was is the
// outcome as it read before, with Was.PublishedAt the moment that version
// went up (the first publication, or the revision before this one).
type OutcomeRevision struct {
	At    time.Time
	Actor string
	Note  string
	Was   Outcome
}

// DecisionRevision is one revision of a recorded decision, as
// OutcomeRevision is of an outcome; Was.RecordedAt is when that version
// went up.
type DecisionRevision struct {
	At    time.Time
	Actor string
	Note  string
	Was   Decision
}

// checkNote adds the note's message to ve: it is required, since readers
// are owed the reason a published text changed.
func checkNote(ve *ValidationError, note string) {
	ve.Text("revision_note", "Revision note", strings.TrimSpace(note), "Enter a revision note: what changed and why. It is shown on the public page", MaxRevisionNote)
}

// ReviseOutcome checks a new version of the published outcome and returns
// the revision it makes. The consultation must have its outcome published
// (else ErrBadTransition); the new outcome must be valid, differ from the
// current one, and come with a note (else a *ValidationError).
func (c *Consultation) ReviseOutcome(now time.Time, o Outcome, note string) (OutcomeRevision, error) {
	if c.Status != StatusOutcome || c.Outcome == nil {
		return OutcomeRevision{}, ErrBadTransition
	}
	ve := &ValidationError{}
	if err, ok := o.Validate().(*ValidationError); ok && err != nil {
		ve = err
	}
	checkNote(ve, note)
	cur := *c.Outcome
	if ve.Err() == nil && o.WeAsked == cur.WeAsked && o.YouSaid == cur.YouSaid && o.WeDid == cur.WeDid {
		ve.Add("we_asked", "Change the outcome: it is the same as the published one")
	}
	if err := ve.Err(); err != nil {
		return OutcomeRevision{}, err
	}
	if n := len(c.OutcomeRevisions); n > 0 {
		cur.PublishedAt = c.OutcomeRevisions[n-1].At
	}
	return OutcomeRevision{At: now, Note: strings.TrimSpace(note), Was: cur}, nil
}

// ReviseDecision checks a new version of the recorded decision, as
// ReviseOutcome does for the outcome.
func (c *Consultation) ReviseDecision(now time.Time, d Decision, note string) (DecisionRevision, error) {
	if c.Decision == nil {
		return DecisionRevision{}, ErrBadTransition
	}
	ve := &ValidationError{}
	if err, ok := d.Validate().(*ValidationError); ok && err != nil {
		ve = err
	}
	checkNote(ve, note)
	cur := *c.Decision
	if ve.Err() == nil && d.Proposal == cur.Proposal && d.Summary == cur.Summary && d.InHouseComparison == cur.InHouseComparison {
		ve.Add("decision", "Change the decision: it is the same as the recorded one")
	}
	if err := ve.Err(); err != nil {
		return DecisionRevision{}, err
	}
	if n := len(c.DecisionRevisions); n > 0 {
		cur.RecordedAt = c.DecisionRevisions[n-1].At
	}
	return DecisionRevision{At: now, Note: strings.TrimSpace(note), Was: cur}, nil
}

// LastOutcomeRevision is the latest revision of the outcome, or nil.
func (c *Consultation) LastOutcomeRevision() *OutcomeRevision {
	if n := len(c.OutcomeRevisions); n > 0 {
		return &c.OutcomeRevisions[n-1]
	}
	return nil
}

// LastDecisionRevision is the latest revision of the decision, or nil.
func (c *Consultation) LastDecisionRevision() *DecisionRevision {
	if n := len(c.DecisionRevisions); n > 0 {
		return &c.DecisionRevisions[n-1]
	}
	return nil
}

// RevisionStore keeps revisions of published outcomes and decisions. Each
// is audited in the transaction that makes it; nobody is emailed again.
type RevisionStore interface {
	// ReviseOutcome replaces the published outcome through
	// Consultation.ReviseOutcome, keeping the old version. It returns
	// ErrNotFound, ErrBadTransition or a *ValidationError.
	ReviseOutcome(ctx context.Context, slug string, o Outcome, note, actor string) error
	// ReviseDecision does the same for the recorded decision.
	ReviseDecision(ctx context.Context, slug string, d Decision, note, actor string) error
}

// The longest texts staff write, in characters: a summary, each part of an
// outcome and of a decision (MaxLongText), and each text of the
// outsourcing record (MaxRecordText). The forms' character counts show
// these same limits.
const (
	MaxLongText   = 5000
	MaxRecordText = 10000
)
