package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/oursay/oursay/consult"
)

// readQuestion reads the add-question form on the manage page. Its rules
// are the domain's (consult.Question.Validate).
func readQuestion(form url.Values) *consult.Question {
	f := newFormReader(form)
	q := &consult.Question{Kind: consult.Kind(f.text("kind")), Prompt: f.text("prompt"), Hint: f.text("hint"),
		Required: f.text("required") == "yes"}
	if q.Kind.HasOptions() {
		q.Options = consult.ParseOptions(form.Get("options"))
	}
	return q
}

func (s *Server) adminAddQuestion(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	q := readQuestion(r.PostForm)
	fields := withDomain(nil, q.Validate())
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.AddQuestion(r.Context(), r.PathValue("slug"), q, s.actor(r)), "prompt", "")
	}
	if fields != nil {
		s.renderManage(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	s.flash(r, "Question added.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug")+"#questions", http.StatusSeeOther)
}

func (s *Server) adminDeleteQuestion(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	s.afterAction(w, r, s.cfg.Stores.Consult.DeleteQuestion(r.Context(), r.PathValue("slug"), id, s.actor(r)), "Question removed.")
}

func (s *Server) adminOpen(w http.ResponseWriter, r *http.Request) {
	s.afterAction(w, r, s.cfg.Stores.Consult.Open(r.Context(), r.PathValue("slug"), s.actor(r)), "The consultation is published.")
}

func (s *Server) adminClose(w http.ResponseWriter, r *http.Request) {
	s.afterAction(w, r, s.cfg.Stores.Consult.Close(r.Context(), r.PathValue("slug"), s.actor(r)), "The consultation is closed. Its results are now public.")
}

// afterAction redirects to the manage page with msg, or shows the refusal there.
func (s *Server) afterAction(w http.ResponseWriter, r *http.Request, err error, msg string) {
	var ve *consult.ValidationError
	switch {
	case err == nil:
		s.flash(r, msg)
		http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug"), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.renderManage(w, r, http.StatusUnprocessableEntity, nil, ve.Fields)
	case errors.Is(err, consult.ErrNotFound):
		s.fail(w, r, err)
	default:
		_, m := statusFor(err)
		s.renderManage(w, r, http.StatusConflict, nil, map[string]string{"form": m})
	}
}

func (s *Server) adminOutcomePage(w http.ResponseWriter, r *http.Request) {
	s.renderStep(w, r, http.StatusOK, "admin_outcome", "Publish the outcome", nil, nil)
}

// renderStep shows a form page about one consultation.
func (s *Server) renderStep(w http.ResponseWriter, r *http.Request, status int, tmpl, title string, form url.Values, fields map[string]string) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{Title: title + ": " + c.Title, Form: form, Data: c}
	if fields != nil {
		p.setErrors(fields, []string{"form", "decision", "we_asked", "you_said", "we_did", "summary", "in_house_comparison", "revision_note"})
	}
	s.render(w, r, status, tmpl, p)
}

func (s *Server) adminPublishOutcome(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	f := newFormReader(r.PostForm)
	o := consult.Outcome{WeAsked: f.text("we_asked"), YouSaid: f.text("you_said"), WeDid: f.text("we_did")}
	fields := f.result(o.Validate())
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.PublishOutcome(r.Context(), r.PathValue("slug"), o, s.actor(r)), "form", "")
	}
	if fields != nil {
		s.renderStep(w, r, http.StatusUnprocessableEntity, "admin_outcome", "Publish the outcome", r.PostForm, fields)
		return
	}
	s.flash(r, "The outcome is published on the consultation page.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug"), http.StatusSeeOther)
}

func (s *Server) adminDecisionPage(w http.ResponseWriter, r *http.Request) {
	s.renderStep(w, r, http.StatusOK, "admin_decision", "Record the decision", nil, nil)
}

func (s *Server) adminRecordDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	f := newFormReader(r.PostForm)
	d := consult.Decision{Proposal: consult.Proposal(f.text("decision")), Summary: f.text("summary"),
		InHouseComparison: f.text("in_house_comparison")}
	fields := f.result(d.Validate())
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.RecordDecision(r.Context(), r.PathValue("slug"), d, s.actor(r)), "form", "")
	}
	if fields != nil {
		status := http.StatusUnprocessableEntity
		if _, gate := fields["form"]; gate {
			status = http.StatusConflict
		}
		s.renderStep(w, r, status, "admin_decision", "Record the decision", r.PostForm, fields)
		return
	}
	s.flash(r, "The decision is recorded and shown on the consultation page.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug"), http.StatusSeeOther)
}
