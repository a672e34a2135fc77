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
		{"AtRiskOutsourceNoExemption", func(r *consult.Record) { r.AtRisk.Contact = true }, []string{"exemption"}},
		{"RightsThreatOutsourceNoExemption", func(r *consult.Record) { r.AtRisk.Rights = true }, []string{"exemption"}},
		{"AtRiskSellAssetNoExemption", func(r *consult.Record) {
			r.AtRisk.Contact, r.Proposal = true, consult.ProposalSellAsset
		}, []string{"exemption"}},
		{"AtRiskInHouseNoExemption", func(r *consult.Record) {
			r.AtRisk, r.Proposal = consult.AtRiskTest{Contact: true, Rights: true}, consult.ProposalInHouse
		}, nil},
		{"AtRiskOutsourceWithExemption", func(r *consult.Record) {
			r.AtRisk.Contact = true
			r.Exemption = consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 40_000_00, ThresholdPence: 214_904_00}
		}, nil},
		{"ExemptionWithoutEvidence", func(r *consult.Record) {
			r.AtRisk.Contact, r.Exemption.Kind = true, consult.ExemptionGoodReason
		}, []string{"exemption_reason"}},
		{"BelowThresholdValueAbove", func(r *consult.Record) {
			r.AtRisk.Rights = true
			r.Exemption = consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 300_000_00, ThresholdPence: 214_904_00}
		}, []string{"exemption_value"}},
		{"UnknownExemption", func(r *consult.Record) {
			r.AtRisk.Contact, r.Exemption = true, consult.ExemptionClaim{Kind: "because", Reason: "We said so"}
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
