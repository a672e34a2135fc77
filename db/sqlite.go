package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/oursay/oursay/consult"
)

// mapErr turns driver errors into the domain's sentinel errors, in one place,
// so callers can test them with errors.Is.
func mapErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return consult.ErrNotFound
	}
	if isUnique(err) {
		return consult.ErrDuplicate
	}
	return err
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// querier is what *sql.DB and *sql.Tx share, so loaders can read inside a
// write transaction or from the reader pool alike.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// timeLayout is RFC 3339 with a fixed nine-digit fraction: unlike
// time.RFC3339Nano it never trims zeros, so text order is time order and
// ORDER BY on a timestamp column sorts correctly. It keeps every nanosecond,
// which the audit hashes depend on.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// fmtTime formats t in UTC for storage.
func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime stores the zero time as NULL ("not set").
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

// parseTime reads a stored timestamp; NULL or "" is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// nullString stores "" as NULL, so optional unique columns (email, paper
// serial) do not collide when absent.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// withTx runs fn in one write transaction and commits it. Every write in the
// package goes through here, so each change is all-or-nothing and sees one
// fixed now.
func (d *DB) withTx(ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) error {
	tx, err := d.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	committed := false
	defer func() { d.txEnded(tx, committed) }()
	mark, err := d.auditMark(ctx, tx)
	if err != nil {
		return err
	}
	if err := fn(tx, d.now()); err != nil {
		return err
	}
	if err := d.sealAudit(ctx, tx, mark); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// withReadTx runs fn in one read transaction on the reader pool, so several
// queries see one consistent snapshot.
func (d *DB) withReadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
