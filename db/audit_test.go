package db_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/mattn/go-sqlite3"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
)

func TestAuditLog(t *testing.T) {
	ctx := context.Background()
	d, path := dbtest.Open(t)
	fixedClock(d, t0)
	s := db.NewConsultStore(d)
	log := db.NewAuditLog(d)

	// Every council action through the stores, plus a standalone entry.
	mustOpenConsultation(t, s, "parks", consult.AudienceAnyone) // create, open
	q := consult.Question{Kind: consult.KindText, Prompt: "Why?"}
	mustCreate(t, s, newConsultation("draft", consult.AudienceAnyone))
	if err := s.AddQuestion(ctx, "draft", &q, officer); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteQuestion(ctx, "draft", q.ID, officer); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	if err := db.NewUserStore(d).CreateUser(ctx, &consult.User{Email: "b@council.gov.uk", Role: consult.RoleModerator, PasswordHash: "x"}, "cli"); err != nil {
		t.Fatal(err)
	}
	if err := d.AppendAudit(ctx, "b@council.gov.uk", "user.sign_in", "user:1", ""); err != nil {
		t.Fatal(err)
	}
	// A failed action leaves no entry: the audit append shares its transaction.
	if err := s.Open(ctx, "parks", officer); !errors.Is(err, consult.ErrBadTransition) {
		t.Fatalf("reopen: got %v, want ErrBadTransition", err)
	}

	wantActions := []string{"user.sign_in", "user.create", "consultation.close", "question.delete",
		"question.add", "consultation.create", "consultation.open", "consultation.create"}

	t.Run("Linked", func(t *testing.T) {
		es, err := log.AuditEntries(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != len(wantActions) {
			t.Fatalf("%d entries, want %d", len(es), len(wantActions))
		}
		for i, e := range es {
			if e.Action != wantActions[i] || e.ID != int64(len(es)-i) || !e.At.Equal(t0) {
				t.Errorf("entry %d = %s #%d at %v, want %s #%d at %v", i, e.Action, e.ID, e.At, wantActions[i], len(es)-i, t0)
			}
			if i+1 < len(es) && e.PrevHash != es[i+1].Hash {
				t.Errorf("entry %d prev_hash does not match entry %d's hash", e.ID, es[i+1].ID)
			}
		}
		if es[len(es)-1].PrevHash != "" {
			t.Errorf("first entry prev_hash = %q, want empty", es[len(es)-1].PrevHash)
		}
		if es, err := log.AuditEntries(ctx, 2); err != nil || len(es) != 2 || es[0].Action != "user.sign_in" {
			t.Errorf("AuditEntries(2) = %d entries, %v; want the newest 2", len(es), err)
		}
	})

	t.Run("WholeChain", func(t *testing.T) {
		broken, checked, err := log.VerifyAudit(ctx)
		if err != nil || broken != 0 || checked != len(wantActions) {
			t.Errorf("VerifyAudit = %d, %d, %v; want 0, %d, nil", broken, checked, err, len(wantActions))
		}
	})

	t.Run("AppendOnly", func(t *testing.T) {
		for _, stmt := range []string{
			`UPDATE audit_log SET detail = 'changed' WHERE id = 3`,
			`DELETE FROM audit_log WHERE id = 3`,
		} {
			_, err := d.Writer().Exec(stmt)
			var se sqlite3.Error
			if !errors.As(err, &se) || se.ExtendedCode != sqlite3.ErrConstraintTrigger {
				t.Errorf("%s: got %v, want the trigger to refuse it", stmt, err)
			}
		}
		if broken, _, err := log.VerifyAudit(ctx); broken != 0 || err != nil {
			t.Errorf("VerifyAudit after refused changes = %d, %v; want 0, nil", broken, err)
		}
	})

	t.Run("Tampered", func(t *testing.T) {
		// Someone with the file in hand drops the triggers and edits entry 3.
		raw, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		for _, stmt := range []string{
			`DROP TRIGGER audit_log_no_update`,
			`DROP TRIGGER audit_log_no_delete`,
			`UPDATE audit_log SET detail = 'nothing to see' WHERE id = 3`,
		} {
			if _, err := raw.Exec(stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		broken, checked, err := log.VerifyAudit(ctx)
		if err != nil || broken != 3 || checked != 3 {
			t.Errorf("after editing entry 3: VerifyAudit = %d, %d, %v; want 3, 3, nil", broken, checked, err)
		}
		// Deleting an entry outright breaks the link of the one after it.
		if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = 3`); err != nil {
			t.Fatal(err)
		}
		if broken, _, err := log.VerifyAudit(ctx); err != nil || broken != 4 {
			t.Errorf("after deleting entry 3: VerifyAudit = %d, %v; want 4, nil", broken, err)
		}
	})
}
