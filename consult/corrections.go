package consult

import (
	"context"
	"strings"
	"time"
)

// Correction is a change made to a consultation once it is published: a
// new closing date or better wording. Each is kept and shown on the public
// page, with when and by whom, so nobody can quietly move the goalposts.
// Its questions and options never change once it is open (see
// Consultation.QuestionsFixed).
type Correction struct {
	At    time.Time
	Actor string // the staff member's email
	Field string // "closes_at", "title" or "summary"
	Old   string // closing dates as RFC 3339 UTC
	New   string
}

// Fields a correction may change.
const (
	CorrectClosesAt = "closes_at"
	CorrectTitle    = "title"
	CorrectSummary  = "summary"
)

// Label names the corrected field as the public page does.
func (c Correction) Label() string {
	switch c.Field {
	case CorrectClosesAt:
		return "Closing date"
	case CorrectTitle:
		return "Title"
	}
	return "Summary"
}

// QuestionsFixed reports whether the questions and options can no longer
// change: once a consultation is published, every answer must be to the
// same questions.
func (c *Consultation) QuestionsFixed() bool { return c.Status != StatusDraft }

// CanCorrect says whether a published consultation's closing date or
// wording may be corrected at now: only while it is open or scheduled to
// open. It returns ErrBadTransition otherwise: a draft is edited, not
// corrected, and a closed one stays as it closed.
func (c *Consultation) CanCorrect(now time.Time) error {
	if st := c.State(now); st != StatusOpen && st != StatusScheduled {
		return ErrBadTransition
	}
	return nil
}

// ChangeClosing checks a new closing time for a published consultation and
// returns the correction it makes. The new time must be in the future
// (never to the past: a consultation is closed by hand for that), after
// the opening time, and different from the current one. It returns
// ErrBadTransition (CanCorrect) or a *ValidationError on "closes_on".
func (c *Consultation) ChangeClosing(now, closesAt time.Time) (Correction, error) {
	if err := c.CanCorrect(now); err != nil {
		return Correction{}, err
	}
	ve := &ValidationError{}
	switch {
	case closesAt.IsZero():
		ve.Add("closes_on", "Enter the new closing date")
	case !closesAt.After(now):
		ve.Add("closes_on", "The new closing date must be in the future. To end the consultation now, close it instead")
	case !c.OpensAt.IsZero() && !closesAt.After(c.OpensAt):
		ve.Add("closes_on", "Closing date must be after the opening date")
	case closesAt.Equal(c.ClosesAt):
		ve.Add("closes_on", "Enter a closing date different from the current one")
	}
	if err := ve.Err(); err != nil {
		return Correction{}, err
	}
	old := ""
	if !c.ClosesAt.IsZero() {
		old = c.ClosesAt.UTC().Format(time.RFC3339)
	}
	return Correction{At: now, Field: CorrectClosesAt, Old: old, New: closesAt.UTC().Format(time.RFC3339)}, nil
}

// CorrectWording checks a published consultation's new title and summary,
// by the same rules as when it was created, and returns a correction for
// each that changed. It returns ErrBadTransition (CanCorrect) or a
// *ValidationError, on "form" when nothing changed.
func (c *Consultation) CorrectWording(now time.Time, title, summary string) ([]Correction, error) {
	if err := c.CanCorrect(now); err != nil {
		return nil, err
	}
	title, summary = strings.TrimSpace(title), strings.TrimSpace(summary)
	ve := &ValidationError{}
	ve.Text("title", "Title", title, "Enter a title", 200)
	ve.Text("summary", "Summary", summary, "Enter a summary", MaxLongText)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	var out []Correction
	if title != c.Title {
		out = append(out, Correction{At: now, Field: CorrectTitle, Old: c.Title, New: title})
	}
	if summary != c.Summary {
		out = append(out, Correction{At: now, Field: CorrectSummary, Old: c.Summary, New: summary})
	}
	if len(out) == 0 {
		ve.Add("title", "Change the title or the summary: they are the same as now")
		return nil, ve
	}
	return out, nil
}

// CorrectionStore keeps the corrections of published consultations. Each is
// audited in the transaction that makes it.
type CorrectionStore interface {
	// ChangeClosing sets a published consultation's closing time through
	// Consultation.ChangeClosing and records the correction. It returns
	// ErrNotFound, ErrBadTransition or a *ValidationError.
	ChangeClosing(ctx context.Context, slug string, closesAt time.Time, actor string) error
	// CorrectWording sets a published consultation's title and summary
	// through Consultation.CorrectWording and records a correction per
	// field changed. It returns ErrNotFound, ErrBadTransition or a
	// *ValidationError.
	CorrectWording(ctx context.Context, slug, title, summary, actor string) error
	// Corrections lists a consultation's corrections, oldest first. It
	// returns ErrNotFound.
	Corrections(ctx context.Context, slug string) ([]Correction, error)
}

// OldText is the value before the correction as residents read it: a
// closing date in words ("11:59pm on 30 June 2026", or "none" for a
// consultation that had none), wording as it was.
func (c Correction) OldText() string { return c.text(c.Old) }

// NewText is the value after the correction, read as OldText reads.
func (c Correction) NewText() string { return c.text(c.New) }

func (c Correction) text(v string) string {
	if c.Field != CorrectClosesAt {
		return v
	}
	t, err := time.Parse(time.RFC3339, v)
	if v == "" || err != nil {
		return "none"
	}
	return ClosingTime(t)
}
