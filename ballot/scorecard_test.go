package ballot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// scoreNow is the moment every scorecard case is judged at.
var scoreNow = time.Date(2027, 6, 15, 12, 0, 0, 0, time.UTC)

// scoredContract is a running contract that meets nothing by its register
// alone: each case adds what it tests.
func scoredContract(edit func(*ballot.Contract)) *ballot.Contract {
	c := &ballot.Contract{ID: 4, Title: "Waste collection", StartsOn: ymd(2024, 4, 1), EndsOn: ymd(2031, 3, 31),
		Recall: ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1000}}
	if edit != nil {
		edit(c)
	}
	return c
}

// scoreCase is one set of records and how one principle must score.
type scoreCase struct {
	name   string
	recs   ballot.ScoreRecords
	status ballot.ScoreStatus
	kind   ballot.RecordKind
	id     int64  // the record's id, when it names one
	slug   string // the consultation's slug, when it names one
	detail string // a part of the sentence saying why
}

func runScoreCases(t *testing.T, p ballot.Principle, cases []scoreCase) {
	t.Helper()
	for _, tc := range cases {
		if tc.recs.Contract == nil {
			tc.recs.Contract = scoredContract(nil)
		}
		card := ballot.ScoreContract(tc.recs, scoreNow)
		if len(card.Scores) != len(ballot.Principles) {
			t.Fatalf("%s: %d scores, want one per principle (%d)", tc.name, len(card.Scores), len(ballot.Principles))
		}
		var got *ballot.Score
		for i := range card.Scores {
			if card.Scores[i].Principle == p {
				got = &card.Scores[i]
			}
		}
		if got == nil {
			t.Fatalf("%s: no score for %s", tc.name, p)
		}
		if got.Status != tc.status || got.Record.Kind != tc.kind || got.Record.ID != tc.id || got.Record.Slug != tc.slug ||
			got.Record.ContractID != tc.recs.Contract.ID {
			t.Errorf("%s: %s %+v, want %s %s id %d slug %q", tc.name, got.Status, got.Record, tc.status, tc.kind, tc.id, tc.slug)
		}
		if !strings.Contains(got.Detail, tc.detail) {
			t.Errorf("%s: detail %q, want it to say %q", tc.name, got.Detail, tc.detail)
		}
	}
}

func TestScore_ContractPublished(t *testing.T) {
	doc := func(id int64, kind string, redacted bool) *ballot.Document {
		return &ballot.Document{ID: id, Kind: kind, Title: "Doc " + kind, Redacted: redacted}
	}
	runScoreCases(t, ballot.PrincipleContractPublished, []scoreCase{
		{"nothing published", ballot.ScoreRecords{}, ballot.ScoreNotMet, ballot.RecordDocuments, 0, "", "not published"},
		{"only a summary and accounts", ballot.ScoreRecords{Documents: []*ballot.Document{doc(3, ballot.DocSummary, false), doc(5, ballot.DocOpenBook, false)}},
			ballot.ScoreNotMet, ballot.RecordDocuments, 0, "", "not published"},
		{"the contract in full", ballot.ScoreRecords{Documents: []*ballot.Document{doc(3, ballot.DocSummary, false), doc(9, ballot.DocContract, false)}},
			ballot.ScoreMet, ballot.RecordDocument, 9, "", "The contract is published: Doc contract."},
		{"the contract redacted", ballot.ScoreRecords{Documents: []*ballot.Document{doc(9, ballot.DocContract, true)}},
			ballot.ScoreMet, ballot.RecordDocument, 9, "", "with parts withheld"},
	})
}

