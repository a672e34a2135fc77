package consult_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

func TestAuditEntry_ComputeHash(t *testing.T) {
	base := consult.AuditEntry{
		ID: 7, At: t0, Actor: "officer@council.gov.uk", Action: "consultation.open",
		Subject: "consultation:parks", Detail: "closed early;see minutes", PrevHash: "abc123",
	}
	want := base.ComputeHash()
	if len(want) != 64 {
		t.Fatalf("got hash length %d, want 64 hex characters", len(want))
	}

	changes := []struct {
		name   string
		change func(*consult.AuditEntry)
	}{
		{"ID", func(e *consult.AuditEntry) { e.ID = 8 }},
		{"At", func(e *consult.AuditEntry) { e.At = e.At.Add(time.Nanosecond) }},
		{"Actor", func(e *consult.AuditEntry) { e.Actor = "other@council.gov.uk" }},
		{"Action", func(e *consult.AuditEntry) { e.Action = "consultation.close" }},
		{"Subject", func(e *consult.AuditEntry) { e.Subject = "consultation:roads" }},
		{"Detail", func(e *consult.AuditEntry) { e.Detail = "" }},
		{"PrevHash", func(e *consult.AuditEntry) { e.PrevHash = "abc124" }},
		// Moving text, separator and all, from one field to the next must
		// not give the same input: fields are length-prefixed.
		{"ShiftedBoundary", func(e *consult.AuditEntry) {
			e.Subject, e.Detail = "consultation:parks;closed early", "see minutes"
		}},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			e := base
			c.change(&e)
			if got := e.ComputeHash(); got == want {
				t.Fatalf("got %v, want a hash other than %v", got, want)
			}
		})
	}

	same := []struct {
		name   string
		change func(*consult.AuditEntry)
	}{
		// The hash is stored, so it cannot cover itself.
		{"Hash", func(e *consult.AuditEntry) { e.Hash = "anything" }},
		// The same instant read back in another zone must verify.
		{"SameInstantOtherZone", func(e *consult.AuditEntry) { e.At = e.At.In(time.FixedZone("BST", 3600)) }},
	}
	for _, c := range same {
		t.Run(c.name, func(t *testing.T) {
			e := base
			c.change(&e)
			if got := e.ComputeHash(); got != want {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}
