package ballot_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

func TestContractReview_StartConsultation(t *testing.T) {
	c := &ballot.Contract{ID: 7, Service: "Home care", Provider: "CareWell CIC", SocialValueBP: 2000}
	r := validReview()
	r.ID, r.ContractID, r.Status = 3, 7, ballot.ReviewPublished
	r.AtRisk = consult.AtRiskTest{Contact: true}
	r.Exemption = consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "No in-house night service"}
	got, err := r.StartConsultation(c)
	if err != nil {
		t.Fatal(err)
	}
	rec := got.Record
	if got.ContractID != 7 || got.Status != consult.StatusDraft || rec.Service != "Home care" ||
		rec.Proposal != consult.ProposalOutsource || rec.PublicInterestCase != r.PublicInterestCase ||
		rec.AtRisk != r.AtRisk || rec.Exemption != r.Exemption || rec.SocialValueWeight != 20 ||
		!strings.Contains(rec.InHouseBid, "£1,200,000") || !strings.Contains(got.Title, "re-let") {
		t.Fatalf("got %+v", got)
	}
	if err := got.Validate(); err != nil {
		t.Fatalf("the prefilled consultation is not valid: %v", err)
	}
	for name, change := range map[string]func(*ballot.ContractReview){
		"Draft":   func(r *ballot.ContractReview) { r.Status = ballot.ReviewDraft },
		"InHouse": func(r *ballot.ContractReview) { r.Route = ballot.RouteInHouse },
		"Lapse":   func(r *ballot.ContractReview) { r.Route = ballot.RouteLapse },
	} {
		t.Run(name, func(t *testing.T) {
			r := *r
			change(&r)
			if _, err := r.StartConsultation(c); !errors.Is(err, ballot.ErrBadTransition) {
				t.Fatalf("got %v, want ErrBadTransition", err)
			}
		})
	}
}
