package ballot

import (
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// The scorecard's rules, one function per principle, each over the
// records ScoreContract was given (see scorecard.go).

func score(p Principle, st ScoreStatus, detail string, kind RecordKind, c *Contract) Score {
	return Score{Principle: p, Status: st, Detail: detail, Record: RecordRef{Kind: kind, ContractID: c.ID}}
}

func scorePublished(r ScoreRecords) Score {
	c := r.Contract
	for _, d := range r.Documents {
		if d.Kind == DocContract {
			s := score(PrincipleContractPublished, ScoreMet, "The contract is published: "+d.Title+".", RecordDocument, c)
			if d.Redacted {
				s.Detail = "The contract is published, with parts withheld: " + d.Title + "."
			}
			s.Record.ID = d.ID
			return s
		}
	}
	return score(PrincipleContractPublished, ScoreNotMet, "The council has not published the contract.", RecordDocuments, c)
}

// ParseKPIPeriod reads a KPI's period as officers write it, "2026",
// "2026-09" or "2026-Q3", returning its first day and the day after its
// last; ok is false for anything else.
func ParseKPIPeriod(p string) (start, end time.Time, ok bool) {
	p = strings.ToUpper(strings.TrimSpace(p))
	if t, err := time.Parse("2006-01", p); err == nil {
		return t, t.AddDate(0, 1, 0), true
	}
	if t, err := time.Parse("2006", p); err == nil {
		return t, t.AddDate(1, 0, 0), true
	}
	y, q, cut := strings.Cut(p, "-Q")
	if !cut || len(q) != 1 || q < "1" || q > "4" {
		return time.Time{}, time.Time{}, false
	}
	t, err := time.Parse("2006", y)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	start = t.AddDate(0, 3*int(q[0]-'1'), 0)
	return start, start.AddDate(0, 3, 0), true
}

// KPIsCurrentWithin is how recent a KPI report must be to count as current.
const KPIsCurrentWithin = 1 // year

// scoreKPIs: a KPI reported (an actual or a rating) for a period ending
// within the year before now, or before the contract's end if it has
// ended. A contract less than a year old with none is not yet due.
func scoreKPIs(c *Contract, now time.Time) Score {
	ref := startOfDay(now)
	if after := c.EndsOn.AddDate(0, 0, 1); !c.EndsOn.IsZero() && after.Before(ref) {
		ref = after
	}
	since := ref.AddDate(-KPIsCurrentWithin, 0, 0)
	for _, k := range c.KPIs {
		if k.Actual == "" && k.Rating == "" {
			continue
		}
		start, end, ok := ParseKPIPeriod(k.Period)
		if ok && end.After(since) && start.Before(ref) {
			return score(PrincipleKPIsCurrent, ScoreMet, "Reported for "+k.Period+": "+k.Name+".", RecordKPIs, c)
		}
	}
	if c.StartsOn.After(since) {
		return score(PrincipleKPIsCurrent, ScoreNotRecorded,
			"The contract's first year is not over, so its first report may not be due.", RecordKPIs, c)
	}
	return score(PrincipleKPIsCurrent, ScoreNotMet,
		"No performance indicator has been reported for a period in the last year.", RecordKPIs, c)
}

func scoreFinancial(r ScoreRecords, now time.Time) Score {
	c := r.Contract
	switch {
	case r.Payments > 0:
		return score(PrincipleFinancialData, ScoreMet, "The council publishes its payments against this contract: "+
			plural(r.Payments, "payment", "payments")+".", RecordSpend, c)
	case startOfDay(now).Before(c.StartsOn):
		return score(PrincipleFinancialData, ScoreNotRecorded, "The contract has not started, so nothing has been paid yet.", RecordSpend, c)
	}
	return score(PrincipleFinancialData, ScoreNotMet, "No payment against this contract has been published.", RecordSpend, c)
}

func scoreFOI(c *Contract) Score {
	switch c.FOIClause {
	case Yes:
		return score(PrincipleFOIClause, ScoreMet, "The contract subjects the provider to the Freedom of Information Act.", RecordRegister, c)
	case No:
		return score(PrincipleFOIClause, ScoreNotMet, "The contract does not subject the provider to the Freedom of Information Act.", RecordRegister, c)
	}
	return score(PrincipleFOIClause, ScoreNotMet, "The register does not say whether the contract subjects the provider to the Freedom of Information Act.", RecordRegister, c)
}

// prior splits the linked consultations into those held before the
// contract was let and the rest, keeping their order.
func (r ScoreRecords) prior() (before, after []*consult.Consultation) {
	for _, cons := range r.Consultations {
		if ConsultedBefore(r.Contract, cons) {
			before = append(before, cons)
		} else {
			after = append(after, cons)
		}
	}
	return before, after
}

func consultationScore(p Principle, st ScoreStatus, detail string, c *Contract, cons *consult.Consultation) Score {
	s := score(p, st, detail, RecordConsultation, c)
	s.Record.Slug = cons.Slug
	return s
}

func scoreConsulted(r ScoreRecords) Score {
	before, _ := r.prior()
	if len(before) > 0 {
		return consultationScore(PrincipleConsultedBefore, ScoreMet, "Consulted on: "+before[0].Title+".", r.Contract, before[0])
	}
	return score(PrincipleConsultedBefore, ScoreNotMet, "No public consultation before this contract.", RecordConsultations, r.Contract)
}

func scorePublicInterest(r ScoreRecords) Score {
	before, after := r.prior()
	all := append(before, after...)
	for _, cons := range all {
		if strings.TrimSpace(cons.Record.PublicInterestCase) != "" {
			return consultationScore(PrinciplePublicInterestCase, ScoreMet, "Published with the consultation "+cons.Title+".", r.Contract, cons)
		}
	}
	if len(all) > 0 {
		return consultationScore(PrinciplePublicInterestCase, ScoreNotMet,
			"The consultation "+all[0].Title+" gives no public interest case.", r.Contract, all[0])
	}
	return score(PrinciplePublicInterestCase, ScoreNotMet,
		"No public interest case is published: no consultation about this contract gives one.", RecordConsultations, r.Contract)
}

func scoreInHouse(r ScoreRecords) Score {
	c := r.Contract
	switch {
	case c.InHouseBid:
		return score(PrincipleInHouseBid, ScoreMet, "An in-house bid was made.", RecordRegister, c)
	case strings.TrimSpace(c.NoInHouseBidReason) != "":
		return score(PrincipleInHouseBid, ScoreMet, "There was no in-house bid, and the register gives the reason.", RecordRegister, c)
	}
	before, after := r.prior()
	for _, cons := range append(before, after...) {
		if strings.TrimSpace(cons.Record.InHouseBid) != "" {
			return consultationScore(PrincipleInHouseBid, ScoreMet, "The consultation "+cons.Title+" describes the in-house bid.", c, cons)
		}
		if strings.TrimSpace(cons.Record.NoInHouseReason) != "" {
			return consultationScore(PrincipleInHouseBid, ScoreMet, "The consultation "+cons.Title+" gives the reason there was no in-house bid.", c, cons)
		}
	}
	return score(PrincipleInHouseBid, ScoreNotMet, "No in-house bid was made, and no reason is given.", RecordRegister, c)
}

func scoreSocialValue(c *Contract) Score {
	weighted, committed := c.SocialValueBP > 0, strings.TrimSpace(c.SocialValueCommitments) != ""
	switch {
	case weighted && committed:
		return score(PrincipleSocialValue, ScoreMet, "Social value was weighted in the award and the provider's commitments are published.", RecordRegister, c)
	case weighted:
		return score(PrincipleSocialValue, ScoreNotMet, "Social value was weighted in the award, but the provider's commitments are not recorded.", RecordRegister, c)
	case committed:
		return score(PrincipleSocialValue, ScoreNotMet, "The provider's commitments are recorded, but no social value weighting in the award.", RecordRegister, c)
	}
	return score(PrincipleSocialValue, ScoreNotMet, "No social value weighting or commitments are recorded.", RecordRegister, c)
}

// scoreBreakClause: the contract has a break clause and a recall rule, and
// the council has answered every "recall" ballot within RecallResponseDue
// of its result. An unanswered recall fails it, whatever the contract says.
func scoreBreakClause(r ScoreRecords, now time.Time) Score {
	c := r.Contract
	var answered *Ballot
	for _, o := range r.Ballots {
		if o.Result == nil {
			continue
		}
		if o.Ballot.ResponseOverdue(*o.Result, now) {
			s := score(PrincipleBreakClause, ScoreNotMet, "The ballot on "+o.Ballot.ClosedAt.UTC().Format("2 January 2006")+
				" said recall, and the council has recorded no response after "+
				strconv.Itoa(int(RecallResponseDue/(24*time.Hour)))+" days.", RecordBallot, c)
			s.Record.ID = o.Ballot.ID
			return s
		}
		if o.Result.Recall && o.Ballot.Response != nil && answered == nil {
			answered = o.Ballot
		}
	}
	switch {
	case len(c.BreakClauses) == 0:
		return score(PrincipleBreakClause, ScoreNotMet, "The contract has no break clause.", RecordRecall, c)
	case c.Recall.Kind == "":
		return score(PrincipleBreakClause, ScoreNotMet, "The contract has no recall rule.", RecordRecall, c)
	case answered != nil:
		s := score(PrincipleBreakClause, ScoreMet, "The council recorded its response to the recall ballot.", RecordBallot, c)
		s.Record.ID = answered.ID
		return s
	}
	return score(PrincipleBreakClause, ScoreMet, "The contract has "+plural(len(c.BreakClauses), "break clause", "break clauses")+
		" and a recall rule: "+c.Recall.Describe()+".", RecordRecall, c)
}

// LastEndPoint is the latest of c's break clauses, end date and
// termination on or before now, or zero when it has reached none.
func LastEndPoint(c *Contract, now time.Time) time.Time {
	day := startOfDay(now)
	var last time.Time
	for _, b := range append([]time.Time{c.EndsOn, c.TerminatedOn}, c.BreakClauses...) {
		if !b.IsZero() && !b.After(day) && b.After(last) && (!c.Terminated() || !b.After(c.TerminatedOn)) {
			last = b
		}
	}
	return last
}

// AtRiskReviewScore is the at-risk review tick: met when a review, with
// both limbs of the at-risk test answered, was published for the
// contract's LastEndPoint or, done ahead, for its next end point; its
// record that review. Otherwise it is not
// recorded, saying which end point a review is owed for: end points
// passed before reviews were kept in OurSay are not counted as failed.
func AtRiskReviewScore(r ScoreRecords, now time.Time) Score {
	c := r.Contract
	last := LastEndPoint(c, now)
	// A review is done ahead of its end point (the lead time opens it
	// months before), so one published for the next end point counts too.
	var next time.Time
	if ps := c.EndPoints(now); len(ps) > 0 && ps[0].On.After(startOfDay(now)) {
		next = ps[0].On
	}
	for _, rv := range r.Reviews {
		on := rv.Point.On
		if rv.Status == ReviewPublished && !on.IsZero() && (on.Equal(last) || on.Equal(next)) {
			s := score(PrincipleAtRiskReview, ScoreMet, "The council published its at-risk review for the end point on "+
				on.Format("2 January 2006")+": "+lowerFirstWord(rv.Route.Label())+".", RecordReview, c)
			s.Record.ID = rv.ID
			return s
		}
	}
	if last.IsZero() {
		return score(PrincipleAtRiskReview, ScoreNotRecorded,
			"The contract has not reached a break clause or its end yet.", RecordReview, c)
	}
	return score(PrincipleAtRiskReview, ScoreNotRecorded,
		"No review is published for the last end point, "+last.Format("2 January 2006")+".", RecordReview, c)
}

// lowerFirstWord lowers a label's first letter to read mid-sentence.
func lowerFirstWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// plural writes a count with its noun: "1 payment", "3 payments".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
