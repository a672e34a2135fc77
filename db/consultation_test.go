package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

var outcome = consult.Outcome{
	WeAsked: "Should parks maintenance be outsourced?",
	YouSaid: "Most of you want it kept in house.",
	WeDid:   "We kept it in house.",
}

var decision = consult.Decision{
	Proposal:          consult.ProposalInHouse,
	Summary:           "Parks maintenance stays with the council.",
	InHouseComparison: "The in-house bid cost 3% more and scored higher on social value.",
}

func TestConsultStore_Lifecycle(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	now := fixedClock(d, t0)
	s := db.NewConsultStore(d)

	c := newConsultation("parks", consult.AudienceAnyone)
	c.Questions = nil
	mustCreate(t, s, c)
	if c.ID == 0 || c.Status != consult.StatusDraft || !c.CreatedAt.Equal(t0) {
		t.Fatalf("created = id %d, status %q, at %v; want an id, draft, %v", c.ID, c.Status, c.CreatedAt, t0)
	}

	t.Run("OpenWithoutQuestions", func(t *testing.T) {
		var ve *consult.ValidationError
		if err := s.Open(ctx, "parks", officer); !errors.As(err, &ve) || ve.Fields["questions"] == "" {
			t.Errorf("got %v, want a *ValidationError on questions", err)
		}
	})

	t.Run("EditDraft", func(t *testing.T) {
		q := newConsultation("", "").Questions[0]
		if err := s.AddQuestion(ctx, "parks", &q, officer); err != nil {
			t.Fatal(err)
		}
		extra := consult.Question{Kind: consult.KindText, Prompt: "Delete me"}
		if err := s.AddQuestion(ctx, "parks", &extra, officer); err != nil {
			t.Fatal(err)
		}
		if q.ID == 0 || q.Options[1].ID == 0 || q.Position != 1 || extra.Position != 2 {
			t.Errorf("added questions = %+v, %+v; want ids and positions 1, 2", q, extra)
		}
		if err := s.DeleteQuestion(ctx, "parks", extra.ID, officer); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteQuestion(ctx, "parks", extra.ID, officer); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("delete twice: got %v, want ErrNotFound", err)
		}
		c.Title = "Parks and open spaces"
		if err := s.UpdateConsultation(ctx, c, officer); err != nil {
			t.Fatal(err)
		}
		got, err := s.Consultation(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != c.Title || len(got.Questions) != 1 || len(got.Questions[0].Options) != 2 {
			t.Errorf("after edits: title %q, %d questions; want %q with one two-option question",
				got.Title, len(got.Questions), c.Title)
		}
	})

	t.Run("DecisionBeforeOutcome", func(t *testing.T) {
		if err := s.RecordDecision(ctx, "parks", decision, officer); !errors.Is(err, consult.ErrDecisionGate) {
			t.Errorf("draft: got %v, want ErrDecisionGate", err)
		}
	})

	t.Run("Open", func(t *testing.T) {
		if err := s.Open(ctx, "parks", officer); err != nil {
			t.Fatal(err)
		}
		if err := s.Open(ctx, "parks", officer); !errors.Is(err, consult.ErrBadTransition) {
			t.Errorf("open twice: got %v, want ErrBadTransition", err)
		}
	})

	t.Run("ErrNotDraft", func(t *testing.T) {
		c.Title = "Too late"
		if err := s.UpdateConsultation(ctx, c, officer); !errors.Is(err, consult.ErrNotDraft) {
			t.Errorf("update: got %v, want ErrNotDraft", err)
		}
		q := consult.Question{Kind: consult.KindText, Prompt: "Late question"}
		if err := s.AddQuestion(ctx, "parks", &q, officer); !errors.Is(err, consult.ErrNotDraft) {
			t.Errorf("add question: got %v, want ErrNotDraft", err)
		}
		got, err := s.Consultation(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteQuestion(ctx, "parks", got.Questions[0].ID, officer); !errors.Is(err, consult.ErrNotDraft) {
			t.Errorf("delete question: got %v, want ErrNotDraft", err)
		}
	})

	t.Run("CloseThenOutcomeThenDecision", func(t *testing.T) {
		if err := s.PublishOutcome(ctx, "parks", outcome, officer); !errors.Is(err, consult.ErrBadTransition) {
			t.Errorf("outcome while open: got %v, want ErrBadTransition", err)
		}
		if err := s.RecordDecision(ctx, "parks", decision, officer); !errors.Is(err, consult.ErrDecisionGate) {
			t.Errorf("decision while open: got %v, want ErrDecisionGate", err)
		}
		if err := s.Close(ctx, "parks", officer); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordDecision(ctx, "parks", decision, officer); !errors.Is(err, consult.ErrDecisionGate) {
			t.Errorf("decision before outcome: got %v, want ErrDecisionGate", err)
		}
		*now = t0.Add(24 * time.Hour)
		if err := s.PublishOutcome(ctx, "parks", outcome, officer); err != nil {
			t.Fatal(err)
		}
		noComparison := decision
		noComparison.InHouseComparison = ""
		var ve *consult.ValidationError
		if err := s.RecordDecision(ctx, "parks", noComparison, officer); !errors.As(err, &ve) {
			t.Errorf("decision without comparison: got %v, want a *ValidationError", err)
		}
		*now = t0.Add(48 * time.Hour)
		if err := s.RecordDecision(ctx, "parks", decision, officer); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordDecision(ctx, "parks", decision, officer); !errors.Is(err, consult.ErrBadTransition) {
			t.Errorf("second decision: got %v, want ErrBadTransition", err)
		}
	})

	t.Run("StoredRecord", func(t *testing.T) {
		got, err := s.Consultation(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		wantOutcome := outcome
		wantOutcome.PublishedAt = t0.Add(24 * time.Hour)
		wantDecision := decision
		wantDecision.RecordedAt = t0.Add(48 * time.Hour)
		switch {
		case got.Status != consult.StatusOutcome:
			t.Errorf("status = %q, want %q", got.Status, consult.StatusOutcome)
		case got.Outcome == nil || *got.Outcome != wantOutcome:
			t.Errorf("outcome = %+v, want %+v", got.Outcome, wantOutcome)
		case got.Decision == nil || *got.Decision != wantDecision:
			t.Errorf("decision = %+v, want %+v", got.Decision, wantDecision)
		case got.Record != c.Record || !got.CreatedAt.Equal(t0):
			t.Errorf("record = %+v created %v, want %+v created %v", got.Record, got.CreatedAt, c.Record, t0)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.Consultation(ctx, "nope"); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("Consultation: got %v, want ErrNotFound", err)
		}
		if err := s.Close(ctx, "nope", officer); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("Close: got %v, want ErrNotFound", err)
		}
		if err := s.UpdateConsultation(ctx, &consult.Consultation{ID: 999, Slug: "x", Title: "x", Summary: "x",
			Record: c.Record, Audience: consult.AudienceAnyone}, officer); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("UpdateConsultation: got %v, want ErrNotFound", err)
		}
	})
}

