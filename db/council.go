package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// CouncilData keeps the council's postcode list (the postcodes table of
// 0001) and its electorate snapshots. It implements ballot.CouncilData.
type CouncilData struct {
	db *DB
}

var _ ballot.CouncilData = (*CouncilData)(nil)

// NewCouncilData returns the council data kept in d.
func NewCouncilData(d *DB) *CouncilData { return &CouncilData{db: d} }

// ImportPostcodes replaces the whole postcode list with entries, in one
// transaction with its audit entry. It returns a *ballot.ValidationError
// naming the first bad row (see ballot.ValidatePostcodes); nothing is
// changed then.
func (c *CouncilData) ImportPostcodes(ctx context.Context, entries []ballot.PostcodeEntry, actor string) error {
	if err := ballot.ValidatePostcodes(entries); err != nil {
		return fmt.Errorf("import postcodes: %w", err)
	}
	err := c.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM postcodes`); err != nil {
			return err
		}
		// One prepared statement: postcode lists run to tens of thousands of lines.
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO postcodes (postcode, ward, ward_code) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		wards := map[string]bool{}
		for _, e := range entries {
			if _, err := stmt.ExecContext(ctx, e.Postcode, e.Ward.Name, e.Ward.Code); err != nil {
				return contractErr(err)
			}
			wards[e.Ward.Code] = true
		}
		detail := fmt.Sprintf("%d postcodes in %d wards", len(entries), len(wards))
		return appendAudit(ctx, tx, now, actor, "council.postcodes_import", "council:postcodes", detail)
	})
	if err != nil {
		return fmt.Errorf("import postcodes: %w", err)
	}
	return nil
}

// LookupPostcode returns the ward of postcode, which is normalised first.
// It returns ballot.ErrOutsideArea for a postcode not on the list.
func (c *CouncilData) LookupPostcode(ctx context.Context, postcode string) (ballot.Ward, error) {
	var w ballot.Ward
	pc := consult.NormalisePostcode(postcode)
	if pc == "" {
		return w, ballot.ErrOutsideArea
	}
	err := c.db.reader.QueryRowContext(ctx, `SELECT ward, ward_code FROM postcodes WHERE postcode = ?`, pc).
		Scan(&w.Name, &w.Code)
	if errors.Is(err, sql.ErrNoRows) {
		return w, ballot.ErrOutsideArea
	}
	if err != nil {
		return w, fmt.Errorf("lookup postcode: %w", err)
	}
	return w, nil
}

// PostcodeCount returns how many postcodes are listed.
func (c *CouncilData) PostcodeCount(ctx context.Context) (int, error) {
	var n int
	if err := c.db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM postcodes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postcode count: %w", err)
	}
	return n, nil
}

// SetElectorate records a register snapshot with its audit entry. Earlier
// snapshots are kept. It returns a *ballot.ValidationError for a count
// below 1 or a date that is missing or in the future.
func (c *CouncilData) SetElectorate(ctx context.Context, e ballot.Electorate, actor string) error {
	err := c.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		if err := e.Validate(now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO electorate_snapshots (count, as_of, recorded_at) VALUES (?, ?, ?)`,
			e.Count, fmtDate(e.AsOf), fmtTime(now))
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%d electors as of %s", e.Count, fmtDate(e.AsOf))
		return appendAudit(ctx, tx, now, actor, "council.electorate", "council:electorate", detail)
	})
	if err != nil {
		return fmt.Errorf("set electorate: %w", err)
	}
	return nil
}

// Electorate returns the snapshot with the newest register date; of two
// for the same date, the one recorded last (a correction). It returns
// ballot.ErrNotFound when none has been recorded.
func (c *CouncilData) Electorate(ctx context.Context) (ballot.Electorate, error) {
	var e ballot.Electorate
	var asOf string
	err := c.db.reader.QueryRowContext(ctx, `SELECT count, as_of FROM electorate_snapshots
		ORDER BY as_of DESC, id DESC LIMIT 1`).Scan(&e.Count, &asOf)
	if err != nil {
		return e, fmt.Errorf("electorate: %w", contractErr(err))
	}
	if e.AsOf, err = parseDate(asOf); err != nil {
		return e, fmt.Errorf("electorate: %w", err)
	}
	return e, nil
}
