package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

var _ consult.CorrectionStore = (*ConsultStore)(nil)

// ChangeClosing sets a published consultation's closing time by the rule
// in consult.Consultation.ChangeClosing, records the correction for the
// public page and audits it, in one transaction. It returns
// consult.ErrNotFound, consult.ErrBadTransition or a
// *consult.ValidationError.
func (s *ConsultStore) ChangeClosing(ctx context.Context, slug string, closesAt time.Time, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.closing_date", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		corr, err := c.ChangeClosing(now, closesAt)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE consultations SET closes_at = ?, updated_at = ? WHERE id = ?`,
			fmtTime(closesAt), fmtTime(now), c.ID); err != nil {
			return "", err
		}
		return correctionDetail([]consult.Correction{corr}), insertCorrections(ctx, tx, c.ID, actor, corr)
	})
	if err != nil {
		return fmt.Errorf("change closing date: %w", err)
	}
	return nil
}

// CorrectWording sets a published consultation's title and summary by the
// rule in consult.Consultation.CorrectWording, records a correction per
// field changed and audits them, in one transaction. It returns
// consult.ErrNotFound, consult.ErrBadTransition or a
// *consult.ValidationError.
func (s *ConsultStore) CorrectWording(ctx context.Context, slug, title, summary, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.wording", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		corrs, err := c.CorrectWording(now, title, summary)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE consultations SET title = ?, summary = ?, updated_at = ? WHERE id = ?`,
			strings.TrimSpace(title), strings.TrimSpace(summary), fmtTime(now), c.ID); err != nil {
			return "", err
		}
		return correctionDetail(corrs), insertCorrections(ctx, tx, c.ID, actor, corrs...)
	})
	if err != nil {
		return fmt.Errorf("correct wording: %w", err)
	}
	return nil
}

func insertCorrections(ctx context.Context, tx *sql.Tx, cid int64, actor string, corrs ...consult.Correction) error {
	for _, c := range corrs {
		_, err := tx.ExecContext(ctx, `INSERT INTO consultation_corrections
			(consultation_id, at, actor, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)`,
			cid, fmtTime(c.At), actor, c.Field, c.Old, c.New)
		if err != nil {
			return err
		}
	}
	return nil
}

// correctionDetail is the audit entry's detail: each field, old → new.
func correctionDetail(corrs []consult.Correction) string {
	parts := make([]string, len(corrs))
	for i, c := range corrs {
		parts[i] = fmt.Sprintf("%s: %q → %q", c.Field, c.Old, c.New)
	}
	return strings.Join(parts, "; ")
}

// Corrections lists a consultation's corrections, oldest first. It returns
// consult.ErrNotFound.
func (s *ConsultStore) Corrections(ctx context.Context, slug string) ([]consult.Correction, error) {
	cid, err := consultationID(ctx, s.db.reader, slug)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	rows, err := s.db.reader.QueryContext(ctx, `SELECT at, actor, field, old_value, new_value
		FROM consultation_corrections WHERE consultation_id = ? ORDER BY id`, cid)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	defer rows.Close()
	var out []consult.Correction
	for rows.Next() {
		var c consult.Correction
		var at sql.NullString
		if err := rows.Scan(&at, &c.Actor, &c.Field, &c.Old, &c.New); err != nil {
			return nil, fmt.Errorf("corrections: %w", err)
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("corrections: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	return out, nil
}
