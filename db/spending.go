package db

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// SpendingStore keeps the council's imported spending. It implements
// ballot.SpendingStore.
type SpendingStore struct {
	db *DB
}

var _ ballot.SpendingStore = (*SpendingStore)(nil)

// NewSpendingStore returns the spending store kept in d.
func NewSpendingStore(d *DB) *SpendingStore { return &SpendingStore{db: d} }

func spendImportSubject(id int64) string { return fmt.Sprintf("spend-import:%d", id) }

// StageSpending keeps the file pending; it is parsed again on saving, so
// what is saved is exactly what the officer checked.
func (s *SpendingStore) StageSpending(ctx context.Context, filename string, csv []byte, actor string) (int64, error) {
	var id int64
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO spend_imports (filename, csv, status, created_by, created_at)
			VALUES (?, ?, ?, ?, ?)`, filename, csv, ballot.ImportPending, actor, fmtTime(now))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("stage spending: %w", err)
	}
	return id, nil
}

const spendImportCols = `id, filename, status, created_by, created_at, saved_at, lines, added, duplicates`

func scanSpendImport(row interface{ Scan(...any) error }, extra ...any) (*ballot.SpendImport, error) {
	im := &ballot.SpendImport{}
	var created, saved sql.NullString
	dest := append([]any{&im.ID, &im.Filename, &im.Status, &im.CreatedBy, &created, &saved, &im.Lines, &im.Added, &im.Duplicates}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, contractErr(err)
	}
	var err error
	if im.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if im.SavedAt, err = parseTime(saved); err != nil {
		return nil, err
	}
	return im, nil
}

// SpendImport returns one import with its file.
func (s *SpendingStore) SpendImport(ctx context.Context, id int64) (*ballot.SpendImport, error) {
	var csv []byte
	im, err := scanSpendImport(s.db.reader.QueryRowContext(ctx, `SELECT `+spendImportCols+`, csv FROM spend_imports WHERE id = ?`, id), &csv)
	if err != nil {
		return nil, fmt.Errorf("spend import %d: %w", id, err)
	}
	im.CSV = csv
	return im, nil
}

// SpendImports lists imports newest first, without their files.
func (s *SpendingStore) SpendImports(ctx context.Context) ([]*ballot.SpendImport, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT `+spendImportCols+` FROM spend_imports ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ballot.SpendImport
	for rows.Next() {
		im, err := scanSpendImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// SaveSpending parses the staged file again, matches each line and adds
// the ones not saved before, in one transaction with its audit entry.
func (s *SpendingStore) SaveSpending(ctx context.Context, id int64, actor string) (*ballot.SpendImport, error) {
	var im *ballot.SpendImport
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var csv []byte
		var err error
		im, err = scanSpendImport(tx.QueryRowContext(ctx, `SELECT `+spendImportCols+`, csv FROM spend_imports WHERE id = ?`, id), &csv)
		if err != nil {
			return err
		}
		if im.Status != ballot.ImportPending {
			return ballot.ErrBadTransition
		}
		_, lines, err := ballot.ParseSpending(bytes.NewReader(csv))
		if err != nil {
			return err
		}
		targets, err := spendTargets(ctx, tx)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO spend_lines (spend_key, import_id, line, body, paid_on,
			transaction_number, amount_pence, supplier, supplier_reg_no, expense_type, expense_area, contract_ref, contract_id, matched_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		im.Lines, im.Added = len(lines), 0
		for _, l := range lines {
			cid, how := ballot.MatchSpend(l, targets)
			res, err := stmt.ExecContext(ctx, l.Key(), id, l.Line, l.Body, fmtDate(l.Date), l.TransactionNumber, l.AmountPence,
				l.Supplier, l.SupplierRegNo, l.ExpenseType, l.ExpenseArea, l.ContractRef, nullID(cid), how)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				im.Added++
			}
		}
		im.Duplicates, im.Status, im.SavedAt = im.Lines-im.Added, ballot.ImportSaved, now
		if _, err := tx.ExecContext(ctx, `UPDATE spend_imports SET status = ?, saved_at = ?, lines = ?, added = ?, duplicates = ? WHERE id = ?`,
			im.Status, fmtTime(now), im.Lines, im.Added, im.Duplicates, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "spending.import", spendImportSubject(id),
			fmt.Sprintf("%s: %d payments, %d added, %d already saved", im.Filename, im.Lines, im.Added, im.Duplicates))
	})
	if err != nil {
		return nil, fmt.Errorf("save spending %d: %w", id, err)
	}
	return im, nil
}

// CancelSpending drops a pending file.
func (s *SpendingStore) CancelSpending(ctx context.Context, id int64, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var status, filename string
		if err := tx.QueryRowContext(ctx, `SELECT status, filename FROM spend_imports WHERE id = ?`, id).Scan(&status, &filename); err != nil {
			return contractErr(err)
		}
		if status != ballot.ImportPending {
			return ballot.ErrBadTransition
		}
		_, err := tx.ExecContext(ctx, `UPDATE spend_imports SET status = ?, csv = X'' WHERE id = ?`, ballot.ImportCancelled, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("cancel spending %d: %w", id, err)
	}
	return nil
}

// SavedSpendKeys counts the keys already saved, a chunk at a time.
func (s *SpendingStore) SavedSpendKeys(ctx context.Context, keys []string) (int, error) {
	total := 0
	for len(keys) > 0 {
		n := min(len(keys), 500)
		args := make([]any, n)
		for i, k := range keys[:n] {
			args[i] = k
		}
		var c int
		q := `SELECT COUNT(*) FROM spend_lines WHERE spend_key IN (?` + strings.Repeat(", ?", n-1) + `)`
		if err := s.db.reader.QueryRowContext(ctx, q, args...).Scan(&c); err != nil {
			return 0, err
		}
		total += c
		keys = keys[n:]
	}
	return total, nil
}

// SpendTargets is every contract as MatchSpend sees it.
func (s *SpendingStore) SpendTargets(ctx context.Context) ([]ballot.SpendTarget, error) {
	return spendTargets(ctx, s.db.reader)
}

func spendTargets(ctx context.Context, q querier) ([]ballot.SpendTarget, error) {
	// Only a Companies House number is matched against the files'
	// registration numbers, which councils publish as company numbers.
	rows, err := q.QueryContext(ctx, `SELECT id, provider, reference,
		CASE supplier_scheme WHEN 'GB-COH' THEN supplier_id ELSE '' END FROM contracts ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ballot.SpendTarget
	for rows.Next() {
		var t ballot.SpendTarget
		if err := rows.Scan(&t.ContractID, &t.Supplier, &t.Reference, &t.SupplierRegNo); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SpendTotals sums every saved payment.
func (s *SpendingStore) SpendTotals(ctx context.Context) (ballot.SpendTotals, error) {
	var t ballot.SpendTotals
	err := s.db.reader.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(amount_pence), 0), COUNT(*) - COUNT(contract_id) FROM spend_lines`).
		Scan(&t.Payments, &t.TotalPence, &t.Unmatched)
	return t, err
}

const savedSpendCols = `id, line, body, paid_on, transaction_number, amount_pence, supplier, supplier_reg_no,
	expense_type, expense_area, contract_ref, COALESCE(contract_id, 0), matched_by`

func scanSavedSpend(rows *sql.Rows) ([]ballot.SavedSpend, error) {
	defer rows.Close()
	var out []ballot.SavedSpend
	for rows.Next() {
		var l ballot.SavedSpend
		var paid string
		if err := rows.Scan(&l.ID, &l.Line, &l.Body, &paid, &l.TransactionNumber, &l.AmountPence, &l.Supplier, &l.SupplierRegNo,
			&l.ExpenseType, &l.ExpenseArea, &l.ContractRef, &l.ContractID, &l.MatchedBy); err != nil {
			return nil, err
		}
		var err error
		if l.Date, err = parseDate(paid); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// UnmatchedSpend lists unmatched payments, oldest first.
func (s *SpendingStore) UnmatchedSpend(ctx context.Context, offset, limit int) ([]ballot.SavedSpend, int, error) {
	var total int
	var out []ballot.SavedSpend
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM spend_lines WHERE contract_id IS NULL`).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+savedSpendCols+` FROM spend_lines WHERE contract_id IS NULL
			ORDER BY paid_on, id LIMIT ? OFFSET ?`, limit, offset)
		if err != nil {
			return err
		}
		out, err = scanSavedSpend(rows)
		return err
	})
	return out, total, err
}

