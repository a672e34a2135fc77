package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// ContractStore keeps the contract register: contracts, their break clauses
// and KPIs. It implements ballot.ContractStore.
type ContractStore struct {
	db *DB
}

var _ ballot.ContractStore = (*ContractStore)(nil)

// NewContractStore returns the contract store kept in d.
func NewContractStore(d *DB) *ContractStore { return &ContractStore{db: d} }

// dateLayout stores contract days and register dates: text order is date order.
const dateLayout = "2006-01-02"

// fmtDate stores a day; contract dates are midnight UTC by convention.
func fmtDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// parseDate reads a stored day as midnight UTC.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored date %q: %w", s, err)
	}
	return t, nil
}

// contractErr maps driver errors to ballot's sentinels, as mapErr does for
// consult's.
func contractErr(err error) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ballot.ErrNotFound
	case isUnique(err):
		return ballot.ErrDuplicate
	}
	return err
}

func contractSubject(id int64) string { return fmt.Sprintf("contract:%d", id) }

// CreateContract saves c with its break clauses and KPIs and sets its ID,
// KPI ids and times. It returns a *ballot.ValidationError.
func (s *ContractStore) CreateContract(ctx context.Context, c *ballot.Contract, actor string) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("create contract: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		c.CreatedAt, c.UpdatedAt = now, now
		res, err := tx.ExecContext(ctx, `INSERT INTO contracts (`+contractWriteCols+`, created_at)
			VALUES (`+contractPlaceholders+`, ?)`,
			append(contractArgs(c), fmtTime(now))...)
		if err != nil {
			return contractErr(err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := insertContractChildren(ctx, tx, c); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, "contract.create", contractSubject(c.ID), c.Title+" ("+c.Provider+")"); err != nil {
			return err
		}
		return openTerminationReview(ctx, tx, now, c, time.Time{}, actor)
	})
	s.db.contracts.forget()
	if err != nil {
		return fmt.Errorf("create contract: %w", err)
	}
	return nil
}

// UpdateContract replaces the fields, break clauses and KPIs of the
// contract with c.ID. KPIs get new ids. It returns ballot.ErrNotFound or a
// *ballot.ValidationError.
func (s *ContractStore) UpdateContract(ctx context.Context, c *ballot.Contract, actor string) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("update contract: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var created, wasTerminated sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT created_at, terminated_on FROM contracts WHERE id = ?`, c.ID).Scan(&created, &wasTerminated)
		if err != nil {
			return contractErr(err)
		}
		var was time.Time
		if wasTerminated.Valid {
			if was, err = parseDate(wasTerminated.String); err != nil {
				return err
			}
		}
		if c.CreatedAt, err = parseTime(created); err != nil {
			return err
		}
		c.UpdatedAt = now
		_, err = tx.ExecContext(ctx, `UPDATE contracts SET (`+contractWriteCols+`)
			= (`+contractPlaceholders+`) WHERE id = ?`,
			append(contractArgs(c), c.ID)...)
		if err != nil {
			return contractErr(err)
		}
		for _, q := range []string{`DELETE FROM contract_break_clauses WHERE contract_id = ?`,
			`DELETE FROM contract_kpis WHERE contract_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, c.ID); err != nil {
				return err
			}
		}
		if err := insertContractChildren(ctx, tx, c); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, "contract.update", contractSubject(c.ID), c.Title+" ("+c.Provider+")"); err != nil {
			return err
		}
		return openTerminationReview(ctx, tx, now, c, was, actor)
	})
	s.db.contracts.forget()
	if err != nil {
		return fmt.Errorf("update contract: %w", err)
	}
	return nil
}

// Contract returns one contract with its break clauses and KPIs, read in
// one snapshot, or kept from an earlier read (see contractCache). It
// returns ballot.ErrNotFound.
func (s *ContractStore) Contract(ctx context.Context, id int64) (*ballot.Contract, error) {
	if c, ok := s.db.contracts.get(id); ok {
		return c, nil
	}
	gen := s.db.contracts.start()
	var c *ballot.Contract
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanContract(tx.QueryRowContext(ctx, `SELECT `+contractReadCols+` FROM contracts WHERE id = ?`, id))
		if err != nil {
			return contractErr(err)
		}
		return loadContractChildren(ctx, tx, map[int64]*ballot.Contract{c.ID: c})
	})
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	s.db.contracts.put(gen, c)
	return c, nil
}

// Contracts lists every contract by title, with break clauses and KPIs.
func (s *ContractStore) Contracts(ctx context.Context) ([]*ballot.Contract, error) {
	var cs []*ballot.Contract
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+contractReadCols+` FROM contracts ORDER BY title COLLATE NOCASE, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := map[int64]*ballot.Contract{}
		for rows.Next() {
			c, err := scanContract(rows)
			if err != nil {
				return err
			}
			cs = append(cs, c)
			byID[c.ID] = c
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return loadContractChildren(ctx, tx, byID)
	})
	if err != nil {
		return nil, fmt.Errorf("contracts: %w", err)
	}
	return cs, nil
}

