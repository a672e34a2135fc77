package web

import (
	"net/url"

	"github.com/oursay/oursay/consult"
)

// The at-risk test and exemption fields, which the consultation form and
// the contract review form share (templates/partials/atrisk.html), as the
// domain shares the rule (consult/atrisk.go).

// atRiskFieldOrder is the fields' order in the error summary.
var atRiskFieldOrder = []string{"at_risk_contact", "rights_threat", "exemption", "exemption_reason",
	"exemption_value", "exemption_threshold", "exemption_body"}

// readAtRisk reads both limbs of the test and the exemption with the
// evidence its kind asks for.
func readAtRisk(f *formReader) (consult.AtRiskTest, consult.ExemptionClaim) {
	t := consult.AtRiskTest{
		Contact: f.yesNo("at_risk_contact", "Say whether the service involves significant contact with at-risk groups"),
		Rights:  f.yesNo("rights_threat", "Say whether the service threatens people's rights"),
	}
	e := consult.ExemptionClaim{Kind: consult.Exemption(f.text("exemption")), Reason: f.text("exemption_reason"),
		OtherBody: f.text("exemption_body")}
	if e.Kind == consult.ExemptionBelowThreshold {
		e.ValuePence = f.pounds("exemption_value", "Enter the contract's value in pounds, like 120,000")
		e.ThresholdPence = f.pounds("exemption_threshold", "Enter the value threshold in pounds, like 214,904")
	}
	// The form asks first whether an exemption is claimed, and shows the
	// rest only then; a form posted without that question (a script, an
	// older page) is read by its exemption alone.
	switch f.text("exemption_claimed") {
	case "no":
		e = consult.ExemptionClaim{}
	case "yes":
		if !e.Claimed() {
			f.note("exemption", "Choose which exemption is claimed")
		}
	default:
		if f.text("reveals") == "yes" {
			f.instead("exemption_claimed", "Say whether an exemption is claimed", "exemption")
		}
	}
	return t, e.Tidy()
}

// pounds reads an amount of money in pence, noting msg when the field
// holds something else. A blank field reads as 0.
func (f *formReader) pounds(k, msg string) int64 {
	s := f.text(k)
	if s == "" {
		return 0
	}
	p, err := parsePounds(s)
	if err != nil {
		f.note(k, msg)
	}
	return p
}

// setAtRisk fills the form's at-risk fields from saved answers.
func setAtRisk(v url.Values, t consult.AtRiskTest, e consult.ExemptionClaim) {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	v.Set("at_risk_contact", yes(t.Contact))
	v.Set("rights_threat", yes(t.Rights))
	v.Set("exemption_claimed", yes(e.Claimed()))
	v.Set("exemption", string(e.Kind))
	v.Set("exemption_reason", e.Reason)
	v.Set("exemption_body", e.OtherBody)
	if e.ValuePence > 0 {
		v.Set("exemption_value", inputPence(e.ValuePence))
	}
	if e.ThresholdPence > 0 {
		v.Set("exemption_threshold", inputPence(e.ThresholdPence))
	}
}

// atRiskJSON is the test and any exemption in the JSON API.
type atRiskJSON struct {
	Contact bool `json:"at_risk_contact"`
	Rights  bool `json:"rights_threat"`
	// Met is either limb; InHouseOnly is the rule's verdict.
	Met         bool                `json:"at_risk_test_met"`
	InHouseOnly bool                `json:"in_house_only"`
	Exemption   *exemptionClaimJSON `json:"exemption_claim"`
}

type exemptionClaimJSON struct {
	Kind           consult.Exemption `json:"kind"`
	Label          string            `json:"label"`
	Holds          bool              `json:"holds"`
	Reason         string            `json:"reason,omitempty"`
	ValuePence     int64             `json:"value_pence,omitempty"`
	ThresholdPence int64             `json:"threshold_pence,omitempty"`
	OtherBody      string            `json:"other_public_body,omitempty"`
}

func toAtRiskJSON(t consult.AtRiskTest, e consult.ExemptionClaim) atRiskJSON {
	out := atRiskJSON{Contact: t.Contact, Rights: t.Rights, Met: t.Met(), InHouseOnly: consult.InHouseOnly(t, e)}
	if e.Claimed() {
		out.Exemption = &exemptionClaimJSON{e.Kind, e.Kind.Label(), e.Holds(), e.Reason, e.ValuePence, e.ThresholdPence, e.OtherBody}
	}
	return out
}
