package ballot

import (
	"time"

	"github.com/oursay/oursay/consult"
)

// Closing is the petition's closing line at now, by consult.Closing's rule:
// "Closes at 11:59pm on …" while signing is open, "Closed on …" after. A
// petition not yet published, or rejected, has none.
func (p *Petition) Closing(now time.Time) string {
	if p.Status != StatusOpen || p.ClosesAt.IsZero() {
		return ""
	}
	if now.Before(p.ClosesAt) {
		return consult.Closing(p.ClosesAt, time.Time{})
	}
	return consult.Closing(p.ClosesAt, p.ClosesAt)
}

// VotingEndedAt is when voting stopped, as of now: the council's close if
// it ended voting early, else ClosesAt once passed; zero while voting can
// still happen.
func (b *Ballot) VotingEndedAt(now time.Time) time.Time {
	if b.Status == BallotClosed && !b.ClosedAt.IsZero() && b.ClosedAt.Before(b.ClosesAt) {
		return b.ClosedAt
	}
	if b.Status == BallotClosed || !now.Before(b.ClosesAt) {
		return b.ClosesAt
	}
	return time.Time{}
}

// Closing is the ballot's closing line at now, by consult.Closing's rule.
func (b *Ballot) Closing(now time.Time) string {
	return consult.Closing(b.ClosesAt, b.VotingEndedAt(now))
}
