package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// ballotView is what ballot pages show. Result is filled only once the
// council has closed the ballot, so no template has a count to print before.
type ballotView struct {
	B              *ballot.Ballot
	State          ballot.BallotStatus
	StateLabel     string
	Contract       *ballot.Contract
	TurnoutPercent string
	QuorumPercent  string
	CanVote        bool
	Result         *resultView
	// Code pre-fills the code box when the page is opened from a letter.
	Code string
	// CodeUsed: the code typed has voted, so the page says what to do if
	// it was not the voter.
	CodeUsed bool
	// Contact is how to reach the council, for the contactLine template;
	// empty, the line names the council that sent the letter.
	Contact string
}

// resultView is a closed ballot's published result.
type resultView struct {
	Rows           []resultRow
	VotesCast      int
	TurnoutPercent string
	QuorumMet      bool
	FirstLabel     string
	FirstShare     string
	Recall         bool
	ClosedAt       time.Time
}

type resultRow struct {
	Label string
	Votes int
	// Percent is the share of votes cast in whole per cent, by the largest
	// remainder method (consult.Percents), as consultation results show
	// shares: the rows add up to 100.
	Percent int
}

func ballotStateLabel(st ballot.BallotStatus) string {
	switch st {
	case ballot.BallotDraft:
		return "Being set up"
	case ballot.BallotScheduled:
		return "Opens soon"
	case ballot.BallotOpen:
		return "Open for voting"
	case ballot.BallotEnded:
		return "Voting ended, result to follow"
	case ballot.BallotClosed:
		return "Closed, result published"
	}
	return string(st)
}

// pct prints basis points as a percentage the way the live channel's JSON
// number prints in a browser (25, 12.5, 33.33), so live updates match.
func pct(bp int) string { return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64) }

func (s *Server) ballotView(r *http.Request, b *ballot.Ballot) (*ballotView, error) {
	now := s.cfg.Now()
	v := &ballotView{B: b, State: b.State(now), TurnoutPercent: pct(b.TurnoutBasisPoints()),
		QuorumPercent: pct(b.QuorumBasisPoints), CanVote: b.AcceptsVotes(now)}
	v.StateLabel = ballotStateLabel(v.State)
	if st := s.settings(); st.ContactPhone != "" && st.ContactEmail != "" {
		v.Contact = st.CouncilName + " on " + st.ContactPhone + " or at " + st.ContactEmail
	}
	if c, err := s.cfg.Stores.Contracts.Contract(r.Context(), b.ContractID); err == nil {
		v.Contract = c
	} else if !errors.Is(err, ballot.ErrNotFound) {
		return nil, err
	}
	if !b.ResultsPublic() {
		return v, nil
	}
	res, err := s.cfg.Stores.Ballots.Result(r.Context(), b.ID)
	if err != nil {
		return nil, err
	}
	v.Result = newResultView(b, res)
	return v, nil
}

func newResultView(b *ballot.Ballot, res *ballot.Result) *resultView {
	rv := &resultView{VotesCast: res.VotesCast, TurnoutPercent: pct(res.Turnout), QuorumMet: res.QuorumMet,
		FirstShare: pct(res.YesShare), Recall: res.Recall, ClosedAt: b.ClosedAt}
	shares := resultPercents(b, res)
	for i, o := range b.Options {
		rv.Rows = append(rv.Rows, resultRow{Label: o.Label, Votes: res.Counts[o.ID], Percent: shares[i]})
	}
	if len(b.Options) > 0 {
		rv.FirstLabel = b.Options[0].Label
	}
	return rv
}

// resultPercents is each option's share of the votes cast, in the order
// of the ballot's options, in whole per cent by the largest remainder.
func resultPercents(b *ballot.Ballot, res *ballot.Result) []int {
	counts := make([]int, len(b.Options))
	for i, o := range b.Options {
		counts[i] = res.Counts[o.ID]
	}
	return consult.Percents(counts, res.VotesCast)
}

