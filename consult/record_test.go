package consult_test

import (
	"testing"

	"github.com/oursay/oursay/consult"
)

func TestRecord_Validate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*consult.Record)
		want   []string
	}{
		{"OK", func(r *consult.Record) {}, nil},
		{"NoService", func(r *consult.Record) { r.Service = "  " }, []string{"service"}},
		{"UnknownProposal", func(r *consult.Record) { r.Proposal = "privatise" }, []string{"proposal"}},
		{"NoProposal", func(r *consult.Record) { r.Proposal = "" }, []string{"proposal"}},
		{"OutsourceNeedsPublicInterestCase", func(r *consult.Record) { r.PublicInterestCase = "" }, []string{"public_interest_case"}},
		{"SellAssetNeedsPublicInterestCase", func(r *consult.Record) {
			r.Proposal, r.PublicInterestCase = consult.ProposalSellAsset, " "
		}, []string{"public_interest_case"}},
		{"ChangeServiceNoPublicInterestCase", func(r *consult.Record) {
			r.Proposal, r.PublicInterestCase = consult.ProposalChangeService, ""
		}, nil},
		{"InHouseNoPublicInterestCase", func(r *consult.Record) {
			r.Proposal, r.PublicInterestCase = consult.ProposalInHouse, ""
		}, nil},
		{"NoInHouseReasonInsteadOfBid", func(r *consult.Record) {
			r.InHouseBid, r.NoInHouseReason = "", "The team was disbanded in 2019"
		}, nil},
		{"BothBidAndReason", func(r *consult.Record) { r.NoInHouseReason = "No team" }, []string{"in_house_bid"}},
		{"NeitherBidNorReason", func(r *consult.Record) { r.InHouseBid = "" }, []string{"in_house_bid"}},
		{"BlankBid", func(r *consult.Record) { r.InHouseBid = " " }, []string{"in_house_bid"}},
		{"BlankReason", func(r *consult.Record) { r.InHouseBid, r.NoInHouseReason = "", "\t" }, []string{"no_in_house_reason"}},
		{"SocialValue0", func(r *consult.Record) { r.SocialValueWeight = 0 }, nil},
		{"SocialValue100", func(r *consult.Record) { r.SocialValueWeight = 100 }, nil},
		{"SocialValueNegative", func(r *consult.Record) { r.SocialValueWeight = -1 }, []string{"social_value_weight"}},
		{"SocialValue101", func(r *consult.Record) { r.SocialValueWeight = 101 }, []string{"social_value_weight"}},
		{"AtRiskOutsourceNoExemption", func(r *consult.Record) { r.AtRiskGroups = true }, []string{"exemption"}},
		{"AtRiskSellAssetNoExemption", func(r *consult.Record) {
			r.AtRiskGroups, r.Proposal = true, consult.ProposalSellAsset
		}, []string{"exemption"}},
		{"AtRiskInHouseNoExemption", func(r *consult.Record) {
			r.AtRiskGroups, r.Proposal = true, consult.ProposalInHouse
		}, nil},
		{"AtRiskOutsourceWithExemption", func(r *consult.Record) {
			r.AtRiskGroups, r.Exemption, r.ExemptionReason = true, consult.ExemptionBelowThreshold, "Contract worth £40k"
		}, nil},
		{"ExemptionWithoutReason", func(r *consult.Record) {
			r.AtRiskGroups, r.Exemption = true, consult.ExemptionGoodReason
		}, []string{"exemption_reason"}},
		{"UnknownExemption", func(r *consult.Record) {
			r.AtRiskGroups, r.Exemption, r.ExemptionReason = true, "because", "We said so"
		}, []string{"exemption"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The record is validated as part of the consultation it belongs to.
			c := validDraft()
			tt.change(&c.Record)
			wantFields(t, c.Validate(), tt.want...)
		})
	}
}

func TestRecord_InHouseTestApplies(t *testing.T) {
	tests := []struct {
		name      string
		atRisk    bool
		exemption consult.Exemption
		want      bool
	}{
		{"AtRiskNoExemption", true, consult.ExemptionNone, true},
		{"AtRiskExempt", true, consult.ExemptionPublicPublic, false},
		{"NotAtRisk", false, consult.ExemptionNone, false},
		{"NotAtRiskExempt", false, consult.ExemptionNotRelevant, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := consult.Record{AtRiskGroups: tt.atRisk, Exemption: tt.exemption}
			if got := r.InHouseTestApplies(); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
