package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

func (s *Server) registerAdminConsultRoutes(mux *http.ServeMux) {
	staff, admin := s.staffOnly, s.adminOnly
	mux.HandleFunc("GET /admin/{$}", staff(s.adminHome))
	mux.HandleFunc("GET /admin/consultations/new", admin(s.adminNewConsultation))
	mux.HandleFunc("POST /admin/consultations", admin(s.adminCreateConsultation))
	mux.HandleFunc("GET /admin/consultations/{slug}", staff(s.adminConsultation))
	mux.HandleFunc("GET /admin/consultations/{slug}/edit", admin(s.adminEditConsultation))
	mux.HandleFunc("POST /admin/consultations/{slug}/edit", admin(s.adminUpdateConsultation))
	mux.HandleFunc("POST /admin/consultations/{slug}/questions", admin(s.adminAddQuestion))
	mux.HandleFunc("POST /admin/consultations/{slug}/questions/{id}/delete", admin(s.adminDeleteQuestion))
	mux.HandleFunc("POST /admin/consultations/{slug}/open", admin(s.adminOpen))
	mux.HandleFunc("POST /admin/consultations/{slug}/close", admin(s.adminClose))
	mux.HandleFunc("GET /admin/consultations/{slug}/outcome", admin(s.adminOutcomePage))
	mux.HandleFunc("POST /admin/consultations/{slug}/outcome", admin(s.adminPublishOutcome))
	mux.HandleFunc("GET /admin/consultations/{slug}/decision", admin(s.adminDecisionPage))
	mux.HandleFunc("POST /admin/consultations/{slug}/decision", admin(s.adminRecordDecision))
	mux.HandleFunc("GET /admin/consultations/{slug}/responses.csv", admin(s.adminResponsesCSV))
	mux.HandleFunc("POST /admin/consultations/{slug}/codes", admin(s.adminConsultationCodes))
	mux.HandleFunc("GET /admin/consultations/{slug}/paper", staff(s.adminPaperPage))
	mux.HandleFunc("POST /admin/consultations/{slug}/paper", staff(s.adminPaperSubmit))
	mux.HandleFunc("GET /admin/audit", admin(s.adminAudit))
}

// consultationForm is the council officer's consultation form.
type consultationForm struct {
	Title              string `form:"title" validate:"required,max=200"`
	Slug               string `form:"slug" validate:"omitempty,max=80"`
	Summary            string `form:"summary" validate:"required,max=5000"`
	Service            string `form:"service" validate:"required,max=200"`
	Proposal           string `form:"proposal" validate:"required,oneof=outsource sell_asset change_service in_house"`
	PublicInterestCase string `form:"public_interest_case" validate:"max=10000"`
	InHouseBid         string `form:"in_house_bid" validate:"max=10000"`
	NoInHouseReason    string `form:"no_in_house_reason" validate:"max=10000"`
	SocialValueWeight  string `form:"social_value_weight" validate:"required,number,max=3"`
	AtRiskGroups       string `form:"at_risk_groups" validate:"required,oneof=yes no"`
	Exemption          string `form:"exemption" validate:"omitempty,oneof=not_relevant_contract below_threshold public_public good_reason"`
	ExemptionReason    string `form:"exemption_reason" validate:"max=10000"`
	Audience           string `form:"audience" validate:"required,oneof=anyone residents code"`
	OpensOn            string `form:"opens_on" validate:"omitempty,datetime=2006-01-02"`
	ClosesOn           string `form:"closes_on" validate:"omitempty,datetime=2006-01-02"`
	LiveResults        string `form:"live_results" validate:"omitempty,oneof=yes"`
}

var consultationFieldOrder = []string{"title", "slug", "summary", "service", "proposal", "public_interest_case",
	"in_house_bid", "no_in_house_reason", "social_value_weight", "at_risk_groups", "exemption",
	"exemption_reason", "audience", "opens_on", "closes_on", "live_results"}

func readConsultationForm(form url.Values) consultationForm {
	g := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	return consultationForm{
		Title: g("title"), Slug: g("slug"), Summary: g("summary"), Service: g("service"),
		Proposal: g("proposal"), PublicInterestCase: g("public_interest_case"),
		InHouseBid: g("in_house_bid"), NoInHouseReason: g("no_in_house_reason"),
		SocialValueWeight: g("social_value_weight"), AtRiskGroups: g("at_risk_groups"),
		Exemption: g("exemption"), ExemptionReason: g("exemption_reason"), Audience: g("audience"),
		OpensOn: g("opens_on"), ClosesOn: g("closes_on"), LiveResults: g("live_results"),
	}
}

// apply copies the form onto c. Dates are days in London: a consultation
// opens at the start of its opening day and closes at the end of its closing day.
func (f consultationForm) apply(c *consult.Consultation) {
	c.Title, c.Summary = f.Title, f.Summary
	if c.Status == "" || c.Status == consult.StatusDraft {
		c.Slug = f.Slug
		if c.Slug == "" {
			c.Slug = consult.Slugify(f.Title)
		}
	}
	weight, _ := strconv.Atoi(f.SocialValueWeight)
	c.Record = consult.Record{
		Service: f.Service, Proposal: consult.Proposal(f.Proposal), PublicInterestCase: f.PublicInterestCase,
		InHouseBid: f.InHouseBid, NoInHouseReason: f.NoInHouseReason, SocialValueWeight: weight,
		AtRiskGroups: f.AtRiskGroups == "yes", Exemption: consult.Exemption(f.Exemption), ExemptionReason: f.ExemptionReason,
	}
	c.Audience = consult.Audience(f.Audience)
	c.OpensAt, c.ClosesAt = londonDay(f.OpensOn, 0), londonDay(f.ClosesOn, 1)
	c.LiveResults = f.LiveResults == "yes"
}

