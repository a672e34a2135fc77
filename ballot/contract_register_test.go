package ballot_test

import (
	"errors"
	"testing"

	"github.com/oursay/oursay/ballot"
)

func registerContract() *ballot.Contract {
	return &ballot.Contract{Title: "Waste", Service: "Waste collection", Provider: "CleanCo", ValuePence: 6_000_000_00,
		StartsOn: ymd(2025, 4, 1), EndsOn: ymd(2030, 3, 31), NoInHouseBidReason: "No in-house team",
		Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 10}}
}

// The register's fields may be left unrecorded, but never contradict each
// other; each contradiction is named on its field.
func TestContract_RegisterContradictions(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(c *ballot.Contract)
		field string // "" valid
	}{
		{"blank register fields", func(c *ballot.Contract) {}, ""},
		{"everything recorded", func(c *ballot.Contract) {
			c.Reference, c.Department, c.SupplierScheme, c.SupplierID = "W-1", "Environment", "GB-COH", "sc 123456"
			c.SME, c.VCSE, c.FOIClause, c.AtRiskContact, c.RightsThreat = ballot.Yes, ballot.No, ballot.Yes, ballot.Yes, ballot.No
			c.Route, c.ReviewOn, c.SocialValueBP, c.SocialValueCommitments = ballot.RouteOpen, ymd(2028, 1, 1), 1000, "Apprenticeships"
		}, ""},
		{"review date after the end", func(c *ballot.Contract) { c.ReviewOn = ymd(2030, 4, 1) }, "review_on"},
		{"review date on the end date", func(c *ballot.Contract) { c.ReviewOn = ymd(2030, 3, 31) }, ""},
		{"review date before the start", func(c *ballot.Contract) { c.ReviewOn = ymd(2025, 3, 31) }, "review_on"},
		{"no in-house bid, no reason", func(c *ballot.Contract) { c.NoInHouseBidReason = " " }, "no_in_house_reason"},
		{"in-house bid and a reason there was none", func(c *ballot.Contract) { c.InHouseBid = true }, "no_in_house_reason"},
		{"in-house bid, no reason", func(c *ballot.Contract) { c.InHouseBid, c.NoInHouseBidReason = true, "" }, ""},
		{"number with no scheme", func(c *ballot.Contract) { c.SupplierID = "01234567" }, "supplier_scheme"},
		{"scheme with no number", func(c *ballot.Contract) { c.SupplierScheme = "GB-COH" }, "supplier_id"},
		{"bad company number", func(c *ballot.Contract) { c.SupplierScheme, c.SupplierID = "GB-COH", "1234" }, "supplier_id"},
		{"charity number", func(c *ballot.Contract) { c.SupplierScheme, c.SupplierID = "GB-CHC", "1234567" }, ""},
		{"unknown scheme", func(c *ballot.Contract) { c.SupplierScheme, c.SupplierID = "XX-ABC", "1" }, "supplier_scheme"},
		{"social value weighted, no commitments", func(c *ballot.Contract) { c.SocialValueBP = 500 }, "social_value_commitments"},
		{"social value over 100%", func(c *ballot.Contract) { c.SocialValueBP = 10001 }, "social_value_weighting"},
		{"unknown answer", func(c *ballot.Contract) { c.AtRiskContact = "maybe" }, "at_risk"},
		{"unknown route", func(c *ballot.Contract) { c.Route = "auction" }, "route"},
		{"negative VAT", func(c *ballot.Contract) { c.IrrecoverableVATPence = -1 }, "irrecoverable_vat"},
		{"terminated with a reason", func(c *ballot.Contract) { c.TerminatedOn, c.TerminationReason = ymd(2027, 6, 30), "Missed targets" }, ""},
		{"terminated on its last day", func(c *ballot.Contract) { c.TerminatedOn, c.TerminationReason = ymd(2030, 3, 31), "Early notice" }, ""},
		{"terminated with no reason", func(c *ballot.Contract) { c.TerminatedOn = ymd(2027, 6, 30) }, "termination_reason"},
		{"terminated after the end", func(c *ballot.Contract) { c.TerminatedOn, c.TerminationReason = ymd(2030, 4, 1), "x" }, "terminated_on"},
		{"terminated before the start", func(c *ballot.Contract) { c.TerminatedOn, c.TerminationReason = ymd(2025, 3, 31), "x" }, "terminated_on"},
		{"a reason with no date", func(c *ballot.Contract) { c.TerminationReason = "Missed targets" }, "terminated_on"},
	}
	for _, tc := range cases {
		c := registerContract()
		tc.edit(c)
		err := c.Validate()
		var ve *ballot.ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v, want valid", tc.name, err)
		case tc.field != "" && (!errors.As(err, &ve) || ve.Fields[tc.field] == ""):
			t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
		}
	}
	c := registerContract()
	c.SupplierScheme, c.SupplierID = "GB-COH", " sc 123456 "
	if err := c.Validate(); err != nil || c.SupplierID != "SC123456" {
		t.Errorf("company number as typed: %q, %v; want SC123456", c.SupplierID, err)
	}
}

// A contract over £5m needs 3 different KPIs; periods of one KPI count once.
func TestContract_TooFewKPIs(t *testing.T) {
	c := registerContract()
	c.KPIs = []ballot.KPI{{Name: "Missed bins"}, {Name: "missed bins "}, {Name: "Recycling"}}
	if c.KPICount() != 2 || !c.TooFewKPIs() {
		t.Errorf("£6m, 2 KPIs: count %d, flagged %v; want 2, true", c.KPICount(), c.TooFewKPIs())
	}
	c.KPIs = append(c.KPIs, ballot.KPI{Name: "Complaints"})
	if c.TooFewKPIs() {
		t.Errorf("£6m with 3 KPIs flagged")
	}
	c.KPIs, c.ValuePence = nil, ballot.LargeContractPence
	if c.TooFewKPIs() {
		t.Errorf("exactly £5m flagged: the rule is over £5m")
	}
}
