package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/oursay/oursay/consult"
)

var consultationFieldOrder = []string{"title", "slug", "summary", "contract", "service", "proposal", "public_interest_case",
	"has_in_house_bid", "in_house_bid", "no_in_house_reason", "social_value_weight", "at_risk_contact", "rights_threat",
	"exemption_claimed", "exemption", "exemption_reason", "exemption_value", "exemption_threshold", "exemption_body",
	"audience", "opens_on", "closes_on", "live_results"}

// readConsultation copies the council officer's form onto c and returns
// what it could not read. Dates are days in London: a consultation opens
// at the start of its opening day and closes at the end of its closing day.
func readConsultation(form url.Values, c *consult.Consultation) *formReader {
	f := newFormReader(form)
	c.Title, c.Summary = f.text("title"), f.text("summary")
	// Not a number reads as none chosen; the store refuses an unknown id.
	c.ContractID, _ = strconv.ParseInt(f.text("contract"), 10, 64)
	if c.Status == "" || c.Status == consult.StatusDraft {
		c.Slug = f.text("slug")
		if c.Slug == "" {
			c.Slug = consult.Slugify(c.Title)
		}
	}
	c.Record = consult.Record{
		Service: f.text("service"), Proposal: consult.Proposal(f.text("proposal")),
		PublicInterestCase: f.text("public_interest_case"), InHouseBid: f.text("in_house_bid"),
		NoInHouseReason:   f.text("no_in_house_reason"),
		SocialValueWeight: f.needInt("social_value_weight", "Enter the social value weighting as a whole number, like 20"),
	}
	c.Record.AtRisk, c.Record.Exemption = readAtRisk(f)
	readRevealed(f, &c.Record)
	c.Audience = consult.Audience(f.text("audience"))
	c.OpensAt = londonDay(f.formDate("opens_on", "Opening date", london), 0)
	c.ClosesAt = londonDay(f.formDate("closes_on", "Closing date", london), 1)
	c.LiveResults = f.text("live_results") == "yes"
	return f
}

// readRevealed applies the two questions whose answers reveal more: "Was
// there an in-house bid?" keeps the bid or the reason for none, and "Is an
// exemption claimed?" keeps or clears the exemption. Without JavaScript
// every revealed field is sent, so the choice decides which counts. A form
// without the questions (a script's) is read as sent.
func readRevealed(f *formReader, r *consult.Record) {
	asked := f.text("reveals") == "yes" // the form asked both questions
	switch f.text("has_in_house_bid") {
	case "yes":
		r.NoInHouseReason = ""
	case "no":
		r.InHouseBid = ""
	default:
		if asked {
			f.instead("has_in_house_bid", "Say whether there was an in-house bid", "in_house_bid")
		}
	}
}

// londonDay is the start of the London day d, plus some days; zero stays zero.
func londonDay(d time.Time, plusDays int) time.Time {
	if d.IsZero() {
		return d
	}
	return d.AddDate(0, 0, plusDays).UTC()
}

// consultationFormValues fills the form from a saved consultation.
func consultationFormValues(c *consult.Consultation) url.Values {
	v := url.Values{}
	set := func(k, val string) { v.Set(k, val) }
	set("title", c.Title)
	set("slug", c.Slug)
	set("summary", c.Summary)
	if c.ContractID != 0 {
		set("contract", strconv.FormatInt(c.ContractID, 10))
	}
	set("service", c.Record.Service)
	set("proposal", string(c.Record.Proposal))
	set("public_interest_case", c.Record.PublicInterestCase)
	set("in_house_bid", c.Record.InHouseBid)
	set("no_in_house_reason", c.Record.NoInHouseReason)
	set("social_value_weight", strconv.Itoa(c.Record.SocialValueWeight))
	setAtRisk(v, c.Record.AtRisk, c.Record.Exemption)
	switch {
	case c.Record.InHouseBid != "":
		set("has_in_house_bid", "yes")
	case c.Record.NoInHouseReason != "":
		set("has_in_house_bid", "no")
	}
	if c.Record.Service == "" {
		v.Del("exemption_claimed") // the record is not started: nothing is answered yet
	}
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

// adminNewConsultation starts the task list with "About the consultation";
// ?whole=yes shows the whole form on one page instead.
func (s *Server) adminNewConsultation(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("whole") != "yes" {
		s.renderSection(w, r, http.StatusOK, &page{Form: url.Values{}}, nil, consult.SectionAbout)
		return
	}
	form := url.Values{"audience": {"anyone"}, "social_value_weight": {"20"}}
	s.renderConsultationForm(w, r, http.StatusOK, &page{Title: "Create a consultation", Form: form}, nil)
}

func (s *Server) adminCreateConsultation(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	if r.PostForm.Get("section") == string(consult.SectionAbout) {
		s.adminCreateAbout(w, r)
		return
	}
	c := &consult.Consultation{Status: consult.StatusDraft}
	p := &page{Title: "Create a consultation", Form: r.PostForm}
	fields := readConsultation(r.PostForm, c).result(c.Validate())
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.CreateConsultation(r.Context(), c, s.actor(r)), "slug",
			"That web address name is already used by another consultation")
	}
	if fields != nil {
		p.setErrors(fields, consultationFieldOrder)
		s.renderConsultationForm(w, r, http.StatusUnprocessableEntity, p, nil)
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
	PaperEntries []consult.StaffCount // paper forms entered, per staff member
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
	entries, err := s.cfg.Stores.Consult.PaperEntries(r.Context(), c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if qform == nil {
		qform = url.Values{"kind": {"single"}}
	}
	v := &adminConsultationView{consultView: consultView{C: c, State: c.State(s.cfg.Now()), Tally: t, ResultsPublic: true},
		QuestionForm: qform, QErrors: qerrs, PaperEntries: entries}
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
		if c.CanCorrect(s.cfg.Now()) == nil {
			s.flash(r, "This consultation is published, so only its closing date and wording can be corrected. Its questions and options stay as they are.")
			http.Redirect(w, r, manageURL(c)+"/corrections", http.StatusSeeOther)
			return
		}
		s.fail(w, r, consult.ErrNotDraft)
		return
	}
	s.renderConsultationForm(w, r, http.StatusOK, &page{Title: "Edit " + c.Title, Form: consultationFormValues(c)}, c)
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
	fields := readConsultation(r.PostForm, c).result(c.Validate())
	c.Slug = oldSlug // the web address is fixed once created: posters may already carry it
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.UpdateConsultation(r.Context(), c, s.actor(r)), "slug", "")
	}
	if fields != nil {
		p := &page{Title: "Edit " + c.Title, Form: r.PostForm}
		p.setErrors(fields, consultationFieldOrder)
		s.renderConsultationForm(w, r, http.StatusUnprocessableEntity, p, c)
		return
	}
	s.flash(r, "Changes saved.")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
}

// consultationFormView is the consultation form's data: the draft being
// edited (nil for a new one) and the contracts it may be about.
type consultationFormView struct {
	C         *consult.Consultation
	Contracts []choice
}

// renderConsultationForm shows the create or edit form, with the register
// of contracts for its "which contract" question.
func (s *Server) renderConsultationForm(w http.ResponseWriter, r *http.Request, status int, p *page, editing *consult.Consultation) {
	contracts, err := s.contractChoices(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = &consultationFormView{C: editing, Contracts: contracts}
	s.render(w, r, status, "admin_consultation_form", p)
}
