package web

import (
	"net/http"
	"time"

	"github.com/oursay/oursay/ballot"
)

// The Our Services Our Say scorecard, /accountability and its JSON: the
// scores are worked out in ballot (ScoreContract); this file loads the
// public records they are worked out from and shows them.

// scorecardView is the scorecard page: the council-wide row and one card
// per contract, in register order.
type scorecardView struct {
	Council  []ballot.PrincipleTally
	Requests ballot.RequestTally
	Cards    []ballot.Scorecard
}

// scorecards loads every contract's public records and scores them.
func (s *Server) scorecards(r *http.Request) (*scorecardView, error) {
	ctx := r.Context()
	views, err := s.loadContracts(ctx)
	if err == nil {
		err = s.withLinks(r, views...)
	}
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	requests, err := s.requestsByContract(r, now)
	if err != nil {
		return nil, err
	}
	reviews := map[int64][]*ballot.ContractReview{}
	if s.cfg.Stores.Reviews != nil {
		all, err := s.cfg.Stores.Reviews.Reviews(ctx)
		if err != nil {
			return nil, err
		}
		for _, rv := range all {
			reviews[rv.ContractID] = append(reviews[rv.ContractID], rv)
		}
	}
	v := &scorecardView{}
	for _, cv := range views {
		recs, err := s.scoreRecords(r, cv)
		if err != nil {
			return nil, err
		}
		recs.Requests, recs.Reviews = requests[cv.C.ID], reviews[cv.C.ID]
		v.Cards = append(v.Cards, ballot.ScoreContract(recs, now))
	}
	v.Council, v.Requests = ballot.TallyScorecards(v.Cards)
	return v, nil
}

// scoreRecords loads what one contract is scored on, besides its
// requests: its documents, payments, consultations and recall ballots
// with their results.
func (s *Server) scoreRecords(r *http.Request, v *contractView) (ballot.ScoreRecords, error) {
	ctx := r.Context()
	recs := ballot.ScoreRecords{Contract: v.C}
	var err error
	if recs.Documents, err = s.cfg.Stores.Documents.Documents(ctx, v.C.ID); err != nil {
		return recs, err
	}
	spend, err := s.cfg.Stores.Spending.ContractSpend(ctx, v.C.ID)
	if err != nil {
		return recs, err
	}
	recs.Payments = len(spend)
	for _, cv := range v.Links.Consultations {
		recs.Consultations = append(recs.Consultations, cv.C)
	}
	for _, bv := range v.Links.Ballots {
		o := ballot.RecallOutcome{Ballot: bv.B}
		if bv.B.ResultsPublic() {
			if o.Result, err = s.cfg.Stores.Ballots.Result(ctx, bv.B.ID); err != nil {
				return recs, err
			}
		}
		recs.Ballots = append(recs.Ballots, o)
	}
	return recs, nil
}

// requestsByContract is every published information request, by contract.
func (s *Server) requestsByContract(r *http.Request, now time.Time) (map[int64][]*ballot.InfoRequest, error) {
	m := map[int64][]*ballot.InfoRequest{}
	if s.cfg.Stores.Requests == nil {
		return m, nil
	}
	list, _, err := s.cfg.Stores.Requests.PublicRequests(r.Context(), ballot.RequestFilter{Now: now})
	if err != nil {
		return nil, err
	}
	for _, req := range list {
		m[req.ContractID] = append(m[req.ContractID], req)
	}
	return m, nil
}

// recordPath is the address of the record behind a score, on this site.
func recordPath(ref ballot.RecordRef) string {
	contract := "/contracts/" + itoa64(ref.ContractID)
	switch ref.Kind {
	case ballot.RecordDocument:
		return contract + "/documents/" + itoa64(ref.ID)
	case ballot.RecordConsultation:
		return "/consultations/" + ref.Slug
	case ballot.RecordBallot:
		return "/ballots/" + itoa64(ref.ID)
	case ballot.RecordKPIs:
		return contract + "#performance"
	case ballot.RecordSpend:
		return contract + "#spend"
	case ballot.RecordDocuments:
		return contract + "#documents"
	case ballot.RecordConsultations:
		return contract + "#consultations"
	case ballot.RecordRecall:
		return contract + "#recall"
	case ballot.RecordReview:
		if ref.ID != 0 {
			return contract + "/reviews/" + itoa64(ref.ID)
		}
		return contract + "#reviews"
	}
	return contract // the register entry
}

// RecordPath is recordPath, for the template.
func (*scorecardView) RecordPath(ref ballot.RecordRef) string { return recordPath(ref) }

