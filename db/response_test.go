package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestConsultStore_AddResponse(t *testing.T) {
	ctx := context.Background()

	t.Run("Concurrent", func(t *testing.T) {
		d := MustOpenDB(t)
		s := db.NewConsultStore(d)
		c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
		batches0, requests0 := d.GroupStats()
		const n = 1000
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				r := validResponse(c, i)
				r.Email = fmt.Sprintf("Resident%d@Example.org", i)
				errs <- s.AddResponse(ctx, "parks", r)
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("AddResponse: %v", err)
			}
		}
		checkCounters(t, d, c.ID, n)
		// Responses share the group-commit writer's transactions, as
		// signatures and votes do: one sync to disk for many.
		batches, requests := d.GroupStats()
		if requests-requests0 < n || batches-batches0 >= n {
			t.Errorf("group writer: %d requests in %d batches, want >= %d in fewer", requests-requests0, batches-batches0, n)
		}
		tally, err := s.Tally(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		if tally.ResponseCount != n {
			t.Errorf("Tally().ResponseCount = %d, want %d", tally.ResponseCount, n)
		}
		var receipts int
		if err := d.Reader().QueryRow(`SELECT COUNT(DISTINCT receipt) FROM responses`).Scan(&receipts); err != nil || receipts != n {
			t.Errorf("distinct receipts = %d, %v; want %d", receipts, err, n)
		}
	})

	t.Run("Normalised", func(t *testing.T) {
		d := MustOpenDB(t)
		s := db.NewConsultStore(d)
		mustAddPostcodes(t, d, "SW1A 1AA")
		c := mustOpenConsultation(t, s, "parks", consult.AudienceResidents)
		r := validResponse(c, 1)
		r.Email, r.Postcode = "  Ann@Example.ORG ", "sw1a1aa"
		if err := s.AddResponse(ctx, "parks", r); err != nil {
			t.Fatal(err)
		}
		if r.ID == 0 || r.ConsultationID != c.ID || r.CreatedAt.IsZero() || len(r.Receipt) != 14 {
			t.Errorf("saved response = %+v, want ID, ConsultationID, CreatedAt and a receipt set", r)
		}
		if r.Email != "ann@example.org" || r.Postcode != "SW1A 1AA" {
			t.Errorf("email, postcode = %q, %q; want normalised", r.Email, r.Postcode)
		}
	})

	t.Run("ErrAlreadyResponded", func(t *testing.T) {
		d := MustOpenDB(t)
		s := db.NewConsultStore(d)
		c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
		mustOpenConsultation(t, s, "libraries", consult.AudienceAnyone)
		first := validResponse(c, 1)
		first.Email = "ann@example.org"
		if err := s.AddResponse(ctx, "parks", first); err != nil {
			t.Fatal(err)
		}
		// Online, a repeat answers as a first response does, saves
		// nothing and mails the address instead.
		again := validResponse(c, 2)
		again.Email = " ANN@example.org"
		if err := s.AddResponse(ctx, "parks", again); err != nil || again.Receipt != "" || again.ID != 0 {
			t.Errorf("repeat email online: got %v, receipt %q, id %d; want nil, no receipt, nothing saved", err, again.Receipt, again.ID)
		}
		var saved, mails int
		if err := d.Reader().QueryRow(`SELECT (SELECT COUNT(*) FROM responses), (SELECT COUNT(*) FROM outbox
			WHERE to_addr = 'ann@example.org' AND body LIKE '%already responded%')`).Scan(&saved, &mails); err != nil {
			t.Fatal(err)
		}
		if saved != 1 || mails != 1 {
			t.Errorf("after the repeat: %d responses and %d 'already responded' mails, want 1 and 1", saved, mails)
		}
		// On paper, staff are told.
		paper := validResponse(c, 3)
		paper.Email, paper.Channel, paper.PaperSerial, paper.EnteredBy = "ann@example.org", consult.ChannelPaper, "S-1", officer
		if err := s.AddResponse(ctx, "parks", paper); !errors.Is(err, consult.ErrAlreadyResponded) {
			t.Errorf("repeat email on paper: got %v, want ErrAlreadyResponded", err)
		}
		// The same person may answer a different consultation.
		other, err := s.Consultation(ctx, "libraries")
		if err != nil {
			t.Fatal(err)
		}
		elsewhere := validResponse(other, 1)
		elsewhere.Email = "ann@example.org"
		if err := s.AddResponse(ctx, "libraries", elsewhere); err != nil {
			t.Errorf("same email, other consultation: got %v, want nil", err)
		}
	})

	t.Run("ErrDuplicate", func(t *testing.T) {
		s := db.NewConsultStore(MustOpenDB(t))
		c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
		for i, want := range []error{nil, consult.ErrDuplicate} {
			r := validResponse(c, i)
			r.Channel, r.PaperSerial, r.EnteredBy = consult.ChannelPaper, "P-0001", officer
			if err := s.AddResponse(ctx, "parks", r); !errors.Is(err, want) {
				t.Errorf("paper serial, entry %d: got %v, want %v", i+1, err, want)
			}
		}
		// Absent emails and serials are NULL, and NULLs never collide.
		for i := range 3 {
			if err := s.AddResponse(ctx, "parks", validResponse(c, i)); err != nil {
				t.Errorf("anonymous response %d: got %v, want nil", i+1, err)
			}
		}
	})

	t.Run("ErrNotOpen", func(t *testing.T) {
		d := MustOpenDB(t)
		now := fixedClock(d, t0)
		s := db.NewConsultStore(d)
		draft := newConsultation("draft", consult.AudienceAnyone)
		mustCreate(t, s, draft)
		mustOpenConsultation(t, s, "closed", consult.AudienceAnyone)
		if err := s.Close(ctx, "closed", officer); err != nil {
			t.Fatal(err)
		}
		later := newConsultation("later", consult.AudienceAnyone)
		later.OpensAt = t0.AddDate(0, 0, 7)
		mustCreate(t, s, later)
		if err := s.Open(ctx, "later", officer); err != nil {
			t.Fatal(err)
		}
		ended := newConsultation("ended", consult.AudienceAnyone)
		ended.ClosesAt = t0.Add(time.Hour)
		mustCreate(t, s, ended)
		if err := s.Open(ctx, "ended", officer); err != nil {
			t.Fatal(err)
		}
		*now = t0.Add(time.Hour) // the closing moment itself is closed
		for _, slug := range []string{"draft", "closed", "later", "ended"} {
			c, err := s.Consultation(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddResponse(ctx, slug, validResponse(c, 1)); !errors.Is(err, consult.ErrNotOpen) {
				t.Errorf("%s: got %v, want ErrNotOpen", slug, err)
			}
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := db.NewConsultStore(MustOpenDB(t))
		if err := s.AddResponse(ctx, "nope", &consult.Response{Channel: consult.ChannelOnline}); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})
}

// TestConsultStore_AddResponse_NothingSaved checks that a rejected response
// leaves no trace: no response or answer rows and no counter moved.
func TestConsultStore_AddResponse_NothingSaved(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	mustAddPostcodes(t, d, "SW1A 1AA")
	anyone := mustOpenConsultation(t, s, "anyone", consult.AudienceAnyone)
	residents := mustOpenConsultation(t, s, "residents", consult.AudienceResidents)
	for i := range 5 { // counters already above zero, so a stray bump shows
		r := validResponse(anyone, i)
		if err := s.AddResponse(ctx, "anyone", r); err != nil {
			t.Fatal(err)
		}
		r = validResponse(residents, i)
		r.Postcode = "SW1A 1AA"
		if err := s.AddResponse(ctx, "residents", r); err != nil {
			t.Fatal(err)
		}
	}
	qs := anyone.Questions
	for _, tc := range []struct {
		name, slug, field string
		change            func(r *consult.Response)
	}{
		{"MissingRequired", "anyone", qs[0].Field(), func(r *consult.Response) { delete(r.Answers, qs[0].ID) }},
		{"BadOption", "anyone", qs[0].Field(), func(r *consult.Response) {
			r.Answers[qs[0].ID] = consult.Answer{OptionIDs: []int64{qs[1].Options[0].ID}}
		}},
		{"TextTooLong", "anyone", qs[3].Field(), func(r *consult.Response) {
			r.Answers[qs[3].ID] = consult.Answer{Text: strings.Repeat("é", consult.MaxTextAnswer+1)}
		}},
		{"OtherConsultationsQuestion", "anyone", "answers", func(r *consult.Response) {
			r.Answers[residents.Questions[3].ID] = consult.Answer{Text: "hi"}
		}},
		{"UnknownPostcode", "residents", "postcode", func(r *consult.Response) { r.Postcode = "ZZ1 1ZZ" }},
		{"MalformedPostcode", "residents", "postcode", func(r *consult.Response) { r.Postcode = "not a postcode" }},
		{"MissingPostcode", "residents", "postcode", func(r *consult.Response) { r.Postcode = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := takeSnapshot(t, d)
			c, err := s.Consultation(ctx, tc.slug)
			if err != nil {
				t.Fatal(err)
			}
			r := validResponse(c, 7)
			r.Email, r.Postcode = "new@example.org", "SW1A 1AA"
			tc.change(r)
			err = s.AddResponse(ctx, tc.slug, r)
			var ve *consult.ValidationError
			if !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
				t.Fatalf("got %v, want a *ValidationError on %q", err, tc.field)
			}
			if after := takeSnapshot(t, d); after != before {
				t.Errorf("after a rejected response got %+v, want %+v", after, before)
			}
		})
	}
}

// TestConsultStore_OneSpellingPerEmail: an international domain and its
// punycode form are one address, so the second response is a repeat.
func TestConsultStore_OneSpellingPerEmail(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	first := validResponse(c, 1)
	first.Email = "ann@Bücher.example"
	if err := s.AddResponse(ctx, "parks", first); err != nil {
		t.Fatal(err)
	}
	again := validResponse(c, 2)
	again.Email = "ann@xn--bcher-kva.example"
	if err := s.AddResponse(ctx, "parks", again); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM responses`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 || again.Receipt != "" {
		t.Errorf("got %d responses (second receipt %q), want 1: the punycode spelling is the same address", n, again.Receipt)
	}
}
