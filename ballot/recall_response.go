package ballot

import (
	"time"
)

// PetitionRefusal says why no recall petition may be started against c at
// now, in a sentence the contract page and the start form show, or "" when
// one may. A recall can only be acted on at a break clause, so a petition
// needs a running contract with a break clause still to come.
func (c *Contract) PetitionRefusal(now time.Time) string {
	day := startOfDay(now)
	switch {
	case day.Before(c.StartsOn):
		return "This contract has not started yet, so a recall petition cannot be started against it."
	case c.Terminated():
		return "This contract was terminated, with its last day on " + c.TerminatedOn.Format("2 January 2006") +
			", so a recall petition cannot be started against it."
	case day.After(c.EndsOn):
		return "This contract ended on " + c.EndsOn.Format("2 January 2006") + ", so a recall petition cannot be started against it."
	case len(c.BreakClauses) == 0:
		return "This contract has no break clause, so a recall petition cannot be started against it."
	case c.NextBreak(day).IsZero():
		return "All of this contract's break clause dates have passed, so a recall petition cannot be started against it."
	}
	return ""
}

// CanPetition returns a *ValidationError on "contract" when no recall
// petition may be started against c at now (see PetitionRefusal).
func (c *Contract) CanPetition(now time.Time) error {
	if why := c.PetitionRefusal(now); why != "" {
		ve := &ValidationError{}
		ve.Add("contract", why)
		return ve
	}
	return nil
}

// startOfDay is midnight UTC of t's day: contract dates are days.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// RecallResponseDue is how long after a ballot's result the council has to
// record what it did before the staff task list shows it as overdue.
const RecallResponseDue = 28 * 24 * time.Hour

// CouncilResponse is what the council did after a recall ballot's result:
// it exercised the contract's break on a date, or did not, for a reason.
type CouncilResponse struct {
	Exercised bool
	// BreakOn is the day the break takes effect, when exercised.
	BreakOn time.Time
	// Reason is why the break was not exercised; it may also explain an
	// exercised break.
	Reason     string
	RecordedAt time.Time
}

// Validate checks the response as an officer records it for contract c.
func (r *CouncilResponse) Validate(c *Contract) error {
	ve := &ValidationError{}
	if r.Exercised {
		switch {
		case r.BreakOn.IsZero():
			ve.Add("break_on", "Enter the date the break takes effect")
		case c != nil && (r.BreakOn.Before(c.StartsOn) || r.BreakOn.After(c.EndsOn)):
			ve.Add("break_on", "The break must take effect between the contract's start date, "+
				c.StartsOn.Format("2 January 2006")+", and its end date, "+c.EndsOn.Format("2 January 2006"))
		}
		ve.Max("reason", "Reason", r.Reason, 5000)
	} else {
		if !r.BreakOn.IsZero() {
			ve.Add("break_on", "Leave the date empty when the break was not exercised")
		}
		ve.Text("reason", "Reason", r.Reason, "Give the reason the council did not exercise the break", 5000)
	}
	return ve.Err()
}

// CanRespond checks that the council may record its response to b: the
// ballot is closed with its result, and nothing is recorded yet.
func (b *Ballot) CanRespond() error {
	if b.Status != BallotClosed || b.Response != nil {
		return ErrBadTransition
	}
	return nil
}

// ResponseOverdue reports whether b's council response is overdue at now:
// the result was "recall", nothing is recorded, and RecallResponseDue has passed
// since the result.
func (b *Ballot) ResponseOverdue(r Result, now time.Time) bool {
	return b.Status == BallotClosed && r.Recall && b.Response == nil && !b.ClosedAt.IsZero() &&
		!now.Before(b.ClosedAt.Add(RecallResponseDue))
}

// Describe says the response in a sentence, for pages, mail and the audit log.
func (r *CouncilResponse) Describe() string {
	if r.Exercised {
		return "The council exercised the break clause: the contract ends on " + r.BreakOn.Format("2 January 2006") + "."
	}
	return "The council did not exercise the break clause."
}

// CouncilResponseMail tells the campaigner what the council did after the
// recall ballot that followed their petition.
func CouncilResponseMail(p *Petition, b *Ballot, r *CouncilResponse, links Links) (subject, body string) {
	ls := []string{
		councilSite + " The council has recorded what it did after the recall ballot on your petition:",
		"  " + quote(p.Title),
		"",
		r.Describe(),
	}
	if r.Reason != "" {
		ls = append(ls, "", "The council's reason:", r.Reason)
	}
	ls = append(ls, "", links.Ballot(b.ID))
	return "The council's response to the recall ballot: " + p.Title, lines(ls...)
}
