package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
)

var contractFieldOrder = []string{"form", "reference", "title", "department", "service", "provider", "supplier_scheme",
	"supplier_id", "sme", "vcse", "description", "value", "irrecoverable_vat", "route", "starts_on", "ends_on", "review_on",
	"break_clauses", "terminated_on", "termination_reason", "in_house_bid", "no_in_house_reason", "social_value_weighting", "social_value_commitments",
	"foi_clause", "at_risk", "rights_threat", "kpis", "recall_kind", "recall_share", "recall_count", "signing_days"}

// readContract copies the council officer's contract form onto c and
// returns what it could not read: values, dates, break clauses, KPIs and
// the share are typed as text. The rules are the domain's
// (ballot.Contract.Validate).
func readContract(form url.Values, c *ballot.Contract) *formReader {
	f := newFormReader(form)
	c.Title, c.Service, c.Provider, c.Description = f.text("title"), f.text("service"), f.text("provider"), f.text("description")
	var err error
	if c.ValuePence, err = parsePounds(f.text("value")); err != nil {
		f.note("value", "Enter the contract's value in pounds, like 1,250,000.50")
	}
	c.StartsOn = f.formDate("starts_on", "Start date", time.UTC)
	c.EndsOn = f.formDate("ends_on", "End date", time.UTC)
	c.BreakClauses = readBreakClauses(f)
	c.InHouseBid = f.yesNo("in_house_bid", "Say whether an in-house bid was made")
	c.NoInHouseBidReason = f.text("no_in_house_reason")
	c.Reference, c.Department = f.text("reference"), f.text("department")
	c.SupplierScheme, c.SupplierID = f.text("supplier_scheme"), f.text("supplier_id")
	c.SME, c.VCSE, c.FOIClause = ballot.YesNo(f.text("sme")), ballot.YesNo(f.text("vcse")), ballot.YesNo(f.text("foi_clause"))
	c.AtRiskContact, c.RightsThreat = ballot.YesNo(f.text("at_risk")), ballot.YesNo(f.text("rights_threat"))
	c.Route = ballot.Route(f.text("route"))
	c.ReviewOn = f.formDate("review_on", "Review date", time.UTC)
	c.TerminatedOn = f.formDate("terminated_on", "Termination date", time.UTC)
	c.TerminationReason = f.text("termination_reason")
	if v := f.text("irrecoverable_vat"); v != "" {
		if c.IrrecoverableVATPence, err = parsePounds(v); err != nil {
			f.note("irrecoverable_vat", "Enter the irrecoverable VAT in pounds, like 12,500")
		}
	}
	if sv := f.text("social_value_weighting"); sv != "" {
		if c.SocialValueBP, err = parsePercent(sv); err != nil {
			f.note("social_value_weighting", "Enter the social value weighting as a percentage, like 10")
		}
	}
	c.SocialValueCommitments = f.text("social_value_commitments")
	if c.KPIs, err = parseKPIs(f.text("kpis")); err != nil {
		f.note("kpis", err.Error())
	}
	c.Recall = ballot.RecallRule{Kind: ballot.RuleKind(f.text("recall_kind"))}
	switch c.Recall.Kind {
	case ballot.RuleShare:
		if share := f.text("recall_share"); share != "" {
			if c.Recall.ShareBasisPoints, err = parsePercent(share); err != nil {
				f.note("recall_share", "Enter the share of the electorate as a percentage, like 10")
			}
		}
	case ballot.RuleFixed:
		c.Recall.FixedCount = f.int("recall_count", "Enter the number of signatures needed, like 5000")
	}
	// A contract stored without a window takes the default; the form asks for one.
	if c.Recall.SigningDays = f.needInt("signing_days", "Enter the signing window in days, like 42"); c.Recall.SigningDays == 0 {
		f.note("signing_days", "Enter the signing window in days, like 42")
	}
	return f
}

// contractFields reads the form onto c and returns every message, or nil.
// Until the in-house bid question is answered, its follow-up (why there
// was none) is not asked about.
func contractFields(form url.Values, c *ballot.Contract) map[string]string {
	fields := readContract(form, c).result(c.Validate())
	if _, unanswered := fields["in_house_bid"]; unanswered {
		delete(fields, "no_in_house_reason")
	}
	return fields
}

