package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/oursay/oursay/ballot"
)

var petitionFieldOrder = []string{"form", "contract", "title", "reasons", "count_policy", "name", "email"}

func (s *Server) petitionNew(w http.ResponseWriter, r *http.Request) {
	form := url.Values{"contract": {r.URL.Query().Get("contract")}, "count_policy": {"live"}}
	s.renderPetitionForm(w, r, http.StatusOK, form, nil)
}

// petitionFormView is the start form's data: the contracts to choose from
// and, when the chosen one already has a petition open for signatures,
// that petition, which the form warns of and links to.
type petitionFormView struct {
	Contracts []choice
	Existing  *ballot.Petition
	// Refused is the contract chosen when no petition may be started
	// against it, and Why says why (ballot.Contract.PetitionRefusal).
	Refused *ballot.Contract
	Why     string
}

// renderPetitionForm shows the start form. When the contract chosen has a
// petition open, it warns and links to it, and the form carries that
// contract's id in "another": sent back unchanged, the campaigner has
// seen the warning and goes on.
func (s *Server) renderPetitionForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	list, err := s.cfg.Stores.Contracts.Contracts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &petitionFormView{}
	cid, _ := strconv.ParseInt(form.Get("contract"), 10, 64)
	now := s.cfg.Now()
	// Only contracts a petition may be started against are offered; the
	// one asked for by name, if refused, says why.
	for _, c := range list {
		if why := c.PetitionRefusal(now); why != "" {
			if c.ID == cid {
				v.Refused, v.Why = c, why
			}
			continue
		}
		v.Contracts = append(v.Contracts, choice{strconv.FormatInt(c.ID, 10), c.Provider + ": " + c.Service})
	}
	if v.Existing, err = s.openPetitionFor(r, cid); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Existing != nil {
		form.Set("another", strconv.FormatInt(cid, 10))
	}
	p := &page{Title: "Start a recall petition", Form: form, Data: v}
	if fields != nil {
		p.setErrors(fields, petitionFieldOrder)
	}
	s.render(w, r, status, "petition_new", p)
}

func (s *Server) petitionCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	p := readPetition(r.PostForm)
	fields := withDomain(nil, p.Validate())
	if fields == nil && !s.sawExisting(w, r, p.ContractID) {
		return
	}
	if fields == nil {
		err := s.cfg.Stores.Petitions.CreatePetition(r.Context(), p, s.cfg.BaseURL)
		var ve *ballot.ValidationError
		switch {
		case errors.As(err, &ve):
			fields = ve.Fields
		case errors.Is(err, ballot.ErrNotFound):
			fields = map[string]string{"contract": "Choose a contract from the list"}
		case err != nil:
			s.fail(w, r, err)
			return
		}
	}
	if fields != nil {
		s.renderPetitionForm(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	s.render(w, r, http.StatusOK, "check_email", &page{Title: "Check your email",
		Data: "We have sent a link to " + p.CampaignerEmail + ". Open it to confirm your email address and get the sponsor link for your petition."})
}

// sawExisting reports whether the campaigner may go on: the contract has
// no petition open for signatures, or the form they sent had warned of it
// (its "another" names this contract). Otherwise it shows the form again
// with the warning and what was typed, and saves nothing: two petitions
// may run, but their signatures are not added together.
func (s *Server) sawExisting(w http.ResponseWriter, r *http.Request, contract int64) bool {
	if r.PostForm.Get("another") == strconv.FormatInt(contract, 10) {
		return true
	}
	existing, err := s.openPetitionFor(r, contract)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	if existing == nil {
		return true
	}
	s.renderPetitionForm(w, r, http.StatusOK, r.PostForm, nil)
	return false
}

// readPetition reads the campaigner's form to start a recall petition. Its
// rules are the domain's (ballot.Petition.Validate); a contract id that is
// not a number reads as none chosen.
func readPetition(form url.Values) *ballot.Petition {
	f := newFormReader(form)
	cid, _ := strconv.ParseInt(f.text("contract"), 10, 64)
	return &ballot.Petition{ContractID: cid, Title: f.text("title"), Reasons: f.text("reasons"),
		CampaignerName: f.text("name"), CampaignerEmail: f.text("email"), CountPolicy: ballot.CountPolicy(f.text("count_policy"))}
}

func (s *Server) petitionSigned(w http.ResponseWriter, r *http.Request) {
	email := s.sessions.PopString(r.Context(), "signed")
	if email == "" {
		http.Redirect(w, r, "/petitions/"+r.PathValue("id"), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "check_email", &page{Title: "Check your email",
		Data: "We have sent a link to " + email + ". Your signature counts only once you open it and press Confirm."})
}
