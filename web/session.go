package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// A staff session ends after SessionIdle without a request. Pages warn
// before then (static/js/timeout.js; GET /admin/session keeps the session
// when the person asks to stay). A form sent after it has ended is not
// lost: it is kept in the new session, the person signs in, and the
// resume page offers to send it again. Passwords and files are never
// kept; the sign-in page says so.

// signinNotice is what the sign-in page says when a session ended with a
// form in flight.
type signinNotice struct {
	Kept bool   // what was typed is kept, to send after signing in
	Lost string // what could not be kept, if anything
}

// resumeKeys are the session keys of a form kept across a sign-in.
const (
	resumePath = "resume_path" // where it was sent
	resumeForm = "resume_form" // url-encoded, passwords and confirm=yes left out
	resumeFrom = "resume_from" // the page it was sent from
)

// signinToContinue answers a staff form sent without a session.
func (s *Server) signinToContinue(w http.ResponseWriter, r *http.Request) {
	from := formPage(r)
	n := &signinNotice{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		n.Lost = "The file you chose was not sent: choose it again after signing in."
	} else if err := r.ParseForm(); err == nil {
		kept := url.Values{}
		for k, vs := range r.PostForm {
			switch {
			case strings.Contains(k, "password"):
				n.Lost = "Passwords are never kept: type them again after signing in."
			case k != "confirm":
				kept[k] = vs
			}
		}
		if len(kept) > 0 {
			s.sessions.Put(r.Context(), resumePath, r.URL.Path)
			s.sessions.Put(r.Context(), resumeForm, kept.Encode())
			s.sessions.Put(r.Context(), resumeFrom, from)
			n.Kept = true
		}
	}
	next := from
	if n.Kept {
		next = "/admin/resume"
	}
	p := &page{Title: "Sign in", Form: url.Values{"next": {next}}, Data: n}
	s.render(w, r, http.StatusUnauthorized, "signin", p)
}

// formPage is the staff page a form was sent from: the Referer when it is
// one of this site's admin pages, else the page above the form's action.
func formPage(r *http.Request) string {
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		if p := safeNext(ref.RequestURI()); p == ref.RequestURI() {
			return p
		}
	}
	return safeNext(r.URL.Path[:strings.LastIndexByte(r.URL.Path, '/')])
}

// resumeView is the kept form, to send again.
type resumeView struct {
	Action, From string
	Carry        []carried
	Shown        []shownField
}

func (s *Server) resumePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	path, encoded, from := s.sessions.PopString(ctx, resumePath), s.sessions.PopString(ctx, resumeForm), s.sessions.PopString(ctx, resumeFrom)
	form, err := url.ParseQuery(encoded)
	if path == "" || err != nil {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	v := &resumeView{Action: safeNext(path), From: safeNext(from)}
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, val := range form[k] {
			v.Carry = append(v.Carry, carried{k, val})
			if strings.TrimSpace(val) != "" {
				v.Shown = append(v.Shown, shownField{fieldLabel(k), val})
			}
		}
	}
	s.render(w, r, http.StatusOK, "resume", &page{Title: "Send what you typed", Data: v})
}

// fieldLabel makes a form field's name readable: "we_asked" is "We asked".
func fieldLabel(name string) string {
	l := strings.ReplaceAll(name, "_", " ")
	if l == "" {
		return l
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

// keepSession answers the timeout warning's "Stay signed in": any staff
// request renews the session's idle time.
func (s *Server) keepSession(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}
