package db

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/oursay/oursay/consult"
)

// Audit seals. Each entry's hash chains to every entry before it, but the
// chain is unkeyed: anyone who can write the file can edit an entry and
// re-chain the rest. With an audit key (SetAuditKey), every write
// transaction also seals the entries it appended: an HMAC of the entry's
// hash, stored in audit_seals. Since the hash covers all earlier entries,
// one good seal vouches for the whole log up to it, and nobody without
// the key file can seal an edit. Entries appended without the key (by a
// process that was not given it, or by hand) stay unsealed, and
// VerifySealed names the first.
//
// Cutting the tail off leaves a shorter log that is still whole and
// sealed; only a head saved earlier shows it. The public page /audit and
// /api/audit/head publish the head (its count and hash) for that: anyone
// may keep them, and `oursay audit verify --head COUNT:HASH` checks that
// the log still holds that entry with that hash.
//
// Entries written before this existed (migration 0009 counted them into
// audit_keying.legacy_until; 0 for a database created since) are checked
// by their chain alone. The count is bound into every seal and a sealed
// entry may not fall within it, so raising it to pass an edit off as
// legacy breaks the seals, unless every one of them is deleted too: the
// append-only triggers refuse that, verification then reports every entry
// as legacy, and any head saved since shows the edit.

// AuditKey derives the audit seal key from the server's secret key (the
// key file), as LinkKey does for signature links.
func AuditKey(secret []byte) []byte {
	return derive(secret, "oursay audit seals v1")
}

// SetAuditKey makes every later write transaction seal the audit entries
// it appends. Call it once, before the database is used.
func (d *DB) SetAuditKey(key []byte) { d.auditKey = key }

// auditMark is where a write transaction's own entries will start: the
// last entry's id now. It is -1 without a key: nothing to seal.
func (d *DB) auditMark(ctx context.Context, tx *sql.Tx) (int64, error) {
	if len(d.auditKey) == 0 {
		return -1, nil
	}
	var last int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&last)
	return last, err
}

// sealAudit seals the entries after mark: those this transaction
// appended. Entries already there unsealed are left so, for VerifySealed
// to find.
func (d *DB) sealAudit(ctx context.Context, tx *sql.Tx, mark int64) error {
	if mark < 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, hash FROM audit_log WHERE id > ? ORDER BY id`, mark)
	if err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	type entry struct {
		id   int64
		hash string
	}
	var es []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.hash); err != nil {
			rows.Close()
			return fmt.Errorf("seal audit: %w", err)
		}
		es = append(es, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	if len(es) == 0 {
		return nil
	}
	legacy, err := legacyUntil(ctx, tx)
	if err != nil {
		return err
	}
	for _, e := range es {
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_seals (id, mac) VALUES (?, ?)`,
			e.id, auditSeal(d.auditKey, legacy, e.id, e.hash)); err != nil {
			return fmt.Errorf("seal audit: %w", err)
		}
	}
	return nil
}

// auditSeal is an entry's seal: HMAC-SHA256 under key of the legacy count,
// the entry's id and its hash, in hex.
func auditSeal(key []byte, legacy, id int64, hash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("oursay audit seal\x00" + strconv.FormatInt(legacy, 10) + "\x00" + strconv.FormatInt(id, 10) + "\x00" + hash))
	return hex.EncodeToString(m.Sum(nil))
}

func legacyUntil(ctx context.Context, q querier) (int64, error) {
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT legacy_until FROM audit_keying`).Scan(&n); err != nil {
		return 0, fmt.Errorf("audit keying: %w", err)
	}
	return n, nil
}

// AuditReport is what VerifySealed found.
type AuditReport struct {
	// BrokenAt is the first entry that fails (0 when all is well): its
	// hash, its link to the one before, its id, or its seal.
	BrokenAt int64
	// Unsealed says the broken entry has no seal, rather than a wrong one.
	Unsealed bool
	// Checked is how many entries were read, the broken one included.
	Checked int
	// Legacy is how many entries were written before seals existed; they
	// are checked by their hash chain alone.
	Legacy int64
	// Head is the last entry read: its id and hash.
	HeadID   int64
	HeadHash string
}

// VerifySealed checks the chain as VerifyAudit does and, after the legacy
// entries, every entry's seal under key.
func (a *AuditLog) VerifySealed(ctx context.Context, key []byte) (AuditReport, error) {
	var r AuditReport
	legacy, err := legacyUntil(ctx, a.db.reader)
	if err != nil {
		return r, err
	}
	r.Legacy = legacy
	rows, err := a.db.reader.QueryContext(ctx, `
		SELECT a.id, a.at, a.actor, a.action, a.subject, a.detail, a.prev_hash, a.hash, s.mac
		FROM audit_log a LEFT JOIN audit_seals s ON s.id = a.id ORDER BY a.id`)
	if err != nil {
		return r, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r.Checked++
		var mac sql.NullString
		e, err := scanAuditWith(rows, &mac)
		if err != nil || !links(e, r.HeadID, r.HeadHash) {
			r.BrokenAt = e.ID
			return r, nil
		}
		if e.ID <= legacy && mac.Valid { // sealed, so not legacy: the count was raised
			r.BrokenAt = e.ID
			return r, nil
		}
		if e.ID > legacy && (!mac.Valid || !hmac.Equal([]byte(mac.String), []byte(auditSeal(key, legacy, e.ID, e.Hash)))) {
			r.BrokenAt, r.Unsealed = e.ID, !mac.Valid
			return r, nil
		}
		r.HeadID, r.HeadHash = e.ID, e.Hash
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("verify audit: %w", err)
	}
	return r, nil
}

// links reports whether e is whole and follows the entry prevID, prevHash.
func links(e consult.AuditEntry, prevID int64, prevHash string) bool {
	return e.ID == prevID+1 && e.PrevHash == prevHash && e.Hash == e.ComputeHash()
}

// EntryHash returns the hash of entry id, or ErrNotFound.
func (a *AuditLog) EntryHash(ctx context.Context, id int64) (string, error) {
	var h string
	err := a.db.reader.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id = ?`, id).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", consult.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("audit entry: %w", err)
	}
	return h, nil
}
