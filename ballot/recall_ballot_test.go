package ballot_test

import (
	"errors"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// yesNo is a Yes/No ballot of 1,000 codes with a 25% quorum.
func yesNo() *ballot.Ballot {
	return &ballot.Ballot{Options: []ballot.BallotOption{{ID: 1, Label: "Yes"}, {ID: 2, Label: "No"}},
		CodesIssued: 1000, QuorumBasisPoints: 2500}
}

func TestOutcome(t *testing.T) {
	cases := []struct {
		name              string
		yes, no           int
		wantTurnout       int
		wantQuorum, wantR bool
	}{
		{"quorum missed though Yes wins", 200, 49, 2490, false, false},
		{"quorum exactly met, Yes wins", 200, 50, 2500, true, true},
		{"tie is not a majority", 150, 150, 3000, true, false},
		{"Yes wins by one", 151, 150, 3010, true, true},
		{"No wins", 100, 300, 4000, true, false},
		{"nobody voted", 0, 0, 0, false, false},
		{"everyone voted Yes", 1000, 0, 10000, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ballot.Outcome(yesNo(), map[int64]int{1: tc.yes, 2: tc.no})
			if r.VotesCast != tc.yes+tc.no || r.Turnout != tc.wantTurnout {
				t.Errorf("votes %d turnout %d, want %d and %d", r.VotesCast, r.Turnout, tc.yes+tc.no, tc.wantTurnout)
			}
			if r.QuorumMet != tc.wantQuorum || r.Recall != tc.wantR {
				t.Errorf("quorum met %v recall %v, want %v and %v", r.QuorumMet, r.Recall, tc.wantQuorum, tc.wantR)
			}
		})
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
	if err := ok().Validate(); err != nil {
		t.Fatalf("valid ballot: %v", err)
	}
	for field, spoil := range map[string]func(*ballot.Ballot){
		"question":  func(b *ballot.Ballot) { b.Question = " " },
		"options":   func(b *ballot.Ballot) { b.Options = []ballot.BallotOption{{Label: "Yes"}, {Label: "Yes"}} },
		"closes_at": func(b *ballot.Ballot) { b.ClosesAt = b.OpensAt },
		"quorum":    func(b *ballot.Ballot) { b.QuorumBasisPoints = 10001 },
	} {
		b := ok()
		spoil(b)
		var ve *ballot.ValidationError
		if err := b.Validate(); !errors.As(err, &ve) || ve.Fields[field] == "" {
			t.Errorf("%s: got %v, want a message for %s", field, err, field)
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
