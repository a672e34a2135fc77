package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// The group-commit writer keeps the consultation or ballot that the first
// response or vote of a batch reads, for the others in that batch (see
// batchMemo). These tests hold it to one batch and one consultation or
// ballot: two of each in one batch are each checked against their own,
// and a close between two batches is seen by the second.

// TestAddResponse_OneBatchTwoConsultations answers two consultations with
// the same questions (but their own question ids) in one batch.
func TestAddResponse_OneBatchTwoConsultations(t *testing.T) {
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	a := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	b := mustOpenConsultation(t, s, "libraries", consult.AudienceAnyone)
	rs := []struct {
		slug string
		r    *consult.Response
	}{{"parks", validResponse(a, 1)}, {"libraries", validResponse(b, 2)}, {"parks", validResponse(a, 4)}}
	oneBatch(d, len(rs))
	defer db.SetGroupLimits(d, 512, 0)
	errs := make([]error, len(rs))
	var wg sync.WaitGroup
	for i, x := range rs {
		wg.Go(func() { errs[i] = s.AddResponse(context.Background(), x.slug, x.r) })
	}
	waitOrFail(t, &wg)
	for i, err := range errs {
		if err != nil {
			t.Errorf("response %d to %s: %v", i, rs[i].slug, err)
		}
	}
	if batches, requests := d.GroupStats(); requests-batches < int64(len(rs)-1) {
		t.Fatalf("GroupStats = %d batches, %d requests: the responses were not one batch", batches, requests)
	}
	checkResponses(t, d, a.ID, 2)
	checkResponses(t, d, b.ID, 1)
}

// TestAddResponse_ClosedBetweenBatches answers, closes, and answers again:
// the second batch must read the consultation afresh.
func TestAddResponse_ClosedBetweenBatches(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	if err := s.AddResponse(ctx, "parks", validResponse(c, 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	if err := s.AddResponse(ctx, "parks", validResponse(c, 2)); !errors.Is(err, consult.ErrNotOpen) {
		t.Errorf("after close: got %v, want ErrNotOpen", err)
	}
	checkResponses(t, d, c.ID, 1)
}

// checkResponses checks that a consultation's counter and its response rows
// both say want, and that none of its responses answers another
// consultation's question.
func checkResponses(t *testing.T, d *db.DB, consultationID int64, want int) {
	t.Helper()
	var counter, rows, strays int
	err := d.Reader().QueryRow(`SELECT c.response_count,
		(SELECT COUNT(*) FROM responses r WHERE r.consultation_id = c.id),
		(SELECT COUNT(*) FROM answers a JOIN responses r ON r.id = a.response_id
			JOIN questions q ON q.id = a.question_id
			WHERE r.consultation_id = c.id AND q.consultation_id <> c.id)
		FROM consultations c WHERE c.id = ?`, consultationID).Scan(&counter, &rows, &strays)
	if err != nil {
		t.Fatal(err)
	}
	if counter != want || rows != want || strays != 0 {
		t.Errorf("consultation %d: response_count %d, %d response rows, %d answers to other consultations' questions; want %d, %d, 0",
			consultationID, counter, rows, strays, want, want)
	}
}

// TestVote_OneBatchTwoBallots votes on two open ballots in one batch, one
// vote offering the other ballot's option.
func TestVote_OneBatchTwoBallots(t *testing.T) {
	ctx := context.Background()
	e := newBallotEnv(t)
	a, codesA := e.open(2)
	b, codesB := e.openOther(1)
	votes := []struct {
		ballot, option int64
		code           string
		ok             bool
	}{
		{a.ID, a.Options[0].ID, codesA[0], true},
		{b.ID, b.Options[1].ID, codesB[0], true},
		{a.ID, b.Options[0].ID, codesA[1], false}, // the other ballot's option
	}
	oneBatch(e.d, len(votes))
	defer db.SetGroupLimits(e.d, 512, 0)
	errs := make([]error, len(votes))
	var wg sync.WaitGroup
	for i, v := range votes {
		wg.Go(func() {
			_, errs[i] = e.bs.Vote(ctx, v.ballot, ballot.HashCode(testKey, v.ballot, v.code), v.option)
		})
	}
	waitOrFail(t, &wg)
	for i, v := range votes {
		var ve *ballot.ValidationError
		switch {
		case v.ok && errs[i] != nil:
			t.Errorf("vote %d: %v, want it counted", i, errs[i])
		case !v.ok && (!errors.As(errs[i], &ve) || ve.Fields["option"] == ""):
			t.Errorf("vote %d: got %v, want a message for option", i, errs[i])
		}
	}
	if batches, requests := e.d.GroupStats(); requests-batches < int64(len(votes)-1) {
		t.Fatalf("GroupStats = %d batches, %d requests: the votes were not one batch", batches, requests)
	}
	for _, id := range []int64{a.ID, b.ID} {
		if n := e.count(`SELECT votes_cast FROM ballots WHERE id = ?`, id); n != 1 {
			t.Errorf("ballot %d: votes_cast = %d, want 1", id, n)
		}
	}
	if n := e.count(`SELECT votes FROM ballot_options WHERE id = ?`, b.Options[1].ID); n != 1 {
		t.Errorf("ballot %d's second option has %d votes, want 1", b.ID, n)
	}
}
