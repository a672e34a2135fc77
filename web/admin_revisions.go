package web

import (
	"net/http"
	"net/url"

	"github.com/oursay/oursay/consult"
)

// Revising a published outcome or decision: the same form as publishing
// it (admin_outcome, admin_decision), filled with the current version,
// plus a public revision note. The rules are the domain's
// (consult.Consultation.ReviseOutcome, ReviseDecision); each revision is
// confirmed first (confirmSteps) and audited by the store.

// readOutcome reads the outcome form's three parts.
func readOutcome(form url.Values) consult.Outcome {
	f := newFormReader(form)
	return consult.Outcome{WeAsked: f.text("we_asked"), YouSaid: f.text("you_said"), WeDid: f.text("we_did")}
}

// readDecision reads the decision form.
func readDecision(form url.Values) consult.Decision {
	f := newFormReader(form)
	return consult.Decision{Proposal: consult.Proposal(f.text("decision")), Summary: f.text("summary"),
		InHouseComparison: f.text("in_house_comparison")}
}

func (s *Server) adminReviseOutcomePage(w http.ResponseWriter, r *http.Request) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Outcome == nil {
		s.fail(w, r, consult.ErrBadTransition)
		return
	}
	form := url.Values{"we_asked": {c.Outcome.WeAsked}, "you_said": {c.Outcome.YouSaid}, "we_did": {c.Outcome.WeDid}}
	s.renderStep(w, r, http.StatusOK, "admin_outcome", "Revise the outcome", form, nil)
}

func (s *Server) adminReviseOutcome(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	err := s.cfg.Stores.Consult.ReviseOutcome(r.Context(), r.PathValue("slug"), readOutcome(r.PostForm), r.PostForm.Get("revision_note"), s.actor(r))
	if fields := s.storeFields(err, "form", ""); fields != nil {
		s.renderStep(w, r, revisionStatus(fields), "admin_outcome", "Revise the outcome", r.PostForm, fields)
		return
	}
	s.flash(r, "The outcome is revised. The consultation page shows your note and the earlier version.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug"), http.StatusSeeOther)
}

func (s *Server) adminReviseDecisionPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Decision == nil {
		s.fail(w, r, consult.ErrBadTransition)
		return
	}
	form := url.Values{"decision": {string(c.Decision.Proposal)}, "summary": {c.Decision.Summary}, "in_house_comparison": {c.Decision.InHouseComparison}}
	s.renderStep(w, r, http.StatusOK, "admin_decision", "Revise the decision", form, nil)
}

func (s *Server) adminReviseDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	err := s.cfg.Stores.Consult.ReviseDecision(r.Context(), r.PathValue("slug"), readDecision(r.PostForm), r.PostForm.Get("revision_note"), s.actor(r))
	if fields := s.storeFields(err, "form", ""); fields != nil {
		s.renderStep(w, r, revisionStatus(fields), "admin_decision", "Revise the decision", r.PostForm, fields)
		return
	}
	s.flash(r, "The decision is revised. The consultation page shows your note and the earlier version.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug"), http.StatusSeeOther)
}

// revisionStatus is 409 when there is nothing to revise, else 422.
func revisionStatus(fields map[string]string) int {
	if _, gate := fields["form"]; gate {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// describeReviseOutcome is the confirmation of a revision the domain
// accepts; nil lets the handler show the form's errors.
func (s *Server) describeReviseOutcome(r *http.Request) (*confirmation, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	o, note := readOutcome(r.PostForm), r.PostForm.Get("revision_note")
	if _, err := c.ReviseOutcome(s.cfg.Now(), o, note); err != nil {
		return nil, nil
	}
	return &confirmation{
		Caption: consultCaption(c), Heading: "Publish this revision of the outcome?",
		Warning: "The revised outcome replaces the published one. Your note is shown with it, and the earlier version stays readable.",
		Happens: []string{"The consultation page shows the revised outcome with ‘Revised on " + formatDate(s.cfg.Now()) + "’ and your note.",
			"The earlier version is listed under ‘Earlier versions of the outcome’."},
		Shown:  []shownField{{"Revision note", note}, {"What you asked", o.WeAsked}, {"What people said", o.YouSaid}, {"What the council did", o.WeDid}},
		Told:   noMail + " People who were emailed the outcome are not emailed again. Anyone reading the consultation page sees the revision.",
		Button: "Yes, publish the revision", Back: manageURL(c),
		ChangeLabel: "Go back and change it",
		change: func(w http.ResponseWriter, r *http.Request) {
			s.renderStep(w, r, http.StatusOK, "admin_outcome", "Revise the outcome", r.PostForm, nil)
		},
	}, nil
}

func (s *Server) describeReviseDecision(r *http.Request) (*confirmation, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	d, note := readDecision(r.PostForm), r.PostForm.Get("revision_note")
	if _, err := c.ReviseDecision(s.cfg.Now(), d, note); err != nil {
		return nil, nil
	}
	return &confirmation{
		Caption: consultCaption(c), Heading: "Publish this revision of the decision?",
		Warning: "The revised decision replaces the recorded one. Your note is shown with it, and the earlier version stays readable.",
		Happens: []string{"The consultation page shows the revised decision with ‘Revised on " + formatDate(s.cfg.Now()) + "’ and your note.",
			"The earlier version is listed under ‘Earlier versions of the decision’."},
		Shown: []shownField{{"Revision note", note}, {"What was decided", d.Proposal.Label()}, {"Summary", d.Summary},
			{"The in-house comparison", d.InHouseComparison}},
		Told:   noMail + " Anyone reading the consultation page sees the revision.",
		Button: "Yes, publish the revision", Back: manageURL(c),
		ChangeLabel: "Go back and change it",
		change: func(w http.ResponseWriter, r *http.Request) {
			s.renderStep(w, r, http.StatusOK, "admin_decision", "Revise the decision", r.PostForm, nil)
		},
	}, nil
}
