package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// Publish opens a petition awaiting moderation. The threshold is fixed now,
// from the rule and the register snapshot, and shown with the snapshot's
// date for the whole life of the petition. The campaigner is mailed the
// petition's page, QR code and poster.
func (s *PetitionStore) Publish(ctx context.Context, id int64, rule ballot.RecallRule, e ballot.Electorate, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		p, err := loadPetition(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := p.CanModerate(); err != nil {
			return err
		}
		if rule.Kind == ballot.RuleShare && e.Count <= 0 {
			return &ballot.ValidationError{Fields: map[string]string{"electorate": "Record the electorate figure before publishing: the threshold is a share of it"}}
		}
		threshold := rule.Threshold(e)
		closes := now.Add(rule.Window())
		_, err = tx.ExecContext(ctx, `UPDATE petitions SET status = 'open', threshold = ?, electorate_count = ?,
			electorate_as_of = ?, opened_at = ?, closes_at = ? WHERE id = ?`,
			threshold, e.Count, nullTime(e.AsOf), fmtTime(now), fmtTime(closes), id)
		if err != nil {
			return err
		}
		p.Status, p.Threshold, p.OpenedAt, p.ClosesAt = ballot.StatusOpen, threshold, now, closes
		m := ballot.Notice{}
		m.Subject, m.Body = ballot.PublishedMail(p, now, ballot.Links{Base: s.BaseURL})
		if err := mailCampaigner(ctx, tx, now, p, m); err != nil {
			return err
		}
		detail := fmt.Sprintf("threshold %d (%s); closes %s", threshold, rule.Describe(), closes.Format(time.RFC3339))
		return appendAudit(ctx, tx, now, actor, "petition.publish", petitionSubject(id), detail)
	})
	if err != nil {
		return fmt.Errorf("publish petition: %w", err)
	}
	publish(s.Pub, ballot.PetitionTopic(id))
	return nil
}

// Reject rejects a petition awaiting moderation and tells the campaigner why.
func (s *PetitionStore) Reject(ctx context.Context, id int64, reason, actor string) error {
	if err := ballot.ValidateRejection(reason); err != nil {
		return fmt.Errorf("reject petition: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		p, err := loadPetition(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := p.CanModerate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE petitions SET status = 'rejected', rejection_reason = ?, rejected_at = ? WHERE id = ?`, reason, fmtTime(now), id); err != nil {
			return err
		}
		p.RejectionReason = reason
		m := ballot.Notice{}
		m.Subject, m.Body = ballot.RejectionMail(p)
		if err := mailCampaigner(ctx, tx, now, p, m); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "petition.reject", petitionSubject(id), reason)
	})
	if err != nil {
		return fmt.Errorf("reject petition: %w", err)
	}
	publish(s.Pub, ballot.PetitionTopic(id))
	return nil
}

// mailCampaigner queues m to p's campaigner in the caller's transaction:
// the transaction that moved the petition to the stage m is about, so the
// mail exists exactly when the stage was reached, once.
func mailCampaigner(ctx context.Context, tx *sql.Tx, now time.Time, p *ballot.Petition, m ballot.Notice) error {
	if p.CampaignerEmail == "" {
		return nil // erased at their request (ErasePerson)
	}
	return enqueueMail(ctx, tx, now, consult.Mail{To: p.CampaignerEmail, Subject: m.Subject, Body: m.Body, SendAfter: m.SendAfter})
}

// mailStaff queues a mail to every council staff account.
func mailStaff(ctx context.Context, tx *sql.Tx, now, sendAfter time.Time, subj, body string) error {
	rows, err := tx.QueryContext(ctx, `SELECT email FROM users ORDER BY id`)
	if err != nil {
		return err
	}
	var to []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return err
		}
		to = append(to, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, addr := range to {
		m := consult.Mail{To: addr, Subject: subj, Body: body, SendAfter: sendAfter}
		if err := enqueueMail(ctx, tx, now, m); err != nil {
			return err
		}
	}
	return nil
}