func TestScore_KPIsCurrent(t *testing.T) {
	with := func(start, end time.Time, kpis ...ballot.KPI) *ballot.Contract {
		return scoredContract(func(c *ballot.Contract) { c.StartsOn, c.EndsOn, c.KPIs = start, end, kpis })
	}
	old, running := ymd(2024, 4, 1), ymd(2031, 3, 31)
	kpi := func(period, actual string, r ballot.Rating) ballot.KPI {
		return ballot.KPI{Name: "Missed bins", Target: "50", Period: period, Actual: actual, Rating: r}
	}
	runScoreCases(t, ballot.PrincipleKPIsCurrent, []scoreCase{
		{"no KPIs, over a year old", ballot.ScoreRecords{Contract: with(old, running)}, ballot.ScoreNotMet, ballot.RecordKPIs, 0, "", "No performance indicator"},
		{"reported this quarter", ballot.ScoreRecords{Contract: with(old, running, kpi("2027-Q2", "40", ballot.RatingGood))},
			ballot.ScoreMet, ballot.RecordKPIs, 0, "", "Reported for 2027-Q2"},
		{"a period ending inside the year", ballot.ScoreRecords{Contract: with(old, running, kpi("2026-07", "40", ""))},
			ballot.ScoreMet, ballot.RecordKPIs, 0, "", "2026-07"},
		{"a period that ended just over a year ago", ballot.ScoreRecords{Contract: with(old, running, kpi("2026-05", "40", ballot.RatingGood))},
			ballot.ScoreNotMet, ballot.RecordKPIs, 0, "", "last year"},
		{"a whole year's report", ballot.ScoreRecords{Contract: with(old, running, kpi("2026", "", ballot.RatingInadequate))},
			ballot.ScoreMet, ballot.RecordKPIs, 0, "", "2026"},
		{"a target only, not reported", ballot.ScoreRecords{Contract: with(old, running, kpi("2027-Q2", "", ""))},
			ballot.ScoreNotMet, ballot.RecordKPIs, 0, "", "No performance indicator"},
		{"a period not understood", ballot.ScoreRecords{Contract: with(old, running, kpi("last spring", "40", ballot.RatingGood))},
			ballot.ScoreNotMet, ballot.RecordKPIs, 0, "", "No performance indicator"},
		{"a future period", ballot.ScoreRecords{Contract: with(old, running, kpi("2028-Q1", "40", ballot.RatingGood))},
			ballot.ScoreNotMet, ballot.RecordKPIs, 0, "", "No performance indicator"},
		{"in its first year", ballot.ScoreRecords{Contract: with(ymd(2026, 9, 1), running)},
			ballot.ScoreNotRecorded, ballot.RecordKPIs, 0, "", "first year"},
		{"ended, reported in its last year", ballot.ScoreRecords{Contract: with(ymd(2020, 4, 1), ymd(2025, 3, 31), kpi("2024-Q4", "40", ballot.RatingGood))},
			ballot.ScoreMet, ballot.RecordKPIs, 0, "", "2024-Q4"},
		{"ended, last reported long before", ballot.ScoreRecords{Contract: with(ymd(2020, 4, 1), ymd(2025, 3, 31), kpi("2022-Q4", "40", ballot.RatingGood))},
			ballot.ScoreNotMet, ballot.RecordKPIs, 0, "", "No performance indicator"},
	})
}

func TestParseKPIPeriod(t *testing.T) {
	for _, tc := range []struct {
		in         string
		start, end time.Time
		ok         bool
	}{
		{"2027-Q1", ymd(2027, 1, 1), ymd(2027, 4, 1), true},
		{" 2027-q4 ", ymd(2027, 10, 1), ymd(2028, 1, 1), true},
		{"2027-02", ymd(2027, 2, 1), ymd(2027, 3, 1), true},
		{"2027", ymd(2027, 1, 1), ymd(2028, 1, 1), true},
		{"2027-Q5", time.Time{}, time.Time{}, false},
		{"Q1 2027", time.Time{}, time.Time{}, false},
		{"", time.Time{}, time.Time{}, false},
	} {
		start, end, ok := ballot.ParseKPIPeriod(tc.in)
		if !start.Equal(tc.start) || !end.Equal(tc.end) || ok != tc.ok {
			t.Errorf("ParseKPIPeriod(%q) = %v, %v, %v; want %v, %v, %v", tc.in, start, end, ok, tc.start, tc.end, tc.ok)
		}
	}
}

