package ballot_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

func TestPipeline(t *testing.T) {
	now := day("2026-06-01")
	soon := &ballot.Contract{ID: 1, Title: "Waste", StartsOn: day("2020-01-01"), EndsOn: day("2027-03-31")}
	later := &ballot.Contract{ID: 2, Title: "Leisure", StartsOn: day("2020-01-01"), EndsOn: day("2030-01-01"),
		BreakClauses: []time.Time{day("2026-05-01"), day("2026-09-30")}}
	far := &ballot.Contract{ID: 3, Title: "Lighting", StartsOn: day("2020-01-01"), EndsOn: day("2028-01-01")}
	ended := &ballot.Contract{ID: 4, Title: "Old", StartsOn: day("2020-01-01"), EndsOn: day("2026-01-01")}
	terminated := &ballot.Contract{ID: 5, Title: "Care", StartsOn: day("2020-01-01"), EndsOn: day("2031-01-01")}
	reviews := []*ballot.ContractReview{
		{ID: 10, ContractID: 1, Point: ballot.EndPoint{Kind: ballot.PointEnd, On: day("2027-03-31")}, Status: ballot.ReviewDraft},
		{ID: 11, ContractID: 2, Point: ballot.EndPoint{Kind: ballot.PointBreak, On: day("2026-05-01")}, Status: ballot.ReviewPublished},
		{ID: 12, ContractID: 5, Point: ballot.EndPoint{Kind: ballot.PointTermination, On: day("2026-07-15")}, Status: ballot.ReviewDraft},
	}
	got := ballot.Pipeline([]*ballot.Contract{soon, later, far, ended, terminated}, reviews, now, 18)
	want := []struct {
		id     int64
		on     string
		status ballot.ReviewStatus
	}{{5, "2026-07-15", ballot.ReviewDraft}, {2, "2026-09-30", ""}, {1, "2027-03-31", ballot.ReviewDraft}}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Contract.ID != w.id || got[i].Point.On.Format("2006-01-02") != w.on || got[i].ReviewStatus() != w.status {
			t.Fatalf("entry %d: got contract %d at %s (%q), want %d at %s (%q)", i, got[i].Contract.ID,
				got[i].Point.On.Format("2006-01-02"), got[i].ReviewStatus(), w.id, w.on, w.status)
		}
	}
}
