package ballot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// yesNo is a Yes/No ballot of 1,000 codes with a 25% quorum.
func yesNo() *ballot.Ballot {
	return &ballot.Ballot{Options: []ballot.BallotOption{{ID: 1, Label: "Yes"}, {ID: 2, Label: "No"}},
		CodesIssued: 1000, QuorumBasisPoints: 2500}
}

// TestOutcome checks the recall rule with hand-worked figures: turnout and
// Yes share are truncated basis points, the quorum is met at exactly its
// turnout and not one vote short, and Yes needs more than half the votes.
func TestOutcome(t *testing.T) {
	cases := []struct {
		name              string
		codes, quorum     int
		yes, no           int
		wantTurnout       int
		wantShare         int
		wantQuorum, wantR bool
	}{
		{"quorum missed though Yes wins", 1000, 2500, 200, 49, 2490, 8032, false, false},
		{"quorum exactly met, Yes wins", 1000, 2500, 200, 50, 2500, 8000, true, true},
		{"tie is not a majority", 1000, 2500, 150, 150, 3000, 5000, true, false},
		{"Yes wins by one", 1000, 2500, 151, 150, 3010, 5016, true, true},
		{"No wins", 1000, 2500, 100, 300, 4000, 2500, true, false},
		{"nobody voted", 1000, 2500, 0, 0, 0, 0, false, false},
		{"nobody voted, no quorum", 1000, 0, 0, 0, 0, 0, false, false},
		{"everyone voted Yes", 1000, 2500, 1000, 0, 10000, 10000, true, true},
		// 25% of 48,215 is 12,053.75 votes: 12,053 is 24.998% (short).
		{"one vote short of a 25% quorum", 48215, 2500, 12000, 53, 2499, 9956, false, false},
		{"quorum met by the next vote", 48215, 2500, 12000, 54, 2500, 9955, true, true},
		// 5,001 of 10,001 is 50.005%: a majority, though the share shows 50.00%.
		{"one vote over half at an odd total", 20000, 2500, 5001, 5000, 5000, 5000, true, true},
		{"one vote under half at an odd total", 20000, 2500, 5000, 5001, 5000, 4999, true, false},
		{"2 of 3 is 66.66%", 7, 2500, 2, 1, 4285, 6666, true, true},
		{"1 of 3 is 33.33%", 7, 2500, 1, 2, 4285, 3333, true, false},
		{"no codes issued: no turnout", 0, 0, 3, 1, 0, 7500, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := yesNo()
			b.CodesIssued, b.QuorumBasisPoints = tc.codes, tc.quorum
			r := ballot.Outcome(b, map[int64]int{1: tc.yes, 2: tc.no})
			if r.VotesCast != tc.yes+tc.no || r.Turnout != tc.wantTurnout || r.YesShare != tc.wantShare {
				t.Errorf("votes %d turnout %d share %d, want %d, %d and %d",
					r.VotesCast, r.Turnout, r.YesShare, tc.yes+tc.no, tc.wantTurnout, tc.wantShare)
			}
			if r.QuorumMet != tc.wantQuorum || r.Recall != tc.wantR {
				t.Errorf("quorum met %v recall %v, want %v and %v", r.QuorumMet, r.Recall, tc.wantQuorum, tc.wantR)
			}
			if r.Counts[1] != tc.yes || r.Counts[2] != tc.no {
				t.Errorf("counts %v, want Yes %d and No %d", r.Counts, tc.yes, tc.no)
			}
		})
	}
}

// Yes is the first option whatever its id; votes for a third option count
// in the total but not for Yes.
func TestOutcome_FirstOptionIsYes(t *testing.T) {
	b := &ballot.Ballot{Options: []ballot.BallotOption{{ID: 9, Label: "Yes"}, {ID: 4, Label: "No"}, {ID: 5, Label: "Spoilt"}},
		CodesIssued: 100, QuorumBasisPoints: 1000}
	r := ballot.Outcome(b, map[int64]int{4: 10, 9: 20, 5: 11})
	if r.VotesCast != 41 || r.Turnout != 4100 || r.YesShare != 4878 || r.Recall {
		t.Errorf("got votes %d turnout %d share %d recall %v, want 41, 4100, 4878, false", r.VotesCast, r.Turnout, r.YesShare, r.Recall)
	}
	r = ballot.Outcome(&ballot.Ballot{CodesIssued: 10}, map[int64]int{1: 4})
	if r.VotesCast != 4 || r.Turnout != 4000 || r.YesShare != 0 || r.Recall {
		t.Errorf("no options: got %+v, want 4 votes, 40%% turnout and no recall", r)
	}
}

