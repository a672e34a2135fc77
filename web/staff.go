package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// Staff accounts in the browser: admins invite, change roles, disable,
// re-enable and unlock; everyone changes their own password or resets a
// forgotten one by an emailed single-use link. The stores audit each
// change; unlocking, which only the server's memory holds, is audited here.

// staffView is one row of the staff page.
type staffView struct {
	U           *consult.User
	LockedUntil time.Time
	Self        bool
}

func (s *Server) adminStaff(w http.ResponseWriter, r *http.Request) {
	users, err := s.cfg.Stores.Users.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	me := s.currentUser(r)
	views := make([]staffView, len(users))
	for i, u := range users {
		views[i] = staffView{U: u, LockedUntil: s.signin.LockedUntil(accountKey(u.Email)), Self: me != nil && me.ID == u.ID}
	}
	s.render(w, r, http.StatusOK, "admin_staff", &page{Title: "Staff accounts", Data: views})
}

func accountKey(email string) string { return "account:" + consult.NormaliseEmail(email) }

var staffFieldOrder = []string{"email", "role", "current_password", "password", "password_again", "form"}

func (s *Server) adminNewStaff(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin_staff_new", &page{Title: "Invite a staff member", Form: url.Values{}})
}

func (s *Server) adminInviteStaff(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	u := &consult.User{Email: email, Role: consult.Role(r.PostForm.Get("role"))}
	fields := withDomain(nil, consult.ValidateInvite(u.Email, u.Role))
	if fields == nil {
		token, t := newPasswordToken(consult.TokenInvite, s.cfg.Now().Add(consult.InviteLinkLife))
		m := consult.InviteMail(consult.NormaliseEmail(email), u.Role, s.setPasswordLink(token), t.ExpiresAt)
		fields = s.storeFields(s.cfg.Stores.Users.InviteUser(r.Context(), u, t, m, s.actor(r)), "email",
			"There is already a staff account with this email address")
	}
	if fields != nil {
		p := &page{Title: "Invite a staff member", Form: r.PostForm}
		p.setErrors(fields, staffFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_staff_new", p)
		return
	}
	s.flash(r, "Invitation sent. The link in it to set a password works for 7 days.")
	http.Redirect(w, r, "/admin/staff", http.StatusSeeOther)
}

// staffTarget reads the account a staff action is about. An admin may not
// demote or disable their own account: there must always be one admin who
// can undo a mistake.
func (s *Server) staffTarget(w http.ResponseWriter, r *http.Request, selfMsg string) (*consult.User, bool) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, consult.ErrNotFound)
		return nil, false
	}
	u, err := s.cfg.Stores.Users.User(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if me := s.currentUser(r); selfMsg != "" && me != nil && me.ID == u.ID {
		s.flash(r, selfMsg)
		http.Redirect(w, r, "/admin/staff", http.StatusSeeOther)
		return nil, false
	}
	return u, true
}

func (s *Server) afterStaffAction(w http.ResponseWriter, r *http.Request, err error, msg string) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, msg)
	http.Redirect(w, r, "/admin/staff", http.StatusSeeOther)
}

func (s *Server) adminStaffRole(w http.ResponseWriter, r *http.Request) {
	u, ok := s.staffTarget(w, r, "You cannot change your own role. Ask another administrator.")
	if !ok {
		return
	}
	role := consult.Role(r.PostForm.Get("role"))
	if !role.Valid() {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	s.afterStaffAction(w, r, s.cfg.Stores.Users.SetRole(r.Context(), u.ID, role, s.actor(r)),
		"Role changed to "+roleLabel(role)+".")
}

func roleLabel(r consult.Role) string {
	if r == consult.RoleAdmin {
		return "administrator"
	}
	return "moderator"
}

func (s *Server) adminStaffDisable(w http.ResponseWriter, r *http.Request) {
	s.setDisabled(w, r, true, "You cannot disable your own account. Ask another administrator.",
		"The account is disabled and signed out. It cannot sign in until re-enabled.")
}

func (s *Server) adminStaffEnable(w http.ResponseWriter, r *http.Request) {
	s.setDisabled(w, r, false, "", "The account is re-enabled and can sign in again.")
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool, selfMsg, done string) {
	u, ok := s.staffTarget(w, r, selfMsg)
	if !ok {
		return
	}
	s.afterStaffAction(w, r, s.cfg.Stores.Users.SetDisabled(r.Context(), u.ID, disabled, s.actor(r)), done)
}

func (s *Server) adminStaffUnlock(w http.ResponseWriter, r *http.Request) {
	u, ok := s.staffTarget(w, r, "")
	if !ok {
		return
	}
	s.signin.Unlock(accountKey(u.Email))
	s.audit(r, s.actor(r), "user.unlock", "user:"+strconv.FormatInt(u.ID, 10), u.Email)
	s.afterStaffAction(w, r, nil, "The account is unlocked and can try to sign in again.")
}

// Own password.

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin_account", &page{Title: "Change your password"})
}

