package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestConsultStore_ReceiptMail: a respondent who gives an email is sent
// their receipt, queued in the response's own transaction; nobody else is.
func TestConsultStore_ReceiptMail(t *testing.T) {
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	s.BaseURL = "https://say.example"
	c := mustOpenConsultation(t, s, "receipts", consult.AudienceAnyone)
	ctx := context.Background()
	r := validResponse(c, 1)
	r.Email = "Resident@Example.org"
	if err := s.AddResponse(ctx, "receipts", r); err != nil {
		t.Fatal(err)
	}
	anon := validResponse(c, 2)
	if err := s.AddResponse(ctx, "receipts", anon); err != nil {
		t.Fatal(err)
	}
	mails, err := db.NewOutbox(d).RecentMail(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 1 {
		t.Fatalf("got %d mails, want 1", len(mails))
	}
	m := mails[0]
	if m.To != "resident@example.org" || !strings.Contains(m.Body, r.Receipt) || !strings.Contains(m.Body, "https://say.example/consultations/receipts") {
		t.Errorf("mail to %q: %q", m.To, m.Body)
	}
	// A refused response queues nothing. (A repeated email is not refused
	// online: TestConsultStore_AddResponse mails it a notice instead.)
	bad := validResponse(c, 3)
	bad.Email = "not an address"
	if err := s.AddResponse(ctx, "receipts", bad); err == nil {
		t.Fatal("a response with a bad email was accepted")
	}
	if mails, err := db.NewOutbox(d).RecentMail(ctx, 10); err != nil || len(mails) != 1 {
		t.Errorf("got %d mails after a refused response, %v; want 1", len(mails), err)
	}
}
