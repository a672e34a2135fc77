package ballot

import (
	"regexp"
	"strings"
	"time"
)

// The register fields a council publishes about each contract under the
// Local Government Transparency Code 2015, and the answers the Our
// Services Our Say principles ask of it. Contracts entered before these
// fields existed have them blank ("not recorded"); what the form refuses is
// a contradiction.

// YesNo is an answer that may not have been recorded yet.
type YesNo string

// Answers.
const (
	NotRecorded YesNo = ""
	Yes         YesNo = "yes"
	No          YesNo = "no"
)

// Label is the answer as the page says it.
func (a YesNo) Label() string {
	switch a {
	case Yes:
		return "Yes"
	case No:
		return "No"
	}
	return "Not recorded"
}

// Valid reports whether a is one of the answers.
func (a YesNo) Valid() bool { return a == NotRecorded || a == Yes || a == No }

// Route is the procurement procedure the contract was let by.
type Route string

// Procurement routes: the Procurement Act 2023's procedures, a call-off,
// and the Public Contracts Regulations 2015 procedures that earlier
// contracts were let by.
const (
	RouteOpen                Route = "open"
	RouteCompetitiveFlexible Route = "competitive_flexible"
	RouteRestricted          Route = "restricted"
	RouteCompetitiveDialogue Route = "competitive_dialogue"
	RouteFramework           Route = "framework"
	RouteDirectAward         Route = "direct_award"
	RouteBelowThreshold      Route = "below_threshold"
)

// Routes lists the routes in form order.
var Routes = []Route{RouteOpen, RouteCompetitiveFlexible, RouteRestricted, RouteCompetitiveDialogue,
	RouteFramework, RouteDirectAward, RouteBelowThreshold}

// Label names the route.
func (r Route) Label() string {
	switch r {
	case RouteOpen:
		return "Open procedure"
	case RouteCompetitiveFlexible:
		return "Competitive flexible procedure"
	case RouteRestricted:
		return "Restricted procedure"
	case RouteCompetitiveDialogue:
		return "Competitive dialogue or competitive procedure with negotiation"
	case RouteFramework:
		return "Call-off from a framework or dynamic market"
	case RouteDirectAward:
		return "Direct award, without competition"
	case RouteBelowThreshold:
		return "Below-threshold quotation"
	case "":
		return "Not recorded"
	}
	return string(r)
}

// OCDSMethod is the route as OCDS's procurementMethod codelist has it.
func (r Route) OCDSMethod() string {
	switch r {
	case RouteOpen:
		return "open"
	case RouteCompetitiveFlexible, RouteRestricted, RouteCompetitiveDialogue, RouteFramework:
		return "selective"
	case RouteDirectAward:
		return "direct"
	case RouteBelowThreshold:
		return "limited"
	}
	return ""
}

// Valid reports whether r is blank or a known route.
func (r Route) Valid() bool {
	if r == "" {
		return true
	}
	for _, x := range Routes {
		if r == x {
			return true
		}
	}
	return false
}

// Supplier identifier schemes, as org-id.guide names them.
const (
	SchemeCompaniesHouse = "GB-COH"
	SchemeCharity        = "GB-CHC"
	SchemeMutuals        = "GB-MPR"
)

// Schemes lists the identifier schemes the form offers.
var Schemes = []string{SchemeCompaniesHouse, SchemeCharity, SchemeMutuals}

// SchemeLabel names an identifier scheme.
func SchemeLabel(s string) string {
	switch s {
	case SchemeCompaniesHouse:
		return "Companies House"
	case SchemeCharity:
		return "Charity Commission for England and Wales"
	case SchemeMutuals:
		return "Mutuals Public Register (FCA)"
	}
	return s
}