func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	me := s.currentUser(r)
	pw := r.PostForm.Get("password")
	fields := withDomain(nil, consult.ValidatePassword(pw, r.PostForm.Get("password_again")))
	if fields == nil {
		s.hashes <- struct{}{}
		ok := CheckPassword(me.PasswordHash, r.PostForm.Get("current_password"))
		<-s.hashes
		if !ok {
			fields = map[string]string{"current_password": "Your current password is not right"}
		}
	}
	if fields == nil {
		fields = s.storeFields(s.cfg.Stores.Users.ChangePassword(r.Context(), me.ID, s.HashPassword(pw), me.Email), "", "")
	}
	if fields != nil {
		p := &page{Title: "Change your password"}
		p.setErrors(fields, staffFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_account", p)
		return
	}
	s.sessions.Put(r.Context(), "signedInAt", s.cfg.Now().UnixNano()) // this session goes on; others end
	s.flash(r, "Your password has been changed. You have been signed out everywhere else.")
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
}

// Forgotten passwords and invitations: a single-use link.

// newPasswordToken returns a random token for a link and what the store
// keeps of it.
func newPasswordToken(purpose string, expires time.Time) (string, consult.PasswordToken) {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, consult.PasswordToken{Hash: hashToken(token), Purpose: purpose, ExpiresAt: expires}
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Server) setPasswordLink(token string) string {
	return s.cfg.BaseURL + "/admin/set-password?token=" + token
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "forgot_password", &page{Title: "Reset your password", Form: url.Values{}})
}

func (s *Server) forgotSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	ve := &consult.ValidationError{}
	ve.Email("email", email)
	if fields := withDomain(nil, ve.Err()); fields != nil {
		p := &page{Title: "Reset your password", Form: r.PostForm}
		p.setErrors(fields, nil)
		s.render(w, r, http.StatusUnprocessableEntity, "forgot_password", p)
		return
	}
	token, t := newPasswordToken(consult.TokenReset, s.cfg.Now().Add(consult.ResetLinkLife))
	norm := consult.NormaliseEmail(email)
	if _, err := s.cfg.Stores.Users.RequestReset(r.Context(), norm, t, consult.ResetMail(norm, s.setPasswordLink(token))); err != nil {
		s.fail(w, r, err)
		return
	}
	// The same page whether or not there is such an account.
	s.render(w, r, http.StatusOK, "forgot_password", &page{Title: "Check your email", Data: norm})
}

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	u, err := s.cfg.Stores.Users.TokenUser(r.Context(), hashToken(token))
	if err != nil {
		s.badLink(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "set_password", &page{Title: "Set your password", Form: url.Values{"token": {token}}, Data: u})
}

func (s *Server) setPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	token := r.PostForm.Get("token")
	u, err := s.cfg.Stores.Users.TokenUser(r.Context(), hashToken(token))
	if err != nil {
		s.badLink(w, r, err)
		return
	}
	pw := r.PostForm.Get("password")
	if fields := withDomain(nil, consult.ValidatePassword(pw, r.PostForm.Get("password_again"))); fields != nil {
		p := &page{Title: "Set your password", Form: url.Values{"token": {token}}, Data: u}
		p.setErrors(fields, staffFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "set_password", p)
		return
	}
	if _, err := s.cfg.Stores.Users.UsePasswordToken(r.Context(), hashToken(token), s.HashPassword(pw)); err != nil {
		s.badLink(w, r, err)
		return
	}
	s.signin.Unlock(accountKey(u.Email))
	s.flash(r, "Your password is set. Sign in with it.")
	http.Redirect(w, r, "/admin/signin", http.StatusSeeOther)
}

// badLink is the page for a password link that is unknown, used or out of date.
func (s *Server) badLink(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, consult.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusNotFound, "error", &page{Title: "This link has expired or been used",
		Data: "Each link to set a password works once, and a reset link only for an hour. Ask for a new one from the sign-in page (‘Forgotten your password?’), or ask a council administrator to invite you again."})
}