// LinkText says where a score's link leads: the record that meets the
// principle, or the place the record that would meet it belongs.
func (*scorecardView) LinkText(sc ballot.Score) string {
	if sc.Status == ballot.ScoreMet {
		return "See the record"
	}
	return "Where it would be recorded"
}

// TagClass colours a status's tag; the tag's words say it too.
func (*scorecardView) TagClass(st ballot.ScoreStatus) string {
	switch st {
	case ballot.ScoreMet:
		return "govuk-tag--green"
	case ballot.ScoreNotMet:
		return "govuk-tag--red"
	}
	return "govuk-tag--grey"
}

func (s *Server) accountability(w http.ResponseWriter, r *http.Request) {
	v, err := s.scorecards(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "accountability", &page{Title: "How the council scores on Our Services Our Say", Data: v})
}

// scorecardJSON is /api/accountability (documented in README).
type scorecardJSON struct {
	GeneratedAt time.Time           `json:"generated_at"`
	Principles  []principleJSON     `json:"principles"`
	Council     councilScoreJSON    `json:"council"`
	Contracts   []contractScoreJSON `json:"contracts"`
}

type principleJSON struct {
	Code  ballot.Principle `json:"code"`
	Label string           `json:"label"`
}

type councilScoreJSON struct {
	Contracts  int                   `json:"contracts"`
	Principles []principleTallyJSON  `json:"principles"`
	Requests   scorecardRequestsJSON `json:"information_requests"`
}

type principleTallyJSON struct {
	Code           ballot.Principle `json:"code"`
	Met            int              `json:"met"`
	NotMet         int              `json:"not_met"`
	NotYetRecorded int              `json:"not_yet_recorded"`
	Summary        string           `json:"summary"` // "7 of 12 contracts"
}

type scorecardRequestsJSON struct {
	OnTime   int `json:"answered_on_time"`
	Late     int `json:"answered_late"`
	Refused  int `json:"refused"`
	Awaiting int `json:"awaiting_response"`
	Overdue  int `json:"overdue"`
}

type contractScoreJSON struct {
	ID       int64                 `json:"id"`
	Title    string                `json:"title"`
	Provider string                `json:"provider"`
	URL      string                `json:"url"`
	Met      int                   `json:"met"`
	Scores   []scoreJSON           `json:"scores"`
	Requests scorecardRequestsJSON `json:"information_requests"`
}

type scoreJSON struct {
	Code      ballot.Principle   `json:"code"`
	Status    ballot.ScoreStatus `json:"status"` // met, not_met or not_yet_recorded
	Detail    string             `json:"detail"`
	RecordURL string             `json:"record_url"`
}

func requestsJSON(t ballot.RequestTally) scorecardRequestsJSON {
	return scorecardRequestsJSON{OnTime: t.OnTime, Late: t.Late, Refused: t.Refused, Awaiting: t.Awaiting, Overdue: t.Overdue}
}

func (s *Server) apiAccountability(w http.ResponseWriter, r *http.Request) {
	v, err := s.scorecards(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.baseURL(r)
	out := scorecardJSON{GeneratedAt: s.cfg.Now().UTC(), Principles: []principleJSON{}, Contracts: []contractScoreJSON{},
		Council: councilScoreJSON{Contracts: len(v.Cards), Principles: []principleTallyJSON{}, Requests: requestsJSON(v.Requests)}}
	for _, p := range ballot.Principles {
		out.Principles = append(out.Principles, principleJSON{Code: p, Label: p.Label()})
	}
	for _, t := range v.Council {
		out.Council.Principles = append(out.Council.Principles, principleTallyJSON{Code: t.Principle, Met: t.Met,
			NotMet: t.NotMet, NotYetRecorded: t.NotRecorded, Summary: t.Summary()})
	}
	for _, card := range v.Cards {
		c := contractScoreJSON{ID: card.Contract.ID, Title: card.Contract.Title, Provider: card.Contract.Provider,
			URL: base + "/contracts/" + itoa64(card.Contract.ID), Met: card.Met(), Scores: []scoreJSON{},
			Requests: requestsJSON(card.Requests)}
		for _, sc := range card.Scores {
			c.Scores = append(c.Scores, scoreJSON{Code: sc.Principle, Status: sc.Status, Detail: sc.Detail,
				RecordURL: base + recordPath(sc.Record)})
		}
		out.Contracts = append(out.Contracts, c)
	}
	writeJSON(w, http.StatusOK, out)
}
