package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrations are shipped inside the binary, so a server always runs against
// the schema it was built for.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migration is one numbered SQL file, such as 0002_petitions.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the embedded migrations in version order. A file
// whose name does not start with a number is an error: it would otherwise be
// silently skipped.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := map[int]string{}
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a version number", base)
		}
		if other, ok := seen[v]; ok {
			return nil, fmt.Errorf("migrations %s and %s share version %d", other, base, v)
		}
		seen[v] = base
		body, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies every migration not yet recorded, each in its own
// transaction together with its row in schema_migrations, so a failed step
// leaves no half-built schema and is retried whole at the next start.
//
// When every migration is already recorded it only reads, so a command that
// opens a busy database (`oursay backup` beside a serving process) does not
// queue for the write lock behind a stream of signatures.
func migrate(ctx context.Context, w *sql.DB, now time.Time) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms, err = pendingMigrations(ctx, w, ms)
	if err != nil || len(ms) == 0 {
		return err
	}
	_, err = w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, w, m, now); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// applyMigration checks whether m is applied inside its own transaction: the
// writer's BEGIN IMMEDIATE holds the write lock, so two processes starting on
// one file at once cannot both apply it.
func applyMigration(ctx context.Context, w *sql.DB, m migration, now time.Time) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, fmtTime(now))
	if err != nil {
		return err
	}
	return tx.Commit()
}

// pendingMigrations returns the migrations of ms not yet recorded, reading
// without a write lock. applyMigration checks again under the lock, so a
// second process racing this one still applies each migration once.
func pendingMigrations(ctx context.Context, w *sql.DB, ms []migration) ([]migration, error) {
	var exists bool
	err := w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')`).Scan(&exists)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if !exists {
		return ms, nil
	}
	rows, err := w.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var todo []migration
	for _, m := range ms {
		if !applied[m.version] {
			todo = append(todo, m)
		}
	}
	return todo, nil
}
