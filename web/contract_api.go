package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
)

// contractJSON is the stable public JSON of a contract: money in pence as
// integers, days as YYYY-MM-DD, timestamps RFC 3339 UTC.
type contractJSON struct {
	ID              int64    `json:"id"`
	URL             string   `json:"url"`
	Title           string   `json:"title"`
	Service         string   `json:"service"`
	Provider        string   `json:"provider"`
	Description     string   `json:"description"`
	ValuePence      int64    `json:"value_pence"`
	Currency        string   `json:"currency"`
	StartsOn        string   `json:"starts_on"`
	EndsOn          string   `json:"ends_on"`
	Status          string   `json:"status"`
	BreakClauses    []string `json:"break_clauses"`
	NextBreakClause *string  `json:"next_break_clause"`
	InHouseBid      bool     `json:"in_house_bid"`
	// NoInHouseBidReason is why there was no in-house bid, "" when there was one.
	NoInHouseBidReason string `json:"no_in_house_bid_reason"`
	// The register's fields: "" or null is not recorded.
	Reference      string  `json:"reference"`
	Department     string  `json:"department"`
	SupplierScheme string  `json:"supplier_scheme"` // "GB-COH" is Companies House
	SupplierID     string  `json:"supplier_id"`
	SME            *bool   `json:"sme"`
	VCSE           *bool   `json:"vcse"`
	Route          *string `json:"procurement_route"`
	ReviewOn       *string `json:"review_on"`
	// SocialValueBasisPoints is the social value weighting: 1000 is 10%.
	SocialValueBasisPoints int    `json:"social_value_weighting_basis_points"`
	SocialValueCommitments string `json:"social_value_commitments"`
	FOIClause              *bool  `json:"foi_clause"`
	AtRiskContact          *bool  `json:"at_risk_contact"`
	RightsThreat           *bool  `json:"rights_threat"`
	IrrecoverableVATPence  int64  `json:"irrecoverable_vat_pence"`
	// KPICount counts different KPIs; TooFewKPIs flags a contract over
	// £5m with fewer than 3.
	KPICount   int        `json:"kpi_count"`
	TooFewKPIs bool       `json:"too_few_kpis"`
	KPIs       []kpiJSON  `json:"kpis"`
	Recall     recallJSON `json:"recall"`
	// PetitionAllowed says whether a recall petition may be started today;
	// PetitionRefusal says why not, null when one may.
	// PriorConsultations are the public consultations held before the
	// contract was let; ConsultedBeforeLetting is false when there were none
	// ("no public consultation before this contract").
	PriorConsultations     []linkJSON `json:"prior_consultations"`
	ConsultedBeforeLetting bool       `json:"consulted_before_letting"`
	PetitionAllowed        bool       `json:"petition_allowed"`
	PetitionRefusal        *string    `json:"petition_refusal"`
	OCDSURL                string     `json:"ocds_url"`
	CreatedAt              time.Time  `json:"created_at"`
	UpdatedAt              time.Time  `json:"updated_at"`
	// The public consultations, petitions and ballots about it.
	linksJSON
	// SpendPence is everything paid against it, from the council's
	// spending files; SpendByQuarter the same by calendar quarter. Only
	// /api/contracts/{id} carries them (0 and [] in the list).
	SpendPence     int64         `json:"spend_pence"`
	SpendByQuarter []quarterJSON `json:"spend_by_quarter"`
	// Documents are those published about it (only in
	// /api/contracts/{id}); PublicationRequired is true when the contract
	// is over GBP 5m and no copy of it is published.
	Documents           []documentJSON `json:"documents"`
	PublicationRequired bool           `json:"publication_required"`
	// InformationRequests counts its published requests; only
	// /api/contracts/{id} carries it (null in the list).
	InformationRequests *requestCountsJSON `json:"information_requests"`
	// Reviews are its reviews at end points, in /api/contracts/{id} only:
	// a draft gives its end point and status, a published one everything.
	Reviews *[]reviewJSON `json:"reviews,omitempty"`
	// TerminatedOn is the last day of a contract ended early, with its
	// reason; null while it runs to term.
	TerminatedOn      *string `json:"terminated_on"`
	TerminationReason *string `json:"termination_reason"`
}

// kpiJSON is one KPI row; rating is null before the first report.
type kpiJSON struct {
	ID     int64          `json:"id"`
	Name   string         `json:"name"`
	Target string         `json:"target"`
	Actual string         `json:"actual"`
	Period string         `json:"period"`
	Rating *ballot.Rating `json:"rating"`
}

// recallJSON is the recall rule and the threshold it gives today.
type recallJSON struct {
	Kind ballot.RuleKind `json:"kind"`
	// ShareBasisPoints is set for a share rule: 1000 is 10%.
	ShareBasisPoints *int `json:"share_basis_points"`
	// FixedCount is set for a fixed rule.
	FixedCount  *int   `json:"fixed_count"`
	SigningDays int    `json:"signing_days"`
	Description string `json:"description"`
	// Threshold is null for a share rule until an electorate is recorded.
	Threshold *int `json:"threshold"`
	// Electorate is the register snapshot a share rule is counted against.
	Electorate *electorateJSON `json:"electorate"`
}