func TestConsultStore_CreateConsultation(t *testing.T) {
	ctx := context.Background()
	s := db.NewConsultStore(MustOpenDB(t))
	mustCreate(t, s, newConsultation("parks", consult.AudienceAnyone))

	t.Run("ErrDuplicate", func(t *testing.T) {
		if err := s.CreateConsultation(ctx, newConsultation("parks", consult.AudienceAnyone), officer); !errors.Is(err, consult.ErrDuplicate) {
			t.Errorf("create: got %v, want ErrDuplicate", err)
		}
		other := newConsultation("libraries", consult.AudienceAnyone)
		mustCreate(t, s, other)
		other.Slug = "parks"
		if err := s.UpdateConsultation(ctx, other, officer); !errors.Is(err, consult.ErrDuplicate) {
			t.Errorf("update to a taken slug: got %v, want ErrDuplicate", err)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		c := newConsultation("Bad Slug!", consult.AudienceAnyone)
		var ve *consult.ValidationError
		if err := s.CreateConsultation(ctx, c, officer); !errors.As(err, &ve) || ve.Fields["slug"] == "" {
			t.Errorf("got %v, want a *ValidationError on slug", err)
		}
	})

	t.Run("Contract", func(t *testing.T) {
		d := MustOpenDB(t)
		cs := db.NewConsultStore(d)
		k := newContract("Waste")
		if err := db.NewContractStore(d).CreateContract(ctx, k, officer); err != nil {
			t.Fatal(err)
		}
		c := newConsultation("waste", consult.AudienceAnyone)
		c.ContractID = k.ID + 1
		var ve *consult.ValidationError
		if err := cs.CreateConsultation(ctx, c, officer); !errors.As(err, &ve) || ve.Fields["contract"] == "" {
			t.Errorf("unknown contract: got %v, want a *ValidationError on contract", err)
		}
		c.ContractID = k.ID
		mustCreate(t, cs, c)
		if got, err := cs.Consultation(ctx, "waste"); err != nil || got.ContractID != k.ID {
			t.Errorf("saved with contract %d, read back %+v, %v", k.ID, got, err)
		}
		c.ContractID = 0
		if err := cs.UpdateConsultation(ctx, c, officer); err != nil {
			t.Fatal(err)
		}
		if list, err := cs.Consultations(ctx, consult.Filter{}); err != nil || len(list) != 1 || list[0].ContractID != 0 {
			t.Errorf("after unlinking: %v, %v", list, err)
		}
	})

	t.Run("QuestionsSaved", func(t *testing.T) {
		got, err := s.Consultation(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		want := newConsultation("", "").Questions
		if len(got.Questions) != len(want) {
			t.Fatalf("%d questions, want %d", len(got.Questions), len(want))
		}
		for i, q := range got.Questions {
			if q.Kind != want[i].Kind || q.Prompt != want[i].Prompt || q.Required != want[i].Required ||
				len(q.Options) != len(want[i].Options) || q.Position != i+1 {
				t.Errorf("question %d = %+v, want %+v at position %d", i+1, q, want[i], i+1)
			}
		}
	})
}

func TestConsultStore_Consultations(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	// A whole second, then half a second on: text order would get these
	// wrong if stored times dropped trailing zeros ("00Z" > "00.5Z").
	now := fixedClock(d, t0.Truncate(time.Second))
	s := db.NewConsultStore(d)
	mustOpenConsultation(t, s, "first", consult.AudienceAnyone)
	*now = now.Add(500 * time.Millisecond)
	mustCreate(t, s, newConsultation("draft", consult.AudienceAnyone))
	*now = now.Add(time.Minute)
	mustOpenConsultation(t, s, "third", consult.AudienceAnyone)

	for _, tc := range []struct {
		name   string
		filter consult.Filter
		want   []string
	}{
		{"All", consult.Filter{}, []string{"third", "draft", "first"}},
		{"Public", consult.Filter{Public: true}, []string{"third", "first"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := s.Consultations(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.Slug)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
