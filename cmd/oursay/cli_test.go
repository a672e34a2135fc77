package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

func runCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String() + errb.String(), err
}

func TestAdminCreate(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "o.db")
	t.Run("OK", func(t *testing.T) {
		out, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", "Officer@Council.gov.uk", "--role", "moderator")
		if err != nil || !strings.Contains(out, "created moderator account for officer@council.gov.uk") {
			t.Fatalf("got %q, %v", out, err)
		}
	})
	t.Run("Duplicate", func(t *testing.T) {
		if out, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", "officer@council.gov.uk"); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("got %q, %v; want already exists", out, err)
		}
	})
	for name, args := range map[string][]string{
		"ShortPassword": {"--email", "b@council.gov.uk"},
		"BadRole":       {"--email", "c@council.gov.uk", "--role", "boss"},
		"NoEmail":       {},
	} {
		t.Run(name, func(t *testing.T) {
			stdin := "a long enough password\n"
			if name == "ShortPassword" {
				stdin = "short\n"
			}
			if _, err := runCLI(t, stdin, append([]string{"admin", "create", "--db", dbPath}, args...)...); err == nil {
				t.Errorf("got nil error")
			}
		})
	}
}

func TestAuditVerify(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "o.db")
	for _, email := range []string{"a@council.gov.uk", "b@council.gov.uk", "c@council.gov.uk"} {
		if _, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", email); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCLI(t, "", "audit", "verify", "--db", dbPath)
	if err != nil || !strings.Contains(out, "intact: 3 entries") {
		t.Fatalf("got %q, %v", out, err)
	}
	// Someone edits the file directly, getting past the triggers.
	raw, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET actor = 'someone else' WHERE id = 2`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	out, err = runCLI(t, "", "audit", "verify", "--db", dbPath)
	if !errors.Is(err, errFailed) || exitCode(err) != 1 || !strings.Contains(out, "BROKEN at entry 2") {
		t.Errorf("tampered: got %q, %v", out, err)
	}
}

func TestUsageAndVersion(t *testing.T) {
	if _, err := runCLI(t, ""); exitCode(err) != 2 {
		t.Errorf("no command: got exit %d, want 2", exitCode(err))
	}
	if _, err := runCLI(t, "", "frobnicate"); exitCode(err) != 2 {
		t.Errorf("unknown command: got exit %d, want 2", exitCode(err))
	}
	if out, err := runCLI(t, "", "version"); err != nil || !strings.HasPrefix(out, "oursay ") {
		t.Errorf("version: got %q, %v", out, err)
	}
	t.Setenv("OURSAY_DB", filepath.Join(t.TempDir(), "env.db"))
	if out, err := runCLI(t, "a long enough password\n", "admin", "create", "--email", "env@council.gov.uk"); err != nil || !strings.Contains(out, "created admin") {
		t.Errorf("db from OURSAY_DB: got %q, %v", out, err)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "o.db"), filepath.Join(dir, "copy.db")
	if _, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", src, "--email", "a@council.gov.uk"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "", "backup", "--db", src, "--out", dst)
	if err != nil || !strings.Contains(out, "integrity check ok") {
		t.Fatalf("got %q, %v", out, err)
	}
	if out, err := runCLI(t, "", "audit", "verify", "--db", dst); err != nil || !strings.Contains(out, "intact: 1 entries") {
		t.Errorf("copy's audit log: got %q, %v", out, err)
	}
	if _, err := runCLI(t, "", "backup", "--db", src, "--out", dst); err == nil {
		t.Errorf("overwriting a backup: got nil error")
	}
	if _, err := runCLI(t, "", "backup", "--db", src); err == nil {
		t.Errorf("no --out: got nil error")
	}
}

// TestServeRefusesBadTuning: out-of-range tuning flags stop serve before it
// opens anything, saying which flag and what it takes.
func TestServeRefusesBadTuning(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "never.db")
	for _, args := range [][]string{
		{"--live-interval", "1ms"}, {"--live-interval", "1m"},
		{"--smtp-conns", "0"}, {"--smtp-conns", "65"},
	} {
		_, err := runCLI(t, "", append([]string{"serve", "--db", dbPath, "--addr", "127.0.0.1:0"}, args...)...)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: got %v, want an error naming %s", args, err, args[0])
		}
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Errorf("the database was created (%v); a bad flag must stop serve first", err)
	}
}
