package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// The public things link to each other both ways: a contract to its
// consultations, petitions and ballots; each of those back to its
// contract; a petition to the ballot it led to and the ballot back to it.
// Every list here holds only what the public may see.

// homeLimit caps the home page's petitions and ballots: live.js follows
// each of them on one connection, which carries at most 16 topics, and a
// link below each list leads to the rest.
const homeLimit = 6

// homeView is the home page: what a resident can take part in today.
type homeView struct {
	Consultations []*consult.Consultation
	Petitions     []*petitionView
	Ballots       []*ballotView
	MorePetitions bool
	MoreBallots   bool
}

// contractLinks are the public consultations, petitions and ballots about
// one contract, newest first.
type contractLinks struct {
	Consultations []consultView
	Petitions     []*petitionView
	Ballots       []*ballotView
}

// publicLists are the public consultations, petitions and ballots, read
// once for a page that sorts them.
type publicLists struct {
	consultations []*consult.Consultation
	petitions     []*petitionView
	ballots       []*ballotView
}

func (s *Server) publicLists(r *http.Request) (*publicLists, error) {
	cs, err := s.cfg.Stores.Consult.Consultations(r.Context(), consult.Filter{Public: true})
	if err != nil {
		return nil, err
	}
	ps, err := s.publicPetitionViews(r)
	if err != nil {
		return nil, err
	}
	bs, err := s.publicBallotViews(r)
	if err != nil {
		return nil, err
	}
	return &publicLists{consultations: cs, petitions: ps, ballots: bs}, nil
}

