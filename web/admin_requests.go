package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Council staff moderate information requests (publish, or reject with a
// reason) and close them (answer, or refuse under a named exemption).
// Each step is final, mails the asker and is audited by the store.

// staffRequests splits the requests staff must act on: those awaiting
// moderation, oldest first, and those awaiting an answer, the overdue
// first, then by due date.
func staffRequests(list []*ballot.InfoRequest, now time.Time) (moderation, answer []*requestView) {
	for _, r := range list {
		v := newRequestView(r, now)
		if r.State == ballot.RequestModeration {
			moderation = append(moderation, v)
		} else {
			answer = append(answer, v)
		}
	}
	sort.SliceStable(answer, func(i, j int) bool {
		a, b := answer[i], answer[j]
		if ao, bo := a.Status == ballot.StatusOverdue, b.Status == ballot.StatusOverdue; ao != bo {
			return ao
		}
		return a.R.DueOn.Before(b.R.DueOn)
	})
	return moderation, answer
}

type adminRequestsView struct {
	Moderation, Answer []*requestView
}

func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Requests.StaffRequests(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &adminRequestsView{}
	v.Moderation, v.Answer = staffRequests(list, s.cfg.Now())
	s.render(w, r, http.StatusOK, "admin_requests", &page{Title: "Information requests", Data: v})
}

// requestTasks are the dashboard's information request tasks.
func (s *Server) requestTasks(r *http.Request, now time.Time) ([]taskGroup, error) {
	list, err := s.cfg.Stores.Requests.StaffRequests(r.Context())
	if err != nil {
		return nil, err
	}
	moderation, answer := staffRequests(list, now)
	mg := taskGroup{ID: "requests-moderation", Heading: "Information requests to moderate", None: "No information request is waiting for moderation."}
	for _, v := range moderation {
		mg.Tasks = append(mg.Tasks, task{Name: "Moderate ‘" + v.R.Title + "’", Href: "/admin/requests/" + itoa64(v.R.ID),
			Hint: "Publish it or reject it with a reason. " + v.Due, Status: "To do"})
	}
	ag := taskGroup{ID: "requests-answer", Heading: "Information requests to answer", None: "No published information request is waiting for an answer."}
	for _, v := range answer {
		t := task{Name: "Answer ‘" + v.R.Title + "’", Href: "/admin/requests/" + itoa64(v.R.ID),
			Hint: "About " + v.R.ContractTitle + ". " + v.Due, Status: "To do"}
		if v.Status == ballot.StatusOverdue {
			t.Status, t.Urgent = "Overdue", true
		}
		ag.Tasks = append(ag.Tasks, t)
	}
	return []taskGroup{mg, ag}, nil
}

// adminRequestView is a request's staff page, with the asker's email.
type adminRequestView struct {
	*requestView
	Review     string // why the bot checks flagged it, or ""
	Exemptions []choice
	// Limit is the upload limit, for the hint on the document form.
	Limit string
}

func (s *Server) adminRequest(w http.ResponseWriter, r *http.Request) {
	s.renderAdminRequest(w, r, http.StatusOK, nil)
}

func (s *Server) renderAdminRequest(w http.ResponseWriter, r *http.Request, status int, fields map[string]string) {
	id, err := requestID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := s.cfg.Stores.Requests.Request(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if req.State == ballot.RequestUnconfirmed {
		s.fail(w, r, ballot.ErrNotFound) // not received: nothing for staff to see
		return
	}
	v := &adminRequestView{requestView: newRequestView(req, s.cfg.Now()), Review: req.ReviewReason.Describe(),
		Exemptions: exemptionChoicesFOI(), Limit: s.uploadLimitText()}
	if err := s.withDocs(r, v.requestView); err != nil {
		s.fail(w, r, err)
		return
	}
	form := r.PostForm
	if form == nil || req.State == ballot.RequestAnswered && fields == nil {
		form = url.Values{"redacted": {"no"}}
	}
	p := &page{Title: req.Title, Data: v, Form: form}
	p.setErrors(fields, []string{"form", "reason", "answer", "exemption", "explanation", "title", "dated", "redacted", "file"})
	s.render(w, r, status, "admin_request", p)
}

func exemptionChoicesFOI() []choice {
	out := make([]choice, 0, len(ballot.FOIExemptions))
	for _, e := range ballot.FOIExemptions {
		out = append(out, choice{e.Code, e.Label})
	}
	return out
}

// requestAction runs one staff step on the request in the path and
// redirects with msg, or shows the form again with what went wrong.
func (s *Server) requestAction(w http.ResponseWriter, r *http.Request, msg string, act func(id int64, f func(string) string, actor string) error) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	id, err := requestID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = act(id, func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }, s.actor(r))
	var ve *ballot.ValidationError
	switch {
	case err == nil:
		s.flash(r, msg)
		http.Redirect(w, r, "/admin/requests/"+itoa64(id), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.renderAdminRequest(w, r, http.StatusUnprocessableEntity, ve.Fields)
	case errors.Is(err, ballot.ErrBadTransition):
		s.renderAdminRequest(w, r, http.StatusConflict, map[string]string{"form": "That step is not allowed at this stage: the request may have been dealt with already."})
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) adminPublishRequest(w http.ResponseWriter, r *http.Request) {
	s.requestAction(w, r, "The request is published and the asker has been told.", func(id int64, _ func(string) string, actor string) error {
		return s.cfg.Stores.Requests.PublishRequest(r.Context(), id, actor)
	})
}

func (s *Server) adminRejectRequest(w http.ResponseWriter, r *http.Request) {
	s.requestAction(w, r, "The request is rejected and the asker has been told why.", func(id int64, f func(string) string, actor string) error {
		return s.cfg.Stores.Requests.RejectRequest(r.Context(), id, f("reason"), actor)
	})
}

func (s *Server) adminAnswerRequest(w http.ResponseWriter, r *http.Request) {
	s.requestAction(w, r, "The answer is published and the asker and followers have been emailed.", func(id int64, f func(string) string, actor string) error {
		return s.cfg.Stores.Requests.AnswerRequest(r.Context(), id, f("answer"), actor)
	})
}

func (s *Server) adminRefuseRequest(w http.ResponseWriter, r *http.Request) {
	s.requestAction(w, r, "The refusal is published and the asker and followers have been emailed.", func(id int64, f func(string) string, actor string) error {
		return s.cfg.Stores.Requests.RefuseRequest(r.Context(), id, f("exemption"), f("explanation"), actor)
	})
}

// adminAnswerDocument releases a document with a published answer: it is
// listed under the answer on the request's page and in its JSON and open
// data. The domain decides whether it may be (ballot.Document.Validate,
// ballot.InfoRequest.CanReleaseDocuments); a refusal saves nothing.
func (s *Server) adminAnswerDocument(w http.ResponseWriter, r *http.Request) {
	req, err := s.pathRequestForStaff(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &ballot.Document{ContractID: req.ContractID, RequestID: req.ID, Kind: ballot.DocAnswer}
	fields, status, err := s.readDocument(r, d)
	switch {
	case err != nil:
		s.badForm(w, r, err)
	case fields != nil && fields["form"] != "" && req.State != ballot.RequestAnswered:
		s.renderAdminRequest(w, r, http.StatusConflict, map[string]string{"form": "Documents can be added only to a published answer."})
	case fields != nil:
		s.renderAdminRequest(w, r, status, fields)
	default:
		s.flash(r, fmt.Sprintf("%q is published with the answer.", d.Title))
		http.Redirect(w, r, "/admin/requests/"+itoa64(req.ID), http.StatusSeeOther)
	}
}

// The confirmation pages of the four staff steps. Each returns nil (no
// page: the form's errors are shown) when the form would be refused.

func (s *Server) pathRequestForStaff(r *http.Request) (*ballot.InfoRequest, error) {
	id, err := requestID(r)
	if err != nil {
		return nil, err
	}
	return s.cfg.Stores.Requests.Request(r.Context(), id)
}

func requestCaption(req *ballot.InfoRequest) string { return "Information request: " + req.Title }

func (s *Server) describeRequestStep(r *http.Request, want ballot.RequestState, step func(*ballot.InfoRequest) error,
	build func(req *ballot.InfoRequest) *confirmation) (*confirmation, error) {
	req, err := s.pathRequestForStaff(r)
	if err != nil {
		return nil, err
	}
	if req.State != want {
		return nil, nil // the handler says the step is not allowed
	}
	if step(req) != nil {
		return nil, nil
	}
	c := build(req)
	c.Caption, c.Back = requestCaption(req), "/admin/requests/"+itoa64(req.ID)
	return c, nil
}

func (s *Server) describePublishRequest(r *http.Request) (*confirmation, error) {
	return s.describeRequestStep(r, ballot.RequestModeration, func(req *ballot.InfoRequest) error { return req.Publish(s.cfg.Now()) },
		func(req *ballot.InfoRequest) *confirmation {
			return &confirmation{Heading: "Publish this information request?",
				Warning: "A published request cannot be taken down or rejected.",
				Happens: []string{"The request, with the asker's name (never their email address), is published at /requests/" + itoa64(req.ID) + ".",
					"Anyone can follow it to be emailed when it is answered."},
				Told: "The asker is emailed that it is published.", Button: "Yes, publish it"}
		})
}

func (s *Server) describeRejectRequest(r *http.Request) (*confirmation, error) {
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	return s.describeRequestStep(r, ballot.RequestModeration, func(req *ballot.InfoRequest) error { return req.Reject(reason) },
		func(req *ballot.InfoRequest) *confirmation {
			return &confirmation{Heading: "Reject this information request?", Danger: true,
				Warning: "A rejected request is never published, and this cannot be undone.",
				Happens: []string{"The request is not published."},
				Shown:   []shownField{{"Reason", reason}},
				Told:    "The asker is emailed the reason.", Button: "Yes, reject it"}
		})
}

func (s *Server) describeAnswerRequest(r *http.Request) (*confirmation, error) {
	answer := strings.TrimSpace(r.PostForm.Get("answer"))
	return s.describeRequestStep(r, ballot.RequestAwaiting, func(req *ballot.InfoRequest) error { return req.AnswerWith(answer, s.cfg.Now()) },
		func(req *ballot.InfoRequest) *confirmation {
			return &confirmation{Heading: "Publish this answer?",
				Warning: "The answer is published at once and cannot be changed.",
				Happens: []string{"The answer is shown on the request's page, and the request counts as answered."},
				Shown:   []shownField{{"Answer", answer}},
				Told:    "The asker and everyone following the request are emailed.", Button: "Yes, publish the answer"}
		})
}

func (s *Server) describeRefuseRequest(r *http.Request) (*confirmation, error) {
	exemption, explanation := strings.TrimSpace(r.PostForm.Get("exemption")), strings.TrimSpace(r.PostForm.Get("explanation"))
	return s.describeRequestStep(r, ballot.RequestAwaiting, func(req *ballot.InfoRequest) error { return req.Refuse(exemption, explanation, s.cfg.Now()) },
		func(req *ballot.InfoRequest) *confirmation {
			return &confirmation{Heading: "Refuse this information request?", Danger: true,
				Warning: "The refusal is published at once and cannot be changed.",
				Happens: []string{"The request's page shows it was refused, with the exemption and your explanation."},
				Shown:   []shownField{{"Exemption", ballot.ExemptionLabel(exemption)}, {"Explanation", explanation}},
				Told:    "The asker and everyone following the request are emailed.", Button: "Yes, refuse it"}
		})
}