// AssignSpend sets a payment's contract, by hand.
func (s *SpendingStore) AssignSpend(ctx context.Context, lineID, contractID int64, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var title string
		if err := tx.QueryRowContext(ctx, `SELECT title FROM contracts WHERE id = ?`, contractID).Scan(&title); err != nil {
			return contractErr(err)
		}
		var supplier, txn string
		var amount int64
		if err := tx.QueryRowContext(ctx, `SELECT supplier, transaction_number, amount_pence FROM spend_lines WHERE id = ?`, lineID).
			Scan(&supplier, &txn, &amount); err != nil {
			return contractErr(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE spend_lines SET contract_id = ?, matched_by = ? WHERE id = ?`,
			contractID, ballot.MatchAssigned, lineID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "spending.assign", contractSubject(contractID),
			fmt.Sprintf("Payment %s to %s (%d pence) assigned to %s", txn, supplier, amount, title))
	})
	if err != nil {
		return fmt.Errorf("assign payment %d: %w", lineID, err)
	}
	return nil
}

// ContractSpend lists a contract's payments by date.
func (s *SpendingStore) ContractSpend(ctx context.Context, contractID int64) ([]ballot.SavedSpend, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT `+savedSpendCols+` FROM spend_lines WHERE contract_id = ? ORDER BY paid_on, id`, contractID)
	if err != nil {
		return nil, err
	}
	return scanSavedSpend(rows)
}