func TestScore_FinancialData(t *testing.T) {
	future := scoredContract(func(c *ballot.Contract) { c.StartsOn = ymd(2027, 7, 1) })
	runScoreCases(t, ballot.PrincipleFinancialData, []scoreCase{
		{"no payments", ballot.ScoreRecords{}, ballot.ScoreNotMet, ballot.RecordSpend, 0, "", "No payment"},
		{"one payment", ballot.ScoreRecords{Payments: 1}, ballot.ScoreMet, ballot.RecordSpend, 0, "", "1 payment."},
		{"many payments", ballot.ScoreRecords{Payments: 12}, ballot.ScoreMet, ballot.RecordSpend, 0, "", "12 payments"},
		{"not started", ballot.ScoreRecords{Contract: future}, ballot.ScoreNotRecorded, ballot.RecordSpend, 0, "", "not started"},
	})
}

func TestScore_FOIClause(t *testing.T) {
	foi := func(a ballot.YesNo) *ballot.Contract {
		return scoredContract(func(c *ballot.Contract) { c.FOIClause = a })
	}
	runScoreCases(t, ballot.PrincipleFOIClause, []scoreCase{
		{"yes", ballot.ScoreRecords{Contract: foi(ballot.Yes)}, ballot.ScoreMet, ballot.RecordRegister, 0, "", "subjects the provider"},
		{"no", ballot.ScoreRecords{Contract: foi(ballot.No)}, ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "does not subject"},
		{"not recorded", ballot.ScoreRecords{Contract: foi(ballot.NotRecorded)}, ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "does not say"},
	})
}

// consultation is a public consultation about contract 4 that opened on
// opens, with the outsourcing record given.
func consultation(slug string, opens time.Time, rec consult.Record) *consult.Consultation {
	return &consult.Consultation{Slug: slug, Title: "Consultation " + slug, ContractID: 4, OpensAt: opens, Record: rec}
}

func TestScore_ConsultedBefore(t *testing.T) {
	before, after := ymd(2024, 1, 10), ymd(2025, 1, 10)
	runScoreCases(t, ballot.PrincipleConsultedBefore, []scoreCase{
		{"none", ballot.ScoreRecords{}, ballot.ScoreNotMet, ballot.RecordConsultations, 0, "", "No public consultation"},
		{"only after it was let", ballot.ScoreRecords{Consultations: []*consult.Consultation{consultation("later", after, consult.Record{})}},
			ballot.ScoreNotMet, ballot.RecordConsultations, 0, "", "No public consultation"},
		{"one before", ballot.ScoreRecords{Consultations: []*consult.Consultation{
			consultation("later", after, consult.Record{}), consultation("first", before, consult.Record{})}},
			ballot.ScoreMet, ballot.RecordConsultation, 0, "first", "Consultation first"},
	})
}

func TestScore_PublicInterestCase(t *testing.T) {
	before, after := ymd(2024, 1, 10), ymd(2025, 1, 10)
	withCase := consult.Record{PublicInterestCase: "Lower cost, same standard"}
	runScoreCases(t, ballot.PrinciplePublicInterestCase, []scoreCase{
		{"no consultation", ballot.ScoreRecords{}, ballot.ScoreNotMet, ballot.RecordConsultations, 0, "", "no consultation"},
		{"a consultation without one", ballot.ScoreRecords{Consultations: []*consult.Consultation{consultation("first", before, consult.Record{PublicInterestCase: "  "})}},
			ballot.ScoreNotMet, ballot.RecordConsultation, 0, "first", "gives no public interest case"},
		{"the prior consultation's", ballot.ScoreRecords{Consultations: []*consult.Consultation{
			consultation("later", after, withCase), consultation("first", before, withCase)}},
			ballot.ScoreMet, ballot.RecordConsultation, 0, "first", "Consultation first"},
		{"a later consultation's", ballot.ScoreRecords{Consultations: []*consult.Consultation{
			consultation("first", before, consult.Record{}), consultation("renewal", after, withCase)}},
			ballot.ScoreMet, ballot.RecordConsultation, 0, "renewal", "Consultation renewal"},
	})
}

