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

// seenPub records each topic it is told of, with what a fresh reader saw
// at that moment: a reader sees only committed data, so a count that
// already includes the change proves Changed ran after the commit.
type seenPub struct {
	mu     sync.Mutex
	read   func(topic string) int
	topics []string
	seen   []int
}

func (p *seenPub) Changed(topic string) {
	n := p.read(topic)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.topics = append(p.topics, topic)
	p.seen = append(p.seen, n)
}

// take returns what was recorded since the last take.
func (p *seenPub) take() (topics []string, seen []int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	topics, seen = p.topics, p.seen
	p.topics, p.seen = nil, nil
	return topics, seen
}

func TestPetitionStore_PublishesAfterCommit(t *testing.T) {
	e := newPetitionEnv(t, 100)
	ctx := context.Background()
	p := e.openPetition(ballot.CountLive)
	topic := ballot.PetitionTopic(p.ID)
	pub := &seenPub{read: func(string) int { return e.petition(p.ID).SignatureCount }}
	e.ps.Pub = pub

	want := func(t *testing.T, n int, count int) {
		t.Helper()
		topics, seen := pub.take()
		if len(topics) != n {
			t.Fatalf("got %d events %v, want %d", len(topics), topics, n)
		}
		for i := range topics {
			if topics[i] != topic || seen[i] != count {
				t.Errorf("event %d: got %s with count %d visible, want %s with %d", i, topics[i], seen[i], topic, count)
			}
		}
	}
	t.Run("Confirm", func(t *testing.T) {
		if err := e.ps.Sign(ctx, p.ID, sig("Jo Bloggs", "jo@example.org", "AB1 2CD"), "", testBase); err != nil {
			t.Fatal(err)
		}
		want(t, 0, 0) // a pending signature moves no count
		confirm, withdraw := e.lastTokens("jo@example.org")
		if _, err := e.ps.Confirm(ctx, confirm); err != nil {
			t.Fatal(err)
		}
		want(t, 1, 6)
		if _, err := e.ps.Confirm(ctx, confirm); err != nil {
			t.Fatal(err)
		}
		want(t, 0, 0) // already confirmed: nothing changed
		if _, err := e.ps.Withdraw(ctx, withdraw); err != nil {
			t.Fatal(err)
		}
		want(t, 1, 5)
	})
	t.Run("Paper", func(t *testing.T) {
		s := &ballot.Signature{Name: "Paper Person", Postcode: "AB2 4GH", Resident: true, Sheet: "S1", Line: 1}
		if err := e.ps.AddPaperSignature(ctx, p.ID, s, officer); err != nil {
			t.Fatal(err)
		}
		want(t, 1, 6)
		again := &ballot.Signature{Name: "Paper Person", Postcode: "AB2 4GH", Resident: true, Sheet: "S1", Line: 2}
		if err := e.ps.AddPaperSignature(ctx, p.ID, again, officer); !errors.Is(err, ballot.ErrAlreadySigned) {
			t.Fatalf("got %v, want ErrAlreadySigned", err)
		}
		want(t, 0, 0) // rolled back: no event
	})
	t.Run("Invalidate", func(t *testing.T) {
		if _, err := e.ps.Invalidate(ctx, p.ID, ballot.Invalidation{Domain: "example.org", Reason: "test"}, officer); err != nil {
			t.Fatal(err)
		}
		want(t, 1, 1) // the five sponsors went; the paper signature stays
	})
}

func TestConsultStore_PublishesAfterCommit(t *testing.T) {
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	ctx := context.Background()
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	pub := &seenPub{read: func(string) int {
		got, err := db.NewConsultStore(d).Consultation(ctx, "parks")
		if err != nil {
			t.Error(err)
			return -1
		}
		return got.ResponseCount
	}}
	s.Pub = pub
	if err := s.AddResponse(ctx, "parks", validResponse(c, 1)); err != nil {
		t.Fatal(err)
	}
	bad := validResponse(c, 2)
	delete(bad.Answers, c.Questions[0].ID) // required: refused, nothing saved
	if err := s.AddResponse(ctx, "parks", bad); err == nil {
		t.Fatal("a response without a required answer was saved")
	}
	if err := s.Close(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, "parks", officer); err == nil {
		t.Fatal("closed twice")
	}
	topics, seen := pub.take()
	wantTopic := consult.ConsultationTopic("parks")
	if len(topics) != 2 || topics[0] != wantTopic || topics[1] != wantTopic {
		t.Fatalf("got events %v, want two for %s (the response, the close)", topics, wantTopic)
	}
	if seen[0] != 1 {
		t.Errorf("response count visible when told: got %d, want 1", seen[0])
	}
}
