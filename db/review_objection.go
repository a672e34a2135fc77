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

var _ ballot.ObjectionStore = (*ReviewStore)(nil)

// Object saves an unconfirmed objection and queues its confirmation mail.
// It returns ballot.ErrNotFound, ballot.ErrBadTransition or a
// *ballot.ValidationError.
func (s *ReviewStore) Object(ctx context.Context, o *ballot.Objection, baseURL string) error {
	if err := o.Validate(); err != nil {
		return err
	}
	token, hash := newToken()
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		r, err := scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM contract_reviews WHERE id = ?`, o.ReviewID))
		if err != nil {
			return contractErr(err)
		}
		if err := r.CanObject(now); err != nil {
			return err
		}
		var contract string
		if err := tx.QueryRowContext(ctx, `SELECT title FROM contracts WHERE id = ?`, r.ContractID).Scan(&contract); err != nil {
			return err
		}
		o.CreatedAt = now
		res, err := tx.ExecContext(ctx, `INSERT INTO review_objections (review_id, name, email, reason, confirm_token_hash,
			token_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			o.ReviewID, o.Name, o.Email, o.Reason, hash, fmtTime(now.Add(tokenTTL)), fmtTime(now))
		if err != nil {
			return err
		}
		o.ID, _ = res.LastInsertId()
		subj, body := ballot.ObjectionConfirmMail(o, reviewDetailTitle(r), contract, ballot.Links{Base: baseURL}.ConfirmObjection(token))
		return enqueueMail(ctx, tx, now, consult.Mail{To: o.Email, Subject: subj, Body: body})
	})
	if err != nil {
		return fmt.Errorf("object: %w", err)
	}
	return nil
}

func reviewDetailTitle(r *ballot.ContractReview) string {
	return "Review at the " + r.Point.Kind.Label() + ", " + r.Point.On.Format("2 January 2006")
}

func objectionByToken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, token string, now time.Time) (*ballot.Objection, error) {
	o := &ballot.Objection{}
	var expires, created string
	var confirmed sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, review_id, name, email, reason, token_expires_at, created_at, confirmed_at
		FROM review_objections WHERE confirm_token_hash = ?`, hashToken(token)).Scan(
		&o.ID, &o.ReviewID, &o.Name, &o.Email, &o.Reason, &expires, &created, &confirmed)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return nil, ballot.ErrTokenInvalid
	} else if err != nil {
		return nil, err
	}
	var exp time.Time
	times := []*time.Time{&exp, &o.CreatedAt, &o.ConfirmedAt}
	for i, s := range []sql.NullString{{String: expires, Valid: true}, {String: created, Valid: true}, confirmed} {
		if *times[i], err = parseTime(s); err != nil {
			return nil, err
		}
	}
	if o.ConfirmedAt.IsZero() && !now.Before(exp) {
		return nil, ballot.ErrTokenInvalid
	}
	return o, nil
}

// ObjectionLink returns the objection a link names, changing nothing.
func (s *ReviewStore) ObjectionLink(ctx context.Context, token string) (*ballot.Objection, error) {
	o, err := objectionByToken(ctx, s.db.reader, token, s.db.now())
	if err != nil {
		return nil, fmt.Errorf("objection link: %w", err)
	}
	return o, nil
}

// ConfirmObjection confirms the objection a link names.
func (s *ReviewStore) ConfirmObjection(ctx context.Context, token string) (*ballot.Objection, bool, error) {
	var o *ballot.Objection
	already := false
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		if o, err = objectionByToken(ctx, tx, token, now); err != nil {
			return err
		}
		if !o.ConfirmedAt.IsZero() {
			already = true
			return nil
		}
		o.ConfirmedAt = now
		_, err = tx.ExecContext(ctx, `UPDATE review_objections SET confirmed_at = ? WHERE id = ?`, fmtTime(now), o.ID)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("confirm objection: %w", err)
	}
	return o, already, nil
}

// ObjectionCount is how many confirmed objections a review has.
func (s *ReviewStore) ObjectionCount(ctx context.Context, reviewID int64) (int, error) {
	var n int
	err := s.db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_objections WHERE review_id = ? AND confirmed_at IS NOT NULL`, reviewID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("objection count: %w", err)
	}
	return n, nil
}

// Objections lists a review's confirmed objections, oldest first.
func (s *ReviewStore) Objections(ctx context.Context, reviewID int64) ([]*ballot.Objection, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT id, review_id, name, email, reason, created_at, confirmed_at
		FROM review_objections WHERE review_id = ? AND confirmed_at IS NOT NULL ORDER BY confirmed_at, id`, reviewID)
	if err != nil {
		return nil, fmt.Errorf("objections: %w", err)
	}
	defer rows.Close()
	var out []*ballot.Objection
	for rows.Next() {
		o := &ballot.Objection{}
		var created, confirmed sql.NullString
		if err := rows.Scan(&o.ID, &o.ReviewID, &o.Name, &o.Email, &o.Reason, &created, &confirmed); err != nil {
			return nil, fmt.Errorf("objections: %w", err)
		}
		if o.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if o.ConfirmedAt, err = parseTime(confirmed); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
