package ballot

import (
	"context"
	"time"
)

// BallotStatus is a recall ballot's stored stage; State derives the rest.
type BallotStatus string

// Ballot lifecycle: draft (codes may be generated) → open (voting between
// OpensAt and ClosesAt) → closed (results published). Closing is a council
// action that also records the result in the audit log.
const (
	BallotDraft     BallotStatus = "draft"
	BallotScheduled BallotStatus = "scheduled" // derived: open, before OpensAt
	BallotOpen      BallotStatus = "open"
	BallotEnded     BallotStatus = "ended" // derived: open, past ClosesAt, not yet closed by the council
	BallotClosed    BallotStatus = "closed"
)

// BallotOption is one answer on the ballot paper.
type BallotOption struct {
	ID    int64
	Label string
}

// Ballot is a recall ballot on a contract, usually for a petition that met
// its threshold.
type Ballot struct {
	ID         int64
	PetitionID int64 // 0 when set up for a contract directly
	ContractID int64
	Question   string
	Options    []BallotOption // Yes first, then No, by default
	OpensAt    time.Time
	ClosesAt   time.Time
	// QuorumBasisPoints is the minimum turnout in hundredths of a percent:
	// 2500 is 25%.
	QuorumBasisPoints int
	Status            BallotStatus
	// CodesIssued is how many voter codes exist: the electorate of the ballot.
	CodesIssued int
	// VotesCast is the counter of votes, public while open (turnout).
	VotesCast int
	ClosedAt  time.Time
	CreatedAt time.Time
	// Response is what the council did after the result; nil until recorded.
	Response *CouncilResponse
}

// State is the stage a person sees at now.
func (b *Ballot) State(now time.Time) BallotStatus {
	if b.Status != BallotOpen {
		return b.Status
	}
	switch {
	case now.Before(b.OpensAt):
		return BallotScheduled
	case !now.Before(b.ClosesAt):
		return BallotEnded
	}
	return BallotOpen
}

// AcceptsVotes reports whether votes may be cast at now.
func (b *Ballot) AcceptsVotes(now time.Time) bool { return b.State(now) == BallotOpen }

// AcceptsCodes reports whether voter codes may be added at now: only
// before voting starts (a draft, or open before OpensAt). Codes are the
// electorate, so adding them once votes are cast would move turnout and
// could tip the quorum.
func (b *Ballot) AcceptsCodes(now time.Time) bool {
	st := b.State(now)
	return st == BallotDraft || st == BallotScheduled
}

// ResultsPublic reports whether counts per option may be shown: only once
// the council has closed the ballot. Turnout may be shown at any time.
func (b *Ballot) ResultsPublic() bool { return b.Status == BallotClosed }

// TurnoutBasisPoints is votes cast over codes issued, in hundredths of a percent.
func (b *Ballot) TurnoutBasisPoints() int {
	if b.CodesIssued <= 0 {
		return 0
	}
	return b.VotesCast * 10000 / b.CodesIssued
}

// Validate checks a ballot as the council sets it up.
func (b *Ballot) Validate() error {
	ve := &ValidationError{}
	ve.Text("question", "Question", b.Question, "Enter the question on the ballot paper", 500)
	if len(b.Options) < 2 || len(b.Options) > 10 {
		ve.Add("options", "Give from 2 to 10 options")
	}
	seen := map[string]bool{}
	for _, o := range b.Options {
		if o.Label == "" || len([]rune(o.Label)) > 100 || seen[o.Label] {
			ve.Add("options", "Options must be different, and each from 1 to 100 characters")
		}
		seen[o.Label] = true
	}
	if b.ContractID <= 0 && b.PetitionID <= 0 {
		ve.Add("contract", "Choose the contract") // a petition's ballot is about the petition's contract
	}
	if b.OpensAt.IsZero() {
		ve.Add("opens_at", "Enter when voting opens")
	}
	switch {
	case b.ClosesAt.IsZero():
		ve.Add("closes_at", "Enter when voting closes")
	case !b.ClosesAt.After(b.OpensAt):
		ve.Add("closes_at", "Voting must close after it opens")
	}
	if b.QuorumBasisPoints < 0 || b.QuorumBasisPoints > 10000 {
		ve.Add("quorum", "Quorum must be from 0% to 100% turnout")
	}
	return ve.Err()
}

