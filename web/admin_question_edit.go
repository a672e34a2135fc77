package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/oursay/oursay/consult"
)

// questionFormView is the edit page of one draft question.
type questionFormView struct {
	C      *consult.Consultation
	Q      *consult.Question
	Number int // its place, from 1
}

// questionFormValues fills the question form from a saved question.
func questionFormValues(q *consult.Question) url.Values {
	labels := make([]string, len(q.Options))
	for i, o := range q.Options {
		labels[i] = o.Label
	}
	v := url.Values{"kind": {string(q.Kind)}, "prompt": {q.Prompt}, "hint": {q.Hint}, "options": {strings.Join(labels, "\n")}}
	if q.Required {
		v.Set("required", "yes")
	}
	return v
}

// draftQuestion loads the question the path names. A published
// consultation's questions cannot change, and it says so (ErrNotDraft).
func (s *Server) draftQuestion(r *http.Request) (*questionFormView, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for i := range c.Questions {
		if c.Questions[i].ID == id {
			if c.QuestionsFixed() {
				return nil, consult.ErrNotDraft
			}
			return &questionFormView{C: c, Q: &c.Questions[i], Number: i + 1}, nil
		}
	}
	return nil, consult.ErrNotFound
}

func (s *Server) adminEditQuestion(w http.ResponseWriter, r *http.Request) {
	v, err := s.draftQuestion(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_question_form", &page{Title: "Edit question " + strconv.Itoa(v.Number), Form: questionFormValues(v.Q), Data: v})
}

func (s *Server) adminUpdateQuestion(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	v, err := s.draftQuestion(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := readQuestion(r.PostForm)
	q.ID = v.Q.ID
	fields := withDomain(nil, q.Validate())
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Consult.UpdateQuestion(r.Context(), v.C.Slug, q, s.actor(r)), "prompt", "")
	}
	if fields != nil {
		p := &page{Title: "Edit question " + strconv.Itoa(v.Number), Form: r.PostForm, Data: v}
		p.setErrors(fields, []string{"kind", "prompt", "hint", "options", "form"})
		s.render(w, r, http.StatusUnprocessableEntity, "admin_question_form", p)
		return
	}
	s.flash(r, "Question "+strconv.Itoa(v.Number)+" saved.")
	http.Redirect(w, r, manageURL(v.C)+"#questions-list", http.StatusSeeOther)
}

// adminMoveQuestion moves a draft question one place up or down.
func (s *Server) adminMoveQuestion(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	by := map[string]int{"up": -1, "down": 1}[r.PostForm.Get("direction")]
	if err != nil || by == 0 {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	s.afterAction(w, r, s.cfg.Stores.Consult.MoveQuestion(r.Context(), r.PathValue("slug"), id, by, s.actor(r)), "Question moved "+r.PostForm.Get("direction")+".")
}