func TestScore_InHouseBid(t *testing.T) {
	reg := func(bid bool, reason string) *ballot.Contract {
		return scoredContract(func(c *ballot.Contract) { c.InHouseBid, c.NoInHouseBidReason = bid, reason })
	}
	before := ymd(2024, 1, 10)
	runScoreCases(t, ballot.PrincipleInHouseBid, []scoreCase{
		{"neither", ballot.ScoreRecords{Contract: reg(false, "")}, ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "no reason"},
		{"blank reason", ballot.ScoreRecords{Contract: reg(false, "   ")}, ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "no reason"},
		{"a bid", ballot.ScoreRecords{Contract: reg(true, "")}, ballot.ScoreMet, ballot.RecordRegister, 0, "", "in-house bid was made"},
		{"a reason", ballot.ScoreRecords{Contract: reg(false, "No in-house team")}, ballot.ScoreMet, ballot.RecordRegister, 0, "", "gives the reason"},
		{"the consultation's bid", ballot.ScoreRecords{Contract: reg(false, ""), Consultations: []*consult.Consultation{
			consultation("first", before, consult.Record{InHouseBid: "The team bid"})}},
			ballot.ScoreMet, ballot.RecordConsultation, 0, "first", "describes the in-house bid"},
		{"the consultation's reason", ballot.ScoreRecords{Contract: reg(false, ""), Consultations: []*consult.Consultation{
			consultation("first", before, consult.Record{NoInHouseReason: "No team"})}},
			ballot.ScoreMet, ballot.RecordConsultation, 0, "first", "gives the reason"},
		{"a consultation with neither", ballot.ScoreRecords{Contract: reg(false, ""), Consultations: []*consult.Consultation{
			consultation("first", before, consult.Record{})}},
			ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "no reason"},
	})
}

func TestScore_SocialValue(t *testing.T) {
	sv := func(bp int, commitments string) *ballot.Contract {
		return scoredContract(func(c *ballot.Contract) { c.SocialValueBP, c.SocialValueCommitments = bp, commitments })
	}
	runScoreCases(t, ballot.PrincipleSocialValue, []scoreCase{
		{"neither", ballot.ScoreRecords{Contract: sv(0, "")}, ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "No social value"},
		{"weighting only", ballot.ScoreRecords{Contract: sv(1000, " ")}, ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "commitments are not recorded"},
		{"commitments only", ballot.ScoreRecords{Contract: sv(0, "Local hires")}, ballot.ScoreNotMet, ballot.RecordRegister, 0, "", "no social value weighting"},
		{"both", ballot.ScoreRecords{Contract: sv(1000, "Local hires")}, ballot.ScoreMet, ballot.RecordRegister, 0, "", "weighted in the award"},
	})
}

