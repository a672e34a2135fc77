package web

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/live"
)

// Live messages, which the hub (package live) numbers and sends. Each
// kind of snapshot is its own type, and the types for what must stay
// secret have no field that could carry a count: a sealed
// petition and a ballot before close are sent as liveStatus or
// ballotTurnout whatever the stores hold, so no template or encoder can
// let a number slip out.

// liveStatus is a topic whose numbers are not public: status only.
type liveStatus struct {
	live.Header
	Status string `json:"status"`
	Sealed bool   `json:"sealed"`
}

// petitionCount is a petition whose count is public, as its page shows it.
type petitionCount struct {
	live.Header
	Status         ballot.Status `json:"status"`
	SignatureCount int           `json:"signature_count"`
	Threshold      int           `json:"threshold"`
	Percent        int           `json:"percent"`   // of the threshold, as the progress bar shows it
	Milestone      int           `json:"milestone"` // 25, 50, 75 or 100 reached now, or 0
	ThresholdMet   bool          `json:"threshold_met"`
}

// ballotTurnout is a ballot before close: turnout, never votes per option.
type ballotTurnout struct {
	live.Header
	Status         ballot.BallotStatus `json:"status"`
	VotesCast      int                 `json:"votes_cast"`
	Eligible       int                 `json:"eligible"`
	TurnoutPercent float64             `json:"turnout_percent"`
}

// ballotResult is a closed ballot: turnout and the published result.
type ballotResult struct {
	ballotTurnout
	Counts    map[string]int `json:"counts"` // by option id
	QuorumMet bool           `json:"quorum_met"`
	Recall    bool           `json:"recall"`
}

// consultTally is a consultation whose results are public.
type consultTally struct {
	live.Header
	Status        consult.Status           `json:"status"`
	ResponseCount int                      `json:"response_count"`
	Questions     map[string]questionTally `json:"questions"` // by question id
}

// questionTally is one question's counts and each count's share of those
// who answered, as the results table shows them.
type questionTally struct {
	Answered int            `json:"answered"`
	Counts   map[string]int `json:"counts"`
	Percents map[string]int `json:"percents"`
}

// liveSnapshot builds the current message of a topic from the stores.
func (s *Server) liveSnapshot(ctx context.Context, topic string) (live.Message, error) {
	kind, key, _ := strings.Cut(topic, ":")
	var m live.Message
	var err error
	switch kind {
	case "petition":
		m, err = s.petitionLive(ctx, key)
	case "consultation":
		m, err = s.consultLive(ctx, key)
	case "ballot":
		m, err = s.ballotLive(ctx, key)
	default:
		return nil, live.ErrNoTopic
	}
	if errors.Is(err, ballot.ErrNotFound) || errors.Is(err, consult.ErrNotFound) {
		return nil, live.ErrNoTopic
	}
	return m, err
}

// petitionLive follows the pages' rules (published, PublicState,
// CountPublic): a sealed petition is status only, and "threshold met" is
// not said of it until signing closes.
func (s *Server) petitionLive(ctx context.Context, key string) (live.Message, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, live.ErrNoTopic
	}
	p, err := s.cfg.Stores.Petitions.Petition(ctx, id)
	if err != nil {
		return nil, err
	}
	if !published(p) {
		return nil, live.ErrNoTopic
	}
	now := s.cfg.Now()
	st := p.PublicState(now)
	if !p.CountPublic(now) {
		return &liveStatus{Status: string(st), Sealed: true}, nil
	}
	return &petitionCount{Status: st, SignatureCount: p.SignatureCount, Threshold: p.Threshold,
		Percent: min(100, percent(p.SignatureCount, p.Threshold)), Milestone: ballot.MilestoneFor(p.SignatureCount, p.Threshold),
		ThresholdMet: !p.ThresholdMetAt.IsZero()}, nil
}

// consultLive sends tallies only while ResultsPublic, as the page does.
func (s *Server) consultLive(ctx context.Context, slug string) (live.Message, error) {
	c, err := s.cfg.Stores.Consult.Consultation(ctx, slug)
	if err != nil {
		return nil, err
	}
	if c.Status == consult.StatusDraft {
		return nil, live.ErrNoTopic
	}
	now := s.cfg.Now()
	if !c.ResultsPublic(now) {
		return &liveStatus{Status: string(c.State(now))}, nil
	}
	t, err := s.cfg.Stores.Consult.Tally(ctx, slug)
	if err != nil {
		return nil, err
	}
	out := &consultTally{Status: c.State(now), ResponseCount: t.ResponseCount, Questions: map[string]questionTally{}}
	for _, cq := range c.Questions {
		qt, ok := t.Questions[cq.ID]
		if !ok {
			continue
		}
		q := questionTally{Answered: qt.Answered, Counts: map[string]int{}, Percents: map[string]int{}}
		for k, n := range qt.Counts {
			q.Counts[strconv.FormatInt(k, 10)] = n
		}
		for k, p := range cq.Shares(qt) {
			q.Percents[strconv.FormatInt(k, 10)] = p
		}
		out.Questions[strconv.FormatInt(cq.ID, 10)] = q
	}
	return out, nil
}

// ballotLive sends turnout while voting goes on and the result only once
// the council has closed the ballot (Ballot.ResultsPublic).
func (s *Server) ballotLive(ctx context.Context, key string) (live.Message, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil || s.cfg.Stores.Ballots == nil {
		return nil, live.ErrNoTopic
	}
	b, err := s.cfg.Stores.Ballots.Ballot(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.Status == ballot.BallotDraft {
		return nil, live.ErrNoTopic
	}
	turnout := ballotTurnout{Status: b.State(s.cfg.Now()), VotesCast: b.VotesCast, Eligible: b.CodesIssued,
		TurnoutPercent: float64(b.TurnoutBasisPoints()) / 100}
	if !b.ResultsPublic() {
		return &turnout, nil
	}
	r, err := s.cfg.Stores.Ballots.Result(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &ballotResult{ballotTurnout: turnout, Counts: map[string]int{}, QuorumMet: r.QuorumMet, Recall: r.Recall}
	for _, o := range b.Options {
		out.Counts[strconv.FormatInt(o.ID, 10)] = r.Counts[o.ID]
	}
	return out, nil
}
