package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestBallotStore_Vote_Window drives the store's clock around the voting
// window of a ballot whose status is open: the status alone must not let a
// vote in before opens_at or from closes_at on.
func TestBallotStore_Vote_Window(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.open(5)
	if b.Status != ballot.BallotOpen {
		t.Fatalf("status %s, want open", b.Status)
	}
	defer func() { e.d.Now = func() time.Time { return time.Now().UTC() } }()
	for i, tc := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"a nanosecond before opens_at", b.OpensAt.Add(-time.Nanosecond), false},
		{"at closes_at", b.ClosesAt, false},
		{"a day after closes_at", b.ClosesAt.Add(24 * time.Hour), false},
		{"at opens_at", b.OpensAt, true},
		{"a nanosecond before closes_at", b.ClosesAt.Add(-time.Nanosecond), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.d.Now = func() time.Time { return tc.at }
			_, err := e.vote(b, codes[i], 0)
			switch {
			case tc.ok && err != nil:
				t.Errorf("got %v, want the vote accepted", err)
			case !tc.ok && !errors.Is(err, ballot.ErrNotOpen):
				t.Errorf("got %v, want ErrNotOpen", err)
			}
		})
	}
	// Two votes inside the window, none outside it; the status never moved.
	if n := e.count(`SELECT votes_cast FROM ballots WHERE id = ? AND status = 'open'`, b.ID); n != 2 {
		t.Errorf("votes_cast = %d, want 2", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM ballot_votes WHERE ballot_id = ?`, b.ID); n != 2 {
		t.Errorf("%d vote rows, want 2", n)
	}
}

// TestBallotStore_Vote_OtherBallotsOption sends a valid code for one open
// ballot with an option of another open ballot: the store must refuse it
// itself, not trust the web layer to send only this ballot's options.
func TestBallotStore_Vote_OtherBallotsOption(t *testing.T) {
	ctx := context.Background()
	e := newBallotEnv(t)
	a, codes := e.open(2)
	other, _ := e.openOther(1)
	code := ballot.HashCode(testKey, a.ID, codes[0])
	_, err := e.bs.Vote(ctx, a.ID, code, other.Options[0].ID)
	var ve *ballot.ValidationError
	if !errors.As(err, &ve) || ve.Fields["option"] == "" {
		t.Errorf("got %v, want a message for option", err)
	}
	if used, err := e.bs.CodeUsed(ctx, a.ID, code); used || err != nil {
		t.Errorf("CodeUsed = %v, %v; want false, nil: a refused vote used its code", used, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM ballot_votes`); n != 0 {
		t.Errorf("%d vote rows, want 0", n)
	}
	if n := e.count(`SELECT SUM(votes) FROM ballot_options`); n != 0 {
		t.Errorf("option counters sum to %d, want 0", n)
	}
	if n := e.count(`SELECT SUM(votes_cast) FROM ballots`); n != 0 {
		t.Errorf("votes_cast sums to %d, want 0", n)
	}
	// The same code still votes for its own ballot's option.
	if _, err := e.bs.Vote(ctx, a.ID, code, a.Options[1].ID); err != nil {
		t.Errorf("own option: %v", err)
	}
}

// TestBallotStore_Vote_KeyOrder casts 200 Yes votes, then 200 No votes, and
// reads the votes back in key order (which, for a WITHOUT ROWID table, is
// also the order of the rows in the file). If the key followed the time of
// casting (a UUIDv7, a time prefix, a counter), the first half in key order
// would be all, or nearly all, Yes. With random keys the number of Yes votes
// among the first 200 is hypergeometric (N=400, K=200, n=200): mean 100,
// sd ≈ 5. The test fails when it is 60 or fewer, or 140 or more; for
// random keys that happens with probability 1.2e-15 (exact sum of the two
// tails). A millisecond time prefix fails it unless more than about 60
// votes share each millisecond, far faster than one commit per vote.
func TestBallotStore_Vote_KeyOrder(t *testing.T) {
	const half = 200
	e := newBallotEnv(t)
	b, codes := e.open(2 * half)
	for i, code := range codes {
		option := 0
		if i >= half {
			option = 1
		}
		if _, err := e.vote(b, code, option); err != nil {
			t.Fatalf("vote %d: %v", i, err)
		}
	}
	for _, order := range []string{"ORDER BY token", ""} {
		rows, err := e.d.Reader().Query(`SELECT option_id FROM ballot_votes WHERE ballot_id = ? `+order, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			got = append(got, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if len(got) != 2*half {
			t.Fatalf("%d vote rows, want %d", len(got), 2*half)
		}
		yes := 0
		for _, id := range got[:half] {
			if id == b.Options[0].ID {
				yes++
			}
		}
		if yes <= half*3/10 || yes >= half*7/10 {
			t.Errorf("%q: %d of the first %d rows are the first %d votes cast (Yes); want about %d: the key follows the order of casting",
				order, yes, half, half, half/2)
		}
	}
}
