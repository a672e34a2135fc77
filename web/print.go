package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/paper"
)

// absURL puts path on the site's public address. The request's Host is a
// fallback only for a server started without a base URL (cmd always sets one).
func (s *Server) absURL(r *http.Request, path string) string {
	base := strings.TrimRight(s.cfg.BaseURL, "/")
	if base == "" {
		base = "http://" + r.Host
	}
	return base + path
}

func (s *Server) consultationItem(r *http.Request) (*paper.Item, error) {
	v, err := s.publicConsultation(r)
	if err != nil {
		return nil, err
	}
	c := v.C
	it := &paper.Item{Council: paper.CouncilOf(s.settings()), Kind: "Consultation", Title: c.Title, Summary: oneLine(c.Summary, 200),
		Explain: "The council wants your views on " + lowerFirst(c.Record.Service) + " before it decides. Read the proposal and answer a few questions online.",
		Action:  "Have your say", Path: "/consultations/" + c.Slug, Created: c.CreatedAt, Short: s.shortLink(r, "c", c.ID)}
	switch v.State {
	case consult.StatusScheduled:
		it.When = "Opens on " + formatDateTime(c.OpensAt)
	case consult.StatusOpen:
		it.When = "Open now"
		if !c.ClosesAt.IsZero() {
			it.When = c.Closing(s.cfg.Now())
		}
	default:
		it.Action, it.When = "Read the results", c.Closing(s.cfg.Now())
	}
	it.URL = s.absURL(r, it.Path)
	return it, nil
}

func (s *Server) petitionItem(r *http.Request) (*paper.Item, error) {
	p, err := s.publicPetition(r)
	if err != nil {
		return nil, err
	}
	it := &paper.Item{Council: paper.CouncilOf(s.settings()), Kind: "Recall petition", Title: p.Title, Summary: oneLine(p.Reasons, 200),
		Explain: "A petition to end a council contract. If enough residents sign, the council must act on it.",
		Action:  "Sign the petition", Path: "/petitions/" + strconv.FormatInt(p.ID, 10), Created: p.CreatedAt,
		Short: s.shortLink(r, "p", p.ID)}
	if c, err := s.cfg.Stores.Contracts.Contract(r.Context(), p.ContractID); err == nil {
		it.Explain = "A petition to end the contract with " + c.Provider + " for " + lowerFirst(c.Service) +
			". If enough residents sign, the council must act on it."
	} else if !errors.Is(err, ballot.ErrNotFound) {
		return nil, err
	}
	// PublicState keeps a sealed petition's "threshold met" quiet.
	switch p.PublicState(s.cfg.Now()) {
	case ballot.StatusOpen:
		it.When = "Signing closes at " + consult.ClosingTime(p.ClosesAt)
	case ballot.StatusRejected:
		it.Action, it.When = "Read the petition", "The council rejected this petition"
	default:
		it.Action, it.When = "Read the petition", closingOf("Signing", p.Closing(s.cfg.Now()))
	}
	it.URL = s.absURL(r, it.Path)
	return it, nil
}

func (s *Server) ballotItem(r *http.Request) (*paper.Item, error) {
	b, err := s.printableBallot(r)
	if err != nil {
		return nil, err
	}
	it := &paper.Item{Council: paper.CouncilOf(s.settings()), Kind: "Recall ballot", Title: b.Question,
		Explain: "Everyone on the electoral register gets a letter with a voter code. Use it to vote online.",
		Action:  "Vote", Path: "/ballots/" + strconv.FormatInt(b.ID, 10), Created: b.CreatedAt,
		Short: s.shortLink(r, "b", b.ID)}
	if c, err := s.cfg.Stores.Contracts.Contract(r.Context(), b.ContractID); err == nil {
		it.Summary = "About the contract with " + c.Provider + " for " + lowerFirst(c.Service) + "."
	} else if !errors.Is(err, ballot.ErrNotFound) {
		return nil, err
	}
	switch b.State(s.cfg.Now()) {
	case ballot.BallotScheduled:
		it.When = "Voting opens on " + formatDateTime(b.OpensAt) + " and closes at " + consult.ClosingTime(b.ClosesAt)
	default:
		it.When = closingOf("Voting", b.Closing(s.cfg.Now()))
		if b.State(s.cfg.Now()) != ballot.BallotOpen {
			it.Action = "Read the result"
		}
	}
	it.URL = s.absURL(r, it.Path)
	return it, nil
}

// printableBallot loads a ballot the public may see: drafts are not found, nor
// is anything while no ballot store is wired.
func (s *Server) printableBallot(r *http.Request) (*ballot.Ballot, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 || s.cfg.Stores.Ballots == nil {
		return nil, ballot.ErrNotFound
	}
	b, err := s.cfg.Stores.Ballots.Ballot(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if b.Status == ballot.BallotDraft {
		return nil, ballot.ErrNotFound
	}
	return b, nil
}

// oneLine gives the first sentence of s, or its first max characters cut
// at a word, on one line.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 && utf8.RuneCountInString(s[:i+1]) <= max {
		return s[:i+1]
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := string([]rune(s)[:max])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// lowerFirst makes "Parks maintenance" read well mid-sentence, leaving
// acronyms ("CCTV") and names ("Pride Park") alone: any capital after the
// first letter keeps s as it is.
func lowerFirst(s string) string {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || strings.ContainsAny(s[1:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
