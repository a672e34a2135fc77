package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/oursay/oursay/ballot"
)

// petitionView is what petition pages show. Count fields are filled only
// when the count may be public, so a sealed petition's templates have no
// number to print.
type petitionView struct {
	P           *ballot.Petition
	Contract    *ballot.Contract
	State       ballot.Status
	CountPublic bool
	Count       int
	Percent     int
	Wards       []wardCount
	ShareToken  string // sponsor page only
	// CanSign is whether the page offers the sign form.
	CanSign bool
	// Started is the sign form's signed render time (see formClock).
	Started string
	// Ballot is the recall ballot the petition led to, if the council
	// has called one; set on the petition's own page and JSON.
	Ballot *ballotView
	// Link is the petition's full address, and Mailto an email that
	// carries it, for the page's share links.
	Link, Mailto string
}

type wardCount struct {
	Ward  ballot.Ward
	Count int
}

// published reports whether the public may see a petition: once it opened,
// or once rejected (with its reason).
func published(p *ballot.Petition) bool {
	return p.Status == ballot.StatusOpen || p.Status == ballot.StatusRejected
}

func (s *Server) petitionView(r *http.Request, p *ballot.Petition, wards bool) (*petitionView, error) {
	now := s.cfg.Now()
	v := &petitionView{P: p, State: p.PublicState(now), CountPublic: p.CountPublic(now), CanSign: p.AcceptsSignatures(now),
		Started: s.forms.stamp(), Link: s.baseURL(r) + petitionPath(p.ID)}
	v.Mailto = mailto(p.Title, "I have signed this petition to the council, and you can too if you live in the area:\n\n"+
		p.Title+"\n"+v.Link)
	if c, err := s.cfg.Stores.Contracts.Contract(r.Context(), p.ContractID); err == nil {
		v.Contract = c
	} else if !errors.Is(err, ballot.ErrNotFound) {
		return nil, err
	}
	if wards && !p.ThresholdMetAt.IsZero() {
		var err error
		if v.Ballot, err = s.petitionBallot(r, p.ID); err != nil {
			return nil, err
		}
	}
	if !v.CountPublic {
		return v, nil
	}
	v.Count = p.SignatureCount
	v.Percent = min(100, percent(p.SignatureCount, p.Threshold))
	if wards {
		byWard, err := s.cfg.Stores.Petitions.CountByWard(r.Context(), p.ID)
		if err != nil {
			return nil, err
		}
		v.Wards = sortWards(byWard)
	}
	return v, nil
}

func sortWards(m map[ballot.Ward]int) []wardCount {
	out := make([]wardCount, 0, len(m))
	for w, n := range m {
		out = append(out, wardCount{w, n})
	}
	for i := 1; i < len(out); i++ { // few wards: insertion sort by name
		for j := i; j > 0 && out[j].Ward.Name < out[j-1].Ward.Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func petitionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ballot.ErrNotFound
	}
	return id, nil
}

// petitionForm reads a posted form about the petition in the path. It
// answers a bad form or id itself and reports whether to go on.
func (s *Server) petitionForm(w http.ResponseWriter, r *http.Request) (int64, bool) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return 0, false
	}
	id, err := petitionID(r)
	if err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}

// pathPetition loads the petition the path names, whatever its stage:
// staff pages and prints use it, and publicPetition adds the public's rule.
func (s *Server) pathPetition(r *http.Request) (*ballot.Petition, error) {
	id, err := petitionID(r)
	if err != nil {
		return nil, err
	}
	return s.cfg.Stores.Petitions.Petition(r.Context(), id)
}

// publicPetition loads a petition the public may see.
func (s *Server) publicPetition(r *http.Request) (*ballot.Petition, error) {
	p, err := s.pathPetition(r)
	if err != nil {
		return nil, err
	}
	if !published(p) {
		return nil, ballot.ErrNotFound
	}
	return p, nil
}