// contractFormValues fills the form from a saved contract.
func contractFormValues(c *ballot.Contract) url.Values {
	v := url.Values{}
	v.Set("title", c.Title)
	v.Set("service", c.Service)
	v.Set("provider", c.Provider)
	v.Set("description", c.Description)
	v.Set("value", inputPence(c.ValuePence))
	v.Set("starts_on", isoDate(c.StartsOn))
	v.Set("ends_on", isoDate(c.EndsOn))
	for i, d := range c.BreakClauses {
		v.Set(breakKey(i+1), isoDate(d))
	}
	v.Set("in_house_bid", "no")
	if c.InHouseBid {
		v.Set("in_house_bid", "yes")
	}
	v.Set("kpis", formatKPIs(c.KPIs))
	v.Set("no_in_house_reason", c.NoInHouseBidReason)
	v.Set("reference", c.Reference)
	v.Set("department", c.Department)
	v.Set("supplier_scheme", c.SupplierScheme)
	v.Set("supplier_id", c.SupplierID)
	v.Set("sme", string(c.SME))
	v.Set("vcse", string(c.VCSE))
	v.Set("foi_clause", string(c.FOIClause))
	v.Set("at_risk", string(c.AtRiskContact))
	v.Set("rights_threat", string(c.RightsThreat))
	v.Set("route", string(c.Route))
	if !c.ReviewOn.IsZero() {
		v.Set("review_on", isoDate(c.ReviewOn))
	}
	if c.Terminated() {
		v.Set("terminated_on", isoDate(c.TerminatedOn))
		v.Set("termination_reason", c.TerminationReason)
	}
	if c.IrrecoverableVATPence > 0 {
		v.Set("irrecoverable_vat", inputPence(c.IrrecoverableVATPence))
	}
	if c.SocialValueBP > 0 {
		v.Set("social_value_weighting", formatPercent(c.SocialValueBP))
	}
	v.Set("social_value_commitments", c.SocialValueCommitments)
	v.Set("recall_kind", string(c.Recall.Kind))
	if c.Recall.Kind == ballot.RuleShare {
		v.Set("recall_share", formatPercent(c.Recall.ShareBasisPoints))
	} else {
		v.Set("recall_count", strconv.Itoa(c.Recall.FixedCount))
	}
	days := c.Recall.SigningDays
	if days == 0 {
		days = ballot.DefaultSigningDays
	}
	v.Set("signing_days", strconv.Itoa(days))
	return v
}

func (s *Server) adminContracts(w http.ResponseWriter, r *http.Request) {
	views, err := s.loadContracts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	statuses := []choice{{"not_started", "Not started"}, {"active", "Running"}, {"ended", "Ended"}}
	v, form, fields := filterList(r, "/admin/contracts", "contracts", views,
		func(c *contractView) string { return c.C.Title + " " + c.C.Provider }, (*contractView).Status, statuses, contractEnds)
	s.renderList(w, r, "admin_contracts", &page{Title: "Contracts", Data: v, Form: form}, fields)
}

func (s *Server) adminNewContract(w http.ResponseWriter, r *http.Request) {
	form := url.Values{"recall_kind": {"share"}, "recall_share": {"10"}, "in_house_bid": {"no"},
		"signing_days": {strconv.Itoa(ballot.DefaultSigningDays)}}
	s.render(w, r, http.StatusOK, "admin_contract_form", &page{Title: "Add a contract", Form: form})
}

func (s *Server) adminCreateContract(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r)
		return
	}
	c := &ballot.Contract{}
	fields := contractFields(r.PostForm, c)
	if fields == nil {
		fields = s.contractStoreFields(s.cfg.Stores.Contracts.CreateContract(r.Context(), c, s.actor(r)))
	}
	if fields != nil {
		p := &page{Title: "Add a contract", Form: r.PostForm}
		p.setErrors(fields, contractFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_contract_form", p)
		return
	}
	s.flash(r, "Contract added to the public register.")
	http.Redirect(w, r, "/admin/contracts", http.StatusSeeOther)
}

func (s *Server) adminEditContract(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadContract(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_contract_form", &page{Title: "Edit " + v.C.Title, Form: contractFormValues(v.C), Data: v.C})
}

func (s *Server) adminUpdateContract(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r)
		return
	}
	v, err := s.loadContract(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := &ballot.Contract{ID: v.C.ID}
	fields := contractFields(r.PostForm, c)
	if fields == nil {
		fields = s.contractStoreFields(s.cfg.Stores.Contracts.UpdateContract(r.Context(), c, s.actor(r)))
	}
	if fields != nil {
		p := &page{Title: "Edit " + v.C.Title, Form: r.PostForm, Data: v.C}
		p.setErrors(fields, contractFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_contract_form", p)
		return
	}
	s.flash(r, "Changes saved.")
	http.Redirect(w, r, "/admin/contracts", http.StatusSeeOther)
}

// contractStoreFields turns a store error into field messages; anything
// but a validation error goes on "form", and to the log if it is ours.
func (s *Server) contractStoreFields(err error) map[string]string {
	var ve *ballot.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return ve.Fields
	}
	status, msg := statusFor(contractFailure(err))
	if status >= 500 {
		s.log.Error("contract store", "err", err)
	}
	return map[string]string{"form": msg}
}
