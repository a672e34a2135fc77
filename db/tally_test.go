package db_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestConsultStore_Tally(t *testing.T) {
	ctx := context.Background()
	s := db.NewConsultStore(MustOpenDB(t))
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	qs := c.Questions
	for _, answers := range []map[int64]consult.Answer{
		{qs[0].ID: {OptionIDs: []int64{qs[0].Options[0].ID}}, qs[2].ID: {Scale: 5},
			qs[1].ID: {OptionIDs: []int64{qs[1].Options[0].ID, qs[1].Options[2].ID}}},
		{qs[0].ID: {OptionIDs: []int64{qs[0].Options[0].ID}}, qs[2].ID: {Scale: 5}, qs[3].ID: {Text: "More bins."}},
	} {
		if err := s.AddResponse(ctx, "parks", &consult.Response{Channel: consult.ChannelOnline, Answers: answers}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Tally(ctx, "parks")
	if err != nil {
		t.Fatal(err)
	}
	o := func(q, i int) int64 { return qs[q].Options[i].ID }
	want := &consult.Tally{ResponseCount: 2, Questions: map[int64]consult.QuestionTally{
		qs[0].ID: {Answered: 2, Counts: map[int64]int{o(0, 0): 2, o(0, 1): 0}},
		qs[1].ID: {Answered: 1, Counts: map[int64]int{o(1, 0): 1, o(1, 1): 0, o(1, 2): 1}},
		qs[2].ID: {Answered: 2, Counts: map[int64]int{1: 0, 2: 0, 3: 0, 4: 0, 5: 2}},
		qs[3].ID: {Answered: 1, Counts: map[int64]int{}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tally = %+v, want %+v", got, want)
	}
	if _, err := s.Tally(ctx, "nope"); !errors.Is(err, consult.ErrNotFound) {
		t.Errorf("unknown slug: got %v, want ErrNotFound", err)
	}
}

func TestConsultStore_Responses(t *testing.T) {
	ctx := context.Background()
	s := db.NewConsultStore(MustOpenDB(t))
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	var saved []*consult.Response
	for i := range 6 {
		r := validResponse(c, i)
		if i == 4 {
			r.Channel, r.PaperSerial, r.EnteredBy = consult.ChannelPaper, "P-0004", officer
		}
		if err := s.AddResponse(ctx, "parks", r); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, r)
	}

	t.Run("InOrderWithAnswers", func(t *testing.T) {
		var got []*consult.Response
		err := s.Responses(ctx, "parks", func(r *consult.Response) error {
			got = append(got, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(saved) {
			t.Fatalf("%d responses, want %d", len(got), len(saved))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], saved[i]) {
				t.Errorf("response %d = %+v, want %+v", i+1, got[i], saved[i])
			}
		}
	})

	t.Run("StopsAtFirstError", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.Responses(ctx, "parks", func(*consult.Response) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("got %v after %d calls, want stop after 1", err, calls)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		err := s.Responses(ctx, "nope", func(*consult.Response) error { return nil })
		if !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})
}