func (s *Server) petitionList(w http.ResponseWriter, r *http.Request) {
	views, err := s.publicPetitionViews(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	statuses := []choice{{string(ballot.StatusOpen), "Open"}, {string(ballot.StatusThresholdMet), "Threshold met"},
		{string(ballot.StatusClosed), "Closed"}, {string(ballot.StatusRejected), "Rejected"}}
	v, form, fields := filterList(r, "/petitions", "petitions", views,
		func(p *petitionView) string { return p.P.Title }, func(p *petitionView) string { return string(p.State) }, statuses, petitionClosing)
	s.renderList(w, r, "petitions", &page{Title: "Recall petitions", Data: v, Form: form}, fields)
}

// petitionPage is what a viral link opens, so it is served from the hub's
// cache (see renderShared).
func (s *Server) petitionPage(w http.ResponseWriter, r *http.Request) {
	id, err := petitionID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderShared(w, r, ballot.PetitionTopic(id), "petition", func() (*page, error) {
		pg := &page{}
		p, err := s.publicPetition(r)
		if s.preview(w, r, err, pg) { // staff only, so never a shared page
			p, err = s.pathPetition(r)
			pg.Preview = "/admin/petitions/" + r.PathValue("id")
		}
		if err != nil {
			return nil, err
		}
		v, err := s.petitionView(r, p, true)
		if err != nil {
			return nil, err
		}
		v.Started = stampMarker
		pg.Title, pg.Data = p.Title, v
		return pg, nil
	}, func(err error) { s.fail(w, r, err) })
}

// petitionSponsorPage is what the campaigner's share link opens: the sign
// form for sponsors while the petition gathers them, then word that the
// council is checking it, and once published the petition's own page, as
// it now stands (open with its form and count, closed, or rejected).
func (s *Server) petitionSponsorPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.sponsorView(r, r.URL.Query().Get("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.ShareToken == "" {
		http.Redirect(w, r, "/petitions/"+strconv.FormatInt(v.P.ID, 10), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "petition", &page{Title: "Sponsor: " + v.P.Title, Data: v})
}

// sponsorView is the page the share link names: the sponsor page until
// the petition is published, and the public view (no ShareToken) after.
func (s *Server) sponsorView(r *http.Request, token string) (*petitionView, error) {
	id, err := petitionID(r)
	if err != nil {
		return nil, err
	}
	want, err := s.cfg.Stores.Petitions.ShareToken(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if token == "" || token != want {
		return nil, ballot.ErrNotFound
	}
	p, err := s.cfg.Stores.Petitions.Petition(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if published(p) {
		return s.petitionView(r, p, true)
	}
	v, err := s.petitionView(r, p, false)
	if err != nil {
		return nil, err
	}
	v.ShareToken, v.CanSign = token, p.AcceptsSponsors()
	return v, nil
}

// withdrawView is the page a withdrawal link opens.
type withdrawView struct {
	Title     string // the petition's title
	Token     string
	Withdrawn bool // withdrawn already
	Closed    bool // signing has closed: the count is final
}

// signatureWithdrawPage names the petition and offers the Withdraw button
// while the petition accepts withdrawals; after signing closes, or once
// withdrawn, it says so instead. Opening it changes nothing.
func (s *Server) signatureWithdrawPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	p, st, err := s.cfg.Stores.Petitions.WithdrawLink(r.Context(), token)
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	v := &withdrawView{Title: p.Title, Token: token, Withdrawn: st == ballot.SignatureWithdrawn,
		Closed: !p.AcceptsWithdrawals(s.cfg.Now())}
	s.render(w, r, http.StatusOK, "withdraw", &page{Title: "Withdraw your signature", Data: v})
}

func (s *Server) signatureWithdraw(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	p, err := s.cfg.Stores.Petitions.Withdraw(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	s.flash(r, "Your signature has been withdrawn.")
	http.Redirect(w, r, "/petitions/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}

// mailto is a mailto: link with no address (the sender picks one) and
// the subject and body given, escaped as RFC 6068 asks: spaces as %20,
// since a + would reach the mail as a plus sign.
func mailto(subject, body string) string {
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	return "mailto:?subject=" + esc(subject) + "&body=" + esc(body)
}