func (s *Server) apiContracts(w http.ResponseWriter, r *http.Request) {
	views, err := s.loadContracts(r.Context())
	if err == nil {
		err = s.withLinks(r, views...)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.baseURL(r)
	out := make([]contractJSON, 0, len(views))
	for _, v := range views {
		out = append(out, contractToJSON(v, base))
	}
	writeJSON(w, http.StatusOK, map[string]any{"contracts": out})
}

func (s *Server) apiContract(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadContract(r)
	if err == nil {
		err = s.withLinks(r, v)
	}
	if err == nil {
		err = s.withTransparency(r, v)
	}
	if err == nil {
		v.Reviews, err = s.contractReviews(r, v.C.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := contractToJSON(v, s.baseURL(r))
	out.InformationRequests = requestCountsToJSON(v.Requests, s.baseURL(r))
	reviews := reviewsToJSON(v.Reviews, s.baseURL(r))
	out.Reviews = &reviews
	writeJSON(w, http.StatusOK, out)
}

func contractToJSON(v *contractView, base string) contractJSON {
	c := v.C
	path := "/contracts/" + strconv.FormatInt(c.ID, 10)
	out := contractJSON{
		ID: c.ID, URL: base + path, Title: c.Title, Service: c.Service, Provider: c.Provider,
		Description: c.Description, ValuePence: c.ValuePence, Currency: "GBP",
		StartsOn: isoDate(c.StartsOn), EndsOn: isoDate(c.EndsOn), Status: v.Status(),
		BreakClauses: make([]string, 0, len(c.BreakClauses)), InHouseBid: c.InHouseBid,
		KPIs: make([]kpiJSON, 0, len(c.KPIs)), Recall: recallToJSON(v),
		OCDSURL: base + "/api" + path + "/ocds", CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
		linksJSON: contractLinksJSON(v.Links, base),
	}
	out.SpendPence, out.SpendByQuarter = spendToJSON(v.Spend)
	out.Documents = documentsToJSON(v.Docs, base)
	out.PublicationRequired = v.Spend != nil && v.Unpublished() // only where withTransparency ran
	out.NoInHouseBidReason, out.Reference, out.Department = c.NoInHouseBidReason, c.Reference, c.Department
	out.SupplierScheme, out.SupplierID = c.SupplierScheme, c.SupplierID
	out.SME, out.VCSE, out.FOIClause = yesNoJSON(c.SME), yesNoJSON(c.VCSE), yesNoJSON(c.FOIClause)
	out.AtRiskContact, out.RightsThreat = yesNoJSON(c.AtRiskContact), yesNoJSON(c.RightsThreat)
	if c.Route != "" {
		route := string(c.Route)
		out.Route = &route
	}
	if !c.ReviewOn.IsZero() {
		d := isoDate(c.ReviewOn)
		out.ReviewOn = &d
	}
	if c.Terminated() {
		d, why := isoDate(c.TerminatedOn), c.TerminationReason
		out.TerminatedOn, out.TerminationReason = &d, &why
	}
	out.SocialValueBasisPoints, out.SocialValueCommitments = c.SocialValueBP, c.SocialValueCommitments
	out.IrrecoverableVATPence, out.KPICount, out.TooFewKPIs = c.IrrecoverableVATPence, c.KPICount(), c.TooFewKPIs()
	out.PriorConsultations = make([]linkJSON, 0, len(v.Prior))
	for _, cv := range v.Prior {
		out.PriorConsultations = append(out.PriorConsultations, consultationLinkJSON(cv, base))
	}
	out.ConsultedBeforeLetting = len(v.Prior) > 0
	out.PetitionAllowed = v.Refusal == ""
	if v.Refusal != "" {
		why := v.Refusal
		out.PetitionRefusal = &why
	}
	for _, b := range c.BreakClauses {
		out.BreakClauses = append(out.BreakClauses, isoDate(b))
	}
	if !v.NextBreak.IsZero() {
		next := isoDate(v.NextBreak)
		out.NextBreakClause = &next
	}
	for _, k := range c.KPIs {
		kj := kpiJSON{ID: k.ID, Name: k.Name, Target: k.Target, Actual: k.Actual, Period: k.Period}
		if k.Rating != "" {
			rating := k.Rating
			kj.Rating = &rating
		}
		out.KPIs = append(out.KPIs, kj)
	}
	return out
}

func recallToJSON(v *contractView) recallJSON {
	rule := v.C.Recall
	out := recallJSON{Kind: rule.Kind, SigningDays: v.SigningDays(), Description: rule.Describe()}
	if rule.Kind == ballot.RuleFixed {
		n := rule.FixedCount
		out.FixedCount = &n
	} else {
		bp := rule.ShareBasisPoints
		out.ShareBasisPoints = &bp
	}
	if v.Threshold > 0 {
		n := v.Threshold
		out.Threshold = &n
	}
	if e := v.Electorate; e != nil {
		out.Electorate = &electorateJSON{Count: e.Count, AsOf: isoDate(e.AsOf)}
	}
	return out
}

// isoDate writes a contract day as YYYY-MM-DD.
func isoDate(t time.Time) string { return t.UTC().Format("2006-01-02") }

// yesNoJSON is an answer as JSON: true, false, or null when not recorded.
func yesNoJSON(a ballot.YesNo) *bool {
	if a == ballot.NotRecorded {
		return nil
	}
	b := a == ballot.Yes
	return &b
}