// registerCols are the register's columns (0051), in the order of
// registerArgs and scanContract.
const registerCols = `reference, department, supplier_scheme, supplier_id, supplier_sme, supplier_vcse,
	procurement_route, review_on, social_value_bp, social_value_commitments, foi_clause, no_in_house_reason,
	at_risk_contact, rights_threat, irrecoverable_vat_pence, terminated_on, termination_reason`

// contractWriteCols are the columns an officer edits, in the order of contractArgs.
const contractWriteCols = `title, service, provider, description, value_pence, starts_on, ends_on,
	in_house_bid, recall_kind, recall_share_bp, recall_fixed_count, signing_days, updated_at, ` + registerCols

// contractPlaceholders is one ? per column of contractWriteCols.
var contractPlaceholders = strings.TrimSuffix(strings.Repeat("?, ", strings.Count(contractWriteCols, ",")+1), ", ")

func contractArgs(c *ballot.Contract) []any {
	r := c.Recall
	var review, terminated any
	if !c.ReviewOn.IsZero() {
		review = fmtDate(c.ReviewOn)
	}
	if c.Terminated() {
		terminated = fmtDate(c.TerminatedOn)
	}
	return []any{c.Title, c.Service, c.Provider, c.Description, c.ValuePence, fmtDate(c.StartsOn),
		fmtDate(c.EndsOn), c.InHouseBid, string(r.Kind), r.ShareBasisPoints, r.FixedCount, r.SigningDays,
		fmtTime(c.UpdatedAt),
		c.Reference, c.Department, c.SupplierScheme, c.SupplierID, string(c.SME), string(c.VCSE),
		string(c.Route), review, c.SocialValueBP, c.SocialValueCommitments, string(c.FOIClause), c.NoInHouseBidReason,
		string(c.AtRiskContact), string(c.RightsThreat), c.IrrecoverableVATPence, terminated, strings.TrimSpace(c.TerminationReason)}
}

// contractReadCols are every column, in the order of scanContract.
const contractReadCols = `id, title, service, provider, description, value_pence, starts_on, ends_on,
	in_house_bid, recall_kind, recall_share_bp, recall_fixed_count, signing_days, created_at, updated_at, ` + registerCols

func scanContract(row interface{ Scan(...any) error }) (*ballot.Contract, error) {
	c := &ballot.Contract{}
	r := &c.Recall
	var starts, ends string
	var created, updated, review, terminated sql.NullString
	err := row.Scan(&c.ID, &c.Title, &c.Service, &c.Provider, &c.Description, &c.ValuePence, &starts, &ends,
		&c.InHouseBid, &r.Kind, &r.ShareBasisPoints, &r.FixedCount, &r.SigningDays, &created, &updated,
		&c.Reference, &c.Department, &c.SupplierScheme, &c.SupplierID, &c.SME, &c.VCSE,
		&c.Route, &review, &c.SocialValueBP, &c.SocialValueCommitments, &c.FOIClause, &c.NoInHouseBidReason,
		&c.AtRiskContact, &c.RightsThreat, &c.IrrecoverableVATPence, &terminated, &c.TerminationReason)
	if err != nil {
		return nil, err
	}
	if terminated.Valid {
		if c.TerminatedOn, err = parseDate(terminated.String); err != nil {
			return nil, err
		}
	}
	if c.StartsOn, err = parseDate(starts); err != nil {
		return nil, err
	}
	if c.EndsOn, err = parseDate(ends); err != nil {
		return nil, err
	}
	if review.Valid {
		if c.ReviewOn, err = parseDate(review.String); err != nil {
			return nil, err
		}
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return c, nil
}

// openTerminationReview opens, in the transaction that records it, the
// review a termination calls for at once: when c is terminated and was
// not, or was terminated on another day, and no review of that
// termination exists yet.
func openTerminationReview(ctx context.Context, tx *sql.Tx, now time.Time, c *ballot.Contract, was time.Time, actor string) error {
	if !c.Terminated() || c.TerminatedOn.Equal(was) {
		return nil
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM contract_reviews WHERE contract_id = ? AND point = ? AND point_on = ?)`,
		c.ID, string(ballot.PointTermination), fmtDate(c.TerminatedOn)).Scan(&exists); err != nil || exists {
		return err
	}
	return openReview(ctx, tx, now, &ballot.ContractReview{ContractID: c.ID,
		Point: ballot.EndPoint{Kind: ballot.PointTermination, On: c.TerminatedOn}}, actor)
}
