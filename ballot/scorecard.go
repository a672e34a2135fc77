package ballot

import (
	"strconv"
	"time"

	"github.com/oursay/oursay/consult"
)

// The Our Services Our Say scorecard: for each contract, whether each
// principle is met, worked out from the records OurSay keeps, never typed
// in. Each score names the record that meets the principle, or the place
// where the record that would meet it belongs.

// ScoreStatus is how a contract stands against one principle.
type ScoreStatus string

// Statuses. "Not yet recorded" is neither met nor failed: the record is not
// due yet, or OurSay cannot keep it yet.
const (
	ScoreMet         ScoreStatus = "met"
	ScoreNotMet      ScoreStatus = "not_met"
	ScoreNotRecorded ScoreStatus = "not_yet_recorded"
)

// Label is the status in words, for pages: never colour alone.
func (s ScoreStatus) Label() string {
	switch s {
	case ScoreMet:
		return "Met"
	case ScoreNotMet:
		return "Not met"
	case ScoreNotRecorded:
		return "Not yet recorded"
	}
	return string(s)
}

// Principle is one Our Services Our Say test, by its code.
type Principle string

// Principles, in scorecard order.
const (
	PrincipleContractPublished  Principle = "contract_published"
	PrincipleKPIsCurrent        Principle = "kpis_current"
	PrincipleFinancialData      Principle = "financial_data_published"
	PrincipleFOIClause          Principle = "foi_clause"
	PrincipleConsultedBefore    Principle = "consulted_before_letting"
	PrinciplePublicInterestCase Principle = "public_interest_case"
	PrincipleInHouseBid         Principle = "in_house_bid_or_reason"
	PrincipleSocialValue        Principle = "social_value"
	PrincipleBreakClause        Principle = "break_clause_with_recall"
	PrincipleAtRiskReview       Principle = "at_risk_review"
)

// Principles lists every principle in scorecard order.
var Principles = []Principle{PrincipleContractPublished, PrincipleKPIsCurrent, PrincipleFinancialData,
	PrincipleFOIClause, PrincipleConsultedBefore, PrinciplePublicInterestCase, PrincipleInHouseBid,
	PrincipleSocialValue, PrincipleBreakClause, PrincipleAtRiskReview}

// Label names the principle as the scorecard asks it.
func (p Principle) Label() string {
	switch p {
	case PrincipleContractPublished:
		return "Contract published"
	case PrincipleKPIsCurrent:
		return "Performance indicators reported in the last year"
	case PrincipleFinancialData:
		return "Financial data published"
	case PrincipleFOIClause:
		return "Freedom of Information reaches the provider"
	case PrincipleConsultedBefore:
		return "Public consultation before the contract was let"
	case PrinciplePublicInterestCase:
		return "Public interest case published"
	case PrincipleInHouseBid:
		return "In-house bid, or the reason there was none"
	case PrincipleSocialValue:
		return "Social value weighted and committed"
	case PrincipleBreakClause:
		return "Break clause with a recall rule, honoured"
	case PrincipleAtRiskReview:
		return "At-risk review at the last end point"
	}
	return string(p)
}

// RecordKind says what kind of record a score points to. The web package
// turns a RecordRef into an address.
type RecordKind string

// Record kinds: a part of the contract's own page, a published document,
// a consultation or a recall ballot.
const (
	RecordRegister      RecordKind = "register"      // the contract's register entry
	RecordKPIs          RecordKind = "kpis"          // its performance indicators
	RecordSpend         RecordKind = "spend"         // the payments matched to it
	RecordDocuments     RecordKind = "documents"     // its documents section
	RecordDocument      RecordKind = "document"      // one published document (ID)
	RecordConsultations RecordKind = "consultations" // its linked consultations
	RecordConsultation  RecordKind = "consultation"  // one consultation (Slug)
	RecordRecall        RecordKind = "recall"        // its recall section
	RecordBallot        RecordKind = "ballot"        // one recall ballot (ID)
	RecordReview        RecordKind = "review"        // a review at an end point (ID), or the contract's reviews
)

// RecordRef names the record behind a score: the contract's section, or
// the document (ID), consultation (Slug) or ballot (ID).
type RecordRef struct {
	Kind       RecordKind
	ContractID int64
	ID         int64
	Slug       string
}

// Score is one contract's standing against one principle, with a sentence
// saying why and the record that shows it.
type Score struct {
	Principle Principle
	Status    ScoreStatus
	Detail    string
	Record    RecordRef
}

// RecallOutcome is a public recall ballot on a contract, with its result
// once it is closed (nil before).
type RecallOutcome struct {
	Ballot *Ballot
	Result *Result
}

// ScoreRecords are the records a contract's scorecard is computed from,
// loaded by the caller: only what the public may see.
type ScoreRecords struct {
	Contract  *Contract
	Documents []*Document
	// Payments is how many spending lines are matched to the contract.
	Payments int
	// Consultations are the public consultations linked to the contract.
	Consultations []*consult.Consultation
	Ballots       []RecallOutcome
	// Requests are its published information requests.
	Requests []*InfoRequest
	// Reviews are its reviews at end points, drafts included.
	Reviews []*ContractReview
}

// Scorecard is one contract's scores, in Principles order, with the
// counts of its information requests.
type Scorecard struct {
	Contract *Contract
	Scores   []Score
	Requests RequestTally
}

// Met counts the principles the contract meets.
func (s Scorecard) Met() int {
	n := 0
	for _, x := range s.Scores {
		if x.Status == ScoreMet {
			n++
		}
	}
	return n
}

// ScoreContract works out a contract's scorecard at now.
func ScoreContract(r ScoreRecords, now time.Time) Scorecard {
	c := r.Contract
	return Scorecard{Contract: c, Requests: TallyRequests(r.Requests, now), Scores: []Score{
		scorePublished(r),
		scoreKPIs(c, now),
		scoreFinancial(r, now),
		scoreFOI(c),
		scoreConsulted(r),
		scorePublicInterest(r),
		scoreInHouse(r),
		scoreSocialValue(c),
		scoreBreakClause(r, now),
		AtRiskReviewScore(r, now),
	}}
}

// PrincipleTally is how many contracts meet one principle.
type PrincipleTally struct {
	Principle                Principle
	Met, NotMet, NotRecorded int
	Contracts                int
}

// Summary says the tally as the council-wide row shows it: "7 of 12 contracts".
func (t PrincipleTally) Summary() string {
	return strconv.Itoa(t.Met) + " of " + plural(t.Contracts, "contract", "contracts")
}

// TallyScorecards counts, for each principle in Principles order, how many
// of the scorecards meet it, fail it, or have it not yet recorded; and
// sums their information requests.
func TallyScorecards(cards []Scorecard) ([]PrincipleTally, RequestTally) {
	out := make([]PrincipleTally, len(Principles))
	at := map[Principle]int{}
	for i, p := range Principles {
		out[i] = PrincipleTally{Principle: p, Contracts: len(cards)}
		at[p] = i
	}
	var req RequestTally
	for _, card := range cards {
		for _, s := range card.Scores {
			t := &out[at[s.Principle]]
			switch s.Status {
			case ScoreMet:
				t.Met++
			case ScoreNotMet:
				t.NotMet++
			case ScoreNotRecorded:
				t.NotRecorded++
			}
		}
		req.Awaiting += card.Requests.Awaiting
		req.Overdue += card.Requests.Overdue
		req.OnTime += card.Requests.OnTime
		req.Late += card.Requests.Late
		req.Refused += card.Requests.Refused
	}
	return out, req
}