func TestBallot_TurnoutBasisPoints(t *testing.T) {
	for _, tc := range []struct {
		codes, votes, want int
	}{
		{1000, 250, 2500},
		{48215, 12053, 2499},
		{48215, 12054, 2500},
		{3, 2, 6666},
		{3, 3, 10000},
		{0, 0, 0},
		{-1, 5, 0},
	} {
		b := &ballot.Ballot{CodesIssued: tc.codes, VotesCast: tc.votes}
		if got := b.TurnoutBasisPoints(); got != tc.want {
			t.Errorf("%d of %d: got %d, want %d", tc.votes, tc.codes, got, tc.want)
		}
	}
}

func TestBallot_State(t *testing.T) {
	opens := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	b := &ballot.Ballot{Status: ballot.BallotOpen, OpensAt: opens, ClosesAt: opens.Add(14 * 24 * time.Hour)}
	for _, tc := range []struct {
		at   time.Time
		want ballot.BallotStatus
	}{
		{opens.Add(-time.Second), ballot.BallotScheduled},
		{opens, ballot.BallotOpen},
		{b.ClosesAt.Add(-time.Nanosecond), ballot.BallotOpen},
		{b.ClosesAt, ballot.BallotEnded},
	} {
		if got := b.State(tc.at); got != tc.want {
			t.Errorf("State(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
}

func TestBallot_Validate(t *testing.T) {
	opens := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ok := func() *ballot.Ballot {
		return &ballot.Ballot{ContractID: 1, Question: "Should it end?", Options: ballot.DefaultOptions(),
			OpensAt: opens, ClosesAt: opens.Add(time.Hour), QuorumBasisPoints: 2500}
	}
	labels := func(ls ...string) []ballot.BallotOption {
		out := make([]ballot.BallotOption, len(ls))
		for i, l := range ls {
			out[i] = ballot.BallotOption{Label: l}
		}
		return out
	}
	ten := labels("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
	for _, tc := range []struct {
		name   string
		spoil  func(*ballot.Ballot)
		fields []string
	}{
		{"OK", func(b *ballot.Ballot) {}, nil},
		{"NoQuestion", func(b *ballot.Ballot) { b.Question = " " }, []string{"question"}},
		{"Question500", func(b *ballot.Ballot) { b.Question = strings.Repeat("é", 500) }, nil},
		{"Question501", func(b *ballot.Ballot) { b.Question = strings.Repeat("é", 501) }, []string{"question"}},
		{"SameOptionTwice", func(b *ballot.Ballot) { b.Options = labels("Yes", "Yes") }, []string{"options"}},
		{"OneOption", func(b *ballot.Ballot) { b.Options = labels("Yes") }, []string{"options"}},
		{"TenOptions", func(b *ballot.Ballot) { b.Options = ten }, nil},
		{"ElevenOptions", func(b *ballot.Ballot) { b.Options = append(labels("0"), ten...) }, []string{"options"}},
		{"BlankOption", func(b *ballot.Ballot) { b.Options = labels("Yes", "") }, []string{"options"}},
		{"Option100", func(b *ballot.Ballot) { b.Options = labels("Yes", strings.Repeat("é", 100)) }, nil},
		{"Option101", func(b *ballot.Ballot) { b.Options = labels("Yes", strings.Repeat("é", 101)) }, []string{"options"}},
		{"NoContract", func(b *ballot.Ballot) { b.ContractID = 0 }, []string{"contract"}},
		{"PetitionWithoutContract", func(b *ballot.Ballot) { b.ContractID, b.PetitionID = 0, 7 }, nil},
		{"NoOpening", func(b *ballot.Ballot) { b.OpensAt = time.Time{} }, []string{"opens_at"}},
		{"NoClosing", func(b *ballot.Ballot) { b.ClosesAt = time.Time{} }, []string{"closes_at"}},
		{"ClosesWhenItOpens", func(b *ballot.Ballot) { b.ClosesAt = b.OpensAt }, []string{"closes_at"}},
		{"ClosesANanosecondLater", func(b *ballot.Ballot) { b.ClosesAt = b.OpensAt.Add(time.Nanosecond) }, nil},
		{"Quorum0", func(b *ballot.Ballot) { b.QuorumBasisPoints = 0 }, nil},
		{"Quorum100", func(b *ballot.Ballot) { b.QuorumBasisPoints = 10000 }, nil},
		{"QuorumOver100", func(b *ballot.Ballot) { b.QuorumBasisPoints = 10001 }, []string{"quorum"}},
		{"QuorumNegative", func(b *ballot.Ballot) { b.QuorumBasisPoints = -1 }, []string{"quorum"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ok()
			tc.spoil(b)
			wantFields(t, b.Validate(), tc.fields...)
		})
	}
}

func TestDefaultOptions(t *testing.T) {
	got := ballot.DefaultOptions()
	if len(got) != 2 || got[0].Label != "Yes" || got[1].Label != "No" {
		t.Errorf("got %+v, want Yes then No", got)
	}
}

func TestBallot_AcceptsVotesAndResultsPublic(t *testing.T) {
	opens := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	closes := opens.Add(14 * 24 * time.Hour)
	for _, tc := range []struct {
		status  ballot.BallotStatus
		at      time.Time
		state   ballot.BallotStatus
		votes   bool
		results bool
	}{
		{ballot.BallotDraft, opens, ballot.BallotDraft, false, false},
		{ballot.BallotOpen, opens.Add(-time.Nanosecond), ballot.BallotScheduled, false, false},
		{ballot.BallotOpen, opens, ballot.BallotOpen, true, false},
		{ballot.BallotOpen, closes.Add(-time.Nanosecond), ballot.BallotOpen, true, false},
		{ballot.BallotOpen, closes, ballot.BallotEnded, false, false},
		{ballot.BallotClosed, opens, ballot.BallotClosed, false, true},
	} {
		b := &ballot.Ballot{Status: tc.status, OpensAt: opens, ClosesAt: closes}
		if got := b.State(tc.at); got != tc.state {
			t.Errorf("%s at %v: State = %s, want %s", tc.status, tc.at, got, tc.state)
		}
		if got := b.AcceptsVotes(tc.at); got != tc.votes {
			t.Errorf("%s at %v: AcceptsVotes = %v, want %v", tc.status, tc.at, got, tc.votes)
		}
		if got := b.ResultsPublic(); got != tc.results {
			t.Errorf("%s: ResultsPublic = %v, want %v", tc.status, got, tc.results)
		}
	}
}

func TestGenerateCodes(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	codes, hashes := ballot.GenerateCodes(key, 7, 500)
	if len(codes) != 500 || len(hashes) != 500 {
		t.Fatalf("got %d codes and %d hashes, want 500", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if got, err := ballot.ParseCode(ballot.GroupCode(c)); err != nil || got != c {
			t.Fatalf("code %q grouped does not parse back: %q, %v", c, got, err)
		}
		if seen[c] {
			t.Fatalf("code %q twice", c)
		}
		seen[c] = true
		if string(hashes[i]) != string(ballot.HashCode(key, 7, c)) {
			t.Fatalf("hash %d is not HashCode of its code", i)
		}
	}
	if string(ballot.HashCode(key, 8, codes[0])) == string(hashes[0]) {
		t.Error("a code hashes the same on another ballot")
	}
}

func TestRecallQuestion(t *testing.T) {
	c := &ballot.Contract{Provider: "CleanCo", Service: "waste collection"}
	got := ballot.RecallQuestion(c, time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))
	want := "Should the council end its contract with CleanCo for waste collection at the break point on 31 March 2027?"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
