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

func requestSubject(id int64) string { return fmt.Sprintf("request:%d", id) }

// changeRequest applies one council step to a request in one transaction:
// the domain's rule (step), the stored fields, the audit entry, and the
// mail to the asker and, when followers is set, to the confirmed followers.
func (s *RequestStore) changeRequest(ctx context.Context, id int64, actor, action, detail string, followers bool,
	step func(r *ballot.InfoRequest, now time.Time) error) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		r, err := loadRequest(ctx, tx, "r.id = ?", id)
		if err != nil {
			return err
		}
		if err := step(r, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE info_requests SET state = ?, published_at = ?, answered_at = ?, answer = ?,
			exemption = ?, refusal = ?, rejection_reason = ? WHERE id = ?`, string(r.State), nullTime(r.PublishedAt),
			nullTime(r.AnsweredAt), r.Answer, r.Exemption, r.Refusal, r.Rejection, id)
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, action, requestSubject(id), detail); err != nil {
			return err
		}
		return mailRequestChange(ctx, tx, now, r, s.BaseURL, followers)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}

// mailRequestChange mails the asker, and the followers when asked, what
// happened to r.
func mailRequestChange(ctx context.Context, tx *sql.Tx, now time.Time, r *ballot.InfoRequest, baseURL string, followers bool) error {
	subj, body := ballot.RequestChangeMail(r, ballot.Links{Base: baseURL}.Request(r.ID))
	to := []string{r.Email}
	if followers {
		rows, err := tx.QueryContext(ctx, `SELECT MIN(email) FROM info_request_followers
			WHERE request_id = ? AND confirmed_at IS NOT NULL GROUP BY email_key ORDER BY MIN(id)`, r.ID)
		if err != nil {
			return err
		}
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
	}
	for _, addr := range to {
		if err := enqueueMail(ctx, tx, now, consult.Mail{To: addr, Subject: subj, Body: body}); err != nil {
			return err
		}
	}
	return nil
}

// PublishRequest publishes a request awaiting moderation.
func (s *RequestStore) PublishRequest(ctx context.Context, id int64, actor string) error {
	return s.changeRequest(ctx, id, actor, "request.publish", "", false, (*ballot.InfoRequest).Publish)
}

// RejectRequest rejects a request awaiting moderation with a reason.
func (s *RequestStore) RejectRequest(ctx context.Context, id int64, reason, actor string) error {
	return s.changeRequest(ctx, id, actor, "request.reject", reason, false, func(r *ballot.InfoRequest, _ time.Time) error {
		return r.Reject(reason)
	})
}

// AnswerRequest records the council's answer to a published request.
func (s *RequestStore) AnswerRequest(ctx context.Context, id int64, answer, actor string) error {
	return s.changeRequest(ctx, id, actor, "request.answer", "", true, func(r *ballot.InfoRequest, now time.Time) error {
		return r.AnswerWith(answer, now)
	})
}

// RefuseRequest refuses a published request under an exemption.
func (s *RequestStore) RefuseRequest(ctx context.Context, id int64, exemption, explanation, actor string) error {
	return s.changeRequest(ctx, id, actor, "request.refuse", exemption, true, func(r *ballot.InfoRequest, now time.Time) error {
		return r.Refuse(exemption, explanation, now)
	})
}

// Follow queues a follower's confirmation mail.
func (s *RequestStore) Follow(ctx context.Context, requestID int64, email, baseURL string) error {
	if err := ballot.ValidateFollower(email); err != nil {
		return err
	}
	token, hash := newToken()
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		r, err := loadRequest(ctx, tx, "r.id = ?", requestID)
		if err != nil {
			return err
		}
		if !r.Public() {
			return ballot.ErrNotFound
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO info_request_followers (request_id, email, email_key, confirm_token_hash,
			token_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`, requestID, email, ballot.EmailKey(email), hash,
			fmtTime(now.Add(tokenTTL)), fmtTime(now))
		if err != nil {
			return err
		}
		subj, body := ballot.FollowConfirmMail(r, ballot.Links{Base: baseURL}.ConfirmFollow(token))
		return enqueueMail(ctx, tx, now, consult.Mail{To: email, Subject: subj, Body: body})
	})
	if err != nil {
		return fmt.Errorf("follow request: %w", err)
	}
	return nil
}

// followByToken finds the follower row a link names.
func followByToken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, token string, now time.Time) (id int64, f *ballot.RequestFollow, err error) {
	var rid int64
	var expires, confirmed sql.NullString
	err = q.QueryRowContext(ctx, `SELECT id, request_id, token_expires_at, confirmed_at FROM info_request_followers
		WHERE confirm_token_hash = ?`, hashToken(token)).Scan(&id, &rid, &expires, &confirmed)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return 0, nil, ballot.ErrTokenInvalid
	} else if err != nil {
		return 0, nil, err
	}
	f = &ballot.RequestFollow{Already: confirmed.Valid}
	if exp, _ := parseTime(expires); !f.Already && !exp.IsZero() && now.After(exp) {
		return 0, nil, ballot.ErrTokenInvalid
	}
	if f.Request, err = loadRequest(ctx, q, "r.id = ?", rid); err != nil {
		return 0, nil, err
	}
	return id, f, nil
}

// FollowLink returns what a follower's link names.
func (s *RequestStore) FollowLink(ctx context.Context, token string) (*ballot.RequestFollow, error) {
	_, f, err := followByToken(ctx, s.db.reader, token, s.db.now())
	if err != nil {
		return nil, fmt.Errorf("follow link: %w", err)
	}
	return f, nil
}

// ConfirmFollow confirms a follower.
func (s *RequestStore) ConfirmFollow(ctx context.Context, token string) (*ballot.RequestFollow, error) {
	var f *ballot.RequestFollow
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var id int64
		var err error
		if id, f, err = followByToken(ctx, tx, token, now); err != nil || f.Already {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE info_request_followers SET confirmed_at = ? WHERE id = ?`, fmtTime(now), id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("confirm follow: %w", err)
	}
	return f, nil
}
