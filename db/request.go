package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// RequestStore keeps information requests and their followers. It
// implements ballot.RequestStore. Requests are few, so every write is an
// ordinary transaction; each change's mail and audit entry share it.
type RequestStore struct {
	db *DB
	// BaseURL starts the links in mail.
	BaseURL string
}

var _ ballot.RequestStore = (*RequestStore)(nil)

// NewRequestStore returns the request store kept in d.
func NewRequestStore(d *DB) *RequestStore { return &RequestStore{db: d} }

const requestColumns = `r.id, r.contract_id, c.title, r.title, r.body, r.requester_name, r.requester_email, r.state,
	r.review_reason, r.created_at, r.confirmed_at, r.due_on, r.published_at, r.answered_at, r.answer, r.exemption,
	r.refusal, r.rejection_reason`

const requestFrom = ` FROM info_requests r JOIN contracts c ON c.id = r.contract_id`

type rowScanner interface{ Scan(...any) error }

func scanRequest(row rowScanner) (*ballot.InfoRequest, error) {
	r := &ballot.InfoRequest{}
	var state, reason string
	var created, confirmed, due, published, answered sql.NullString
	err := row.Scan(&r.ID, &r.ContractID, &r.ContractTitle, &r.Title, &r.Body, &r.Name, &r.Email, &state, &reason,
		&created, &confirmed, &due, &published, &answered, &r.Answer, &r.Exemption, &r.Refusal, &r.Rejection)
	if err != nil {
		return nil, mapBallotErr(err)
	}
	r.State, r.ReviewReason = ballot.RequestState(state), ballot.ReviewReason(reason)
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&r.CreatedAt, created}, {&r.ReceivedAt, confirmed}, {&r.PublishedAt, published}, {&r.AnsweredAt, answered}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, err
		}
	}
	if due.Valid && due.String != "" {
		if r.DueOn, err = time.Parse(time.DateOnly, due.String); err != nil {
			return nil, fmt.Errorf("bad due date %q: %w", due.String, err)
		}
	}
	return r, nil
}

func loadRequest(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, where string, arg any) (*ballot.InfoRequest, error) {
	return scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+requestFrom+` WHERE `+where, arg))
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// Ask saves an unconfirmed request and queues its confirmation mail.
func (s *RequestStore) Ask(ctx context.Context, r *ballot.InfoRequest, baseURL string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	token, hash := newToken()
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var contract string
		if err := tx.QueryRowContext(ctx, `SELECT title FROM contracts WHERE id = ?`, r.ContractID).Scan(&contract); err != nil {
			return mapBallotErr(err)
		}
		r.State, r.CreatedAt = ballot.RequestUnconfirmed, now
		res, err := tx.ExecContext(ctx, `INSERT INTO info_requests (contract_id, title, body, requester_name, requester_email,
			state, review_reason, confirm_token_hash, token_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ContractID, r.Title, r.Body, r.Name, r.Email, string(r.State), string(r.ReviewReason), hash,
			fmtTime(now.Add(tokenTTL)), fmtTime(now))
		if err != nil {
			return err
		}
		r.ID, _ = res.LastInsertId()
		subj, body := ballot.RequestConfirmMail(r, contract, ballot.Links{Base: baseURL}.ConfirmRequest(token))
		return enqueueMail(ctx, tx, now, consult.Mail{To: r.Email, Subject: subj, Body: body})
	})
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	return nil
}

// requestByToken finds the request an asker's link names, if the link has
// not expired (a confirmed request's link stays good, to say so).
func requestByToken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, token string, now time.Time) (*ballot.InfoRequest, error) {
	var id int64
	var expires sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, token_expires_at FROM info_requests WHERE confirm_token_hash = ?`,
		hashToken(token)).Scan(&id, &expires)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return nil, ballot.ErrTokenInvalid
	} else if err != nil {
		return nil, err
	}
	r, err := loadRequest(ctx, q, "r.id = ?", id)
	if err != nil {
		return nil, err
	}
	if exp, _ := parseTime(expires); r.State == ballot.RequestUnconfirmed && !exp.IsZero() && now.After(exp) {
		return nil, ballot.ErrTokenInvalid
	}
	return r, nil
}

