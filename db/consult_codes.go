package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oursay/oursay/consult"
)

// AddCodes stores the keyed hashes of new codes for a consultation whose
// audience is holders of a code, in one transaction.
func (s *ConsultStore) AddCodes(ctx context.Context, slug string, hashes [][]byte, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		c, err := loadConsultation(ctx, tx, slug)
		if err != nil {
			return err
		}
		if c.Audience != consult.AudienceCode {
			return &consult.ValidationError{Fields: map[string]string{"count": "This consultation is open to everyone, so it needs no codes"}}
		}
		if st := c.State(now); st == consult.StatusClosed || st == consult.StatusOutcome {
			return consult.ErrBadTransition
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO consultation_codes (consultation_id, code_hash) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, h := range hashes {
			if _, err := stmt.ExecContext(ctx, c.ID, h); err != nil {
				return mapErr(err)
			}
		}
		return appendAudit(ctx, tx, now, actor, "consultation.codes", subject(slug), fmt.Sprintf("%d codes added", len(hashes)))
	})
	if err != nil {
		return fmt.Errorf("add consultation codes: %w", err)
	}
	return nil
}

// useConsultationCode marks the respondent's code used, inside the response's own
// transaction, so a code answers once under any concurrency. Paper forms
// are entered by staff and carry no code.
func useConsultationCode(ctx context.Context, tx *sql.Tx, c *consult.Consultation, r *consult.Response) error {
	if c.Audience != consult.AudienceCode || r.Channel == consult.ChannelPaper {
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE consultation_codes SET used = 1
		WHERE consultation_id = ? AND code_hash = ? AND used = 0`, c.ID, r.CodeHash)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var known bool
	err = tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM consultation_codes WHERE consultation_id = ? AND code_hash = ?)`,
		c.ID, r.CodeHash).Scan(&known)
	if err != nil {
		return err
	}
	msg := "This code is not right: check it against your letter"
	if known {
		msg = "This code has already been used to respond"
	}
	return &consult.ValidationError{Fields: map[string]string{"code": msg}}
}
