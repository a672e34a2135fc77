package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/oursay/oursay/consult"
)

// A person's data, on request (admins): one form takes an email address
// and the reason for the request; its buttons find what is held, download
// it as JSON for a subject access request, or erase it after the
// confirmation page. The store audits each with the reason and counts.

var personFieldOrder = []string{"email", "reason", "form"}

const peopleTitle = "A person's data"

// personView is the people page: what was found, if a search was made.
type personView struct {
	Found *consult.PersonData
}

func (s *Server) adminPeople(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin_people", &page{Title: peopleTitle, Form: url.Values{}, Data: personView{}})
}

// personRequest reads the form's address and reason.
func personRequest(r *http.Request) consult.PersonRequest {
	return consult.PersonRequest{Email: strings.TrimSpace(r.PostForm.Get("email")), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
}

// peopleRefused shows the form again with its field messages.
func (s *Server) peopleRefused(w http.ResponseWriter, r *http.Request, fields map[string]string) {
	p := &page{Title: peopleTitle, Form: r.PostForm, Data: personView{}}
	p.setErrors(fields, personFieldOrder)
	s.render(w, r, http.StatusUnprocessableEntity, "admin_people", p)
}

// lookPerson reads the form and runs look (find or export, each audited),
// showing the form again with its messages when it cannot.
func (s *Server) lookPerson(w http.ResponseWriter, r *http.Request,
	look func(context.Context, consult.PersonRequest, string) (*consult.PersonData, error)) (*consult.PersonData, bool) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return nil, false
	}
	q := personRequest(r)
	if err := q.Validate(); err != nil {
		s.peopleRefused(w, r, withDomain(nil, err))
		return nil, false
	}
	pd, err := look(r.Context(), q, s.actor(r))
	if err != nil {
		s.peopleRefused(w, r, s.storeFields(err, "form", ""))
		return nil, false
	}
	return pd, true
}

func (s *Server) adminFindPerson(w http.ResponseWriter, r *http.Request) {
	if pd, ok := s.lookPerson(w, r, s.cfg.Stores.People.FindPerson); ok {
		s.render(w, r, http.StatusOK, "admin_people", &page{Title: peopleTitle, Form: r.PostForm, Data: personView{Found: pd}})
	}
}

func (s *Server) adminExportPerson(w http.ResponseWriter, r *http.Request) {
	pd, ok := s.lookPerson(w, r, s.cfg.Stores.People.ExportPerson)
	if !ok {
		return
	}
	// The links in the mail work as the person's password for their
	// signature: the file goes through staff, so they are cut short as on
	// the outbox page.
	for i := range pd.Mail {
		pd.Mail[i].Body = redactLinks(pd.Mail[i].Body)
	}
	body, err := json.MarshalIndent(pd, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="personal-data-%s.json"`, s.cfg.Now().UTC().Format("20060102T150405Z")))
	noStore(w)
	w.Write(append(body, '\n'))
}

func (s *Server) adminErasePerson(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	q := personRequest(r)
	if err := q.Validate(); err != nil {
		s.peopleRefused(w, r, withDomain(nil, err))
		return
	}
	er, err := s.cfg.Stores.People.ErasePerson(r.Context(), q, s.actor(r))
	if err != nil {
		s.peopleRefused(w, r, s.storeFields(err, "form", ""))
		return
	}
	s.flash(r, "The data held about that address is erased: "+er.String()+".")
	http.Redirect(w, r, "/admin/people", http.StatusSeeOther)
}

func (s *Server) describeErasePerson(r *http.Request) (*confirmation, error) {
	q := personRequest(r)
	if q.Validate() != nil {
		return nil, nil // refused by the handler, with field messages
	}
	return &confirmation{
		Caption: peopleTitle, Heading: "Erase the data held about this email address?",
		Warning: "Erasing cannot be undone: the names, addresses and postcodes are overwritten, not hidden.",
		Happens: []string{
			"A signature on a petition still open is withdrawn, and a counted one comes off the count, as when the signer withdraws it.",
			"A signature on a closed petition, and every consultation response, is anonymised: its name, email and postcode go, and the counts it is part of stay.",
			"The campaigner's name and email go from any petition this address started.",
			"Every mail to this address is deleted from the outbox.",
			"The audit log records the reason and how many of each were erased, never the address.",
		},
		Shown:  []shownField{{"Email address", consult.NormaliseEmail(q.Email)}, {"Reason", q.Reason}},
		Told:   noMail,
		Button: "Yes, erase it", Danger: true, Back: "/admin/people",
	}, nil
}
