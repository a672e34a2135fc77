package db_test

import (
	"context"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

const officer = "officer@council.gov.uk"

// newConsultation returns a valid draft with one question of each kind:
// single (required), multiple, scale (required) and text.
func newConsultation(slug string, audience consult.Audience) *consult.Consultation {
	return &consult.Consultation{
		Slug:    slug,
		Title:   "Parks maintenance",
		Summary: "Should the council outsource parks maintenance?",
		Record: consult.Record{
			Service:            "Parks maintenance",
			Proposal:           consult.ProposalOutsource,
			PublicInterestCase: "Lower cost, same standard.",
			InHouseBid:         "The parks team bid £1.2m a year.",
			SocialValueWeight:  20,
		},
		Audience: audience,
		Questions: []consult.Question{
			{Kind: consult.KindSingle, Prompt: "Do you use the parks?", Required: true,
				Options: []consult.Option{{Label: "Yes"}, {Label: "No"}}},
			{Kind: consult.KindMultiple, Prompt: "Which parks?",
				Options: []consult.Option{{Label: "North"}, {Label: "South"}, {Label: "East"}}},
			{Kind: consult.KindScale, Prompt: "Maintenance should stay in house", Required: true},
			{Kind: consult.KindText, Prompt: "Anything else?"},
		},
	}
}

// mustOpenConsultation creates and opens a consultation and returns it as
// stored, question and option ids included.
func mustOpenConsultation(tb testing.TB, s *db.ConsultStore, slug string, audience consult.Audience) *consult.Consultation {
	tb.Helper()
	ctx := context.Background()
	c := newConsultation(slug, audience)
	if err := s.CreateConsultation(ctx, c, officer); err != nil {
		tb.Fatalf("create: %v", err)
	}
	if err := s.Open(ctx, slug, officer); err != nil {
		tb.Fatalf("open: %v", err)
	}
	got, err := s.Consultation(ctx, slug)
	if err != nil {
		tb.Fatalf("consultation: %v", err)
	}
	return got
}

// validResponse answers every question of c (made by newConsultation),
// varying with i so that counts differ between choices.
func validResponse(c *consult.Consultation, i int) *consult.Response {
	qs := c.Questions
	r := &consult.Response{
		Channel: consult.ChannelOnline,
		Answers: map[int64]consult.Answer{
			qs[0].ID: {OptionIDs: []int64{qs[0].Options[i%2].ID}},
			qs[2].ID: {Scale: 1 + i%5},
		},
	}
	if i%3 != 0 { // leave the optional questions out now and then
		var picks []int64
		for j, o := range qs[1].Options {
			if (i>>j)&1 == 1 {
				picks = append(picks, o.ID)
			}
		}
		if len(picks) > 0 {
			r.Answers[qs[1].ID] = consult.Answer{OptionIDs: picks}
		}
		r.Answers[qs[3].ID] = consult.Answer{Text: "Keep the parks team."}
	}
	return r
}

// snapshot is everything a response writes.
type snapshot struct {
	responses, answers, responseCount int
	tallies                           string
}

func takeSnapshot(t *testing.T, d *db.DB) snapshot {
	t.Helper()
	var s snapshot
	err := d.Reader().QueryRow(`SELECT
		(SELECT COUNT(*) FROM responses), (SELECT COUNT(*) FROM answers),
		(SELECT SUM(response_count) FROM consultations),
		(SELECT COALESCE(group_concat(question_id || ':' || choice || '=' || count, ','), '')
			FROM (SELECT * FROM tallies ORDER BY question_id, choice))`).
		Scan(&s.responses, &s.answers, &s.responseCount, &s.tallies)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkCounters compares the counters AddResponse keeps with counts worked
// out from the response and answer rows by SQL.
func checkCounters(t *testing.T, d *db.DB, consultationID int64, wantResponses int) {
	t.Helper()
	var counter, rows int
	err := d.Reader().QueryRow(`SELECT response_count, (SELECT COUNT(*) FROM responses r WHERE r.consultation_id = consultations.id)
		FROM consultations WHERE id = ?`, consultationID).Scan(&counter, &rows)
	if err != nil {
		t.Fatal(err)
	}
	if counter != rows || rows != wantResponses {
		t.Errorf("response_count = %d, COUNT(*) = %d; want both %d", counter, rows, wantResponses)
	}
	const fromRows = `
		SELECT a.question_id, 0, COUNT(DISTINCT a.response_id) FROM answers a
			JOIN questions q ON q.id = a.question_id WHERE q.consultation_id = ?1 GROUP BY 1
		UNION ALL
		SELECT a.question_id, a.option_id, COUNT(*) FROM answers a
			JOIN questions q ON q.id = a.question_id WHERE q.consultation_id = ?1 AND a.option_id IS NOT NULL GROUP BY 1, 2
		UNION ALL
		SELECT a.question_id, a.scale, COUNT(*) FROM answers a
			JOIN questions q ON q.id = a.question_id WHERE q.consultation_id = ?1 AND a.scale IS NOT NULL GROUP BY 1, 2`
	const fromCounters = `SELECT t.question_id, t.choice, t.count FROM tallies t
		JOIN questions q ON q.id = t.question_id WHERE q.consultation_id = ?1`
	want, got := countMap(t, d, fromRows, consultationID), countMap(t, d, fromCounters, consultationID)
	if len(want) < 4+5 {
		t.Fatalf("only %d distinct counts from rows; the fixture should exercise more", len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("tally question %d choice %d = %d, counted from rows %d", k[0], k[1], got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("tally question %d choice %d = %d, but no answer rows", k[0], k[1], g)
		}
	}
}

func countMap(t *testing.T, d *db.DB, query string, args ...any) map[[2]int64]int {
	t.Helper()
	rows, err := d.Reader().Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[[2]int64]int{}
	for rows.Next() {
		var k [2]int64
		var n int
		if err := rows.Scan(&k[0], &k[1], &n); err != nil {
			t.Fatal(err)
		}
		m[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustCreate(tb testing.TB, s *db.ConsultStore, c *consult.Consultation) {
	tb.Helper()
	if err := s.CreateConsultation(context.Background(), c, officer); err != nil {
		tb.Fatalf("create %s: %v", c.Slug, err)
	}
}

func mustAddPostcodes(tb testing.TB, d *db.DB, pcs ...string) {
	tb.Helper()
	var list []ballot.PostcodeEntry
	for _, p := range pcs {
		list = append(list, ballot.PostcodeEntry{Postcode: p, Ward: ballot.Ward{Name: "Central", Code: "E05000001"}})
	}
	if err := db.NewCouncilData(d).ImportPostcodes(context.Background(), list, "test"); err != nil {
		tb.Fatal(err)
	}
}
