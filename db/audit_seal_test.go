package db_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/oursay/oursay/db"
)

var testAuditKey = db.AuditKey([]byte("audit test secret key, 32 bytes!"))

// sealedFixture is chainFixture with the audit key set before the five
// entries are appended.
func sealedFixture(t *testing.T) (*db.AuditLog, *sql.DB, []auditRow) {
	t.Helper()
	return chainFixtureWith(t, func(d *db.DB) { d.SetAuditKey(testAuditKey) })
}

// TestAuditLog_SealsShowRechaining: someone with the file but not the key
// file edits an entry and re-chains everything after it, so the hash chain
// is whole again, or appends an entry of their own. The unkeyed chain
// cannot see either; the seals can.
func TestAuditLog_SealsShowRechaining(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		tamper   func(*testing.T, *sql.DB, []auditRow) []auditRow
		broken   int64
		unsealed bool
	}{
		{"untouched", func(_ *testing.T, _ *sql.DB, rs []auditRow) []auditRow { return rs }, 0, false},
		{"detail edited, the chain relinked from it", func(_ *testing.T, _ *sql.DB, rs []auditRow) []auditRow {
			rs[2].detail = "nothing to see"
			relink(rs, 2)
			return rs
		}, 3, false},
		{"an entry appended by hand", func(_ *testing.T, _ *sql.DB, rs []auditRow) []auditRow {
			r := auditRow{id: 6, at: rs[4].at, actor: "cli", action: "ballot.close", subject: "ballot:7", detail: "forged", prev: rs[4].hash}
			return append(rs, rehash(r))
		}, 6, true},
		{"the legacy count raised over sealed entries", func(t *testing.T, raw *sql.DB, rs []auditRow) []auditRow {
			if _, err := raw.Exec(`UPDATE audit_keying SET legacy_until = 3`); err != nil {
				t.Fatal(err)
			}
			return rs
		}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, raw, rs := sealedFixture(t)
			rs = tc.tamper(t, raw, rs)
			rewriteAudit(t, raw, rs)
			if broken, _, err := log.VerifyAudit(ctx); err != nil || broken != 0 {
				t.Fatalf("the unkeyed chain: broken at %d, %v; want whole, as the forger made it", broken, err)
			}
			r, err := log.VerifySealed(ctx, testAuditKey)
			if err != nil || r.BrokenAt != tc.broken || r.Unsealed != tc.unsealed {
				t.Errorf("VerifySealed = broken at %d (unsealed %v), %v; want %d (unsealed %v)", r.BrokenAt, r.Unsealed, err, tc.broken, tc.unsealed)
			}
		})
	}
	t.Run("ForeignKey", func(t *testing.T) {
		log, _, _ := sealedFixture(t)
		r, err := log.VerifySealed(ctx, db.AuditKey([]byte("somebody else's key, 32 bytes...")))
		if err != nil || r.BrokenAt != 1 {
			t.Errorf("under another key: broken at %d, %v; want 1", r.BrokenAt, err)
		}
	})
	t.Run("Head", func(t *testing.T) {
		log, _, rs := sealedFixture(t)
		r, err := log.VerifySealed(ctx, testAuditKey)
		if err != nil || r.HeadID != 5 || r.HeadHash != rs[4].hash || r.Checked != 5 || r.Legacy != 0 {
			t.Errorf("got %+v, %v; want head 5 %s, 5 checked, no legacy", r, err, rs[4].hash)
		}
		if h, err := log.EntryHash(ctx, 2); err != nil || h != hash2 {
			t.Errorf("EntryHash(2) = %s, %v; want %s", h, err, hash2)
		}
	})
}

// TestAuditLog_LegacyEntries: entries written before seals existed (the
// migration counted them) are checked by their chain alone; entries after
// them must be sealed.
func TestAuditLog_LegacyEntries(t *testing.T) {
	ctx := context.Background()
	log, raw, _ := chainFixtureWith(t, func(d *db.DB) {
		if err := d.AppendAudit(ctx, "cli", "old.entry", "test:0", "before the key"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Writer().Exec(`UPDATE audit_keying SET legacy_until = 1`); err != nil {
			t.Fatal(err)
		}
		d.SetAuditKey(testAuditKey)
	})
	r, err := log.VerifySealed(ctx, testAuditKey)
	if err != nil || r.BrokenAt != 0 || r.Legacy != 1 || r.Checked != 6 {
		t.Fatalf("got %+v, %v; want whole, 1 legacy entry, 6 checked", r, err)
	}
	var sealed int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_seals`).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if sealed != 5 {
		t.Errorf("%d seals, want 5: the legacy entry stays unsealed", sealed)
	}
}
