package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/oursay/oursay/consult"
)

// questionForm is the add-question form on the manage page.
type questionForm struct {
	Kind     string `form:"kind" validate:"required,oneof=single multiple scale text"`
	Prompt   string `form:"prompt" validate:"required,max=500"`
	Hint     string `form:"hint" validate:"max=1000"`
	Options  string `form:"options" validate:"max=5000"`
	Required string `form:"required" validate:"omitempty,oneof=yes"`
}

func (s *Server) adminAddQuestion(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := questionForm{Kind: g("kind"), Prompt: g("prompt"), Hint: g("hint"), Options: r.PostForm.Get("options"), Required: g("required")}
	fields := s.check(f)
	if fields == nil {
		q := &consult.Question{Kind: consult.Kind(f.Kind), Prompt: f.Prompt, Hint: f.Hint, Required: f.Required == "yes"}
		if q.Kind.HasOptions() {
			q.Options = consult.ParseOptions(f.Options)
		}
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

// outcomeForm is "We asked, you said, we did".
type outcomeForm struct {
	WeAsked string `form:"we_asked" validate:"required,max=5000"`
	YouSaid string `form:"you_said" validate:"required,max=5000"`
	WeDid   string `form:"we_did" validate:"required,max=5000"`
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
		p.setErrors(fields, []string{"form", "decision", "we_asked", "you_said", "we_did", "summary", "in_house_comparison"})
	}
	s.render(w, r, status, tmpl, p)
}

func (s *Server) adminPublishOutcome(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := outcomeForm{WeAsked: g("we_asked"), YouSaid: g("you_said"), WeDid: g("we_did")}
	fields := s.check(f)
	if fields == nil {
		o := consult.Outcome{WeAsked: f.WeAsked, YouSaid: f.YouSaid, WeDid: f.WeDid}
		fields = s.storeFields(s.cfg.Stores.Consult.PublishOutcome(r.Context(), r.PathValue("slug"), o, s.actor(r)), "form", "")
	}
	if fields != nil {
		s.renderStep(w, r, http.StatusUnprocessableEntity, "admin_outcome", "Publish the outcome", r.PostForm, fields)
		return
	}
	s.flash(r, "The outcome is published on the consultation page.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug"), http.StatusSeeOther)
}

// decisionForm records the outsourcing decision.
type decisionForm struct {
	Decision          string `form:"decision" validate:"required,oneof=outsource sell_asset change_service in_house"`
	Summary           string `form:"summary" validate:"required,max=5000"`
	InHouseComparison string `form:"in_house_comparison" validate:"required,max=5000"`
}

func (s *Server) adminDecisionPage(w http.ResponseWriter, r *http.Request) {
	s.renderStep(w, r, http.StatusOK, "admin_decision", "Record the decision", nil, nil)
}

func (s *Server) adminRecordDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := decisionForm{Decision: g("decision"), Summary: g("summary"), InHouseComparison: g("in_house_comparison")}
	fields := s.check(f)
	if fields == nil {
		d := consult.Decision{Proposal: consult.Proposal(f.Decision), Summary: f.Summary, InHouseComparison: f.InHouseComparison}
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

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) {
	entries, err := s.cfg.Stores.Audit.AuditEntries(r.Context(), 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_audit", &page{Title: "Audit log", Data: entries})
}
