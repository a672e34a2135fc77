package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// AuditLog reads the hash-chained audit log. It implements consult.AuditLog.
type AuditLog struct {
	db *DB
}

var _ consult.AuditLog = (*AuditLog)(nil)

// NewAuditLog returns the audit log kept in d.
func NewAuditLog(d *DB) *AuditLog { return &AuditLog{db: d} }

// defaultAuditLimit caps AuditEntries when the caller asks for no limit: the
// log only grows, and a page of it is what people read.
const defaultAuditLimit = 100

// AuditEntries returns up to limit entries, newest first. A limit below 1
// means the newest 100.
func (a *AuditLog) AuditEntries(ctx context.Context, limit int) ([]consult.AuditEntry, error) {
	if limit < 1 {
		limit = defaultAuditLimit
	}
	rows, err := a.db.reader.QueryContext(ctx, `
		SELECT id, at, actor, action, subject, detail, prev_hash, hash
		FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	defer rows.Close()
	var es []consult.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("audit entries: %w", err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	return es, nil
}

// VerifyAudit walks the whole log in id order, recomputing each hash and
// checking that it links to the one before. It returns the id of the first
// entry that fails (0 when the chain is whole) and how many entries it read,
// the broken one included. A stored time that no longer parses counts as a
// break, not an error: it can only come from tampering.
func (a *AuditLog) VerifyAudit(ctx context.Context) (brokenAt int64, checked int, err error) {
	rows, err := a.db.reader.QueryContext(ctx, `
		SELECT id, at, actor, action, subject, detail, prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, 0, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	var prevID int64
	prevHash := ""
	for rows.Next() {
		checked++
		e, err := scanAudit(rows)
		if err != nil || !links(e, prevID, prevHash) {
			return e.ID, checked, nil
		}
		prevID, prevHash = e.ID, e.Hash
	}
	if err := rows.Err(); err != nil {
		return 0, checked, fmt.Errorf("verify audit: %w", err)
	}
	return 0, checked, nil
}

// scanAudit reads one row. On a bad time it still returns the id, so
// VerifyAudit can name the broken entry.
func scanAudit(rows *sql.Rows) (consult.AuditEntry, error) {
	return scanAuditWith(rows)
}

// scanAuditWith is scanAudit for a query with more columns after the
// entry's, scanned into extra.
func scanAuditWith(rows *sql.Rows, extra ...any) (consult.AuditEntry, error) {
	var e consult.AuditEntry
	var at sql.NullString
	dest := append([]any{&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail, &e.PrevHash, &e.Hash}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return e, err
	}
	t, err := parseTime(at)
	e.At = t
	return e, err
}

// AppendAudit appends one entry in its own transaction, for events that
// change nothing else in the database: sign-ins, command-line actions.
func (d *DB) AppendAudit(ctx context.Context, actor, action, subject, detail string) error {
	err := d.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		return appendAudit(ctx, tx, now, actor, action, subject, detail)
	})
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// appendAudit links a new entry to the last one, inside the caller's
// transaction, so the record of a change commits (or not) with the change.
// The writer's BEGIN IMMEDIATE holds the write lock, so no other process can
// append between reading the last entry and inserting this one.
func appendAudit(ctx context.Context, tx *sql.Tx, now time.Time, actor, action, subject, detail string) error {
	e := consult.AuditEntry{At: now, Actor: actor, Action: action, Subject: subject, Detail: detail}
	err := tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&e.ID, &e.PrevHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit: %w", err)
	}
	e.ID++
	e.Hash = e.ComputeHash()
	_, err = tx.ExecContext(ctx, `
		INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, fmtTime(e.At), e.Actor, e.Action, e.Subject, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// SearchAudit returns the page of entries q matches, newest first, and
// their number. Actor and subject match case-insensitively anywhere.
func (a *AuditLog) SearchAudit(ctx context.Context, q consult.AuditQuery) ([]consult.AuditEntry, int, error) {
	var where []string
	var args []any
	if q.Action != "" {
		where, args = append(where, "action = ?"), append(args, q.Action)
	}
	if q.Actor != "" {
		where, args = append(where, `lower(actor) LIKE ? ESCAPE '\'`), append(args, consult.Like(q.Actor))
	}
	if q.Subject != "" {
		where, args = append(where, `lower(subject) LIKE ? ESCAPE '\'`), append(args, consult.Like(q.Subject))
	}
	if !q.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, fmtTime(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, fmtTime(q.To.AddDate(0, 0, 1)))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	if q.Limit < 1 {
		q.Limit = defaultAuditLimit
	}
	var total int
	var es []consult.AuditEntry
	err := a.db.withReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+cond, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log`+cond+
			` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			es = append(es, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search audit: %w", err)
	}
	return es, total, nil
}
