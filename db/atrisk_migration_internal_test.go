package db

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// TestMigration0070_AtRiskTwoLimbs builds a database as it stood before
// migration 0070, with consultations answered under the one-question test,
// then opens it: a yes stays a yes, as the contact limb, and a
// public-public exemption's reason becomes the other body's name.
func TestMigration0070_AtRiskTwoLimbs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	w, err := sql.Open(driverName, dsn(path, "rwc", "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version >= 70 {
			break
		}
		if err := applyMigration(ctx, w, m, time.Now()); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	insert := `INSERT INTO consultations (slug, title, summary, service, proposal, public_interest_case, in_house_bid,
		no_in_house_reason, social_value_weight, at_risk_groups, exemption, exemption_reason, audience, status,
		live_results, created_at, updated_at) VALUES (?, 'T', 'S', 'Care', 'outsource', 'Case', 'Bid', '', 10, ?, ?, ?, 'anyone', 'draft', 0, ?, ?)`
	now := fmtTime(time.Now())
	for _, r := range []struct {
		slug           string
		atRisk         bool
		kind, evidence string
	}{{"at-risk", true, "", ""}, {"not-at-risk", false, "", ""}, {"shared", true, "public_public", "Northshire County Council"}} {
		if _, err := w.ExecContext(ctx, insert, r.slug, r.atRisk, r.kind, r.evidence, now, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	store := NewConsultStore(d)
	for slug, want := range map[string]consult.Record{
		"at-risk":     {AtRisk: consult.AtRiskTest{Contact: true}},
		"not-at-risk": {},
		"shared": {AtRisk: consult.AtRiskTest{Contact: true},
			Exemption: consult.ExemptionClaim{Kind: consult.ExemptionPublicPublic, OtherBody: "Northshire County Council"}},
	} {
		c, err := store.Consultation(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if c.Record.AtRisk != want.AtRisk || c.Record.Exemption != want.Exemption {
			t.Fatalf("%s: got %+v %+v, want %+v %+v", slug, c.Record.AtRisk, c.Record.Exemption, want.AtRisk, want.Exemption)
		}
	}
}
