package web

import (
	"net/http"
	"net/url"

	"github.com/oursay/oursay/consult"
)

// Creating a consultation as a GOV.UK task list: "About the consultation"
// creates the draft; the outsourcing record and "Audience and dates" are
// pages of their own; questions are added on the manage page; "Check and
// publish" shows every answer before the usual confirmation. The statuses
// are the domain's (consult.Consultation.Tasks). The whole form at
// /admin/consultations/{slug}/edit still works.

// sectionHeadings are the section pages' headings.
var sectionHeadings = map[consult.Section]string{
	consult.SectionAbout:    "About the consultation",
	consult.SectionRecord:   "Outsourcing record",
	consult.SectionAudience: "Audience and dates",
}

// consultationSectionView is a section page's data.
type consultationSectionView struct {
	consultationFormView
	Section consult.Section
	Heading string
}

func (s *Server) renderSection(w http.ResponseWriter, r *http.Request, status int, p *page, c *consult.Consultation, sec consult.Section) {
	contracts, err := s.contractChoices(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title = sectionHeadings[sec]
	if c != nil {
		p.Title += ": " + c.Title
	}
	p.Data = &consultationSectionView{consultationFormView{C: c, Contracts: contracts}, sec, sectionHeadings[sec]}
	s.render(w, r, status, "admin_consultation_section", p)
}

// draftSection loads the draft and the section named in the path; only a
// draft's sections can change, as with the edit form.
func (s *Server) draftSection(w http.ResponseWriter, r *http.Request) (*consult.Consultation, consult.Section, bool) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return nil, "", false
	}
	sec := consult.Section(r.PathValue("section"))
	if _, ok := sectionHeadings[sec]; !ok {
		s.fail(w, r, consult.ErrNotFound)
		return nil, "", false
	}
	if c.Status != consult.StatusDraft {
		s.fail(w, r, consult.ErrNotDraft)
		return nil, "", false
	}
	return c, sec, true
}

// sectionFields are a section's form fields: the domain's, and the
// questions that only reveal them (see readRevealed).
func sectionFields(sec consult.Section) []string {
	fs := consult.SectionFields[sec]
	if sec == consult.SectionRecord {
		fs = append(append([]string(nil), fs...), "reveals", "has_in_house_bid", "exemption_claimed")
	}
	return fs
}

// sectionFormValues are the draft's saved values for the form, leaving a
// record not yet started blank (so no answer is pre-chosen).
func sectionFormValues(c *consult.Consultation) url.Values {
	v := consultationFormValues(c)
	if c.Record == (consult.Record{}) {
		for _, k := range sectionFields(consult.SectionRecord) {
			v.Del(k)
		}
	}
	return v
}

// withSection is the draft's saved form with the section's fields replaced
// by what was posted, so readConsultation reads one whole consultation.
func withSection(saved, posted url.Values, sec consult.Section) url.Values {
	for _, k := range sectionFields(sec) {
		saved.Del(k)
		for _, part := range dateParts {
			saved.Del(k + "-" + part)
		}
	}
	for k, vs := range posted {
		if sectionField(sec, k) {
			saved[k] = vs
		}
	}
	return saved
}

// sectionField reports whether the form field k (a date box included)
// belongs to the section.
func sectionField(sec consult.Section, k string) bool {
	for _, f := range sectionFields(sec) {
		if k == f || k == f+"-day" || k == f+"-month" || k == f+"-year" {
			return true
		}
	}
	return false
}

// onlySection keeps the messages about the section's fields (and the
// form's own), dropping those about sections not yet done.
func onlySection(fields map[string]string, sec consult.Section) map[string]string {
	out := map[string]string{}
	for k, m := range fields {
		if k == "form" || sectionField(sec, k) {
			out[k] = m
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// adminCreateAbout creates a draft from the "About the consultation" page
// alone, then shows its task list.
func (s *Server) adminCreateAbout(w http.ResponseWriter, r *http.Request) {
	c := &consult.Consultation{Status: consult.StatusDraft}
	form := withSection(url.Values{"audience": {string(consult.AudienceAnyone)}, "social_value_weight": {"0"}}, r.PostForm, consult.SectionAbout)
	f := readConsultation(form, c)
	c.Record = consult.Record{}
	fields := onlySection(f.result(c.Validate()), consult.SectionAbout)
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.CreateConsultation(r.Context(), c, s.actor(r)), "slug",
			"That web address name is already used by another consultation")
	}
	if fields != nil {
		p := &page{Form: r.PostForm}
		p.setErrors(fields, consultationFieldOrder)
		s.renderSection(w, r, http.StatusUnprocessableEntity, p, nil, consult.SectionAbout)
		return
	}
	s.flash(r, "Draft saved. Now complete the other sections.")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/tasks", http.StatusSeeOther)
}

func (s *Server) adminSectionPage(w http.ResponseWriter, r *http.Request) {
	c, sec, ok := s.draftSection(w, r)
	if !ok {
		return
	}
	s.renderSection(w, r, http.StatusOK, &page{Form: sectionFormValues(c)}, c, sec)
}

func (s *Server) adminSaveSection(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	c, sec, ok := s.draftSection(w, r)
	if !ok {
		return
	}
	oldSlug := c.Slug
	blankRecord := c.Record == (consult.Record{})
	f := readConsultation(withSection(sectionFormValues(c), r.PostForm, sec), c)
	c.Slug = oldSlug
	if sec != consult.SectionRecord && blankRecord {
		c.Record = consult.Record{}
	}
	fields := onlySection(f.result(c.Validate()), sec)
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.UpdateConsultation(r.Context(), c, s.actor(r)), "form", "")
	}
	if fields != nil {
		p := &page{Form: r.PostForm}
		p.setErrors(fields, consultationFieldOrder)
		s.renderSection(w, r, http.StatusUnprocessableEntity, p, c, sec)
		return
	}
	s.flash(r, sectionHeadings[sec]+": saved.")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/tasks", http.StatusSeeOther)
}

func (s *Server) adminConsultationTasks(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Status != consult.StatusDraft {
		http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "admin_consultation_tasks", &page{Title: "Task list: " + c.Title, Data: c})
}

// consultationCheckView is the check-answers page's data.
type consultationCheckView struct {
	C     *consult.Consultation
	Ready bool // every section is complete: it may be published
}

func (s *Server) adminCheckConsultation(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Status != consult.StatusDraft {
		http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "admin_consultation_check", &page{Title: "Check your answers: " + c.Title,
		Data: &consultationCheckView{C: c, Ready: c.CanOpen() == nil}})
}
