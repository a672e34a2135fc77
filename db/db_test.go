package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// mustScan scans one row into dest and fails the test on any error,
// sql.ErrNoRows included.
func mustScan(tb testing.TB, row *sql.Row, dest ...any) {
	tb.Helper()
	if err := row.Scan(dest...); err != nil {
		tb.Fatal(err)
	}
}

// MustOpenDB opens a fresh database file in a temporary directory and closes
// it when the test ends.
func MustOpenDB(tb testing.TB) *db.DB {
	tb.Helper()
	d, _ := mustOpenDBPath(tb)
	return d
}

// mustOpenDBPath is MustOpenDB that also gives the file's path, for tests
// that reach the file around the stores.
func mustOpenDBPath(tb testing.TB) (*db.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "oursay.db")
	d, err := db.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return d, path
}

// fixedClock makes d's clock read *now, which the test may move.
func fixedClock(d *db.DB, start time.Time) *time.Time {
	now := start
	d.Now = func() time.Time { return now }
	return &now
}

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC)

func TestOpen(t *testing.T) {
	ctx := context.Background()

	t.Run("MigrationsRunTwice", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "oursay.db")
		d, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		v1, err := d.SchemaVersion(ctx)
		if err != nil || v1 < 1 {
			t.Fatalf("SchemaVersion = %d, %v; want >= 1", v1, err)
		}
		u := &consult.User{Email: "a@council.gov.uk", Role: consult.RoleAdmin, PasswordHash: "x"}
		if err := db.NewUserStore(d).CreateUser(ctx, u, "cli"); err != nil {
			t.Fatal(err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}

		d, err = db.Open(ctx, path)
		if err != nil {
			t.Fatalf("second open: %v", err)
		}
		defer d.Close()
		if v2, err := d.SchemaVersion(ctx); err != nil || v2 != v1 {
			t.Fatalf("second SchemaVersion = %d, %v; want %d", v2, err, v1)
		}
		// One row a migration file: numbers taken by work in progress
		// elsewhere may leave gaps, but nothing runs twice.
		files, err := filepath.Glob("migrations/*.sql")
		if err != nil || len(files) == 0 {
			t.Fatalf("migration files: %v, %v", files, err)
		}
		var n int
		if err := d.Reader().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(files) {
			t.Fatalf("schema_migrations rows = %d, %v; want %d", n, err, len(files))
		}
		if n, err := db.NewUserStore(d).CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("users after reopen = %d, %v; want 1", n, err)
		}
	})

	t.Run("FileMode0600", func(t *testing.T) {
		_, path := mustOpenDBPath(t)
		for _, p := range []string{path, path + "-wal"} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("%s mode = %v, want 0600", filepath.Base(p), got)
			}
		}
	})

	t.Run("SettingsOnEveryPooledConnection", func(t *testing.T) {
		d := MustOpenDB(t)
		// Hold the connections at once so the pool must hand out distinct ones.
		const n = 4
		for i := range n {
			conn, err := d.Reader().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			checkPragmas(t, fmt.Sprintf("reader %d", i), conn)
		}
		conn, err := d.Writer().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		checkPragmas(t, "writer", conn)
	})

	t.Run("ReaderIsReadOnly", func(t *testing.T) {
		d := MustOpenDB(t)
		if _, err := d.Reader().Exec(`INSERT INTO postcodes VALUES ('SW1A 1AA', 'x', 'y')`); err == nil {
			t.Fatal("write through the reader pool succeeded, want an error")
		}
	})

	t.Run("MemoryRefused", func(t *testing.T) {
		if _, err := db.Open(ctx, ":memory:"); err == nil {
			t.Fatal("Open(:memory:) succeeded, want an error")
		}
	})
}

// checkPragmas checks that the DSN settings took on one connection.
func checkPragmas(t *testing.T, name string, conn *sql.Conn) {
	t.Helper()
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
		{"busy_timeout", "5000"},
		{"secure_delete", "1"},
	} {
		var got string
		if err := conn.QueryRowContext(context.Background(), "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatalf("%s: PRAGMA %s: %v", name, c.pragma, err)
		}
		if got != c.want {
			t.Errorf("%s: PRAGMA %s = %q, want %q", name, c.pragma, got, c.want)
		}
	}
}

// TestOpen_WhileAnotherHoldsTheWriteLock: opening a database whose schema
// is current only reads, so `oursay backup` or `audit verify` beside a busy
// server does not wait for the write lock (and fail after the busy timeout).
func TestOpen_WhileAnotherHoldsTheWriteLock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	first, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	conn, err := first.Writer().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	start := time.Now()
	second, err := db.Open(ctx, path)
	if err != nil {
		t.Fatalf("open while the write lock is held: %v", err)
	}
	defer second.Close()
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("open took %v: it waited for the write lock", took)
	}
}
