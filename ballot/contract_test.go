package ballot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

func TestContract_Validate(t *testing.T) {
	starts := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	ok := func() *ballot.Contract {
		c := recallContract(ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1000, SigningDays: 42})
		c.BreakClauses = []time.Time{starts, starts.AddDate(2, 0, 0), starts.AddDate(5, 0, 0)}
		c.KPIs = []ballot.KPI{{Name: "Missed bins", Target: "≤ 50"}, {Name: "Recycling", Target: "≥ 50%", Actual: "55%", Rating: ballot.RatingGood}}
		return c
	}
	for _, tc := range []struct {
		name   string
		spoil  func(*ballot.Contract)
		fields []string
	}{
		{"OK", func(c *ballot.Contract) {}, nil},
		{"NoTitle", func(c *ballot.Contract) { c.Title = "" }, []string{"title"}},
		{"Title201", func(c *ballot.Contract) { c.Title = strings.Repeat("é", 201) }, []string{"title"}},
		{"NoService", func(c *ballot.Contract) { c.Service = " " }, []string{"service"}},
		{"NoProvider", func(c *ballot.Contract) { c.Provider = "" }, []string{"provider"}},
		{"Description10000", func(c *ballot.Contract) { c.Description = strings.Repeat("é", 10000) }, nil},
		{"Description10001", func(c *ballot.Contract) { c.Description = strings.Repeat("é", 10001) }, []string{"description"}},
		{"ValueZero", func(c *ballot.Contract) { c.ValuePence = 0 }, nil},
		{"ValueNegative", func(c *ballot.Contract) { c.ValuePence = -1 }, []string{"value"}},
		{"NoStart", func(c *ballot.Contract) { c.StartsOn = time.Time{}; c.BreakClauses = nil }, []string{"starts_on"}},
		{"NoEnd", func(c *ballot.Contract) { c.EndsOn = time.Time{}; c.BreakClauses = nil }, []string{"ends_on"}},
		{"EndsWhenItStarts", func(c *ballot.Contract) { c.EndsOn = c.StartsOn; c.BreakClauses = nil }, []string{"ends_on"}},
		{"EndsBeforeStart", func(c *ballot.Contract) { c.EndsOn = c.StartsOn.AddDate(0, 0, -1); c.BreakClauses = nil }, []string{"ends_on"}},
		{"EndsADayAfter", func(c *ballot.Contract) { c.EndsOn = c.StartsOn.AddDate(0, 0, 1); c.BreakClauses = nil }, nil},
		{"BreakBeforeStart", func(c *ballot.Contract) { c.BreakClauses = []time.Time{starts.AddDate(0, 0, -1)} }, []string{"break_clauses"}},
		{"BreakAfterEnd", func(c *ballot.Contract) { c.BreakClauses = []time.Time{c.EndsOn.AddDate(0, 0, 1)} }, []string{"break_clauses"}},
		{"KPINoName", func(c *ballot.Contract) { c.KPIs[0].Name = " " }, []string{"kpis"}},
		{"KPINoTarget", func(c *ballot.Contract) { c.KPIs[1].Target = "" }, []string{"kpis"}},
		{"KPIBadRating", func(c *ballot.Contract) { c.KPIs[1].Rating = "excellent" }, []string{"kpis"}},
		{"BadRule", func(c *ballot.Contract) { c.Recall.Kind = "" }, []string{"recall_kind"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok()
			tc.spoil(c)
			wantFields(t, c.Validate(), tc.fields...)
		})
	}
}

func TestRating(t *testing.T) {
	for _, tc := range []struct {
		r     ballot.Rating
		label string
		valid bool
	}{
		{ballot.RatingGood, "Good", true},
		{ballot.RatingApproachingTarget, "Approaching target", true},
		{ballot.RatingRequiresImprovement, "Requires improvement", true},
		{ballot.RatingInadequate, "Inadequate", true},
		{"excellent", "excellent", false},
		{"", "", false},
	} {
		if got := tc.r.Label(); got != tc.label {
			t.Errorf("%q.Label() = %q, want %q", tc.r, got, tc.label)
		}
		if got := tc.r.Valid(); got != tc.valid {
			t.Errorf("%q.Valid() = %v, want %v", tc.r, got, tc.valid)
		}
	}
}