// publicPetitionViews are the published petitions, newest first, without
// their ward counts.
func (s *Server) publicPetitionViews(r *http.Request) ([]*petitionView, error) {
	list, err := s.cfg.Stores.Petitions.Petitions(r.Context(), true)
	if err != nil {
		return nil, err
	}
	views := make([]*petitionView, 0, len(list))
	for _, p := range list {
		v, err := s.petitionView(r, p, false)
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	return views, nil
}

// publicBallotViews are the ballots past their draft, newest first, as
// lists show them: no result.
func (s *Server) publicBallotViews(r *http.Request) ([]*ballotView, error) {
	list, err := s.cfg.Stores.Ballots.Ballots(r.Context(), true)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	views := make([]*ballotView, 0, len(list))
	for _, b := range list {
		views = append(views, listBallotView(b, now))
	}
	return views, nil
}

func listBallotView(b *ballot.Ballot, now time.Time) *ballotView {
	st := b.State(now)
	return &ballotView{B: b, State: st, StateLabel: ballotStateLabel(st), TurnoutPercent: pct(b.TurnoutBasisPoints()),
		QuorumPercent: pct(b.QuorumBasisPoints)}
}

// home lists what is open now: consultations taking responses, petitions
// taking signatures (with their live counts) and ballots taking votes.
func (s *Server) homeView(r *http.Request) (*homeView, error) {
	l, err := s.publicLists(r)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	v := &homeView{}
	for _, c := range l.consultations {
		if c.State(now) == consult.StatusOpen {
			v.Consultations = append(v.Consultations, c)
		}
	}
	for _, p := range l.petitions {
		if p.P.AcceptsSignatures(now) {
			v.Petitions = append(v.Petitions, p)
		}
	}
	for _, b := range l.ballots {
		if b.State == ballot.BallotOpen {
			v.Ballots = append(v.Ballots, b)
		}
	}
	v.Petitions, v.MorePetitions = capList(v.Petitions)
	v.Ballots, v.MoreBallots = capList(v.Ballots)
	return v, nil
}

func capList[T any](list []T) ([]T, bool) {
	if len(list) > homeLimit {
		return list[:homeLimit], true
	}
	return list, false
}

// byContract sorts the public lists by the contract each is about.
func (l *publicLists) byContract(now time.Time) map[int64]*contractLinks {
	m := map[int64]*contractLinks{}
	links := func(id int64) *contractLinks {
		if m[id] == nil {
			m[id] = &contractLinks{}
		}
		return m[id]
	}
	for _, c := range l.consultations {
		if c.ContractID != 0 {
			k := links(c.ContractID)
			k.Consultations = append(k.Consultations, consultView{C: c, State: c.State(now)})
		}
	}
	for _, p := range l.petitions {
		k := links(p.P.ContractID)
		k.Petitions = append(k.Petitions, p)
	}
	for _, b := range l.ballots {
		k := links(b.B.ContractID)
		k.Ballots = append(k.Ballots, b)
	}
	return m
}

// contractLinksFor returns the links of every contract, by id.
func (s *Server) contractLinksFor(r *http.Request) (map[int64]*contractLinks, error) {
	l, err := s.publicLists(r)
	if err != nil {
		return nil, err
	}
	return l.byContract(s.cfg.Now()), nil
}

// petitionBallot is the newest public ballot called for petition id, or
// nil.
func (s *Server) petitionBallot(r *http.Request, id int64) (*ballotView, error) {
	list, err := s.cfg.Stores.Ballots.Ballots(r.Context(), true)
	if err != nil {
		return nil, err
	}
	for _, b := range list { // newest first
		if b.PetitionID == id {
			return listBallotView(b, s.cfg.Now()), nil
		}
	}
	return nil, nil
}

// openPetitionFor is the newest published petition against contract that
// still takes signatures, or nil: a campaigner starting another is warned.
func (s *Server) openPetitionFor(r *http.Request, contract int64) (*ballot.Petition, error) {
	if contract <= 0 {
		return nil, nil
	}
	list, err := s.cfg.Stores.Petitions.Petitions(r.Context(), true)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	for _, p := range list {
		if p.ContractID == contract && p.AcceptsSignatures(now) {
			return p, nil
		}
	}
	return nil, nil
}

// linkJSON is one linked thing in JSON: its address, title and status. A
// consultation is named by its slug, anything else by its id.
type linkJSON struct {
	ID     int64  `json:"id,omitempty"`
	Slug   string `json:"slug,omitempty"`
	URL    string `json:"url"`
	Title  string `json:"title"`
	Status string `json:"status"`
	// CouncilResponse is, for a ballot, what the council did after its
	// result; absent until recorded.
	CouncilResponse *councilResponseJSON `json:"council_response,omitempty"`
	// Decision is, for a consultation, the decision recorded after it;
	// absent until recorded.
	Decision *linkDecisionJSON `json:"decision,omitempty"`
}

// linkDecisionJSON is a consultation's recorded decision, in brief.
type linkDecisionJSON struct {
	Proposal   string    `json:"proposal"`
	Label      string    `json:"label"`
	Summary    string    `json:"summary"`
	RecordedAt time.Time `json:"recorded_at"`
}

// consultationLinkJSON is a consultation in a contract's links.
func consultationLinkJSON(c consultView, base string) linkJSON {
	out := linkJSON{Slug: c.C.Slug, URL: base + "/consultations/" + c.C.Slug, Title: c.C.Title, Status: string(c.State)}
	if d := c.C.Decision; d != nil {
		out.Decision = &linkDecisionJSON{Proposal: string(d.Proposal), Label: d.Proposal.Label(), Summary: d.Summary,
			RecordedAt: d.RecordedAt.UTC()}
	}
	return out
}

// linksJSON is a contract's links in its JSON; each list is [] when empty.
type linksJSON struct {
	Consultations []linkJSON `json:"consultations"`
	Petitions     []linkJSON `json:"petitions"`
	Ballots       []linkJSON `json:"ballots"`
}

func contractLinksJSON(k *contractLinks, base string) linksJSON {
	out := linksJSON{Consultations: []linkJSON{}, Petitions: []linkJSON{}, Ballots: []linkJSON{}}
	if k == nil {
		return out
	}
	for _, c := range k.Consultations {
		out.Consultations = append(out.Consultations, consultationLinkJSON(c, base))
	}
	for _, p := range k.Petitions {
		out.Petitions = append(out.Petitions, linkJSON{ID: p.P.ID, URL: base + petitionPath(p.P.ID), Title: p.P.Title,
			Status: string(p.State)})
	}
	for _, b := range k.Ballots {
		out.Ballots = append(out.Ballots, linkJSON{ID: b.B.ID, URL: base + ballotPath(b.B.ID), Title: b.B.Question,
			Status: string(b.State), CouncilResponse: councilResponseToJSON(b.B.Response)})
	}
	return out
}

func petitionPath(id int64) string { return "/petitions/" + strconv.FormatInt(id, 10) }
func ballotPath(id int64) string   { return "/ballots/" + strconv.FormatInt(id, 10) }
func contractPath(id int64) string { return "/contracts/" + strconv.FormatInt(id, 10) }

// optionalURL is base+path(id), or nil for id 0.
func optionalURL(base string, id int64, path func(int64) string) *string {
	if id == 0 {
		return nil
	}
	u := base + path(id)
	return &u
}
