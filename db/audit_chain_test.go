package db_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
)

// Known answers for the first two entries of chainFixture, computed outside
// Go with sha256sum over the canonical bytes (each field as
// "<length>:<value>;", in the order id, time, actor, action, subject,
// detail, previous hash):
//
//	printf '%s' '1:1;30:2026-03-02T09:30:00.123456789Z;16:b@council.gov.uk;12:user.sign_in;6:user:1;0:;0:;' | sha256sum
//	printf '%s' "1:2;30:2026-03-02T09:30:00.123456789Z;3:cli;11:ballot.note;8:ballot:7;12:detail: a; b;64:$hash1;" | sha256sum
const (
	hash1 = "e5520454e150cfd25ed226d5866da014905ee515b6f8072ad13e984ca1d473ac"
	hash2 = "93f48ddf31db60f597d269c3211cdbabbc2042c220bb9331de47afbb61c4f73a"
)

// auditRow is one stored row, read and written around the store, as
// someone with the file in hand would.
type auditRow struct {
	id                                             int64
	at, actor, action, subject, detail, prev, hash string
}

// chainHash is the documented hash written out again in the test, so the
// tampering below can forge self-consistent entries. It is checked against
// hash1 and hash2, which were computed without it.
func chainHash(r auditRow) string {
	h := sha256.New()
	for _, f := range []string{fmt.Sprint(r.id), r.at, r.actor, r.action, r.subject, r.detail, r.prev} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// chainFixture appends five entries at t0 through the store and returns
// the log, a raw connection to the file with the append-only triggers
// dropped, and the rows as stored.
func chainFixture(t *testing.T) (*db.AuditLog, *sql.DB, []auditRow) {
	t.Helper()
	return chainFixtureWith(t, func(*db.DB) {})
}

// chainFixtureWith is chainFixture with setup run on the database first.
func chainFixtureWith(t *testing.T, setup func(*db.DB)) (*db.AuditLog, *sql.DB, []auditRow) {
	t.Helper()
	ctx := context.Background()
	d, path := dbtest.Open(t)
	fixedClock(d, t0)
	setup(d)
	entries := [][4]string{
		{"b@council.gov.uk", "user.sign_in", "user:1", ""},
		{"cli", "ballot.note", "ballot:7", "detail: a; b"},
		{"cli", "test.entry", "test:3", "entry 3"},
		{"cli", "test.entry", "test:4", "entry 4"},
		{"cli", "test.entry", "test:5", "entry 5"},
	}
	for _, e := range entries {
		if err := d.AppendAudit(ctx, e[0], e[1], e[2], e[3]); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	for _, stmt := range []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`,
		`DROP TRIGGER audit_seals_no_update`, `DROP TRIGGER audit_seals_no_delete`} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return db.NewAuditLog(d), raw, readAuditRows(t, raw)
}

func readAuditRows(t *testing.T, raw *sql.DB) []auditRow {
	t.Helper()
	rows, err := raw.Query(`SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var rs []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.id, &r.at, &r.actor, &r.action, &r.subject, &r.detail, &r.prev, &r.hash); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return rs
}

// rewriteAudit replaces the whole log with rs.
func rewriteAudit(t *testing.T, raw *sql.DB, rs []auditRow) {
	t.Helper()
	if _, err := raw.Exec(`DELETE FROM audit_log`); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if _, err := raw.Exec(`INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.id, r.at, r.actor, r.action, r.subject, r.detail, r.prev, r.hash); err != nil {
			t.Fatal(err)
		}
	}
}

// relink forges the chain from entry index i on: each entry after i links
// to the one before it, and each gets the hash of its fields.
func relink(rs []auditRow, i int) {
	for ; i < len(rs); i++ {
		if i > 0 {
			rs[i].prev = rs[i-1].hash
		}
		rs[i] = rehash(rs[i])
	}
}

// rehash gives r the hash of its own (possibly edited) fields: a forger
// who knows the format can always do this for the entries they touch.
func rehash(r auditRow) auditRow {
	r.hash = chainHash(r)
	return r
}

func TestAuditLog_KnownAnswers(t *testing.T) {
	_, _, rs := chainFixture(t)
	if len(rs) != 5 {
		t.Fatalf("%d entries, want 5", len(rs))
	}
	if rs[0].at != "2026-03-02T09:30:00.123456789Z" {
		t.Fatalf("stored time %q, want 2026-03-02T09:30:00.123456789Z", rs[0].at)
	}
	if rs[0].prev != "" || rs[0].hash != hash1 {
		t.Errorf("entry 1: prev %q, hash %s; want \"\", %s", rs[0].prev, rs[0].hash, hash1)
	}
	if rs[1].prev != hash1 || rs[1].hash != hash2 {
		t.Errorf("entry 2: prev %s, hash %s; want %s, %s", rs[1].prev, rs[1].hash, hash1, hash2)
	}
	if got := chainHash(rs[0]); got != hash1 {
		t.Fatalf("the test's chainHash gives %s for entry 1, want %s", got, hash1)
	}
	for i, r := range rs {
		if r.id != int64(i+1) || r.hash != chainHash(r) || (i > 0 && r.prev != rs[i-1].hash) {
			t.Errorf("entry %d: id %d, hash %s, prev %s; want id %d, hash %s linked to the one before", i+1, r.id, r.hash, r.prev, i+1, chainHash(r))
		}
	}
}

// TestAuditLog_VerifyTampered edits the file around the store in ways that
// each only one of VerifyAudit's checks can see, and wants the first broken
// entry named.
func TestAuditLog_VerifyTampered(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func([]auditRow) []auditRow
		broken  int64
		checked int // entries read, the broken one included
	}{
		{"untouched", func(rs []auditRow) []auditRow { return rs }, 0, 5},
		{"detail edited, hash left", func(rs []auditRow) []auditRow {
			rs[2].detail = "nothing to see"
			return rs
		}, 3, 3},
		{"detail edited, its own hash forged", func(rs []auditRow) []auditRow {
			rs[2].detail = "nothing to see"
			rs[2] = rehash(rs[2])
			return rs // entry 4 still links to the old hash
		}, 4, 4},
		{"middle entry deleted, later ones renumbered and rehashed", func(rs []auditRow) []auditRow {
			rs = append(rs[:2], rs[3:]...)
			for i := 2; i < len(rs); i++ {
				rs[i].id = int64(i + 1)
				rs[i] = rehash(rs[i])
			}
			return rs // the new entry 3 links to the deleted one
		}, 3, 3},
		{"two entries swapped, ids kept, both rehashed", func(rs []auditRow) []auditRow {
			rs[1], rs[2] = rs[2], rs[1]
			rs[1].id, rs[2].id = 2, 3
			rs[1], rs[2] = rehash(rs[1]), rehash(rs[2])
			return rs
		}, 2, 2},
		{"first entry linked to a made-up predecessor", func(rs []auditRow) []auditRow {
			rs[0].prev = hash2
			relink(rs, 0)
			return rs // whole after the first link: only the genesis check sees it
		}, 1, 1},
		{"first entry deleted, the next re-rooted, ids kept", func(rs []auditRow) []auditRow {
			rs = rs[1:]
			rs[0].prev = ""
			relink(rs, 0)
			return rs // links whole from an empty root: only the ids show the gap
		}, 2, 1},
		{"a middle id moved to leave a gap, the rest relinked", func(rs []auditRow) []auditRow {
			for i := 2; i < len(rs); i++ {
				rs[i].id += 10
			}
			relink(rs, 2)
			return rs
		}, 13, 3},
		{"first entry deleted, the rest renumbered and rehashed", func(rs []auditRow) []auditRow {
			rs = rs[1:]
			for i := range rs {
				rs[i].id = int64(i + 1)
				rs[i] = rehash(rs[i])
			}
			return rs // the new entry 1 links to the deleted one
		}, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, raw, rs := chainFixture(t)
			rewriteAudit(t, raw, tc.tamper(rs))
			broken, checked, err := log.VerifyAudit(context.Background())
			if err != nil || broken != tc.broken {
				t.Errorf("VerifyAudit = broken at %d, %v; want %d, nil", broken, err, tc.broken)
			}
			if checked != tc.checked {
				t.Errorf("checked %d entries, want %d", checked, tc.checked)
			}
		})
	}
}
