package db_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestConsultStore_PaperResponseStaff checks that a paper response records
// the staff member who typed it in, and that each entry leaves exactly one
// audit entry, in the same transaction, naming them (issue 16, item 7).
func TestConsultStore_PaperResponseStaff(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	log := db.NewAuditLog(d)
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	const ann = "ann.officer@council.gov.uk"

	entries := func() int {
		t.Helper()
		var n int
		if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	enteredBy := func(id int64) sql.NullString {
		t.Helper()
		var by sql.NullString
		if err := d.Reader().QueryRow(`SELECT entered_by FROM responses WHERE id = ?`, id).Scan(&by); err != nil {
			t.Fatal(err)
		}
		return by
	}

	before := entries()
	r := validResponse(c, 1)
	r.Channel, r.PaperSerial, r.EnteredBy = consult.ChannelPaper, "PARKS-000007", ann
	if err := s.AddResponse(ctx, "parks", r); err != nil {
		t.Fatal(err)
	}
	if by := enteredBy(r.ID); !by.Valid || by.String != ann {
		t.Errorf("entered_by = %v, want %q", by, ann)
	}
	if got := entries(); got != before+1 {
		t.Fatalf("audit entries %d -> %d, want exactly one more", before, got)
	}
	es, err := log.AuditEntries(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := consult.AuditEntry{Actor: ann, Action: "consultation.paper_response", Subject: "consultation:parks", Detail: "PARKS-000007"}
	if e := es[0]; e.Actor != want.Actor || e.Action != want.Action || e.Subject != want.Subject || e.Detail != want.Detail {
		t.Errorf("audit entry = %q %q %q %q, want %q %q %q %q",
			e.Actor, e.Action, e.Subject, e.Detail, want.Actor, want.Action, want.Subject, want.Detail)
	}
	if brokenAt, _, err := log.VerifyAudit(ctx); err != nil || brokenAt != 0 {
		t.Errorf("VerifyAudit = broken at %d, %v; want intact", brokenAt, err)
	}

	t.Run("OnlineIsNotAttributed", func(t *testing.T) {
		before := entries()
		r := validResponse(c, 2)
		r.EnteredBy = ann // ignored online: nobody on staff typed it
		if err := s.AddResponse(ctx, "parks", r); err != nil {
			t.Fatal(err)
		}
		if by := enteredBy(r.ID); by.Valid {
			t.Errorf("online entered_by = %q, want NULL", by.String)
		}
		if got := entries(); got != before {
			t.Errorf("online response: audit entries %d -> %d, want none added", before, got)
		}
	})

	t.Run("PaperNeedsStaff", func(t *testing.T) {
		before := entries()
		var responses int
		if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM responses`).Scan(&responses); err != nil {
			t.Fatal(err)
		}
		r := validResponse(c, 3)
		r.Channel, r.PaperSerial = consult.ChannelPaper, "PARKS-000008"
		if err := s.AddResponse(ctx, "parks", r); err == nil {
			t.Fatal("paper response with no staff member: got nil, want an error")
		}
		var after int
		if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM responses`).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after != responses || entries() != before {
			t.Errorf("refused entry saved something: responses %d -> %d, audit %d -> %d", responses, after, before, entries())
		}
		// The schema refuses it too, should a future path skip the store's check.
		_, err := d.Writer().Exec(`INSERT INTO responses (consultation_id, receipt, channel, paper_serial, created_at)
			VALUES (?, 'RAW-RECEIPT-1', 'paper', 'PARKS-000009', '2026-01-01T00:00:00.000000000Z')`, c.ID)
		if err == nil {
			t.Error("raw paper insert without entered_by: got nil, want refused")
		}
	})

	t.Run("PaperEntries", func(t *testing.T) {
		const bob = "bob.moderator@council.gov.uk"
		for i, by := range []string{bob, ann, ann} { // ann already entered one above
			r := validResponse(c, i)
			r.Channel, r.PaperSerial, r.EnteredBy = consult.ChannelPaper, "PARKS-00010"+string(rune('0'+i)), by
			if err := s.AddResponse(ctx, "parks", r); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.PaperEntries(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		want := []consult.StaffCount{{Staff: ann, Count: 3}, {Staff: bob, Count: 1}}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("PaperEntries = %+v, want %+v", got, want)
		}
	})
}
