package consult

// Proposal is what the council proposes for the service (seed principle 5).
type Proposal string

// Proposals.
const (
	ProposalOutsource     Proposal = "outsource"
	ProposalSellAsset     Proposal = "sell_asset"
	ProposalChangeService Proposal = "change_service"
	ProposalInHouse       Proposal = "in_house"
)

// Proposals lists every proposal in the order forms show them.
var Proposals = []Proposal{ProposalOutsource, ProposalSellAsset, ProposalChangeService, ProposalInHouse}

// Valid reports whether p is a known proposal.
func (p Proposal) Valid() bool {
	for _, q := range Proposals {
		if p == q {
			return true
		}
	}
	return false
}

// Outsources reports whether p moves a service or asset out of public hands,
// which is when the public interest case must be made (principle 7).
func (p Proposal) Outsources() bool {
	return p == ProposalOutsource || p == ProposalSellAsset
}

// Label is the plain-English name shown on pages.
func (p Proposal) Label() string {
	switch p {
	case ProposalOutsource:
		return "Outsource the service"
	case ProposalSellAsset:
		return "Sell a public asset"
	case ProposalChangeService:
		return "Change the service"
	case ProposalInHouse:
		return "Bring the service in house"
	}
	return string(p)
}

// Exemption is the ground claimed when a service that passes the
// at-risk-groups test is nonetheless proposed for outsourcing.
type Exemption string

// Exemptions from the statutory in-house test.
const (
	ExemptionNone           Exemption = ""
	ExemptionNotRelevant    Exemption = "not_relevant_contract"
	ExemptionBelowThreshold Exemption = "below_threshold"
	ExemptionPublicPublic   Exemption = "public_public"
	ExemptionGoodReason     Exemption = "good_reason"
)

// Exemptions lists the grounds a council may claim, in form order.
var Exemptions = []Exemption{ExemptionNotRelevant, ExemptionBelowThreshold, ExemptionPublicPublic, ExemptionGoodReason}

// Label is the plain-English name shown on pages.
func (e Exemption) Label() string {
	switch e {
	case ExemptionNone:
		return "None claimed"
	case ExemptionNotRelevant:
		return "Not a relevant contract"
	case ExemptionBelowThreshold:
		return "Value below the threshold"
	case ExemptionPublicPublic:
		return "A public-public contract"
	case ExemptionGoodReason:
		return "Good reason shown"
	}
	return string(e)
}

// Record is the outsourcing record shown on the public page of a consultation
// (principles 5, 7, 8 and 9, and the proposed statutory in-house test).
type Record struct {
	Service            string
	Proposal           Proposal
	PublicInterestCase string
	// InHouseBid describes the in-house bid; NoInHouseReason says why there
	// is none. Exactly one is given (principle 8).
	InHouseBid      string
	NoInHouseReason string
	// SocialValueWeight is the share, in percent, that social value carries
	// in the evaluation (principle 9).
	SocialValueWeight int
	// AtRisk is the statutory test in its two limbs (atrisk.go), and
	// Exemption any exemption claimed from it, with its evidence.
	AtRisk    AtRiskTest
	Exemption ExemptionClaim
}

// InHouseTestApplies reports whether the statutory test says the service
// should come back in house: the test is met and no exemption holds.
func (r Record) InHouseTestApplies() bool {
	return InHouseOnly(r.AtRisk, r.Exemption)
}

func (r Record) validate(ve *ValidationError) {
	ve.Text("service", "Service", r.Service, "Enter the service", 200)
	if !r.Proposal.Valid() {
		ve.Add("proposal", "Choose what is proposed")
	}
	if r.Proposal.Outsources() {
		ve.Text("public_interest_case", "Public interest case", r.PublicInterestCase, "Enter the public interest case for the proposal", MaxRecordText)
	} else {
		ve.Max("public_interest_case", "Public interest case", r.PublicInterestCase, MaxRecordText)
	}
	hasBid, hasReason := r.InHouseBid != "", r.NoInHouseReason != ""
	switch {
	case hasBid && hasReason:
		ve.Add("in_house_bid", "Give either the in-house bid or the reason there is none, not both")
	case !hasBid && !hasReason:
		ve.Add("in_house_bid", "Describe the in-house bid, or give the reason there is none")
	case hasBid:
		ve.Text("in_house_bid", "In-house bid", r.InHouseBid, "Describe the in-house bid", MaxRecordText)
	default:
		ve.Text("no_in_house_reason", "Reason there is no in-house bid", r.NoInHouseReason, "Give the reason there is no in-house bid", MaxRecordText)
	}
	if r.SocialValueWeight < 0 || r.SocialValueWeight > 100 {
		ve.Add("social_value_weight", "Social value weighting must be a whole number from 0 to 100")
	}
	r.validateExemption(ve)
}

func (r Record) validateExemption(ve *ValidationError) {
	r.Exemption.Validate(ve)
	if r.Proposal.Outsources() && r.AtRisk.Met() && !r.Exemption.Claimed() {
		ve.Add("exemption", "The service passes the at-risk test, so it stays in house unless an exemption is claimed")
	}
}
