package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oursay/oursay/consult"
)

// ReviseOutcome replaces a published outcome through
// consult.Consultation.ReviseOutcome, keeping the version it replaces with
// the public note, audited in the same transaction. Nobody is emailed
// again. It returns consult.ErrNotFound, consult.ErrBadTransition or a
// *consult.ValidationError.
func (s *ConsultStore) ReviseOutcome(ctx context.Context, slug string, o consult.Outcome, note, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.outcome_revise", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		rev, err := c.ReviseOutcome(now, o, note)
		if err != nil {
			return "", err
		}
		w := rev.Was
		if err := insertRevision(ctx, tx, c.ID, "outcome", rev.At, actor, rev.Note, w.WeAsked, w.YouSaid, w.WeDid, w.PublishedAt); err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `UPDATE consultations SET outcome_we_asked = ?, outcome_you_said = ?,
			outcome_we_did = ?, updated_at = ? WHERE id = ?`, o.WeAsked, o.YouSaid, o.WeDid, fmtTime(now), c.ID)
		return "outcome revised: " + rev.Note, err
	})
	if err != nil {
		return fmt.Errorf("revise outcome: %w", err)
	}
	return nil
}

// ReviseDecision replaces a recorded decision as ReviseOutcome replaces an
// outcome.
func (s *ConsultStore) ReviseDecision(ctx context.Context, slug string, d consult.Decision, note, actor string) error {
	err := s.change(ctx, slug, actor, "consultation.decision_revise", func(ctx context.Context, tx *sql.Tx, c *consult.Consultation, now time.Time) (string, error) {
		rev, err := c.ReviseDecision(now, d, note)
		if err != nil {
			return "", err
		}
		w := rev.Was
		if err := insertRevision(ctx, tx, c.ID, "decision", rev.At, actor, rev.Note, string(w.Proposal), w.Summary, w.InHouseComparison, w.RecordedAt); err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `UPDATE consultations SET decision_proposal = ?, decision_summary = ?,
			decision_comparison = ?, updated_at = ? WHERE id = ?`, string(d.Proposal), d.Summary, d.InHouseComparison, fmtTime(now), c.ID)
		return "decision revised (" + string(d.Proposal) + "): " + rev.Note, err
	})
	if err != nil {
		return fmt.Errorf("revise decision: %w", err)
	}
	return nil
}

func insertRevision(ctx context.Context, tx *sql.Tx, cid int64, kind string, at time.Time, actor, note, a, b, c string, since time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outcome_revisions
		(consultation_id, kind, at, actor, note, was_a, was_b, was_c, was_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		cid, kind, fmtTime(at), actor, note, a, b, c, fmtTime(since))
	return err
}

// loadRevisions fills c's outcome and decision revisions, oldest first.
func loadRevisions(ctx context.Context, q querier, c *consult.Consultation) error {
	if c.Outcome == nil && c.Decision == nil {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, at, actor, note, was_a, was_b, was_c, was_since
		FROM outcome_revisions WHERE consultation_id = ? ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, actor, note, a, b, cc string
		var at, since sql.NullString
		if err := rows.Scan(&kind, &at, &actor, &note, &a, &b, &cc, &since); err != nil {
			return err
		}
		when, err := parseTime(at)
		if err != nil {
			return err
		}
		from, err := parseTime(since)
		if err != nil {
			return err
		}
		switch kind {
		case "outcome":
			c.OutcomeRevisions = append(c.OutcomeRevisions, consult.OutcomeRevision{At: when, Actor: actor, Note: note,
				Was: consult.Outcome{WeAsked: a, YouSaid: b, WeDid: cc, PublishedAt: from}})
		case "decision":
			c.DecisionRevisions = append(c.DecisionRevisions, consult.DecisionRevision{At: when, Actor: actor, Note: note,
				Was: consult.Decision{Proposal: consult.Proposal(a), Summary: b, InHouseComparison: cc, RecordedAt: from}})
		}
	}
	return rows.Err()
}