func TestScore_BreakClause(t *testing.T) {
	withBreaks := func(kind ballot.RuleKind, breaks ...time.Time) *ballot.Contract {
		return scoredContract(func(c *ballot.Contract) { c.BreakClauses, c.Recall.Kind = breaks, kind })
	}
	brk := withBreaks(ballot.RuleShare, ymd(2028, 4, 1))
	closed := func(id int64, closedAt time.Time, recall bool, resp *ballot.CouncilResponse) ballot.RecallOutcome {
		return ballot.RecallOutcome{Ballot: &ballot.Ballot{ID: id, Status: ballot.BallotClosed, ClosedAt: closedAt, Response: resp},
			Result: &ballot.Result{Recall: recall}}
	}
	answer := &ballot.CouncilResponse{Reason: "Performance improved"}
	daysAgo := func(n int) time.Time { return scoreNow.Add(-time.Duration(n) * 24 * time.Hour) }
	runScoreCases(t, ballot.PrincipleBreakClause, []scoreCase{
		{"no break clause", ballot.ScoreRecords{Contract: withBreaks(ballot.RuleShare)}, ballot.ScoreNotMet, ballot.RecordRecall, 0, "", "no break clause"},
		{"no recall rule", ballot.ScoreRecords{Contract: withBreaks("", ymd(2028, 4, 1))}, ballot.ScoreNotMet, ballot.RecordRecall, 0, "", "no recall rule"},
		{"both", ballot.ScoreRecords{Contract: brk}, ballot.ScoreMet, ballot.RecordRecall, 0, "", "1 break clause and a recall rule"},
		{"a ballot still open", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{{Ballot: &ballot.Ballot{ID: 2, Status: ballot.BallotOpen}}}},
			ballot.ScoreMet, ballot.RecordRecall, 0, "", "recall rule"},
		{"recall, 27 days unanswered", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{closed(2, daysAgo(27), true, nil)}},
			ballot.ScoreMet, ballot.RecordRecall, 0, "", "recall rule"},
		{"recall, 28 days unanswered", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{closed(2, daysAgo(28), true, nil)}},
			ballot.ScoreNotMet, ballot.RecordBallot, 2, "", "recorded no response after 28 days"},
		{"unanswered even without a break clause left", ballot.ScoreRecords{Contract: withBreaks(ballot.RuleShare),
			Ballots: []ballot.RecallOutcome{closed(3, daysAgo(40), true, nil)}},
			ballot.ScoreNotMet, ballot.RecordBallot, 3, "", "no response"},
		{"recall answered late", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{closed(2, daysAgo(60), true, answer)}},
			ballot.ScoreMet, ballot.RecordBallot, 2, "", "recorded its response"},
		{"no recall, nothing to answer", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{closed(2, daysAgo(60), false, nil)}},
			ballot.ScoreMet, ballot.RecordRecall, 0, "", "recall rule"},
		{"no recall, a response recorded anyway", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{closed(2, daysAgo(60), false, answer)}},
			ballot.ScoreMet, ballot.RecordRecall, 0, "", "recall rule"},
		{"two answered, the newest shown", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{
			closed(7, daysAgo(60), true, answer), closed(2, daysAgo(400), true, answer)}},
			ballot.ScoreMet, ballot.RecordBallot, 7, "", "recorded its response"},
		{"one answered, one overdue", ballot.ScoreRecords{Contract: brk, Ballots: []ballot.RecallOutcome{
			closed(5, daysAgo(30), true, nil), closed(2, daysAgo(400), true, answer)}},
			ballot.ScoreNotMet, ballot.RecordBallot, 5, "", "no response"},
	})
}