func ballotID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ballot.ErrNotFound
	}
	return id, nil
}

// publicBallot loads a ballot the public may see: any but a draft.
func (s *Server) publicBallot(r *http.Request) (*ballot.Ballot, error) {
	id, err := ballotID(r)
	if err != nil {
		return nil, err
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

// votingOn returns the published ballot the path names, for a vote (or
// its check step), from the ballots kept for a second (see kept). The
// store checks again as it records a vote, against the ballot as it is
// then, so a ballot closed within the second takes no vote.
func (s *Server) votingOn(r *http.Request) (*ballot.Ballot, error) {
	return s.keptBallots.get(r.PathValue("id"), func() (*ballot.Ballot, error) { return s.publicBallot(r) })
}

func (s *Server) ballotList(w http.ResponseWriter, r *http.Request) {
	views, err := s.publicBallotViews(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	statuses := []choice{{string(ballot.BallotScheduled), "Opens soon"}, {string(ballot.BallotOpen), "Open for voting"},
		{string(ballot.BallotEnded), "Voting ended, result to follow"}, {string(ballot.BallotClosed), "Closed, result published"}}
	v, form, fields := filterList(r, "/ballots", "ballots", views,
		func(b *ballotView) string { return b.B.Question }, func(b *ballotView) string { return string(b.State) }, statuses, ballotClosing)
	s.renderList(w, r, "ballots", &page{Title: "Recall ballots", Data: v, Form: form}, fields)
}

// ballotPage is served from the hub's cache (see renderShared).
func (s *Server) ballotPage(w http.ResponseWriter, r *http.Request) {
	id, err := ballotID(r)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	s.renderShared(w, r, ballot.BallotTopic(id), "ballot", func() (*page, error) {
		pg := &page{}
		b, err := s.publicBallot(r)
		if s.preview(w, r, err, pg) { // staff only, so never a shared page
			b, err = s.pathBallot(r)
			pg.Preview = "/admin/ballots/" + r.PathValue("id")
		}
		if err != nil {
			return nil, err
		}
		v, err := s.ballotView(r, b)
		if err != nil {
			return nil, err
		}
		pg.Title, pg.Data = b.Question, v
		return pg, nil
	}, func(err error) { s.failBallot(w, r, err) })
}

// receiptsView is the public list of receipts of a closed ballot, and the
// answer to a voter looking theirs up.
type receiptsView struct {
	B        *ballot.Ballot
	Receipts []string
	Lookup   string
	Found    bool
}

func (s *Server) ballotReceipts(w http.ResponseWriter, r *http.Request) {
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
	v := &receiptsView{B: b, Receipts: list}
	if q := r.URL.Query().Get("receipt"); q != "" {
		v.Lookup = normaliseReceipt(q)
		_, v.Found = slices.BinarySearch(list, v.Lookup)
	}
	s.render(w, r, http.StatusOK, "ballot_receipts", &page{Title: "Receipts: " + b.Question, Data: v})
}

// normaliseReceipt reads a receipt as typed: any case, any spaces or
// dashes, printed back in groups of four as the list holds it.
func normaliseReceipt(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r != ' ' && r != '-' {
			b.WriteRune(r)
		}
	}
	return ballot.GroupCode(b.String())
}

// failBallot shows a ballot error in words a voter understands.
func (s *Server) failBallot(w http.ResponseWriter, r *http.Request, err error) {
	var status int
	var msg string
	switch {
	case errors.Is(err, ballot.ErrNotFound):
		status, msg = http.StatusNotFound, "Page not found"
	case errors.Is(err, ballot.ErrNotOpen):
		status, msg = http.StatusConflict, "The result and the list of receipts are published when the ballot closes."
	default:
		s.fail(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSONError(w, status, msg, nil)
		return
	}
	s.render(w, r, status, "error", &page{Title: msg, Data: msg})
}
