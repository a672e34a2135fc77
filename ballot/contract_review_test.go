package ballot_test

import (
	"errors"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func validReview() *ballot.ContractReview {
	return &ballot.ContractReview{
		ContractID: 1, Point: ballot.EndPoint{Kind: ballot.PointEnd, On: day("2027-06-30")}, Status: ballot.ReviewDraft,
		PublicInterestCase: "Care at home for 400 people a week",
		InHouse: ballot.Appraisal{CostPence: 1_200_000_00, Quality: "As now", Workforce: "TUPE of 80 carers",
			Risk: "Recruiting managers"},
		Route: ballot.RouteReLet,
	}
}

func reviewFields(t *testing.T, err error) map[string]string {
	t.Helper()
	var ve *ballot.ValidationError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *ValidationError", err)
	}
	return ve.Fields
}

func TestContractReview_Validate(t *testing.T) {
	good := consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "No one in house can run a night service"}
	tests := []struct {
		name   string
		change func(*ballot.ContractReview)
		want   []string
	}{
		{"OK", func(r *ballot.ContractReview) {}, nil},
		{"NoPoint", func(r *ballot.ContractReview) { r.Point = ballot.EndPoint{} }, []string{"point", "point_on"}},
		{"NoPublicInterestCase", func(r *ballot.ContractReview) { r.PublicInterestCase = " " }, []string{"public_interest_case"}},
		{"NoCost", func(r *ballot.ContractReview) { r.InHouse.CostPence = 0 }, []string{"in_house_cost"}},
		{"NoAppraisalText", func(r *ballot.ContractReview) { r.InHouse.Quality, r.InHouse.Workforce, r.InHouse.Risk = "", "", "" },
			[]string{"in_house_quality", "in_house_workforce", "in_house_risk"}},
		{"NoRoute", func(r *ballot.ContractReview) { r.Route = "" }, []string{"route"}},
		{"UnknownRoute", func(r *ballot.ContractReview) { r.Route = "sell" }, []string{"route"}},
		{"AtRiskReLetNoExemption", func(r *ballot.ContractReview) { r.AtRisk.Contact = true }, []string{"route"}},
		{"RightsThreatExtendNoExemption", func(r *ballot.ContractReview) { r.AtRisk.Rights, r.Route = true, ballot.RouteExtend }, []string{"route"}},
		{"AtRiskLapseNoExemption", func(r *ballot.ContractReview) { r.AtRisk.Contact, r.Route = true, ballot.RouteLapse }, []string{"route"}},
		{"AtRiskInHouse", func(r *ballot.ContractReview) { r.AtRisk.Contact, r.Route = true, ballot.RouteInHouse }, nil},
		{"AtRiskReLetExempt", func(r *ballot.ContractReview) { r.AtRisk.Contact, r.Exemption = true, good }, nil},
		{"AtRiskReLetBelowThresholdAbove", func(r *ballot.ContractReview) {
			r.AtRisk.Contact = true
			r.Exemption = consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 300_000_00, ThresholdPence: 214_904_00}
		}, []string{"exemption_value", "route"}},
		{"InHouseWithExemption", func(r *ballot.ContractReview) { r.Route, r.Exemption = ballot.RouteInHouse, good }, []string{"exemption"}},
		{"NotAtRiskReLet", func(r *ballot.ContractReview) {}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validReview()
			tt.change(r)
			got := reviewFields(t, r.Validate())
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want fields %v", got, tt.want)
			}
			for _, f := range tt.want {
				if _, ok := got[f]; !ok {
					t.Fatalf("got %v, want fields %v", got, tt.want)
				}
			}
		})
	}
}

func TestContractReview_CanPublish(t *testing.T) {
	r := validReview()
	if err := r.CanPublish(); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	r.Status = ballot.ReviewPublished
	if err := r.CanPublish(); !errors.Is(err, ballot.ErrBadTransition) {
		t.Fatalf("got %v, want ErrBadTransition", err)
	}
	r = &ballot.ContractReview{Status: ballot.ReviewDraft, Point: validReview().Point}
	if err := r.CanPublish(); reviewFields(t, err)["route"] == "" {
		t.Fatalf("empty draft: got %v, want the route asked for", err)
	}
}

func TestContract_EndPoints(t *testing.T) {
	c := &ballot.Contract{StartsOn: day("2024-01-01"), EndsOn: day("2028-12-31"), ReviewOn: day("2027-03-31"),
		BreakClauses: []time.Time{day("2025-12-31"), day("2026-12-31")}}
	now := day("2026-06-01").Add(15 * time.Hour)
	got := c.EndPoints(now)
	want := []ballot.EndPoint{{ballot.PointBreak, day("2026-12-31")}, {ballot.PointReviewDate, day("2027-03-31")}, {ballot.PointEnd, day("2028-12-31")}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if p, ok := c.NextEndPoint(now, 18); !ok || p != want[0] {
		t.Fatalf("NextEndPoint: got %v %v, want %v", p, ok, want[0])
	}
	if p, ok := c.NextEndPoint(now, 6); ok {
		t.Fatalf("NextEndPoint within 6 months: got %v, want none", p)
	}
	if due := c.DueEndPoints(now, 9); len(due) != 1 || due[0] != want[0] {
		t.Fatalf("DueEndPoints 9 months: got %v, want %v", due, want[:1])
	}
	if due := c.DueEndPoints(now, 10); len(due) != 2 {
		t.Fatalf("DueEndPoints 10 months: got %v, want 2", due)
	}
	// A terminated contract keeps only the end points up to its last day.
	ended := *c
	ended.TerminatedOn, ended.TerminationReason = day("2027-01-31"), "Missed targets"
	if got := ended.EndPoints(now); len(got) != 1 || got[0] != want[0] {
		t.Fatalf("terminated: got %v, want only %v", got, want[:1])
	}
	// An end point exactly the lead time away is due.
	if due := c.DueEndPoints(day("2026-03-31"), 9); len(due) != 1 || due[0] != want[0] {
		t.Fatalf("DueEndPoints at the boundary: got %v, want %v", due, want[:1])
	}
	// An end point today is still ahead.
	if p, ok := c.NextEndPoint(day("2026-12-31").Add(23*time.Hour), 18); !ok || p != want[0] {
		t.Fatalf("on the day: got %v %v, want %v", p, ok, want[0])
	}
}

func TestContractReview_ChallengeWindowEnds(t *testing.T) {
	r := validReview()
	published := time.Date(2026, 7, 1, 14, 0, 0, 0, time.UTC)
	if got := r.ChallengeWindowEnds(published, 28); !got.IsZero() {
		t.Fatalf("no exemption: got %v, want zero", got)
	}
	r.Exemption = consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "x"}
	// 28 days after 1 July, to the end of 29 July in London (BST).
	want := time.Date(2026, 7, 29, 23, 0, 0, 0, time.UTC)
	if got := r.ChallengeWindowEnds(published, 28); !got.Equal(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	r.Status, r.ChallengeEnds = ballot.ReviewPublished, want
	if !r.ChallengeOpen(want.Add(-time.Second)) || r.ChallengeOpen(want) {
		t.Fatal("ChallengeOpen: want open until the end of the last day only")
	}
}