// companyNumber is a Companies House number: 8 digits, or two letters
// (SC, NI, OC…) and 6 digits.
var companyNumber = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6})$`)

// LargeContractPence is the value above which a contract should have at
// least MinKPIs KPIs (the Procurement Act 2023, s. 52: contracts over £5m).
const LargeContractPence = 5_000_000_00

// MinKPIs is the fewest KPIs a contract over LargeContractPence should have.
const MinKPIs = 3

// KPICount is how many different KPIs the contract has (a KPI reported
// over several periods counts once).
func (c *Contract) KPICount() int {
	names := map[string]bool{}
	for _, k := range c.KPIs {
		names[strings.ToLower(strings.TrimSpace(k.Name))] = true
	}
	return len(names)
}

// TooFewKPIs reports whether a contract over £5m has fewer than 3 KPIs.
func (c *Contract) TooFewKPIs() bool {
	return c.ValuePence > LargeContractPence && c.KPICount() < MinKPIs
}

// normaliseRegister tidies the register fields as typed: a company number
// in capitals without spaces.
func (c *Contract) normaliseRegister() {
	c.SupplierID = strings.ToUpper(strings.Join(strings.Fields(c.SupplierID), ""))
}

// validateRegister checks the register fields: each answer known, and no
// contradiction between them.
func (c *Contract) validateRegister(ve *ValidationError) {
	c.normaliseRegister()
	ve.Max("reference", "Reference", c.Reference, 100)
	oneLineField(ve, "reference", "Reference", c.Reference)
	ve.Max("department", "Department", c.Department, 200)
	switch {
	case c.SupplierScheme == "" && c.SupplierID != "":
		ve.Add("supplier_scheme", "Choose where the supplier is registered, or leave the registration number empty")
	case c.SupplierScheme != "" && c.SupplierID == "":
		ve.Add("supplier_id", "Enter the supplier's "+SchemeLabel(c.SupplierScheme)+" number")
	case c.SupplierScheme == SchemeCompaniesHouse && !companyNumber.MatchString(c.SupplierID):
		ve.Add("supplier_id", "Enter the Companies House number as 8 characters, like 01234567 or SC123456")
	case c.SupplierScheme != "" && c.SupplierScheme != SchemeCompaniesHouse && c.SupplierScheme != SchemeCharity && c.SupplierScheme != SchemeMutuals:
		ve.Add("supplier_scheme", "Choose where the supplier is registered from the list")
	}
	ve.Max("supplier_id", "Registration number", c.SupplierID, 40)
	for _, a := range []struct {
		field string
		v     YesNo
	}{{"sme", c.SME}, {"vcse", c.VCSE}, {"foi_clause", c.FOIClause}, {"at_risk", c.AtRiskContact}, {"rights_threat", c.RightsThreat}} {
		if !a.v.Valid() {
			ve.Add(a.field, "Choose yes or no")
		}
	}
	if !c.Route.Valid() {
		ve.Add("route", "Choose the procurement route from the list")
	}
	if !c.ReviewOn.IsZero() && !c.StartsOn.IsZero() && !c.EndsOn.IsZero() {
		switch {
		case c.ReviewOn.After(c.EndsOn):
			ve.Add("review_on", "The review date must be on or before the end date, "+c.EndsOn.Format("2 January 2006"))
		case c.ReviewOn.Before(c.StartsOn):
			ve.Add("review_on", "The review date must be on or after the start date, "+c.StartsOn.Format("2 January 2006"))
		}
	}
	c.validateTermination(ve)
	if c.SocialValueBP < 0 || c.SocialValueBP > 10000 {
		ve.Add("social_value_weighting", "Enter the social value weighting as a percentage from 0 to 100")
	} else if c.SocialValueBP > 0 && strings.TrimSpace(c.SocialValueCommitments) == "" {
		ve.Add("social_value_commitments", "Enter the provider's social value commitments, since social value was weighted in the award")
	}
	ve.Max("social_value_commitments", "Social value commitments", c.SocialValueCommitments, 5000)
	if c.IrrecoverableVATPence < 0 {
		ve.Add("irrecoverable_vat", "Irrecoverable VAT cannot be negative")
	}
	reason := strings.TrimSpace(c.NoInHouseBidReason)
	switch {
	case !c.InHouseBid && reason == "":
		ve.Add("no_in_house_reason", "Give the reason there was no in-house bid")
	case c.InHouseBid && reason != "":
		ve.Add("no_in_house_reason", "Leave the reason empty: an in-house bid was made")
	}
	ve.Max("no_in_house_reason", "Reason there was no in-house bid", c.NoInHouseBidReason, 5000)
}

func oneLineField(ve *ValidationError, field, label, s string) {
	if strings.ContainsAny(s, "\r\n") {
		ve.Add(field, label+" must be on one line")
	}
}

// validateTermination checks a contract ended early: the date within the
// contract, and a reason; with no date, no reason.
func (c *Contract) validateTermination(ve *ValidationError) {
	if c.TerminatedOn.IsZero() {
		if strings.TrimSpace(c.TerminationReason) != "" {
			ve.Add("terminated_on", "Enter the date the contract was terminated, or leave the reason blank")
		}
		return
	}
	if !c.StartsOn.IsZero() && !c.EndsOn.IsZero() && (c.TerminatedOn.Before(c.StartsOn) || c.TerminatedOn.After(c.EndsOn)) {
		ve.Add("terminated_on", "The termination date must be between the start date, "+c.StartsOn.Format("2 January 2006")+
			", and the end date, "+c.EndsOn.Format("2 January 2006"))
	}
	ve.Text("termination_reason", "Reason for the termination", c.TerminationReason, "Enter why the contract was terminated", 5000)
}

// Terminated reports whether the contract has been ended early, as of now
// or from a date to come.
func (c *Contract) Terminated() bool { return !c.TerminatedOn.IsZero() }

// LastDay is the contract's last day: its termination date if it was
// ended early, else its end date.
func (c *Contract) LastDay() time.Time {
	if c.Terminated() {
		return c.TerminatedOn
	}
	return c.EndsOn
}
