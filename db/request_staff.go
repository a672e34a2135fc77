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
// happened to r. Each follower's mail carries their own stop link.
func mailRequestChange(ctx context.Context, tx *sql.Tx, now time.Time, r *ballot.InfoRequest, baseURL string, followers bool) error {
	links := ballot.Links{Base: baseURL}
	subj, body := ballot.RequestChangeMail(r, links.Request(r.ID))
	if err := enqueueMail(ctx, tx, now, consult.Mail{To: r.Email, Subject: subj, Body: body}); err != nil {
		return err
	}
	if !followers {
		return nil
	}
	// One mail per address however often it followed: the first row's.
	rows, err := tx.QueryContext(ctx, `SELECT email, stop_token FROM info_request_followers WHERE id IN (
		SELECT MIN(id) FROM info_request_followers WHERE request_id = ? AND confirmed_at IS NOT NULL AND stopped_at IS NULL
		GROUP BY email_key) ORDER BY id`, r.ID)
	if err != nil {
		return err
	}
	var mails []consult.Mail
	for rows.Next() {
		var to, stop string
		if err := rows.Scan(&to, &stop); err != nil {
			rows.Close()
			return err
		}
		fs, fb := ballot.FollowerMail(subj, body, links.StopFollowing(stop))
		mails = append(mails, consult.Mail{To: to, Subject: fs, Body: fb})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range mails {
		if err := enqueueMail(ctx, tx, now, m); err != nil {
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
	stop, _ := newToken()
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		r, err := loadRequest(ctx, tx, "r.id = ?", requestID)
		if err != nil {
			return err
		}
		if !r.Public() {
			return ballot.ErrNotFound
		}
		if r.State != ballot.RequestAwaiting {
			return ballot.ErrBadTransition // answered or refused: nothing more to tell
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO info_request_followers (request_id, email, email_key, confirm_token_hash,
			token_expires_at, created_at, stop_token) VALUES (?, ?, ?, ?, ?, ?, ?)`, requestID, email, ballot.EmailKey(email), hash,
			fmtTime(now.Add(tokenTTL)), fmtTime(now), stop)
		if err != nil {
			return err
		}
		subj, body := ballot.FollowConfirmMail(r, ballot.Links{Base: baseURL}.ConfirmFollow(token),
			ballot.Links{Base: baseURL}.StopFollowing(stop))
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

// StopLink returns the request a follower's stop link names, changing
// nothing, and whether it was already stopped.
func (s *RequestStore) StopLink(ctx context.Context, token string) (*ballot.InfoRequest, bool, error) {
	r, stopped, err := stopByToken(ctx, s.db.reader, token)
	if err != nil {
		return nil, false, fmt.Errorf("stop link: %w", err)
	}
	return r, stopped, nil
}

// StopFollowing stops the mail to every follower row of that address on
// that request.
func (s *RequestStore) StopFollowing(ctx context.Context, token string) (*ballot.InfoRequest, error) {
	var r *ballot.InfoRequest
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		if r, _, err = stopByToken(ctx, tx, token); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE info_request_followers SET stopped_at = ? WHERE stopped_at IS NULL
			AND request_id = ? AND email_key = (SELECT email_key FROM info_request_followers WHERE stop_token = ?)`,
			fmtTime(now), r.ID, token)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("stop following: %w", err)
	}
	return r, nil
}

func stopByToken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, token string) (*ballot.InfoRequest, bool, error) {
	var rid int64
	var stopped sql.NullString
	err := q.QueryRowContext(ctx, `SELECT request_id, stopped_at FROM info_request_followers WHERE stop_token = ?`, token).Scan(&rid, &stopped)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return nil, false, ballot.ErrTokenInvalid
	} else if err != nil {
		return nil, false, err
	}
	r, err := loadRequest(ctx, q, "r.id = ?", rid)
	return r, stopped.Valid, err
}
