package web

import (
	"net/http"
	"strings"

	"github.com/oursay/oursay/ballot"
)

// Following a published request: double opt-in by a mailed link, and a
// stop link in every mail after.

func (s *Server) requestFollow(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	req, err := s.publicRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	if fields := withDomain(nil, ballot.ValidateFollower(email)); fields != nil {
		s.renderRequestPage(w, r, http.StatusUnprocessableEntity, fields)
		return
	}
	// A filled-in honeypot gets the same answer and no mail.
	if s.forms.check(r.PostForm) != ballot.ReviewHoneypot {
		if err := s.cfg.Stores.Requests.Follow(r.Context(), req.ID, email, s.cfg.BaseURL); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "check_email", &page{Title: "Check your email",
		Data: "We have sent you an email with a link. You will be emailed about this request only once you open the link and press Confirm."})
}

func (s *Server) followConfirmPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	f, err := s.cfg.Stores.Requests.FollowLink(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Already {
		s.renderFollowed(w, r, f)
		return
	}
	s.render(w, r, http.StatusOK, "confirm_link", &page{Title: "Confirm you want to follow this request", Data: &linkView{
		Heading: "Confirm you want to follow this request", Lead: "You will be emailed when the council answers or refuses", Title: f.Request.Title,
		Action: "/requests/follow/confirm", Token: token, Button: "Follow this request"}})
}

func (s *Server) followConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	f, err := s.cfg.Stores.Requests.ConfirmFollow(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderFollowed(w, r, f)
}

func (s *Server) renderFollowed(w http.ResponseWriter, r *http.Request, f *ballot.RequestFollow) {
	v := &messageView{Heading: "You are following this request", Link: requestPath(f.Request.ID), LinkText: "Back to the request",
		Message: "You will be emailed when the council answers or refuses it."}
	if f.Already {
		v.Heading = "You were already following this request"
	}
	s.renderMessage(w, r, v)
}

func (s *Server) stopFollowingPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	req, stopped, err := s.cfg.Stores.Requests.StopLink(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if stopped {
		s.renderStopped(w, r, req)
		return
	}
	s.render(w, r, http.StatusOK, "confirm_link", &page{Title: "Stop following this request", Data: &linkView{
		Heading: "Stop following this request", Lead: "You will no longer be emailed about", Title: req.Title,
		Action: "/requests/follow/stop", Token: token, Button: "Stop emails about this request"}})
}

func (s *Server) stopFollowing(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	req, err := s.cfg.Stores.Requests.StopFollowing(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderStopped(w, r, req)
}

func (s *Server) renderStopped(w http.ResponseWriter, r *http.Request, req *ballot.InfoRequest) {
	s.renderMessage(w, r, &messageView{Heading: "You no longer follow this request",
		Message: "You will not be emailed about it again.", Link: requestPath(req.ID), LinkText: "Back to the request"})
}
