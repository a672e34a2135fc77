package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oursay/oursay/consult"
)

// step is one lifecycle change: it checks the rule against the consultation
// as loaded in the transaction, writes the change, and returns the audit
// entry's detail.
type step func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (detail string, err error)

// change runs a lifecycle step in one transaction: load the state, apply the
// domain rule, write, audit. Loading inside the transaction means two
// officers clicking at once cannot both pass the same check. Live pages
// hear of the change once it has committed.
func (s *ConsultStore) change(ctx context.Context, slug, actor, action string, fn step) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		c, err := loadConsultation(ctx, tx, slug)
		if err != nil {
			return err
		}
		detail, err := fn(ctx, tx, c, now)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, action, subject(slug), detail)
	})
	if err == nil {
		publish(s.Pub, consult.ConsultationTopic(slug))
	}
	return err
}

// setStatus stores a new status and stamps updated_at.
func setStatus(ctx context.Context, tx *sql.Tx, id int64, st consult.Status, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE consultations SET status = ?, updated_at = ? WHERE id = ?`,
		string(st), fmtTime(now), id)
	return err
}

// Open moves a draft to open; it shows as scheduled while OpensAt is ahead.
// It returns consult.ErrNotFound, consult.ErrBadTransition or a
// *consult.ValidationError from CanOpen.
func (s *ConsultStore) Open(ctx context.Context, slug, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.open", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		if err := c.CanOpen(); err != nil {
			return "", err
		}
		detail := "opened"
		if !c.OpensAt.IsZero() && now.Before(c.OpensAt) {
			detail = "scheduled to open " + fmtTime(c.OpensAt)
		}
		return detail, setStatus(ctx, tx, c.ID, consult.StatusOpen, now)
	})
	if err != nil {
		return fmt.Errorf("open consultation: %w", err)
	}
	return nil
}

// Close closes an open (or scheduled) consultation. It returns
// consult.ErrNotFound or consult.ErrBadTransition.
func (s *ConsultStore) Close(ctx context.Context, slug, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.close", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		if err := c.CanClose(); err != nil {
			return "", err
		}
		_, err := tx.ExecContext(ctx, `UPDATE consultations SET status = ?, closed_at = ?, updated_at = ? WHERE id = ?`,
			string(consult.StatusClosed), fmtTime(now), fmtTime(now), c.ID)
		return fmt.Sprintf("closed with %d responses", c.ResponseCount), err
	})
	if err != nil {
		return fmt.Errorf("close consultation: %w", err)
	}
	return nil
}

// PublishOutcome publishes "We asked, you said, we did" for a consultation
// that is closed, by hand or because its closing date has passed. It
// returns consult.ErrNotFound, consult.ErrBadTransition or a
// *consult.ValidationError.
func (s *ConsultStore) PublishOutcome(ctx context.Context, slug string, o consult.Outcome, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.outcome", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		if err := c.CanPublishOutcome(now, o); err != nil {
			return "", err
		}
		_, err := tx.ExecContext(ctx, `UPDATE consultations SET status = ?, outcome_we_asked = ?,
			outcome_you_said = ?, outcome_we_did = ?, outcome_published_at = ?, updated_at = ?
			WHERE id = ?`,
			string(consult.StatusOutcome), o.WeAsked, o.YouSaid, o.WeDid, fmtTime(now), fmtTime(now), c.ID)
		if err != nil {
			return "", err
		}
		n, err := s.mailOutcome(ctx, tx, c, now)
		return fmt.Sprintf("outcome published; %d respondents emailed", n), err
	})
	if err != nil {
		return fmt.Errorf("publish outcome: %w", err)
	}
	return nil
}

// RecordDecision records the outsourcing decision through the decision gate
// (consult.Consultation.CanRecordDecision). It returns consult.ErrNotFound,
// consult.ErrDecisionGate, consult.ErrBadTransition for a decision already
// recorded, or a *consult.ValidationError.
func (s *ConsultStore) RecordDecision(ctx context.Context, slug string, d consult.Decision, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.decision", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		if err := c.CanRecordDecision(d); err != nil {
			return "", err
		}
		_, err := tx.ExecContext(ctx, `UPDATE consultations SET decision_proposal = ?, decision_summary = ?,
			decision_comparison = ?, decision_recorded_at = ?, updated_at = ? WHERE id = ?`,
			string(d.Proposal), d.Summary, d.InHouseComparison, fmtTime(now), fmtTime(now), c.ID)
		return "decision: " + string(d.Proposal), err
	})
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	return nil
}

// mailOutcome queues the outcome mail to each respondent who gave an email
// and asked to be told, in the publishing transaction, so the mails exist
// if and only if the outcome is published. It returns how many it queued.
func (s *ConsultStore) mailOutcome(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT email FROM responses
		WHERE consultation_id = ? AND notify_outcome = 1 AND email IS NOT NULL ORDER BY id`, c.ID)
	if err != nil {
		return 0, err
	}
	var to []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return 0, err
		}
		to = append(to, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	subj, body := consult.OutcomeMail(c, consult.Links{Base: s.BaseURL}.Consultation(c.Slug))
	for _, e := range to {
		if err := enqueueMail(ctx, tx, now, consult.Mail{To: e, Subject: subj, Body: body}); err != nil {
			return 0, err
		}
	}
	return len(to), nil
}

// OutcomeSubscribers counts the respondents who asked to be emailed when
// the outcome is published. It returns consult.ErrNotFound.
func (s *ConsultStore) OutcomeSubscribers(ctx context.Context, slug string) (int, error) {
	var n sql.NullInt64
	err := s.db.reader.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM responses r
		WHERE r.consultation_id = c.id AND r.notify_outcome = 1 AND r.email IS NOT NULL)
		FROM consultations c WHERE c.slug = ?`, slug).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("outcome subscribers: %w", mapErr(err))
	}
	return int(n.Int64), nil
}
