package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
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
	c, err := s.cfg.Stores.Petitions.ConfirmLink(r.Context(), token)
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	if c.Already {
		s.renderSignatureConfirmed(w, r, c)
		return
	}
	build := func(tok string) *page {
		return &page{Title: "Confirm your signature", Data: &linkView{
			Heading: "Confirm your signature", Lead: "You are signing the recall petition", Title: c.Petition.Title,
			Action: "/signatures/confirm", Token: tok, Button: "Confirm my signature"}}
	}
	if r.Header.Get("Cookie") != "" {
		s.render(w, r, http.StatusOK, "confirm_link", build(token))
		return
	}
	// Everyone who signs opens this page, and it differs only in the
	// token: it is rendered once with a marker where the token goes, as
	// renderShared does for the stamp. It shows no count, so the commits
	// of a busy petition do not have it rebuilt: it is kept for a second.
	body, err := s.live.Steady(fmt.Sprintf("confirm link %d", c.Petition.ID), func() ([]byte, error) {
		b, err := s.execute(r, "confirm_link", build(tokenMarker))
		if err != nil {
			return nil, err
		}
		return markPage(b, tokenMarker), nil
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	before, after, ok := splitMarked(body, tokenMarker)
	if !ok {
		s.serverError(w, r, errors.New("confirm link page: no place for the token"))
		return
	}
	writeHTML(w, before, []byte(template.HTMLEscapeString(token)), after)
}

// tokenMarker stands in a shared confirmation page where the link's
// token goes.
const tokenMarker = "oursay-token-goes-here"

// signatureConfirm counts a signature when its owner presses Confirm. A
// second press says it was already confirmed and counts nothing. It
// answers JSON to a client that asks for it.
func (s *Server) signatureConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	c, err := s.cfg.Stores.Petitions.Confirm(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	s.renderSignatureConfirmed(w, r, c)
}

// confirmedText is what a signer is told once their signature is
// confirmed, the same on the page and in JSON: a held signature is
// received, not counted, and the signer is told so (never why).
func confirmedText(c *ballot.Confirmation) (status, heading, message string) {
	switch {
	case c.Held:
		return "held", "Signature received", "Your signature has been received and your email address confirmed. " +
			"The council checks some signatures before counting them: yours will count once it has been checked, " +
			"so the count does not include it yet. You do not need to do anything more."
	case c.Already:
		return "counted", "Your signature was already confirmed", "It was counted once, when you first confirmed it. Nothing more was counted."
	}
	return "counted", "Signature confirmed", "Your signature has been counted."
}

// confirmedView is the page after a signature is confirmed.
type confirmedView struct {
	*petitionView
	Held             bool
	Heading, Message string
	// CountSlot puts countMarker where the count goes.
	CountSlot bool
}

func (s *Server) renderSignatureConfirmed(w http.ResponseWriter, r *http.Request, c *ballot.Confirmation) {
	status, heading, message := confirmedText(c)
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"petition_id": c.Petition.ID, "status": status,
			"already_confirmed": c.Already, "message": message})
		return
	}
	build := func(slot bool) (*page, error) {
		v, err := s.petitionView(r, c.Petition, false)
		if err != nil {
			return nil, err
		}
		return &page{Title: heading, Data: &confirmedView{petitionView: v, Held: c.Held, Heading: heading, Message: message,
			CountSlot: slot}}, nil
	}
	if r.Header.Get("Cookie") != "" || r.URL.RawQuery != "" {
		p, err := build(false)
		if err != nil {
			s.failPetition(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "signature_confirmed", p)
		return
	}
	// What a signer sees after confirming is the same for everyone whose
	// confirmation ended the same way. In a viral hour each commit changes
	// the count, so the page is kept in two parts: the count, rendered
	// once per change to the petition as its page is (renderShared), so
	// it includes the signer's own signature; and the rest, which names
	// the petition and is kept for a second (Steady).
	shell, err := s.live.Steady(fmt.Sprintf("confirmed %d %s %s %s", c.Petition.ID, c.Petition.Status, r.URL.Path, heading),
		func() ([]byte, error) {
			p, err := build(true)
			if err != nil {
				return nil, err
			}
			b, err := s.execute(r, "signature_confirmed", p)
			if err != nil {
				return nil, err
			}
			return markPage(b, countMarker), nil
		})
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	before, after, ok := splitMarked(shell, countMarker)
	if !ok {
		writeHTML(w, before)
		return
	}
	count, err := s.live.BodyVariant(ballot.PetitionTopic(c.Petition.ID), "count", func() ([]byte, error) {
		v, err := s.petitionView(r, c.Petition, false)
		if err != nil {
			return nil, err
		}
		return s.executePart("signature_confirmed", "petition-count", v)
	})
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	writeHTML(w, before, count, after)
}

// countMarker stands in a shared confirmation page where the petition's
// count goes (see renderSignatureConfirmed).
const countMarker = "oursay-count-goes-here"

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

// campaignerView is the campaigner's page: what their confirmation link
// opens, and what pressing Confirm shows. It follows the petition as it
// now stands, so the link stays the campaigner's page for its whole life.
type campaignerView struct {
	P     *ballot.Petition
	State ballot.Status // as the public sees it (sealed: no early threshold)
	// Confirmed is true when this request confirmed the address.
	Confirmed bool
	// ShareURL is the link to share: the sponsor link while sponsors are
	// gathered, the petition's page once it is published.
	ShareURL string
}

func (s *Server) renderCampaignerConfirmed(w http.ResponseWriter, r *http.Request, p *ballot.Petition, already bool) {
	links := ballot.Links{Base: s.cfg.BaseURL}
	v := &campaignerView{P: p, State: p.PublicState(s.cfg.Now()), Confirmed: !already}
	switch {
	case p.Status == ballot.StatusSponsoring:
		token, err := s.cfg.Stores.Petitions.ShareToken(r.Context(), p.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.ShareURL = links.Sponsor(p.ID, token)
	case published(p):
		v.ShareURL = links.Petition(p.ID)
	}
	title := "Your petition"
	if v.Confirmed {
		title = "Email address confirmed"
	}
	s.render(w, r, http.StatusOK, "petition_confirmed", &page{Title: title, Data: v})
}