// The at-risk review is met by a review published for the last end point;
// otherwise it is not recorded, never failed.
func TestScore_AtRiskReview(t *testing.T) {
	passed := scoredContract(func(c *ballot.Contract) {
		c.BreakClauses = []time.Time{ymd(2026, 4, 1), ymd(2027, 4, 1), ymd(2028, 4, 1)}
	})
	review := func(id int64, on time.Time, st ballot.ReviewStatus) *ballot.ContractReview {
		return &ballot.ContractReview{ID: id, Point: ballot.EndPoint{Kind: ballot.PointBreak, On: on}, Status: st, Route: ballot.RouteInHouse}
	}
	runScoreCases(t, ballot.PrincipleAtRiskReview, []scoreCase{
		{"published at the last end point", ballot.ScoreRecords{Contract: passed, Reviews: []*ballot.ContractReview{
			review(4, ymd(2026, 4, 1), ballot.ReviewPublished), review(9, ymd(2027, 4, 1), ballot.ReviewPublished)}},
			ballot.ScoreMet, ballot.RecordReview, 9, "", "bring the service in house"},
		{"only a draft at the last end point", ballot.ScoreRecords{Contract: passed, Reviews: []*ballot.ContractReview{
			review(9, ymd(2027, 4, 1), ballot.ReviewDraft), review(4, ymd(2026, 4, 1), ballot.ReviewPublished)}},
			ballot.ScoreNotRecorded, ballot.RecordReview, 0, "", "1 April 2027"},
		{"no end point yet", ballot.ScoreRecords{Contract: scoredContract(func(c *ballot.Contract) { c.BreakClauses = []time.Time{ymd(2028, 4, 1)} })},
			ballot.ScoreNotRecorded, ballot.RecordReview, 0, "", "not reached"},
		{"published ahead for the next end point", ballot.ScoreRecords{Contract: passed, Reviews: []*ballot.ContractReview{
			review(11, ymd(2028, 4, 1), ballot.ReviewPublished)}},
			ballot.ScoreMet, ballot.RecordReview, 11, "", "1 April 2028"},
		{"published for an end point after the next", ballot.ScoreRecords{Contract: scoredContract(func(c *ballot.Contract) {
			c.BreakClauses = []time.Time{ymd(2028, 4, 1), ymd(2029, 4, 1)}
		}), Reviews: []*ballot.ContractReview{review(12, ymd(2029, 4, 1), ballot.ReviewPublished)}},
			ballot.ScoreNotRecorded, ballot.RecordReview, 0, "", "not reached"},
		{"a break clause passed", ballot.ScoreRecords{Contract: scoredContract(func(c *ballot.Contract) {
			c.BreakClauses = []time.Time{ymd(2026, 4, 1), ymd(2027, 4, 1), ymd(2028, 4, 1)}
		})}, ballot.ScoreNotRecorded, ballot.RecordReview, 0, "", "1 April 2027"},
	})
}

func TestLastEndPoint(t *testing.T) {
	c := scoredContract(func(c *ballot.Contract) {
		c.EndsOn, c.BreakClauses = ymd(2029, 3, 31), []time.Time{ymd(2027, 4, 1), ymd(2026, 4, 1)}
	})
	for _, tc := range []struct {
		now, want time.Time
	}{
		{ymd(2026, 3, 31), time.Time{}},
		{ymd(2026, 4, 1).Add(9 * time.Hour), ymd(2026, 4, 1)},
		{ymd(2028, 1, 1), ymd(2027, 4, 1)},
		{ymd(2030, 1, 1), ymd(2029, 3, 31)},
	} {
		if got := ballot.LastEndPoint(c, tc.now); !got.Equal(tc.want) {
			t.Errorf("LastEndPoint at %v = %v, want %v", tc.now, got, tc.want)
		}
	}
	// A termination is an end point too: the contract's last.
	c.TerminatedOn = ymd(2027, 9, 30)
	for _, now := range []time.Time{ymd(2028, 1, 1), ymd(2030, 1, 1)} { // the end date after it does not count
		if got := ballot.LastEndPoint(c, now); !got.Equal(ymd(2027, 9, 30)) {
			t.Errorf("LastEndPoint at %v after a termination = %v, want 30 September 2027", now, got)
		}
	}
}

// Information requests are counted per contract, published ones only.
func TestScoreContract_Requests(t *testing.T) {
	due := ymd(2027, 2, 1)
	reqs := []*ballot.InfoRequest{
		{State: ballot.RequestRefused, DueOn: due, AnsweredAt: ymd(2027, 1, 20)},
		{State: ballot.RequestAnswered, DueOn: due, AnsweredAt: ymd(2027, 1, 10)},
		{State: ballot.RequestAnswered, DueOn: due, AnsweredAt: ymd(2027, 5, 10)},
		{State: ballot.RequestAwaiting, DueOn: due},
	}
	card := ballot.ScoreContract(ballot.ScoreRecords{Contract: scoredContract(nil), Requests: reqs}, scoreNow)
	want := ballot.RequestTally{OnTime: 1, Late: 1, Refused: 1, Overdue: 1}
	if card.Requests != want {
		t.Errorf("requests %+v, want %+v", card.Requests, want)
	}
}

