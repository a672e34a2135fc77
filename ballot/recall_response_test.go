package ballot_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// A petition may be started only against a running contract with a break
// clause still to come; each other case says which it is.
func TestContract_PetitionRefusal(t *testing.T) {
	c := func(breaks ...time.Time) *ballot.Contract {
		return &ballot.Contract{StartsOn: ymd(2025, 4, 1), EndsOn: ymd(2030, 3, 31), BreakClauses: breaks}
	}
	noon := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	cases := []struct {
		name string
		c    *ballot.Contract
		now  time.Time
		want string // a part of the reason; "" allowed
	}{
		{"running, break ahead", c(ymd(2028, 4, 1)), noon(2027, 1, 1), ""},
		{"break clause today still counts", c(ymd(2028, 4, 1)), noon(2028, 4, 1), ""},
		{"no break clause", c(), noon(2027, 1, 1), "This contract has no break clause, so a recall petition cannot be started against it."},
		{"every break passed", c(ymd(2026, 4, 1)), noon(2027, 1, 1), "break clause dates have passed"},
		{"not started", c(ymd(2028, 4, 1)), noon(2025, 3, 31), "has not started yet"},
		{"last day still running", c(ymd(2030, 3, 31)), noon(2030, 3, 31), ""},
		{"ended", c(ymd(2028, 4, 1)), noon(2030, 4, 1), "ended on 31 March 2030"},
		{"terminated", func() *ballot.Contract {
			k := c(ymd(2028, 4, 1))
			k.TerminatedOn, k.TerminationReason = ymd(2027, 6, 30), "Missed targets"
			return k
		}(), noon(2027, 1, 1), "terminated, with its last day on 30 June 2027"},
	}
	for _, tc := range cases {
		got := tc.c.PetitionRefusal(tc.now)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: PetitionRefusal = %q, want %q", tc.name, got, tc.want)
		}
		err := tc.c.CanPetition(tc.now)
		var ve *ballot.ValidationError
		if (tc.want == "") != (err == nil) || err != nil && (!errors.As(err, &ve) || ve.Fields["contract"] != got) {
			t.Errorf("%s: CanPetition = %v", tc.name, err)
		}
	}
}

// The response says what the council did: a date within the contract when
// the break was exercised, a reason when it was not, and nothing that
// contradicts the answer.
func TestCouncilResponse_Validate(t *testing.T) {
	c := &ballot.Contract{StartsOn: ymd(2025, 4, 1), EndsOn: ymd(2030, 3, 31)}
	cases := []struct {
		name  string
		r     ballot.CouncilResponse
		field string // "" valid
	}{
		{"exercised on a date", ballot.CouncilResponse{Exercised: true, BreakOn: ymd(2028, 4, 1)}, ""},
		{"exercised on the last day", ballot.CouncilResponse{Exercised: true, BreakOn: ymd(2030, 3, 31)}, ""},
		{"exercised, no date", ballot.CouncilResponse{Exercised: true}, "break_on"},
		{"exercised after the end", ballot.CouncilResponse{Exercised: true, BreakOn: ymd(2030, 4, 1)}, "break_on"},
		{"exercised before the start", ballot.CouncilResponse{Exercised: true, BreakOn: ymd(2025, 3, 31)}, "break_on"},
		{"not exercised, with a reason", ballot.CouncilResponse{Reason: "Costs"}, ""},
		{"not exercised, no reason", ballot.CouncilResponse{Reason: "  "}, "reason"},
		{"not exercised, with a date", ballot.CouncilResponse{Reason: "Costs", BreakOn: ymd(2028, 4, 1)}, "break_on"},
	}
	for _, tc := range cases {
		err := tc.r.Validate(c)
		var ve *ballot.ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v, want valid", tc.name, err)
		case tc.field != "" && (!errors.As(err, &ve) || ve.Fields[tc.field] == ""):
			t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
		}
	}
}

// A response may be recorded once, on a closed ballot; it is overdue 28
// days after a recall result with nothing recorded, and never after a
// result that was not recall.
func TestBallot_ResponseDue(t *testing.T) {
	closed := time.Date(2027, 1, 10, 15, 0, 0, 0, time.UTC)
	b := &ballot.Ballot{Status: ballot.BallotClosed, ClosedAt: closed}
	if err := b.CanRespond(); err != nil {
		t.Errorf("closed ballot: CanRespond = %v", err)
	}
	recall, none := ballot.Result{Recall: true}, ballot.Result{}
	for _, tc := range []struct {
		r    ballot.Result
		at   time.Time
		want bool
	}{
		{recall, closed.Add(27 * 24 * time.Hour), false},
		{recall, closed.Add(28*24*time.Hour - time.Second), false},
		{recall, closed.Add(28 * 24 * time.Hour), true},
		{none, closed.Add(90 * 24 * time.Hour), false},
	} {
		if got := b.ResponseOverdue(tc.r, tc.at); got != tc.want {
			t.Errorf("recall %v at %v: overdue = %v, want %v", tc.r.Recall, tc.at, got, tc.want)
		}
	}
	b.Response = &ballot.CouncilResponse{Reason: "Costs"}
	if b.ResponseOverdue(recall, closed.Add(90*24*time.Hour)) {
		t.Errorf("overdue with a response recorded")
	}
	if err := b.CanRespond(); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("second response: CanRespond = %v", err)
	}
	if err := (&ballot.Ballot{Status: ballot.BallotOpen}).CanRespond(); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("open ballot: CanRespond = %v", err)
	}
}
