package consult

import (
	"strconv"
	"strings"
)

// The proposed statutory in-house rule, shared by consultations and by the
// contract reviews held at a contract's end points (ballot.Review): a
// service that involves significant contact with at-risk groups, or that
// threatens people's rights, comes back in house unless an exemption holds,
// and an exemption holds only with its evidence.

// AtRiskTest is the statutory test in its two limbs. It is met when either
// limb is answered yes.
type AtRiskTest struct {
	// Contact: the service involves significant contact with at-risk groups.
	Contact bool
	// Rights: the service threatens people's rights.
	Rights bool
}

// Met reports whether the test is met: either limb is yes.
func (t AtRiskTest) Met() bool { return t.Contact || t.Rights }

// ExemptionClaim is an exemption from the in-house rule with its evidence.
// Which evidence counts depends on the kind: not a relevant contract needs
// Reason (why not); below the value threshold needs ValuePence and
// ThresholdPence, the value below the threshold; public-public needs
// OtherBody (the other public body); good reason needs Reason (the
// statement the council publishes).
type ExemptionClaim struct {
	Kind           Exemption
	Reason         string
	ValuePence     int64
	ThresholdPence int64
	OtherBody      string
}

// Claimed reports whether any exemption is claimed.
func (e ExemptionClaim) Claimed() bool { return e.Kind != ExemptionNone }

// Tidy keeps only the evidence the claim's kind asks for, so a form that
// switched kinds leaves nothing stray behind.
func (e ExemptionClaim) Tidy() ExemptionClaim {
	out := ExemptionClaim{Kind: e.Kind}
	switch e.Kind {
	case ExemptionNotRelevant, ExemptionGoodReason:
		out.Reason = strings.TrimSpace(e.Reason)
	case ExemptionBelowThreshold:
		out.ValuePence, out.ThresholdPence = e.ValuePence, e.ThresholdPence
	case ExemptionPublicPublic:
		out.OtherBody = strings.TrimSpace(e.OtherBody)
	}
	return out
}

// Holds reports whether the exemption is claimed with the evidence its
// kind needs: a claim without its evidence, or a value that is not below
// the threshold, does not hold.
func (e ExemptionClaim) Holds() bool {
	ve := &ValidationError{}
	e.Validate(ve)
	return e.Claimed() && ve.Err() == nil
}

// Evidence is the claim's evidence as the public page says it.
func (e ExemptionClaim) Evidence() string {
	switch e.Kind {
	case ExemptionBelowThreshold:
		return "Value " + Pounds(e.ValuePence) + ", below the threshold of " + Pounds(e.ThresholdPence)
	case ExemptionPublicPublic:
		return "With " + e.OtherBody
	}
	return e.Reason
}

// Validate adds a message, naming the field, for an unknown kind or
// missing or contradictory evidence. The fields are exemption,
// exemption_reason, exemption_value, exemption_threshold and
// exemption_body on every form that asks for a claim.
func (e ExemptionClaim) Validate(ve *ValidationError) {
	switch e.Kind {
	case ExemptionNone:
	case ExemptionNotRelevant:
		ve.Text("exemption_reason", "Why this is not a relevant contract", e.Reason, "Explain why this is not a relevant contract", 10000)
	case ExemptionGoodReason:
		ve.Text("exemption_reason", "Statement of the good reason", e.Reason, "Enter the statement of the good reason, which will be published", 10000)
	case ExemptionPublicPublic:
		ve.Text("exemption_body", "Other public body", e.OtherBody, "Enter the name of the other public body", 200)
	case ExemptionBelowThreshold:
		switch {
		case e.ValuePence <= 0:
			ve.Add("exemption_value", "Enter the contract's value in pounds, like 120,000")
		case e.ThresholdPence <= 0:
			ve.Add("exemption_threshold", "Enter the value threshold in pounds, like 214,904")
		case e.ValuePence >= e.ThresholdPence:
			ve.Add("exemption_value", "The value, "+Pounds(e.ValuePence)+", is not below the threshold of "+Pounds(e.ThresholdPence)+": this exemption does not apply")
		}
	default:
		ve.Add("exemption", "Choose an exemption from the list")
	}
}

// InHouseOnly is the rule: when the test is met and no exemption holds,
// the only route allowed is to keep or bring the service in house.
func InHouseOnly(t AtRiskTest, e ExemptionClaim) bool {
	return t.Met() && !e.Holds()
}

// AllowedRoute is the decision gate's at-risk check, for consultations and
// reviews alike: it returns a *ValidationError on field when outsources is
// true and the rule keeps the service in house, and nil otherwise.
func AllowedRoute(t AtRiskTest, e ExemptionClaim, outsources bool, field string) error {
	if outsources && InHouseOnly(t, e) {
		ve := &ValidationError{}
		ve.Add(field, InHouseOnlyMessage)
		return ve
	}
	return nil
}

// InHouseOnlyMessage is what a form says when the rule forbids the route.
const InHouseOnlyMessage = "The service involves significant contact with at-risk groups or threatens people's rights, and no exemption holds, so the only route allowed is to bring it in house"

// Pounds writes pence as GOV.UK writes money: £1,250,000 or £99.50.
func Pounds(pence int64) string {
	neg := pence < 0
	if neg {
		pence = -pence
	}
	s := "£" + groupDigits64(pence/100)
	if p := pence % 100; p != 0 {
		s += "." + strconv.FormatInt(100+p, 10)[1:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func groupDigits64(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
