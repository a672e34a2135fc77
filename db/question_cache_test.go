package db_test

import (
	"context"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestQuestionCache: a draft's questions are read afresh each time (they
// can still change); once the consultation is open they are read once,
// and each caller gets its own copy.
func TestQuestionCache(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	c := newConsultation("parks", consult.AudienceAnyone)
	mustCreate(t, s, c)
	count := func() int {
		t.Helper()
		got, err := s.Consultation(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		return len(got.Questions)
	}
	if n := count(); n != 4 {
		t.Fatalf("draft: %d questions, want 4", n)
	}
	if err := s.AddQuestion(ctx, "parks", &consult.Question{Kind: consult.KindText, Prompt: "And?"}, officer); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 5 {
		t.Fatalf("draft after adding a question: %d questions, want 5", n)
	}
	if err := s.Open(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	first, err := s.Consultation(ctx, "parks")
	if err != nil || len(first.Questions) != 5 {
		t.Fatalf("open: %v, %d questions", err, len(first.Questions))
	}
	first.Questions[0].Prompt = "changed by a caller"
	first.Questions[0].Options[0].Label = "changed by a caller"
	// Behind the store's back, so only a cache would hide it.
	if _, err := d.Writer().Exec(`UPDATE questions SET prompt = 'edited in the file' WHERE id = ?`, first.Questions[1].ID); err != nil {
		t.Fatal(err)
	}
	again, err := s.Consultation(ctx, "parks")
	if err != nil {
		t.Fatal(err)
	}
	if again.Questions[0].Prompt == "changed by a caller" || again.Questions[0].Options[0].Label == "changed by a caller" {
		t.Errorf("a caller's change to its copy reached the next caller")
	}
	if again.Questions[1].Prompt == "edited in the file" {
		t.Errorf("an open consultation's questions were read again, not kept")
	}
}