// RequestLink returns the request a confirmation link names.
func (s *RequestStore) RequestLink(ctx context.Context, token string) (*ballot.InfoRequest, error) {
	r, err := requestByToken(ctx, s.db.reader, token, s.db.now())
	if err != nil {
		return nil, fmt.Errorf("request link: %w", err)
	}
	return r, nil
}

// ConfirmRequest receives the request: the clock starts now.
func (s *RequestStore) ConfirmRequest(ctx context.Context, token string) (*ballot.InfoRequest, bool, error) {
	var r *ballot.InfoRequest
	already := false
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		if r, err = requestByToken(ctx, tx, token, now); err != nil {
			return err
		}
		if r.State != ballot.RequestUnconfirmed {
			already = true
			return nil
		}
		if err := r.Confirm(now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE info_requests SET state = ?, confirmed_at = ?, due_on = ? WHERE id = ?`,
			string(r.State), fmtTime(now), nullDate(r.DueOn), r.ID); err != nil {
			return err
		}
		subj, body := ballot.RequestModerationMail(r, ballot.Links{Base: s.BaseURL}.AdminRequest(r.ID))
		return mailStaff(ctx, tx, now, time.Time{}, subj, body)
	})
	if err != nil {
		return nil, false, fmt.Errorf("confirm request: %w", err)
	}
	return r, already, nil
}

// Request returns one request.
func (s *RequestStore) Request(ctx context.Context, id int64) (*ballot.InfoRequest, error) {
	r, err := loadRequest(ctx, s.db.reader, "r.id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// publicWhere is the condition for f's requests and its arguments.
func publicWhere(f ballot.RequestFilter) (string, []any) {
	today := ballot.Today(f.Now).Format(time.DateOnly)
	where := ` WHERE r.state IN ('awaiting_response', 'answered', 'refused')`
	var args []any
	switch f.Status {
	case ballot.StatusAwaitingResponse:
		where += ` AND r.state = 'awaiting_response' AND (r.due_on IS NULL OR r.due_on >= ?)`
		args = append(args, today)
	case ballot.StatusOverdue:
		where += ` AND r.state = 'awaiting_response' AND r.due_on < ?`
		args = append(args, today)
	case ballot.StatusAnswered, ballot.StatusRefused:
		where += ` AND r.state = ?`
		args = append(args, string(f.Status))
	}
	if f.ContractID != 0 {
		where += ` AND r.contract_id = ?`
		args = append(args, f.ContractID)
	}
	return where, args
}

// PublicRequests lists published requests matching f.
func (s *RequestStore) PublicRequests(ctx context.Context, f ballot.RequestFilter) ([]*ballot.InfoRequest, int, error) {
	where, args := publicWhere(f)
	var total int
	if err := s.db.reader.QueryRowContext(ctx, `SELECT COUNT(*)`+requestFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("public requests: %w", err)
	}
	q := `SELECT ` + requestColumns + requestFrom + where + ` ORDER BY r.confirmed_at DESC, r.id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(max(0, f.Offset))
	}
	list, err := s.queryRequests(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("public requests: %w", err)
	}
	return list, total, nil
}

// StaffRequests lists the requests staff must act on, oldest received first.
func (s *RequestStore) StaffRequests(ctx context.Context) ([]*ballot.InfoRequest, error) {
	list, err := s.queryRequests(ctx, `SELECT `+requestColumns+requestFrom+
		` WHERE r.state IN ('moderation', 'awaiting_response') ORDER BY r.confirmed_at, r.id`)
	if err != nil {
		return nil, fmt.Errorf("staff requests: %w", err)
	}
	return list, nil
}

func (s *RequestStore) queryRequests(ctx context.Context, q string, args ...any) ([]*ballot.InfoRequest, error) {
	rows, err := s.db.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ballot.InfoRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