// DefaultOptions are the options of a recall ballot unless the council sets others.
func DefaultOptions() []BallotOption {
	return []BallotOption{{Label: "Yes"}, {Label: "No"}}
}

// Result is a closed ballot's outcome.
type Result struct {
	Counts     map[int64]int // by option id
	VotesCast  int
	Turnout    int // basis points
	QuorumMet  bool
	YesShare   int  // basis points of votes cast for the first option ("Yes")
	Recall     bool // the outcome: Yes share > 50% and turnout ≥ quorum
	ComputedAt time.Time
}

// Outcome applies the recall rule: the first option ("Yes") must win more
// than half the votes cast, and turnout must reach the quorum.
func Outcome(b *Ballot, counts map[int64]int) Result {
	r := Result{Counts: counts}
	for _, n := range counts {
		r.VotesCast += n
	}
	if b.CodesIssued > 0 {
		r.Turnout = r.VotesCast * 10000 / b.CodesIssued
	}
	r.QuorumMet = r.Turnout >= b.QuorumBasisPoints && r.VotesCast > 0
	if len(b.Options) > 0 && r.VotesCast > 0 {
		yes := counts[b.Options[0].ID]
		r.YesShare = yes * 10000 / r.VotesCast
		r.Recall = r.QuorumMet && yes*2 > r.VotesCast
	}
	return r
}

// BallotStore keeps recall ballots, voter codes and votes.
type BallotStore interface {
	// CreateBallot saves a draft ballot with its options and sets b.ID. It
	// returns a *ValidationError, ErrNotFound for an unknown contract or
	// petition, or ErrBadTransition when the petition has not met its threshold.
	CreateBallot(ctx context.Context, b *Ballot, actor string) error
	// Ballot returns one ballot with its options, or ErrNotFound.
	Ballot(ctx context.Context, id int64) (*Ballot, error)
	// Ballots lists ballots, newest first; public omits drafts.
	Ballots(ctx context.Context, public bool) ([]*Ballot, error)
	// AddCodes stores the keyed hashes of new voter codes, in one
	// transaction, while the ballot AcceptsCodes. It returns
	// ErrBadTransition once voting has started.
	AddCodes(ctx context.Context, ballotID int64, hashes [][]byte, actor string) error
	// Open opens a draft ballot that has codes. ErrBadTransition otherwise.
	Open(ctx context.Context, id int64, actor string) error
	// Vote uses the code with this hash and stores its vote in one
	// transaction, returning a receipt. It returns ErrNotOpen, ErrCodeUsed,
	// ErrCodeUnknown or a *ValidationError for an option not on the ballot.
	Vote(ctx context.Context, ballotID int64, codeHash []byte, optionID int64) (receipt string, err error)
	// Close closes a ballot whose voting has ended (or ends it early) and
	// records the result in the audit log. It returns the result.
	Close(ctx context.Context, id int64, actor string) (*Result, error)
	// RecordResponse records, once, what the council did after a closed
	// ballot's result, audits it and mails the petition's campaigner. It
	// returns a *ValidationError, ErrNotFound, or ErrBadTransition when the
	// ballot is not closed or already has a response.
	RecordResponse(ctx context.Context, id int64, r *CouncilResponse, actor string) error
	// Result returns the result of a closed ballot, or ErrNotOpen before close.
	Result(ctx context.Context, id int64) (*Result, error)
	// Receipts lists the receipts of a closed ballot, sorted, or ErrNotOpen before close.
	Receipts(ctx context.Context, id int64) ([]string, error)
	// CodeUsed reports whether the code with this hash has voted on the
	// ballot, without using it: the voting page checks a letter's code
	// before showing the form. It returns ErrCodeUnknown if no such code.
	CodeUsed(ctx context.Context, ballotID int64, codeHash []byte) (bool, error)
}
