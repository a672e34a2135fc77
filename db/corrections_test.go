package db_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestConsultStore_Corrections(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	now := fixedClock(d, t0)
	s := db.NewConsultStore(d)
	mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)

	later := t0.Add(30 * 24 * time.Hour).Truncate(time.Second)
	if err := s.ChangeClosing(ctx, "parks", later, officer); err != nil {
		t.Fatal(err)
	}
	var ve *consult.ValidationError
	if err := s.ChangeClosing(ctx, "parks", t0.Add(-time.Hour), officer); !errors.As(err, &ve) {
		t.Errorf("to the past: got %v, want a *ValidationError", err)
	}
	*now = now.Add(time.Hour)
	if err := s.CorrectWording(ctx, "parks", "Parks and gardens", "Should the council outsource parks maintenance?", officer); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Consultation(ctx, "parks")
	if !c.ClosesAt.Equal(later) || c.Title != "Parks and gardens" {
		t.Errorf("after corrections: closes %v, title %q", c.ClosesAt, c.Title)
	}
	got, err := s.Corrections(ctx, "parks")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([]consult.Correction{
		{At: t0, Actor: officer, Field: "closes_at", Old: "", New: later.Format(time.RFC3339)},
		{At: t0.Add(time.Hour), Actor: officer, Field: "title", Old: "Parks maintenance", New: "Parks and gardens"},
	})
	if fmt.Sprint(got) != want {
		t.Errorf("corrections = %v\nwant %v", got, want)
	}
	if n := len(auditDetails(t, d, "consultation.closing_date")) + len(auditDetails(t, d, "consultation.wording")); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}
	if _, err := d.Writer().Exec(`UPDATE consultation_corrections SET new_value = 'x'`); err == nil {
		t.Error("a correction could be rewritten")
	}
	if err := s.Close(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	if err := s.CorrectWording(ctx, "parks", "Late", "Late", officer); !errors.Is(err, consult.ErrBadTransition) {
		t.Errorf("closed: got %v, want ErrBadTransition", err)
	}
}

func TestConsultStore_EditDraftQuestions(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	s := db.NewConsultStore(d)
	c := newConsultation("parks", consult.AudienceAnyone)
	mustCreate(t, s, c)
	q := c.Questions[0]
	q.Prompt, q.Options = "Do you visit the parks?", []consult.Option{{Label: "Often"}, {Label: "Sometimes"}, {Label: "Never"}}
	if err := s.UpdateQuestion(ctx, "parks", &q, officer); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveQuestion(ctx, "parks", c.Questions[3].ID, -1, officer); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveQuestion(ctx, "parks", q.ID, -1, officer); !errors.Is(err, consult.ErrBadTransition) {
		t.Errorf("first moved up: got %v", err)
	}
	got, _ := s.Consultation(ctx, "parks")
	var prompts []string
	for _, gq := range got.Questions {
		prompts = append(prompts, gq.Prompt)
	}
	if fmt.Sprint(prompts) != "[Do you visit the parks? Which parks? Anything else? Maintenance should stay in house]" || len(got.Questions[0].Options) != 3 {
		t.Errorf("questions = %v, first has %d options", prompts, len(got.Questions[0].Options))
	}
	bad := q
	bad.Prompt = ""
	var ve *consult.ValidationError
	if err := s.UpdateQuestion(ctx, "parks", &bad, officer); !errors.As(err, &ve) {
		t.Errorf("blank prompt: got %v", err)
	}
	other := q
	other.ID = 9999
	if err := s.UpdateQuestion(ctx, "parks", &other, officer); !errors.Is(err, consult.ErrNotFound) {
		t.Errorf("unknown question: got %v", err)
	}
	if err := s.Open(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateQuestion(ctx, "parks", &q, officer); !errors.Is(err, consult.ErrNotDraft) {
		t.Errorf("open: got %v, want ErrNotDraft", err)
	}
	if err := s.MoveQuestion(ctx, "parks", q.ID, 1, officer); !errors.Is(err, consult.ErrNotDraft) {
		t.Errorf("move when open: got %v, want ErrNotDraft", err)
	}
}
