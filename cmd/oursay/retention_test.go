package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/live"
)

// demoFile loads the demo into a new database file, closes it and returns
// its path.
func demoFile(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := loadCodeKey(path + ".key")
	if err != nil {
		t.Fatal(err)
	}
	d.SetAuditKey(db.AuditKey(key)) // as serve does
	srv, err := newServer(d, "http://127.0.0.1:8080", "127.0.0.1:8080", key, slog.New(slog.DiscardHandler), live.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := loadDemo(ctx, d, srv, key, "http://127.0.0.1:8080", path, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// column reads one text column of every row a query returns.
func column(t *testing.T, path, query string) []string {
	t.Helper()
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Reader().Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	return out
}

// publicCounts is every count and result the public sees, one a line.
const publicCounts = `
	SELECT 'petition ' || id || ' ' || status || ' ' || signature_count || ' ' || sponsor_count || ' ' || COALESCE(threshold_met_at, '-') FROM petitions
	UNION ALL SELECT 'ward ' || petition_id || ' ' || ward_code || ' ' || count FROM petition_ward_counts
	UNION ALL SELECT 'consultation ' || slug || ' ' || response_count || ' ' || paper_response_count FROM consultations
	UNION ALL SELECT 'tally ' || question_id || ' ' || choice || ' ' || count FROM tallies
	UNION ALL SELECT 'ballot ' || id || ' ' || status FROM ballots
	UNION ALL SELECT 'votes ' || ballot_id || ' ' || option_id || ' ' || COUNT(*) FROM ballot_votes GROUP BY ballot_id, option_id
	UNION ALL SELECT 'audit ' || id || ' ' || hash FROM audit_log WHERE action <> 'retention.run'
	ORDER BY 1`

// TestRetentionCommand: on the demo council, a dry run prints what would go
// and changes nothing; a run as of a date long after everything closed
// anonymises every signer and every respondent of a published outcome,
// leaves none of their addresses in the file, keeps every public count,
// result and audit entry, and is audited with counts only.
func TestRetentionCommand(t *testing.T) {
	path := demoFile(t)
	signers := column(t, path, `SELECT email FROM signatures WHERE email IS NOT NULL`)
	// The demo's respondents give neither email nor postcode; db's
	// TestRetention_Invariants has respondents who do.
	const respondents = `SELECT COUNT(*) FROM responses r JOIN consultations c ON c.id = r.consultation_id
		WHERE (r.email IS NOT NULL OR r.postcode IS NOT NULL) AND c.status = 'outcome_published'`
	if len(signers) == 0 {
		t.Fatal("demo has no signers with email")
	}
	before := strings.Join(column(t, path, publicCounts), "\n")

	out, err := runCLI(t, "", "retention", "--db", path, "--as-of", "2100-01-01", "--dry-run")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "dry run: nothing was changed") || !strings.Contains(out, "signatures anonymised") {
		t.Errorf("dry run said:\n%s", out)
	}
	if got := column(t, path, `SELECT email FROM signatures WHERE email IS NOT NULL`); len(got) != len(signers) {
		t.Errorf("dry run: %d signers' emails left of %d", len(got), len(signers))
	}
	if n := column(t, path, `SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run'`); n[0] != "0" {
		t.Errorf("dry run audited")
	}

	out, err = runCLI(t, "", "retention", "--db", path, "--as-of", "2100-01-01")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	total := column(t, path, `SELECT COUNT(*) FROM signatures`)[0]
	if !strings.Contains(out, "Removed:") || !regexp.MustCompile(`signatures anonymised +`+total+`\n`).MatchString(out) {
		t.Errorf("run said:\n%s", out)
	}
	if after := strings.Join(column(t, path, publicCounts), "\n"); after != before {
		t.Errorf("public counts changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	audit := column(t, path, `SELECT actor || ' ' || detail FROM audit_log WHERE action = 'retention.run'`)
	if len(audit) != 1 || !strings.HasPrefix(audit[0], "cli signatures anonymised") || strings.Contains(audit[0], "@") {
		t.Errorf("audit: %q", audit)
	}
	if n := column(t, path, respondents)[0]; n != "0" {
		t.Errorf("%s respondents of a published outcome kept their details", n)
	}
	if out, err := runCLI(t, "", "audit", "verify", "--db", path); err != nil {
		t.Errorf("audit verify: %v\n%s", err, out)
	}
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range signers {
			if bytes.Contains(b, []byte(e)) {
				t.Errorf("%s still holds %s", f, e)
			}
		}
	}
}

func TestRetentionCommand_BadFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"retention", "--as-of", "2027-13-01"}, "--as-of 2027-13-01: want a date as YYYY-MM-DD"},
		{[]string{"retention", "--as-of", "tomorrow"}, "want a date as YYYY-MM-DD"},
		{[]string{"retention", "--dry-run=maybe"}, "retention:"},
		{[]string{"retention", "--days", "3"}, "flag provided but not defined: -days"},
		{[]string{"retention", "extra"}, `unexpected argument "extra"`},
	} {
		out, err := runCLI(t, "", tc.args...)
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error()+out, tc.says) {
			t.Errorf("%v: got %v (exit %d), want exit 2 saying %q", tc.args, err, exitCode(err), tc.says)
		}
	}
	if _, err := runCLI(t, "", "retention", "--db", path); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing database: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a missing database was created")
	}
}

// TestStartRetention: serve's daily run happens at start, with serve's
// clock, is audited as the system's, and stops when its context ends.
func TestStartRetention(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Writer().Exec(`INSERT INTO sessions (token, data, expiry) VALUES ('t', x'00', julianday('2030-01-02'))`); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2030, 1, 3, 0, 0, 0, 0, time.UTC) }
	wait := startRetention(ctx, d, clock, slog.New(slog.DiscardHandler))
	waitFor(t, func() bool {
		var n int
		d.Reader().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run' AND actor = 'system'`).Scan(&n)
		return n == 1
	})
	var n int
	if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("sessions left %d, %v", n, err)
	}
	cancel()
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("retention did not stop")
	}
}

// TestRetentionCommand_CouncilPeriods: the periods are the council's own,
// from its settings, not always the defaults.
func TestRetentionCommand_CouncilPeriods(t *testing.T) {
	path := demoFile(t)
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st := db.NewSettingsStore(d)
	s, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Retention = consult.Retention{SignerMonths: 1, RespondentMonths: 2, MailDays: 3}
	if err := st.SaveSettings(ctx, s, "test"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	out, err := runCLI(t, "", "retention", "--db", path, "--dry-run")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "Periods: signers 1 month after a petition ends, respondents 2 months after the outcome, mail 3 days after sending.") {
		t.Errorf("the run did not use the council's periods:\n%s", out)
	}
}
