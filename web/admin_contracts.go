package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

func (s *Server) registerAdminContractRoutes(mux *http.ServeMux) {
	staff, admin := s.staffOnly, s.adminOnly
	mux.HandleFunc("GET /admin/contracts", staff(s.adminContracts))
	mux.HandleFunc("GET /admin/contracts/new", admin(s.adminNewContract))
	mux.HandleFunc("POST /admin/contracts/new", admin(s.adminCreateContract))
	mux.HandleFunc("GET /admin/contracts/{id}/edit", admin(s.adminEditContract))
	mux.HandleFunc("POST /admin/contracts/{id}/edit", admin(s.adminUpdateContract))
}

// contractForm is the council officer's contract form. Values, dates, break
// clauses, KPIs and the share are read further by apply.
type contractForm struct {
	Title        string `form:"title" validate:"required,max=200"`
	Service      string `form:"service" validate:"required,max=200"`
	Provider     string `form:"provider" validate:"required,max=200"`
	Description  string `form:"description" validate:"max=10000"`
	Value        string `form:"value" validate:"required,max=30"`
	StartsOn     string `form:"starts_on" validate:"required,datetime=2006-01-02"`
	EndsOn       string `form:"ends_on" validate:"required,datetime=2006-01-02"`
	BreakClauses string `form:"break_clauses" validate:"max=2000"`
	InHouseBid   string `form:"in_house_bid" validate:"required,oneof=yes no"`
	KPIs         string `form:"kpis" validate:"max=20000"`
	RecallKind   string `form:"recall_kind" validate:"required,oneof=share fixed"`
	RecallShare  string `form:"recall_share" validate:"required_if=RecallKind share,max=10"`
	RecallCount  string `form:"recall_count" validate:"required_if=RecallKind fixed,omitempty,number,max=9"`
	SigningDays  string `form:"signing_days" validate:"required,number,max=3"`
}

var contractFieldOrder = []string{"form", "title", "service", "provider", "description", "value", "starts_on",
	"ends_on", "break_clauses", "in_house_bid", "kpis", "recall_kind", "recall_share", "recall_count", "signing_days"}

// contractMessages replace the validator's generic wording for fields whose
// format needs saying.
var contractMessages = map[string]string{
	"title":        "Enter the contract's title",
	"service":      "Enter the service",
	"provider":     "Enter the provider's name",
	"value":        "Enter the contract's value in pounds, like 1,250,000.50",
	"starts_on":    "Enter the start date as year-month-day, like 2026-04-01",
	"ends_on":      "Enter the end date as year-month-day, like 2031-03-31",
	"in_house_bid": "Say whether an in-house bid was made",
	"recall_kind":  "Choose how the recall threshold is set",
	"recall_share": "Enter the share of the electorate as a percentage, like 10",
	"recall_count": "Enter the number of signatures needed, like 5000",
	"signing_days": "Enter the signing window in days, like 42",
}

func readContractForm(form url.Values) contractForm {
	g := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	return contractForm{
		Title: g("title"), Service: g("service"), Provider: g("provider"), Description: g("description"),
		Value: g("value"), StartsOn: g("starts_on"), EndsOn: g("ends_on"), BreakClauses: g("break_clauses"),
		InHouseBid: g("in_house_bid"), KPIs: g("kpis"), RecallKind: g("recall_kind"),
		RecallShare: g("recall_share"), RecallCount: g("recall_count"), SigningDays: g("signing_days"),
	}
}

// checkContractForm validates the form, copies it onto c, then runs the
// domain's rules, and returns every message at once (nil when all is well).
func (s *Server) checkContractForm(f contractForm, c *ballot.Contract) map[string]string {
	fields := map[string]string{}
	for k := range s.check(f) {
		fields[k] = contractMessages[k]
		if fields[k] == "" {
			fields[k] = "Check this answer"
		}
	}
	for k, m := range f.apply(c) {
		if _, ok := fields[k]; !ok {
			fields[k] = m
		}
	}
	var ve *ballot.ValidationError
	if err := c.Validate(); errors.As(err, &ve) {
		for k, m := range ve.Fields {
			if _, ok := fields[k]; !ok {
				fields[k] = m
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// apply copies the form onto c and returns messages for what it could not read.
func (f contractForm) apply(c *ballot.Contract) map[string]string {
	bad := map[string]string{}
	c.Title, c.Service, c.Provider, c.Description = f.Title, f.Service, f.Provider, f.Description
	var err error
	if c.ValuePence, err = parsePounds(f.Value); err != nil && f.Value != "" {
		bad["value"] = contractMessages["value"]
	}
	c.StartsOn, _ = time.Parse("2006-01-02", f.StartsOn)
	c.EndsOn, _ = time.Parse("2006-01-02", f.EndsOn)
	if c.BreakClauses, err = parseBreakClauses(f.BreakClauses); err != nil {
		bad["break_clauses"] = err.Error()
	}
	c.InHouseBid = f.InHouseBid == "yes"
	if c.KPIs, err = parseKPIs(f.KPIs); err != nil {
		bad["kpis"] = err.Error()
	}
	c.Recall = ballot.RecallRule{Kind: ballot.RuleKind(f.RecallKind)}
	c.Recall.SigningDays, _ = strconv.Atoi(f.SigningDays)
	switch c.Recall.Kind {
	case ballot.RuleShare:
		if c.Recall.ShareBasisPoints, err = parsePercent(f.RecallShare); err != nil && f.RecallShare != "" {
			bad["recall_share"] = contractMessages["recall_share"]
		}
	case ballot.RuleFixed:
		c.Recall.FixedCount, _ = strconv.Atoi(f.RecallCount)
	}
	if c.Recall.SigningDays < 1 && f.SigningDays != "" {
		bad["signing_days"] = "Signing window must be from 1 to 366 days"
	}
	return bad
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
	v.Set("break_clauses", formatBreakClauses(c.BreakClauses))
	v.Set("in_house_bid", "no")
	if c.InHouseBid {
		v.Set("in_house_bid", "yes")
	}
	v.Set("kpis", formatKPIs(c.KPIs))
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
	s.render(w, r, http.StatusOK, "admin_contracts", &page{Title: "Contracts", Data: views})
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
	fields := s.checkContractForm(readContractForm(r.PostForm), c)
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
	fields := s.checkContractForm(readContractForm(r.PostForm), c)
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
