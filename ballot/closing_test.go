package ballot_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestBallot_Closing: voting's closing line follows consult.Closing's rule,
// and a ballot the council closed early shows when voting really stopped.
func TestBallot_Closing(t *testing.T) {
	opens := time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC)
	closes := time.Date(2027, 6, 30, 23, 0, 0, 0, time.UTC) // midnight BST
	early := time.Date(2027, 6, 20, 9, 30, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		b    ballot.Ballot
		now  time.Time
		want string
	}{
		"Open":        {ballot.Ballot{Status: ballot.BallotOpen, OpensAt: opens, ClosesAt: closes}, early, "Closes at 11:59pm on 30 June 2027"},
		"Ended":       {ballot.Ballot{Status: ballot.BallotOpen, OpensAt: opens, ClosesAt: closes}, closes, "Closed on 30 June 2027 at 11:59pm"},
		"ClosedEarly": {ballot.Ballot{Status: ballot.BallotClosed, OpensAt: opens, ClosesAt: closes, ClosedAt: early}, early, "Closed on 20 June 2027 at 10:30am"},
		"ClosedLater": {ballot.Ballot{Status: ballot.BallotClosed, OpensAt: opens, ClosesAt: closes, ClosedAt: closes.Add(48 * time.Hour)}, closes.Add(48 * time.Hour), "Closed on 30 June 2027 at 11:59pm"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := tc.b.Closing(tc.now); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
