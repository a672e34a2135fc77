package main

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAuditVerify_Rechained: someone with the database file but not the
// key file edits an entry and re-chains every entry after it by the
// documented hash, or cuts the tail off. audit verify must say BROKEN for
// the first, and for the second when given a head saved before.
func TestAuditVerify_Rechained(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "o.db")
	for _, email := range []string{"a@council.gov.uk", "b@council.gov.uk", "c@council.gov.uk"} {
		if _, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", email); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCLI(t, "", "audit", "verify", "--db", dbPath)
	m := regexp.MustCompile(`intact: 3 entries checked, all sealed; head 3:([0-9a-f]{64})\n`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("got %q, %v; want intact with its head", out, err)
	}
	head := "3:" + m[1]
	if out, err := runCLI(t, "", "audit", "verify", "--db", dbPath, "--head", head); err != nil || !strings.Contains(out, "extends the saved head 3:") {
		t.Fatalf("with its own head: got %q, %v", out, err)
	}

	raw, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rechain(t, raw, `UPDATE audit_log SET detail = 'x@example.org' WHERE id = 2`)
	out, err = runCLI(t, "", "audit", "verify", "--db", dbPath)
	if !errors.Is(err, errFailed) || !strings.Contains(out, "BROKEN at entry 2") {
		t.Errorf("edited and re-chained: got %q, %v; want BROKEN at entry 2", out, err)
	}

	// Put entry 2 back as it was? It cannot be: cut the log to entry 1,
	// which is whole and sealed. Only the saved head shows the loss.
	if _, err := raw.Exec(`PRAGMA foreign_keys = OFF; DELETE FROM audit_log WHERE id > 1`); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "audit", "verify", "--db", dbPath); err != nil || !strings.Contains(out, "intact: 1 entries") {
		t.Fatalf("cut to one entry, no head: got %q, %v", out, err)
	}
	out, err = runCLI(t, "", "audit", "verify", "--db", dbPath, "--head", head)
	if !errors.Is(err, errFailed) || !strings.Contains(out, "does not extend the saved head 3:") {
		t.Errorf("cut, with the saved head: got %q, %v", out, err)
	}
	if _, err := runCLI(t, "", "audit", "verify", "--db", dbPath, "--head", "3-nonsense"); exitCode(err) != 2 {
		t.Errorf("a malformed head: got %v, want exit status 2", err)
	}
}

// rechain runs edit on the log, then gives every entry the hash of its
// fields, linked to the one before, as documented in consult/audit.go.
func rechain(t *testing.T, raw *sql.DB, edit string) {
	t.Helper()
	if _, err := raw.Exec(edit); err != nil {
		t.Fatal(err)
	}
	rows, err := raw.Query(`SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ id, at, actor, action, subject, detail string }
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.at, &r.actor, &r.action, &r.subject, &r.detail); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	prev := ""
	for _, r := range rs {
		// The documented input is the time in RFC 3339 with its nanoseconds
		// and no trailing zeros, not the stored text (nine digits always).
		at, err := time.Parse(time.RFC3339Nano, r.at)
		if err != nil {
			t.Fatal(err)
		}
		r.at = at.UTC().Format(time.RFC3339Nano)
		h := sha256.New()
		for _, f := range []string{r.id, r.at, r.actor, r.action, r.subject, r.detail, prev} {
			fmt.Fprintf(h, "%d:%s;", len(f), f)
		}
		hash := hex.EncodeToString(h.Sum(nil))
		if _, err := raw.Exec(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`, prev, hash, r.id); err != nil {
			t.Fatal(err)
		}
		prev = hash
	}
}
