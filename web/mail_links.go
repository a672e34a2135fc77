package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/oursay/oursay/ballot"
)

// The links OurSay mails open pages that change nothing. Mail scanners
// open every link in a message, so a link that confirmed on GET would
// confirm for anyone whose mail is scanned, and a signature nobody
// meant to make would count. The page names the petition and has a
// button; its POST, from the person, confirms or withdraws.

// linkView is the page a confirmation link opens: what it is about and
// the button that does it.
type linkView struct {
	Heading string // the page's heading
	Lead    string // one sentence before the petition's title
	Title   string // the petition's title
	Action  string // where the button POSTs
	Token   string // the link's token, sent back by the button
	Button  string // the button's words
}

// signatureConfirmPage shows the Confirm button for a signature, or says
// it was already confirmed.
func (s *Server) signatureConfirmPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	p, st, err := s.cfg.Stores.Petitions.ConfirmLink(r.Context(), token)
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	if st == ballot.SignatureConfirmed {
		s.renderSignatureConfirmed(w, r, p, true)
		return
	}
	s.render(w, r, http.StatusOK, "confirm_link", &page{Title: "Confirm your signature", Data: &linkView{
		Heading: "Confirm your signature", Lead: "You are signing the recall petition", Title: p.Title,
		Action: "/signatures/confirm", Token: token, Button: "Confirm my signature"}})
}

// signatureConfirm counts a signature when its owner presses Confirm. A
// second press says it was already confirmed and counts nothing.
func (s *Server) signatureConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	p, already, err := s.cfg.Stores.Petitions.Confirm(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	s.renderSignatureConfirmed(w, r, p, already)
}

func (s *Server) renderSignatureConfirmed(w http.ResponseWriter, r *http.Request, p *ballot.Petition, already bool) {
	v, err := s.petitionView(r, p, false)
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	v.Already = already
	s.render(w, r, http.StatusOK, "signature_confirmed", &page{Title: "Signature confirmed", Data: v})
}

// petitionConfirmPage shows the campaigner's Confirm button, or the link
// to share once the address is confirmed.
func (s *Server) petitionConfirmPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	p, err := s.cfg.Stores.Petitions.CampaignerLink(r.Context(), token)
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	if p.Status != ballot.StatusUnconfirmed {
		s.renderCampaignerConfirmed(w, r, p, true)
		return
	}
	s.render(w, r, http.StatusOK, "confirm_link", &page{Title: "Confirm your email address", Data: &linkView{
		Heading: "Confirm your email address", Lead: "You are starting the recall petition", Title: p.Title,
		Action: "/petitions/confirm", Token: token, Button: "Confirm my email address"}})
}

// petitionConfirmCampaigner confirms the campaigner's email when they press
// Confirm and shows the link to share with sponsors.
func (s *Server) petitionConfirmCampaigner(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	p, already, err := s.cfg.Stores.Petitions.ConfirmCampaigner(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	s.renderCampaignerConfirmed(w, r, p, already)
}

func (s *Server) renderCampaignerConfirmed(w http.ResponseWriter, r *http.Request, p *ballot.Petition, already bool) {
	token, err := s.cfg.Stores.Petitions.ShareToken(r.Context(), p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &petitionView{P: p, State: p.Status, Already: already,
		ShareURL: s.cfg.BaseURL + "/petitions/" + strconv.FormatInt(p.ID, 10) + "/sponsor?token=" + token}
	s.render(w, r, http.StatusOK, "petition_confirmed", &page{Title: "Email address confirmed", Data: v})
}
