package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// Residents object to a published good-reason exemption during its
// challenge window, with their name and an email address confirmed from
// a mailed link, as information requests are confirmed (requests.go).

var objectionFieldOrder = []string{"name", "email", "reason"}

// reviewObject saves an objection and asks the resident to confirm it.
func (s *Server) reviewObject(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	v, err := s.loadReview(r)
	if err == nil && v.R.Status != ballot.ReviewPublished {
		err = consult.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newFormReader(r.PostForm)
	o := &ballot.Objection{ReviewID: v.R.ID, Name: f.text("name"), Email: f.text("email"), Reason: f.text("reason")}
	err = s.cfg.Stores.Reviews.Object(r.Context(), o, s.baseURL(r))
	var ve *consult.ValidationError
	switch {
	case errors.As(err, &ve):
		s.renderReviewPage(w, r, v, http.StatusUnprocessableEntity, r.PostForm, ve.Fields)
		return
	case errors.Is(err, ballot.ErrBadTransition):
		s.renderReviewPage(w, r, v, http.StatusUnprocessableEntity, r.PostForm,
			map[string]string{"name": "The time to object to this exemption has ended"})
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reviews/objections/sent", http.StatusSeeOther)
}

func (s *Server) objectionSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "check_email", &page{Title: "Check your email",
		Data: "We have sent you an email with a link. Your objection counts only once you open the link and press Confirm."})
}

func (s *Server) objectionConfirmPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	o, err := s.cfg.Stores.Reviews.ObjectionLink(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !o.ConfirmedAt.IsZero() {
		s.renderObjectionConfirmed(w, r, o, true)
		return
	}
	s.render(w, r, http.StatusOK, "confirm_link", &page{Title: "Confirm your objection", Data: &linkView{
		Heading: "Confirm your objection", Lead: "You object to the council's good-reason exemption, saying",
		Title: o.Reason, Action: "/reviews/objections/confirm", Token: token, Button: "Confirm my objection"}})
}

func (s *Server) objectionConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	o, already, err := s.cfg.Stores.Reviews.ConfirmObjection(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderObjectionConfirmed(w, r, o, already)
}

func (s *Server) renderObjectionConfirmed(w http.ResponseWriter, r *http.Request, o *ballot.Objection, already bool) {
	v := &messageView{Heading: "Objection received", Message: "Your objection is counted on the review's page. The council must consider every objection before it decides.",
		LinkText: "Back to the review", Link: "/contracts"}
	if already {
		v.Heading, v.Message = "Your objection was already confirmed", "Nothing more needs doing."
	}
	if rv, err := s.cfg.Stores.Reviews.Review(r.Context(), o.ReviewID); err == nil {
		v.Link = reviewURL(rv)
	}
	s.renderMessage(w, r, v)
}

// renderReviewPage draws a published review's public page, with the
// objection form as typed and its errors.
func (s *Server) renderReviewPage(w http.ResponseWriter, r *http.Request, v *reviewView, status int, form map[string][]string, fields map[string]string) {
	n, err := s.cfg.Stores.Reviews.ObjectionCount(r.Context(), v.R.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Objections = n
	p := &page{Title: v.Heading() + " – " + v.C.Title, Data: v, Form: form}
	p.setErrors(fields, objectionFieldOrder)
	s.render(w, r, status, "review", p)
}
