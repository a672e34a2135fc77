package ballot

import (
	"strings"
	"time"
)

// Contract is a council contract with an outside provider: the target of a
// recall petition. Money is in pence.
type Contract struct {
	ID          int64
	Title       string
	Service     string
	Provider    string
	Description string
	ValuePence  int64
	StartsOn    time.Time // a date, midnight UTC
	EndsOn      time.Time
	// BreakClauses are the dates at which the council may end the contract.
	BreakClauses []time.Time
	InHouseBid   bool // whether an in-house bid was made
	// NoInHouseBidReason is why there was no in-house bid; empty when there was one.
	NoInHouseBidReason string
	KPIs               []KPI

	// The register's fields (see contract_register.go); blank is "not recorded".
	Reference      string // the council's own contract reference
	Department     string
	SupplierScheme string // "GB-COH" for Companies House, or another scheme of Schemes
	SupplierID     string // the registration number in that scheme
	SME, VCSE      YesNo  // whether the supplier is a small or medium enterprise, or a voluntary, community or social enterprise
	Route          Route
	ReviewOn       time.Time // the contract's review date, zero if none
	// SocialValueBP is the social value weighting in the award, in
	// hundredths of a percent: 1000 is 10%.
	SocialValueBP          int
	SocialValueCommitments string
	FOIClause              YesNo // whether the contract subjects the provider to FOI
	// AtRiskContact and RightsThreat are the two limbs of the at-risk test:
	// significant contact with at-risk groups, and a threat to people's rights.
	AtRiskContact YesNo
	RightsThreat  YesNo
	// IrrecoverableVATPence is the VAT the council cannot recover, if recorded.
	IrrecoverableVATPence int64
	Recall                RecallRule
	CreatedAt             time.Time
	UpdatedAt             time.Time
	// TerminatedOn is the last day of a contract ended early, zero while
	// it runs to term; TerminationReason says why.
	TerminatedOn      time.Time
	TerminationReason string
}

// Rating is the Procurement Act 2023 performance rating of a KPI.
type Rating string

// Ratings, best first.
const (
	RatingGood                Rating = "good"
	RatingApproachingTarget   Rating = "approaching_target"
	RatingRequiresImprovement Rating = "requires_improvement"
	RatingInadequate          Rating = "inadequate"
	// RatingOther is for performance that cannot be described as any of
	// the four above, as contract performance notices allow.
	RatingOther Rating = "other"
)

// Ratings lists the ratings in form order.
var Ratings = []Rating{RatingGood, RatingApproachingTarget, RatingRequiresImprovement, RatingInadequate, RatingOther}

// Label is the rating as the Procurement Act words it.
func (r Rating) Label() string {
	switch r {
	case RatingGood:
		return "Good"
	case RatingApproachingTarget:
		return "Approaching target"
	case RatingRequiresImprovement:
		return "Requires improvement"
	case RatingInadequate:
		return "Inadequate"
	case RatingOther:
		return "Other"
	}
	return string(r)
}

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool {
	for _, x := range Ratings {
		if r == x {
			return true
		}
	}
	return false
}

// KPI is one key performance indicator's target and the value observed in
// one period. A KPI reported over several periods has one KPI per period
// with the same Name.
type KPI struct {
	ID     int64
	Name   string // e.g. "Missed bins per 100,000 collections"
	Target string // e.g. "≤ 50"
	Actual string // e.g. "72"; empty before the first report
	Period string // e.g. "2026-Q3"
	Rating Rating // empty before the first report
}

// Validate checks the contract as an officer enters it.
func (c *Contract) Validate() error {
	ve := &ValidationError{}
	ve.Text("title", "Title", c.Title, "Enter the contract's title", 200)
	ve.Text("service", "Service", c.Service, "Enter the service", 200)
	ve.Text("provider", "Provider", c.Provider, "Enter the provider's name", 200)
	ve.Max("description", "Description", c.Description, 10000)
	if c.ValuePence < 0 {
		ve.Add("value", "Value cannot be negative")
	}
	if c.StartsOn.IsZero() {
		ve.Add("starts_on", "Enter the start date")
	}
	if c.EndsOn.IsZero() {
		ve.Add("ends_on", "Enter the end date")
	} else if !c.StartsOn.IsZero() && !c.EndsOn.After(c.StartsOn) {
		ve.Add("ends_on", "End date must be after the start date")
	}
	for _, b := range c.BreakClauses {
		if b.Before(c.StartsOn) || b.After(c.EndsOn) {
			ve.Add("break_clauses", "Break clause dates must fall within the contract")
		}
	}
	for _, k := range c.KPIs {
		if strings.TrimSpace(k.Name) == "" || strings.TrimSpace(k.Target) == "" {
			ve.Add("kpis", "Every KPI needs a name and a target")
		}
		if k.Rating != "" && !k.Rating.Valid() {
			ve.Add("kpis", "Choose a rating from the list")
		}
	}
	c.Recall.validate(ve)
	c.validateRegister(ve)
	return ve.Err()
}

// NextBreak returns the first break clause on or after now, or zero.
func (c *Contract) NextBreak(now time.Time) time.Time {
	var next time.Time
	for _, b := range c.BreakClauses {
		if !b.Before(now) && (next.IsZero() || b.Before(next)) {
			next = b
		}
	}
	return next
}