// The council-wide row counts each principle across contracts and sums
// their requests.
func TestTallyScorecards(t *testing.T) {
	met := scoredContract(func(c *ballot.Contract) {
		c.FOIClause, c.InHouseBid, c.SocialValueBP, c.SocialValueCommitments = ballot.Yes, true, 500, "Apprentices"
		c.BreakClauses = []time.Time{ymd(2028, 4, 1)}
	})
	young := scoredContract(func(c *ballot.Contract) { c.ID, c.StartsOn = 5, ymd(2027, 7, 1) })
	cards := []ballot.Scorecard{
		ballot.ScoreContract(ballot.ScoreRecords{Contract: met, Payments: 3}, scoreNow),
		ballot.ScoreContract(ballot.ScoreRecords{Contract: scoredContract(nil)}, scoreNow),
		ballot.ScoreContract(ballot.ScoreRecords{Contract: young}, scoreNow),
	}
	cards[0].Requests = ballot.RequestTally{OnTime: 2, Late: 1}
	cards[2].Requests = ballot.RequestTally{OnTime: 1, Refused: 4, Overdue: 1, Awaiting: 2}
	tallies, req := ballot.TallyScorecards(cards)
	if len(tallies) != len(ballot.Principles) {
		t.Fatalf("%d tallies, want %d", len(tallies), len(ballot.Principles))
	}
	want := map[ballot.Principle][3]int{ // met, not met, not yet recorded
		ballot.PrincipleContractPublished: {0, 3, 0},
		ballot.PrincipleKPIsCurrent:       {0, 2, 1},
		ballot.PrincipleFinancialData:     {1, 1, 1},
		ballot.PrincipleFOIClause:         {1, 2, 0},
		ballot.PrincipleInHouseBid:        {1, 2, 0},
		ballot.PrincipleSocialValue:       {1, 2, 0},
		ballot.PrincipleBreakClause:       {1, 2, 0},
		ballot.PrincipleAtRiskReview:      {0, 0, 3},
	}
	for i, tl := range tallies {
		if tl.Principle != ballot.Principles[i] || tl.Contracts != 3 {
			t.Errorf("tally %d: %s of %d, want %s of 3", i, tl.Principle, tl.Contracts, ballot.Principles[i])
		}
		if w, ok := want[tl.Principle]; ok && [3]int{tl.Met, tl.NotMet, tl.NotRecorded} != w {
			t.Errorf("%s: %d met, %d not, %d not recorded; want %v", tl.Principle, tl.Met, tl.NotMet, tl.NotRecorded, w)
		}
	}
	if got := tallies[3].Summary(); got != "1 of 3 contracts" {
		t.Errorf("summary %q, want %q", got, "1 of 3 contracts")
	}
	if wantReq := (ballot.RequestTally{OnTime: 3, Late: 1, Refused: 4, Overdue: 1, Awaiting: 2}); req != wantReq {
		t.Errorf("requests %+v, want %+v", req, wantReq)
	}
	if cards[0].Met() != 5 {
		t.Errorf("first contract meets %d, want 5", cards[0].Met())
	}
}

func TestScoreStatus_Label(t *testing.T) {
	for s, want := range map[ballot.ScoreStatus]string{ballot.ScoreMet: "Met", ballot.ScoreNotMet: "Not met", ballot.ScoreNotRecorded: "Not yet recorded"} {
		if s.Label() != want {
			t.Errorf("%s: %q, want %q", s, s.Label(), want)
		}
	}
	for _, p := range ballot.Principles {
		if p.Label() == string(p) || p.Label() == "" {
			t.Errorf("%s has no label", p)
		}
	}
}
