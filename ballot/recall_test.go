package ballot_test

import (
	"errors"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Expected thresholds are worked by hand: a share is ceil(count × bp / 10000).
func TestRecallRule_Threshold(t *testing.T) {
	share := func(bp int) ballot.RecallRule { return ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: bp} }
	cases := []struct {
		name  string
		rule  ballot.RecallRule
		count int
		want  int
	}{
		{"10% of 48,215 is 4,821.5: rounded up", share(1000), 48215, 4822},
		{"10% of 48,210 is exactly 4,821", share(1000), 48210, 4821},
		{"10% of 48,211 is 4,821.1: rounded up", share(1000), 48211, 4822},
		{"10% of 48,219 is 4,821.9", share(1000), 48219, 4822},
		{"12.5% of 1,001 is 125.125", share(1250), 1001, 126},
		{"0.01% of 10,000 is exactly 1", share(1), 10000, 1},
		{"0.01% of 10,001 is 1.0001", share(1), 10001, 2},
		{"0.01% of 50 is 0.005: at least 1", share(1), 50, 1},
		{"an empty register still needs 1", share(1000), 0, 1},
		{"100% of 7 is 7", share(10000), 7, 7},
		{"fixed ignores the register", ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 3500, ShareBasisPoints: 1000}, 48215, 3500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.Threshold(ballot.Electorate{Count: tc.count}); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
}

func TestRecallRule_Window(t *testing.T) {
	for _, tc := range []struct {
		days int
		want time.Duration
	}{
		{0, 42 * 24 * time.Hour},
		{-3, 42 * 24 * time.Hour},
		{1, 24 * time.Hour},
		{56, 1344 * time.Hour},
	} {
		if got := (ballot.RecallRule{SigningDays: tc.days}).Window(); got != tc.want {
			t.Errorf("SigningDays %d: got %v, want %v", tc.days, got, tc.want)
		}
	}
}

func TestRecallRule_Describe(t *testing.T) {
	for _, tc := range []struct {
		rule ballot.RecallRule
		want string
	}{
		{ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1000}, "10% of the electorate"},
		{ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1250}, "12.5% of the electorate"},
		{ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1}, "0.01% of the electorate"},
		{ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 3500, ShareBasisPoints: 1000}, "3500 signatures"},
	} {
		if got := tc.rule.Describe(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.rule, got, tc.want)
		}
	}
}

// recallContract is a valid contract whose recall rule a case replaces.
func recallContract(r ballot.RecallRule) *ballot.Contract {
	starts := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	return &ballot.Contract{Title: "Waste", Service: "Waste collection", Provider: "CleanCo",
		StartsOn: starts, EndsOn: starts.AddDate(5, 0, 0), NoInHouseBidReason: "No in-house team", Recall: r}
}

// TestRecallRule_Validate checks each bound of the rule through the
// contract that carries it: the field named, or none.
func TestRecallRule_Validate(t *testing.T) {
	share := func(bp, days int) ballot.RecallRule {
		return ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: bp, SigningDays: days}
	}
	cases := []struct {
		name  string
		rule  ballot.RecallRule
		field string // "" means valid
	}{
		{"share 10%", share(1000, 42), ""},
		{"share 0.01%", share(1, 42), ""},
		{"share 100%", share(10000, 42), ""},
		{"share 0", share(0, 42), "recall_share"},
		{"share over 100%", share(10001, 42), "recall_share"},
		{"fixed 1", ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 1}, ""},
		{"fixed 0", ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 0}, "recall_count"},
		{"no kind", ballot.RecallRule{ShareBasisPoints: 1000, FixedCount: 10}, "recall_kind"},
		{"window unset: the default", share(1000, 0), ""},
		{"window 366 days", share(1000, 366), ""},
		{"window 367 days", share(1000, 367), "signing_days"},
		{"window negative", share(1000, -1), "signing_days"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := recallContract(tc.rule).Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			var ve *ballot.ValidationError
			if !errors.As(err, &ve) || ve.Fields[tc.field] == "" || len(ve.Fields) != 1 {
				t.Fatalf("got %v, want a message for %s only", err, tc.field)
			}
		})
	}
}

func TestContract_NextBreak(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	c := &ballot.Contract{BreakClauses: []time.Time{day(2028, 3, 31), day(2026, 3, 31), day(2027, 3, 31)}}
	for _, tc := range []struct {
		now, want time.Time
	}{
		{day(2025, 1, 1), day(2026, 3, 31)},
		{day(2026, 3, 31), day(2026, 3, 31)},
		{day(2026, 3, 31).Add(time.Second), day(2027, 3, 31)},
		{day(2027, 6, 1), day(2028, 3, 31)},
		{day(2028, 3, 31), day(2028, 3, 31)},
		{day(2028, 4, 1), time.Time{}},
	} {
		if got := c.NextBreak(tc.now); !got.Equal(tc.want) {
			t.Errorf("NextBreak(%s) = %v, want %v", tc.now.Format(time.DateOnly), got, tc.want)
		}
	}
	if got := (&ballot.Contract{}).NextBreak(day(2026, 1, 1)); !got.IsZero() {
		t.Errorf("no break clauses: got %v, want zero", got)
	}
}

// TestRecallQuestion_AtNextBreak words the default question for a
// contract's next break point, written out in full.
func TestRecallQuestion_AtNextBreak(t *testing.T) {
	c := &ballot.Contract{Provider: "CleanCo Services Ltd", Service: "Waste and recycling",
		BreakClauses: []time.Time{time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), time.Date(2027, 9, 30, 0, 0, 0, 0, time.UTC)}}
	got := ballot.RecallQuestion(c, c.NextBreak(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)))
	want := "Should the council end its contract with CleanCo Services Ltd for Waste and recycling at the break point on 30 September 2027?"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = ballot.RecallQuestion(c, c.NextBreak(time.Date(2027, 10, 1, 0, 0, 0, 0, time.UTC)))
	want = "Should the council end its contract with CleanCo Services Ltd for Waste and recycling at the break point?"
	if got != want {
		t.Errorf("past the last break: got %q, want %q", got, want)
	}
}
