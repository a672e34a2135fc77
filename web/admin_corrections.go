package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/oursay/oursay/consult"
)

// correctionsView is the page where admins correct a published
// consultation's closing date and wording, with the corrections so far.
type correctionsView struct {
	C           *consult.Consultation
	Corrections []consult.Correction
}

var correctionFieldOrder = []string{"closes_on", "title", "summary", "form"}

func (s *Server) adminCorrections(w http.ResponseWriter, r *http.Request) {
	s.renderCorrections(w, r, http.StatusOK, nil, nil)
}

// renderCorrections shows the corrections page with what was typed and the
// errors of a refused form; a nil form starts from the saved values.
func (s *Server) renderCorrections(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err == nil {
		err = c.CanCorrect(s.cfg.Now())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	corrs, err := s.cfg.Stores.Consult.Corrections(r.Context(), c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if form == nil {
		saved := consultationFormValues(c)
		form = url.Values{"closes_on": saved["closes_on"], "title": {c.Title}, "summary": {c.Summary}}
	}
	p := &page{Title: "Correct " + c.Title, Form: form, Data: &correctionsView{C: c, Corrections: corrs}}
	if fields != nil {
		p.setErrors(fields, correctionFieldOrder)
	}
	s.render(w, r, status, "admin_corrections", p)
}

// readClosing reads the new closing date: the end of the London day typed.
func readClosing(form url.Values) (time.Time, *formReader) {
	f := newFormReader(form)
	d := f.formDate("closes_on", "Closing date", london)
	return londonDay(d, 1), f
}

// checkCorrection loads the consultation and runs the domain's check for
// a correction; fields holds the form's errors, and err anything else.
func (s *Server) checkCorrection(r *http.Request, check func(c *consult.Consultation, now time.Time) error) (*consult.Consultation, map[string]string, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, nil, err
	}
	var ve *consult.ValidationError
	if err := check(c, s.cfg.Now()); errors.As(err, &ve) {
		return c, ve.Fields, nil
	} else if err != nil {
		return nil, nil, err
	}
	return c, nil, nil
}

func (s *Server) adminChangeClosing(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	at, f := readClosing(r.PostForm)
	if fields := f.result(nil); fields != nil {
		s.renderCorrections(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	if !s.correctionSaved(w, r, s.cfg.Stores.Consult.ChangeClosing(r.Context(), r.PathValue("slug"), at, s.actor(r))) {
		return
	}
	s.flash(r, "Closing date changed. The consultation's page says so.")
	http.Redirect(w, r, manageURL(&consult.Consultation{Slug: r.PathValue("slug")}), http.StatusSeeOther)
}

func (s *Server) adminCorrectWording(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	f := r.PostForm
	if !s.correctionSaved(w, r, s.cfg.Stores.Consult.CorrectWording(r.Context(), r.PathValue("slug"), f.Get("title"), f.Get("summary"), s.actor(r))) {
		return
	}
	s.flash(r, "Wording corrected. The change is listed on the consultation's page.")
	http.Redirect(w, r, manageURL(&consult.Consultation{Slug: r.PathValue("slug")}), http.StatusSeeOther)
}

// correctionSaved reports whether a correction was saved; if not, it shows
// the form again with the rules' messages, or the error page (a closed
// consultation, an unknown one).
func (s *Server) correctionSaved(w http.ResponseWriter, r *http.Request, err error) bool {
	var ve *consult.ValidationError
	switch {
	case errors.As(err, &ve):
		s.renderCorrections(w, r, http.StatusUnprocessableEntity, r.PostForm, ve.Fields)
	case err != nil:
		s.fail(w, r, err)
	}
	return err == nil
}

// describeChangeClosing is the confirmation of a new closing date; a date
// the rules refuse goes back to the form instead.
func (s *Server) describeChangeClosing(r *http.Request) (*confirmation, error) {
	at, f := readClosing(r.PostForm)
	if f.result(nil) != nil {
		return nil, nil
	}
	c, fields, err := s.checkCorrection(r, func(c *consult.Consultation, now time.Time) error {
		_, err := c.ChangeClosing(now, at)
		return err
	})
	if err != nil || fields != nil {
		return nil, err
	}
	corr, _ := c.ChangeClosing(s.cfg.Now(), at)
	return &confirmation{
		Caption: consultCaption(c), Heading: "Change the closing date?",
		Warning: "The change is shown on the consultation's page for good, with today's date.",
		Happens: []string{
			"The consultation closes at " + corr.NewText() + " instead of " + corr.OldText() + ".",
			"Its page says ‘Closing date changed from " + corr.OldText() + " to " + corr.NewText() + " on " + formatDate(s.cfg.Now()) + "’.",
		},
		Told:   noMail + " Anyone reading the consultation page sees the new date and the change.",
		Button: "Yes, change the closing date", Back: manageURL(c) + "/corrections",
	}, nil
}

// describeCorrectWording is the confirmation of new wording.
func (s *Server) describeCorrectWording(r *http.Request) (*confirmation, error) {
	title, summary := r.PostForm.Get("title"), r.PostForm.Get("summary")
	var corrs []consult.Correction
	c, fields, err := s.checkCorrection(r, func(c *consult.Consultation, now time.Time) error {
		var err error
		corrs, err = c.CorrectWording(now, title, summary)
		return err
	})
	if err != nil || fields != nil {
		return nil, err
	}
	var happens []string
	var shown []shownField
	for _, corr := range corrs {
		happens = append(happens, "The "+lowerFirst(corr.Label())+" changes. The old and new wording are listed on the consultation's page, with today's date and your email address.")
		shown = append(shown, shownField{"New " + lowerFirst(corr.Label()), corr.NewText()})
	}
	return &confirmation{
		Caption: consultCaption(c), Heading: "Correct the wording?",
		Warning: "A correction cannot be taken back: the change log on the public page keeps it.",
		Happens: happens, Shown: shown,
		Told:   noMail + " Anyone reading the consultation page sees the correction in its list of changes.",
		Button: "Yes, correct the wording", Back: manageURL(c) + "/corrections",
	}, nil
}
