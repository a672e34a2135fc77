package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// checkBlocked refuses a signature when one of its email's domains (the
// domain and its parents, ballot.Signing.Domains) is on the block list.
func checkBlocked(ctx context.Context, tx *sql.Tx, sfx []string) error {
	args := make([]any, len(sfx))
	for i, d := range sfx {
		args[i] = d
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocked_domains WHERE domain IN (?`+
		strings.Repeat(", ?", len(sfx)-1)+`)`, args...).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return ballot.ErrBlockedDomain
	}
	return nil
}

// BlockedDomains lists the block list by domain.
func (s *PetitionStore) BlockedDomains(ctx context.Context) ([]ballot.BlockedDomain, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT domain, reason, added_by, created_at FROM blocked_domains ORDER BY domain`)
	if err != nil {
		return nil, fmt.Errorf("blocked domains: %w", err)
	}
	defer rows.Close()
	var out []ballot.BlockedDomain
	for rows.Next() {
		var b ballot.BlockedDomain
		var created sql.NullString
		if err := rows.Scan(&b.Domain, &b.Reason, &b.AddedBy, &created); err != nil {
			return nil, fmt.Errorf("blocked domains: %w", err)
		}
		if b.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BlockDomain adds a domain to the block list, with an audit entry.
func (s *PetitionStore) BlockDomain(ctx context.Context, b *ballot.BlockedDomain, actor string) error {
	b.Reason = strings.TrimSpace(b.Reason)
	if err := ballot.ValidateBlockedDomain(b); err != nil {
		return fmt.Errorf("block domain: %w", err)
	}
	b.Domain, b.AddedBy = ballot.NormaliseDomain(b.Domain), actor
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		b.CreatedAt = now
		_, err := tx.ExecContext(ctx, `INSERT INTO blocked_domains (domain, reason, added_by, created_at) VALUES (?, ?, ?, ?)`,
			b.Domain, b.Reason, actor, fmtTime(now))
		if err != nil {
			return mapBallotErr(err)
		}
		return appendAudit(ctx, tx, now, actor, "blocklist.add", "domain:"+b.Domain, b.Reason)
	})
	if err != nil {
		return fmt.Errorf("block domain: %w", err)
	}
	return nil
}

// UnblockDomain removes a domain from the block list, with an audit entry.
func (s *PetitionStore) UnblockDomain(ctx context.Context, domain, actor string) error {
	d := ballot.NormaliseDomain(domain)
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM blocked_domains WHERE domain = ?`, d)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ballot.ErrNotFound
		}
		return appendAudit(ctx, tx, now, actor, "blocklist.remove", "domain:"+d, "")
	})
	if err != nil {
		return fmt.Errorf("unblock domain: %w", err)
	}
	return nil
}

// ServerKey returns the random key kept under name, making it on first use.
// Keys here survive restarts and are copied by backups, so only low-stakes
// keys belong here (the form-timing key, not the voter code key).
func (d *DB) ServerKey(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	rand.Read(fresh)
	var key []byte
	err := d.withTx(ctx, func(tx *sql.Tx, _ time.Time) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO server_keys (name, key) VALUES (?, ?)`, name, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT key FROM server_keys WHERE name = ?`, name).Scan(&key)
	})
	if err != nil {
		return nil, fmt.Errorf("server key %s: %w", name, err)
	}
	return key, nil
}
