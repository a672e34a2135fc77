package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
)

// ballotJSON is the stable public JSON of a recall ballot. results is null
// until the council closes the ballot; turnout is public throughout.
type ballotJSON struct {
	ID                int64               `json:"id"`
	URL               string              `json:"url"`
	Question          string              `json:"question"`
	PetitionID        *int64              `json:"petition_id"`
	PetitionURL       *string             `json:"petition_url"` // null with petition_id
	ContractID        int64               `json:"contract_id"`
	ContractURL       string              `json:"contract_url"`
	Status            ballot.BallotStatus `json:"status"`
	Options           []ballotOptionJSON  `json:"options"`
	OpensAt           time.Time           `json:"opens_at"`
	ClosesAt          time.Time           `json:"closes_at"`
	Closing           string              `json:"closing"` // "Closes at 11:59pm on …" or "Closed on …", as the page says
	QuorumBasisPoints int                 `json:"quorum_basis_points"`
	Turnout           turnoutJSON         `json:"turnout"`
	Results           *resultsJSON        `json:"results"`
	ReceiptsURL       *string             `json:"receipts_url"`
	// CouncilResponse is what the council did after the result: null until
	// recorded.
	CouncilResponse *councilResponseJSON `json:"council_response"`
}

// councilResponseJSON is the council's response to a ballot's result.
type councilResponseJSON struct {
	// BreakExercised says whether the council exercised the break clause.
	BreakExercised bool `json:"break_exercised"`
	// BreakOn is the day the break takes effect (YYYY-MM-DD), null when not exercised.
	BreakOn    *string   `json:"break_on"`
	Reason     string    `json:"reason"`
	Summary    string    `json:"summary"`
	RecordedAt time.Time `json:"recorded_at"`
}

func councilResponseToJSON(r *ballot.CouncilResponse) *councilResponseJSON {
	if r == nil {
		return nil
	}
	out := &councilResponseJSON{BreakExercised: r.Exercised, Reason: r.Reason, Summary: r.Describe(), RecordedAt: r.RecordedAt.UTC()}
	if r.Exercised {
		d := isoDate(r.BreakOn)
		out.BreakOn = &d
	}
	return out
}

type ballotOptionJSON struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

type turnoutJSON struct {
	VotesCast   int `json:"votes_cast"`
	CodesIssued int `json:"codes_issued"`
	BasisPoints int `json:"basis_points"`
}

type resultsJSON struct {
	Counts             []countJSON `json:"counts"`
	VotesCast          int         `json:"votes_cast"`
	TurnoutBasisPoints int         `json:"turnout_basis_points"`
	QuorumMet          bool        `json:"quorum_met"`
	YesShareBasisPts   int         `json:"yes_share_basis_points"`
	// Outcome is "recall" (Yes share over 50% and quorum met) or "no_recall".
	Outcome  string    `json:"outcome"`
	ClosedAt time.Time `json:"closed_at"`
}

type countJSON struct {
	OptionID int64  `json:"option_id"`
	Label    string `json:"label"`
	Votes    int    `json:"votes"`
	// Percent is the share of votes cast in whole per cent, as the page
	// shows it: by the largest remainder, so the shares add up to 100.
	Percent int `json:"percent"`
}

func (s *Server) ballotJSON(b *ballot.Ballot, now time.Time) ballotJSON {
	url := s.cfg.BaseURL + "/ballots/" + strconv.FormatInt(b.ID, 10)
	out := ballotJSON{ID: b.ID, URL: url, Question: b.Question, ContractID: b.ContractID, Status: b.State(now),
		Options: []ballotOptionJSON{}, OpensAt: b.OpensAt.UTC(), ClosesAt: b.ClosesAt.UTC(), Closing: b.Closing(now), QuorumBasisPoints: b.QuorumBasisPoints,
		Turnout:         turnoutJSON{VotesCast: b.VotesCast, CodesIssued: b.CodesIssued, BasisPoints: b.TurnoutBasisPoints()},
		CouncilResponse: councilResponseToJSON(b.Response)}
	out.ContractURL = s.cfg.BaseURL + contractPath(b.ContractID)
	if b.PetitionID != 0 {
		out.PetitionID, out.PetitionURL = &b.PetitionID, optionalURL(s.cfg.BaseURL, b.PetitionID, petitionPath)
	}
	for _, o := range b.Options {
		out.Options = append(out.Options, ballotOptionJSON{o.ID, o.Label})
	}
	return out
}

// withResults adds a closed ballot's result, read from the store.
func (s *Server) withResults(r *http.Request, out *ballotJSON, b *ballot.Ballot) error {
	if !b.ResultsPublic() {
		return nil
	}
	res, err := s.cfg.Stores.Ballots.Result(r.Context(), b.ID)
	if err != nil {
		return err
	}
	rj := &resultsJSON{Counts: []countJSON{}, VotesCast: res.VotesCast, TurnoutBasisPoints: res.Turnout,
		QuorumMet: res.QuorumMet, YesShareBasisPts: res.YesShare, Outcome: "no_recall", ClosedAt: b.ClosedAt.UTC()}
	if res.Recall {
		rj.Outcome = "recall"
	}
	shares := resultPercents(b, res)
	for i, o := range b.Options {
		rj.Counts = append(rj.Counts, countJSON{o.ID, o.Label, res.Counts[o.ID], shares[i]})
	}
	out.Results = rj
	receipts := out.URL + "/receipts"
	out.ReceiptsURL = &receipts
	return nil
}

func (s *Server) apiBallots(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Ballots.Ballots(r.Context(), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]ballotJSON, 0, len(list))
	now := s.cfg.Now()
	for _, b := range list {
		j := s.ballotJSON(b, now)
		if err := s.withResults(r, &j, b); err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"ballots": out})
}

func (s *Server) apiBallot(w http.ResponseWriter, r *http.Request) {
	b, err := s.publicBallot(r)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	j := s.ballotJSON(b, s.cfg.Now())
	if err := s.withResults(r, &j, b); err != nil {
		s.failBallot(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}

// apiReceipts lists a closed ballot's receipts; before close it is a 409.
func (s *Server) apiReceipts(w http.ResponseWriter, r *http.Request) {
	b, err := s.publicBallot(r)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	list, err := s.cfg.Stores.Ballots.Receipts(r.Context(), b.ID)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	if list == nil {
		list = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"ballot_id": b.ID, "count": len(list), "receipts": list})
}