func londonDay(s string, plusDays int) time.Time {
	d, err := time.ParseInLocation("2006-01-02", s, london)
	if err != nil {
		return time.Time{}
	}
	return d.AddDate(0, 0, plusDays).UTC()
}

// consultationFormValues fills the form from a saved consultation.
func consultationFormValues(c *consult.Consultation) url.Values {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	v := url.Values{}
	set := func(k, val string) { v.Set(k, val) }
	set("title", c.Title)
	set("slug", c.Slug)
	set("summary", c.Summary)
	set("service", c.Record.Service)
	set("proposal", string(c.Record.Proposal))
	set("public_interest_case", c.Record.PublicInterestCase)
	set("in_house_bid", c.Record.InHouseBid)
	set("no_in_house_reason", c.Record.NoInHouseReason)
	set("social_value_weight", strconv.Itoa(c.Record.SocialValueWeight))
	set("at_risk_groups", yes(c.Record.AtRiskGroups))
	set("exemption", string(c.Record.Exemption))
	set("exemption_reason", c.Record.ExemptionReason)
	set("audience", string(c.Audience))
	set("opens_on", inputTime(c.OpensAt, "2006-01-02"))
	if !c.ClosesAt.IsZero() {
		set("closes_on", inputTime(c.ClosesAt.Add(-time.Second), "2006-01-02"))
	}
	if c.LiveResults {
		set("live_results", "yes")
	}
	return v
}

// checkConsultationForm runs the validator tags, then the domain's rules,
// and returns every message at once.
func (s *Server) checkConsultationForm(f consultationForm, c *consult.Consultation) map[string]string {
	fields := s.check(f)
	if fields == nil {
		fields = map[string]string{}
	}
	f.apply(c)
	var ve *consult.ValidationError
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

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Consult.Consultations(r.Context(), consult.Filter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views := make([]consultView, len(list))
	for i, c := range list {
		views[i] = consultView{C: c, State: c.State(s.cfg.Now())}
	}
	s.render(w, r, http.StatusOK, "admin_home", &page{Title: "Council dashboard", Data: views})
}

func (s *Server) adminNewConsultation(w http.ResponseWriter, r *http.Request) {
	form := url.Values{"audience": {"anyone"}, "social_value_weight": {"20"}}
	s.render(w, r, http.StatusOK, "admin_consultation_form", &page{Title: "Create a consultation", Form: form})
}

func (s *Server) adminCreateConsultation(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	c := &consult.Consultation{Status: consult.StatusDraft}
	p := &page{Title: "Create a consultation", Form: r.PostForm}
	fields := s.checkConsultationForm(readConsultationForm(r.PostForm), c)
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.CreateConsultation(r.Context(), c, s.actor(r)), "slug",
			"That web address name is already used by another consultation")
	}
	if fields != nil {
		p.setErrors(fields, consultationFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_consultation_form", p)
		return
	}
	s.flash(r, "Draft saved. Add the questions, then open the consultation.")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
}

// storeFields turns a store error into field messages: validation errors
// as they are, a duplicate as dupMsg on dupField, anything else on "form".
// ValidationError and ErrDuplicate are consult's and ballot's alike (ballot
// aliases them), so it serves both domains' stores.
func (s *Server) storeFields(err error, dupField, dupMsg string) map[string]string {
	var ve *consult.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return ve.Fields
	case errors.Is(err, consult.ErrDuplicate):
		return map[string]string{dupField: dupMsg}
	}
	status, msg := statusFor(err)
	if status >= 500 {
		s.log.Error("store", "err", err)
	}
	return map[string]string{"form": msg}
}

func (s *Server) actor(r *http.Request) string {
	if u := s.currentUser(r); u != nil {
		return u.Email
	}
	return "unknown"
}

// adminConsultationView is the manage page's data.
type adminConsultationView struct {
	consultView
	QuestionForm url.Values
	QErrors      map[string]string
}

func (s *Server) adminConsultation(w http.ResponseWriter, r *http.Request) {
	s.renderManage(w, r, http.StatusOK, nil, nil)
}

// renderManage shows the manage page, with the add-question form's values
// and errors when a question was refused.
func (s *Server) renderManage(w http.ResponseWriter, r *http.Request, status int, qform url.Values, qerrs map[string]string) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.cfg.Stores.Consult.Tally(r.Context(), c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if qform == nil {
		qform = url.Values{"kind": {"single"}}
	}
	v := &adminConsultationView{consultView: consultView{C: c, State: c.State(s.cfg.Now()), Tally: t, ResultsPublic: true},
		QuestionForm: qform, QErrors: qerrs}
	p := &page{Title: c.Title, Data: v}
	if qerrs != nil {
		p.setErrors(qerrs, []string{"kind", "prompt", "hint", "options", "form"})
	}
	s.render(w, r, status, "admin_consultation", p)
}

func (s *Server) adminEditConsultation(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Status != consult.StatusDraft {
		s.fail(w, r, consult.ErrNotDraft)
		return
	}
	s.render(w, r, http.StatusOK, "admin_consultation_form", &page{Title: "Edit " + c.Title, Form: consultationFormValues(c), Data: c})
}

func (s *Server) adminUpdateConsultation(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	oldSlug := c.Slug
	fields := s.checkConsultationForm(readConsultationForm(r.PostForm), c)
	c.Slug = oldSlug // the web address is fixed once created: posters may already carry it
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.UpdateConsultation(r.Context(), c, s.actor(r)), "slug", "")
	}
	if fields != nil {
		p := &page{Title: "Edit " + c.Title, Form: r.PostForm, Data: c}
		p.setErrors(fields, consultationFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_consultation_form", p)
		return
	}
	s.flash(r, "Changes saved.")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
}
