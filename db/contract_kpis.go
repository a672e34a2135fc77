package db

import (
	"context"
	"database/sql"
	"strings"

	"github.com/oursay/oursay/ballot"
)

// insertContractChildren saves c's break clauses (a date given twice is
// kept once) and KPIs in order, setting each KPI's id.
func insertContractChildren(ctx context.Context, tx *sql.Tx, c *ballot.Contract) error {
	for _, b := range c.BreakClauses {
		_, err := tx.ExecContext(ctx, `INSERT INTO contract_break_clauses (contract_id, break_on) VALUES (?, ?)
			ON CONFLICT DO NOTHING`, c.ID, fmtDate(b))
		if err != nil {
			return err
		}
	}
	for i := range c.KPIs {
		k := &c.KPIs[i]
		res, err := tx.ExecContext(ctx, `INSERT INTO contract_kpis (contract_id, position, name, target, actual, period, rating)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, i+1, strings.TrimSpace(k.Name), strings.TrimSpace(k.Target), strings.TrimSpace(k.Actual),
			strings.TrimSpace(k.Period), string(k.Rating))
		if err != nil {
			return err
		}
		if k.ID, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	return nil
}

// loadContractChildren fills in the break clauses (in date order) and KPIs
// (in the order given) of the contracts in byID, two queries for any number
// of contracts.
func loadContractChildren(ctx context.Context, q querier, byID map[int64]*ballot.Contract) error {
	if len(byID) == 0 {
		return nil
	}
	where, args := childFilter(byID)
	rows, err := q.QueryContext(ctx, `SELECT contract_id, break_on FROM contract_break_clauses`+where+
		` ORDER BY contract_id, break_on`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var on string
		if err := rows.Scan(&id, &on); err != nil {
			return err
		}
		c, ok := byID[id]
		if !ok {
			continue
		}
		d, err := parseDate(on)
		if err != nil {
			return err
		}
		c.BreakClauses = append(c.BreakClauses, d)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return loadKPIs(ctx, q, byID)
}

// childFilter narrows a children query to the one contract when only one
// is wanted; for a whole list, every row is read once.
func childFilter(byID map[int64]*ballot.Contract) (string, []any) {
	if len(byID) != 1 {
		return "", nil
	}
	for id := range byID {
		return " WHERE contract_id = ?", []any{id}
	}
	return "", nil
}

func loadKPIs(ctx context.Context, q querier, byID map[int64]*ballot.Contract) error {
	where, args := childFilter(byID)
	rows, err := q.QueryContext(ctx, `SELECT id, contract_id, name, target, actual, period, rating
		FROM contract_kpis`+where+` ORDER BY contract_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k ballot.KPI
		var cid int64
		if err := rows.Scan(&k.ID, &cid, &k.Name, &k.Target, &k.Actual, &k.Period, &k.Rating); err != nil {
			return err
		}
		if c, ok := byID[cid]; ok {
			c.KPIs = append(c.KPIs, k)
		}
	}
	return rows.Err()
}
