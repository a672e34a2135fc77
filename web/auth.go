package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// signinForm is the council staff sign-in form. No domain type holds it (a
// sign-in is checked against the stored account, not validated), so it is
// the shared validator's to check.
type signinForm struct {
	Email    string `form:"email" validate:"required,email,max=254"`
	Password string `form:"password" validate:"required,max=1000"`
}

var signinMessages = map[string]string{
	"email.required":    "Enter your email address",
	"email.email":       "Enter an email address in the correct format, like name@example.com",
	"email.max":         "Email address must be 254 characters or fewer",
	"password.required": "Enter your password",
	"password.max":      "Password must be 1,000 characters or fewer",
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) {
	if s.currentUser(r) != nil {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signin", &page{Title: "Sign in", Form: url.Values{"next": {r.URL.Query().Get("next")}}})
}

func (s *Server) signinSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	f := signinForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Password: r.PostForm.Get("password")}
	p := &page{Title: "Sign in", Form: url.Values{"email": {f.Email}, "next": {r.PostForm.Get("next")}}}
	if fields := s.check(f, signinMessages); fields != nil {
		p.setErrors(fields, []string{"email", "password"})
		s.render(w, r, http.StatusUnprocessableEntity, "signin", p)
		return
	}
	email := consult.NormaliseEmail(f.Email)
	// The attempt is counted against the account and the client before it
	// waits to be hashed (see signinLimiter); an IPv6 client is its /64.
	account := signinKey{accountKey(email), accountMaxFailures}
	client := signinKey{"client:" + clientKey(r), clientMaxFailures}
	if ok, until := s.signin.Reserve(account, client); !ok {
		p.setErrors(map[string]string{"email": "Too many failed attempts. Try again after " + formatDateTime(until) + "."}, nil)
		s.render(w, r, http.StatusTooManyRequests, "signin", p)
		return
	}
	u, err := s.authenticate(r, email, f.Password)
	if err != nil {
		if !errors.Is(err, consult.ErrBadCredentials) {
			s.signin.Release(account) // not a wrong password: the store failed
			s.signin.Release(client)
			s.fail(w, r, err)
			return
		}
		p.setErrors(map[string]string{"email": "Email address or password is not right"}, nil)
		s.render(w, r, http.StatusUnauthorized, "signin", p)
		return
	}
	s.signin.Release(account)
	s.signin.Release(client)
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), "userID", u.ID)
	s.sessions.Put(r.Context(), "signedInAt", s.cfg.Now().UnixNano())
	s.audit(r, u.Email, "staff.signin", "user:"+u.Email, "")
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// authenticate checks a password, spending the same work whether or not the
// account exists.
func (s *Server) authenticate(r *http.Request, email, pw string) (*consult.User, error) {
	u, err := s.cfg.Stores.Users.UserByEmail(r.Context(), email)
	if err != nil && !errors.Is(err, consult.ErrNotFound) {
		return nil, err
	}
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	s.hashes <- struct{}{}
	ok := CheckPassword(hash, pw)
	<-s.hashes
	if u == nil || !ok || !u.Active() {
		return nil, consult.ErrBadCredentials
	}
	return u, nil
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if u := s.currentUser(r); u != nil {
		s.audit(r, u.Email, "staff.signout", "user:"+u.Email, "")
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), "userID")
	s.flash(r, "You have signed out.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// currentUser returns the signed-in staff member, or nil.
func (s *Server) currentUser(r *http.Request) *consult.User {
	id := s.sessions.GetInt64(r.Context(), "userID")
	if id == 0 {
		return nil
	}
	u, err := s.cfg.Stores.Users.User(r.Context(), id)
	if err != nil || !u.Active() {
		return nil // a disabled account's sessions end at once
	}
	// Disabling an account or changing its password ends its sessions for
	// good, so re-enabling it does not revive them.
	if at := s.sessions.GetInt64(r.Context(), "signedInAt"); !u.SessionsFrom.IsZero() && time.Unix(0, at).Before(u.SessionsFrom) {
		return nil
	}
	return u
}

// requireRole lets staff through (only admins when adminOnly), sends an
// anonymous client to sign in and refuses others with 403.
func (s *Server) requireRole(adminOnly bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := s.currentUser(r)
		if u == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.signinToContinue(w, r)
			return
		}
		if adminOnly && u.Role != consult.RoleAdmin {
			s.render(w, r, http.StatusForbidden, "error", &page{Title: "You do not have permission", Data: "Only council administrators can do this."})
			return
		}
		h(w, r)
	}
}

func (s *Server) audit(r *http.Request, actor, action, subject, detail string) {
	if s.cfg.AppendAudit == nil {
		return
	}
	if err := s.cfg.AppendAudit(r.Context(), actor, action, subject, detail); err != nil {
		s.log.Error("audit append failed", "err", err, "action", action)
	}
}

// safeNext keeps redirects after sign-in on this site's admin pages.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, `\`) {
		return next
	}
	return "/admin/"
}

// clientIP is the peer address. OurSay does not trust X-Forwarded-For.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
