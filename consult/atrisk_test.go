package consult_test

import (
	"testing"

	"github.com/oursay/oursay/consult"
)

func TestAtRiskTest_Met(t *testing.T) {
	tests := []struct {
		name string
		test consult.AtRiskTest
		want bool
	}{
		{"Neither", consult.AtRiskTest{}, false},
		{"ContactOnly", consult.AtRiskTest{Contact: true}, true},
		{"RightsOnly", consult.AtRiskTest{Rights: true}, true},
		{"Both", consult.AtRiskTest{Contact: true, Rights: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.test.Met(); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExemptionClaim_Validate(t *testing.T) {
	tests := []struct {
		name  string
		claim consult.ExemptionClaim
		want  []string
	}{
		{"None", consult.ExemptionClaim{}, nil},
		{"NotRelevantWithWhy", consult.ExemptionClaim{Kind: consult.ExemptionNotRelevant, Reason: "A grant, not a contract for services"}, nil},
		{"NotRelevantNoWhy", consult.ExemptionClaim{Kind: consult.ExemptionNotRelevant, Reason: " "}, []string{"exemption_reason"}},
		{"BelowThresholdOK", consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 99_999, ThresholdPence: 100_000}, nil},
		{"BelowThresholdEqual", consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 100_000, ThresholdPence: 100_000}, []string{"exemption_value"}},
		{"BelowThresholdAbove", consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 100_001, ThresholdPence: 100_000}, []string{"exemption_value"}},
		{"BelowThresholdNoValue", consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ThresholdPence: 100_000}, []string{"exemption_value"}},
		{"BelowThresholdNoThreshold", consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 100}, []string{"exemption_threshold"}},
		{"PublicPublicOK", consult.ExemptionClaim{Kind: consult.ExemptionPublicPublic, OtherBody: "Northshire County Council"}, nil},
		{"PublicPublicNoBody", consult.ExemptionClaim{Kind: consult.ExemptionPublicPublic}, []string{"exemption_body"}},
		{"GoodReasonOK", consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "No in-house capacity exists"}, nil},
		{"GoodReasonNoStatement", consult.ExemptionClaim{Kind: consult.ExemptionGoodReason}, []string{"exemption_reason"}},
		{"Unknown", consult.ExemptionClaim{Kind: "because"}, []string{"exemption"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ve := &consult.ValidationError{}
			tt.claim.Validate(ve)
			wantFields(t, ve.Err(), tt.want...)
			if holds := tt.claim.Kind != "" && tt.want == nil; tt.claim.Holds() != holds {
				t.Fatalf("Holds: got %v, want %v", tt.claim.Holds(), holds)
			}
		})
	}
}

func TestExemptionClaim_Tidy(t *testing.T) {
	c := consult.ExemptionClaim{Kind: consult.ExemptionPublicPublic, Reason: "x", ValuePence: 1, ThresholdPence: 2, OtherBody: " Northshire "}
	if got, want := c.Tidy(), (consult.ExemptionClaim{Kind: consult.ExemptionPublicPublic, OtherBody: "Northshire"}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestInHouseOnly(t *testing.T) {
	good := consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "Stated"}
	tests := []struct {
		name  string
		test  consult.AtRiskTest
		claim consult.ExemptionClaim
		want  bool
	}{
		{"NotMet", consult.AtRiskTest{}, consult.ExemptionClaim{}, false},
		{"ContactNoExemption", consult.AtRiskTest{Contact: true}, consult.ExemptionClaim{}, true},
		{"RightsNoExemption", consult.AtRiskTest{Rights: true}, consult.ExemptionClaim{}, true},
		{"MetExemptionHolds", consult.AtRiskTest{Rights: true}, good, false},
		{"MetExemptionWithoutEvidence", consult.AtRiskTest{Contact: true}, consult.ExemptionClaim{Kind: consult.ExemptionGoodReason}, true},
		{"MetValueNotBelowThreshold", consult.AtRiskTest{Contact: true},
			consult.ExemptionClaim{Kind: consult.ExemptionBelowThreshold, ValuePence: 5, ThresholdPence: 5}, true},
		{"NotMetExempt", consult.AtRiskTest{}, good, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := consult.InHouseOnly(tt.test, tt.claim); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			r := consult.Record{AtRisk: tt.test, Exemption: tt.claim}
			if got := r.InHouseTestApplies(); got != tt.want {
				t.Fatalf("InHouseTestApplies: got %v, want %v", got, tt.want)
			}
			err := consult.AllowedRoute(tt.test, tt.claim, true, "route")
			if (err != nil) != tt.want {
				t.Fatalf("AllowedRoute outsourcing: got %v, want refused %v", err, tt.want)
			}
			if err := consult.AllowedRoute(tt.test, tt.claim, false, "route"); err != nil {
				t.Fatalf("AllowedRoute in house: got %v, want nil", err)
			}
		})
	}
}

func TestPounds(t *testing.T) {
	for in, want := range map[int64]string{0: "£0", 5: "£0.05", 214_904_00: "£214,904", 123_456_78: "£123,456.78"} {
		if got := consult.Pounds(in); got != want {
			t.Fatalf("Pounds(%d): got %q, want %q", in, got, want)
		}
	}
}
