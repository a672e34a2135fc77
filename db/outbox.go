package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/oursay/oursay/consult"
)

// Outbox is the mail queue kept in the outbox table. It implements
// consult.Outbox for the sending worker and the admin page.
//
// Bodies hold confirmation and withdrawal links, which are as good as a
// password for one signature: nothing here logs them, and errors never
// quote them.
type Outbox struct {
	db *DB
}

var _ consult.Outbox = (*Outbox)(nil)

// NewOutbox returns the outbox kept in d.
func NewOutbox(d *DB) *Outbox { return &Outbox{db: d} }

// OnQueued has f called after each commit that queued mail, so that a
// mailer sends it at once rather than at its next poll: wire it to
// mailer.Mailer.Notify. f runs on the committing goroutine (for signatures,
// the group-commit writer), so it must return at once. A nil f stops the
// calls.
func (o *Outbox) OnQueued(f func()) { o.db.mailQueued.Store(&f) }

// mailTxs holds the write transactions that have queued mail, until they
// end: a *sql.Tx carries no values of its own, and enqueueMail is handed
// only the transaction.
var mailTxs sync.Map // *sql.Tx → struct{}

// txEnded forgets tx and, if it committed after queueing mail, calls the
// OnQueued function. Every writer of a transaction calls it once the
// transaction has ended, either way.
func (d *DB) txEnded(tx *sql.Tx, committed bool) {
	if _, mailed := mailTxs.LoadAndDelete(tx); !mailed || !committed {
		return
	}
	if f := d.mailQueued.Load(); f != nil && *f != nil {
		(*f)()
	}
}

// maxErrorLen bounds a stored failure reason: an SMTP server's reply can be
// long, and the admin page only needs its gist.
const maxErrorLen = 1000

// defaultMailLimit caps DueMail and RecentMail when the caller asks for no limit.
const defaultMailLimit = 100

// EnqueueMail queues m in its own transaction, for mail that goes with no
// other change. Stores that send mail because of a change call enqueueMail
// inside that change's transaction instead, so the mail exists if and only
// if the change committed. A zero m.SendAfter means as soon as possible.
func (d *DB) EnqueueMail(ctx context.Context, m consult.Mail) error {
	err := d.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		return enqueueMail(ctx, tx, now, m)
	})
	if err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	return nil
}

// enqueueMail inserts m into the outbox inside the caller's transaction. It
// refuses an empty recipient or one with a line break (header injection)
// with a *consult.ValidationError, and folds line breaks in the subject to
// spaces, so a title typed with a newline cannot fail a resident's request.
func enqueueMail(ctx context.Context, tx *sql.Tx, now time.Time, m consult.Mail) error {
	to := strings.TrimSpace(m.To)
	if to == "" || strings.ContainsAny(to, "\r\n") {
		return &consult.ValidationError{Fields: map[string]string{"to": "Enter a single email address"}}
	}
	sendAfter := m.SendAfter
	if sendAfter.IsZero() || sendAfter.Before(now) {
		sendAfter = now
	}
	// Every mail ends naming the council and how to reach it.
	footer, err := mailFooter(ctx, tx)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO outbox (to_addr, subject, body, created_at, send_after)
		VALUES (?, ?, ?, ?, ?)`,
		to, oneLine(m.Subject), m.Body+footer, fmtTime(now), fmtTime(sendAfter))
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	mailTxs.Store(tx, struct{}{})
	return nil
}

// oneLine folds CR and LF to spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}

// DueMail returns up to limit unsent mails whose SendAfter is not after now,
// in the order they fell due (then queue order). A mail that keeps failing
// moves back behind fresh mail each time, so it never blocks the queue.
func (o *Outbox) DueMail(ctx context.Context, now time.Time, limit int) ([]consult.Mail, error) {
	if limit < 1 {
		limit = defaultMailLimit
	}
	ms, err := queryMail(ctx, o.db.reader, `
		SELECT `+mailColumns+` FROM outbox
		WHERE sent_at IS NULL AND send_after <= ?
		ORDER BY send_after, id LIMIT ?`, fmtTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due mail: %w", err)
	}
	return ms, nil
}

// FailingMail counts unsent mails whose last attempt failed.
func (o *Outbox) FailingMail(ctx context.Context) (int, error) {
	var n int
	if err := o.db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND last_error <> ''`).Scan(&n); err != nil {
		return 0, fmt.Errorf("failing mail: %w", err)
	}
	return n, nil
}

// RecentMail returns up to limit mails, newest first, sent or not. A limit
// below 1 means the newest 100.
func (o *Outbox) RecentMail(ctx context.Context, limit int) ([]consult.Mail, error) {
	if limit < 1 {
		limit = defaultMailLimit
	}
	ms, err := queryMail(ctx, o.db.reader, `SELECT `+mailColumns+` FROM outbox ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent mail: %w", err)
	}
	return ms, nil
}

// MarkSent records that the SMTP server accepted mail id at the given time,
// counting the attempt; the last error stays, as the history of earlier
// tries. Marking a sent mail again keeps the first time. It returns
// consult.ErrNotFound if there is no such mail.
func (o *Outbox) MarkSent(ctx context.Context, id int64, at time.Time) error {
	err := o.update(ctx, `
		UPDATE outbox SET sent_at = COALESCE(sent_at, ?),
			attempts = attempts + (sent_at IS NULL)
		WHERE id = ?`, fmtTime(at), id)
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkSentAll is MarkSent for many mails in one group-committed
// transaction: the mailer marks thousands a second under load, and a
// request each would cost the one writer a savepoint and a statement per
// mail. It returns consult.ErrNotFound, and marks none, if any id has no
// mail.
func (o *Outbox) MarkSentAll(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := o.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE outbox SET sent_at = COALESCE(sent_at, ?),
			attempts = attempts + (sent_at IS NULL) WHERE id = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		when := fmtTime(at)
		for _, id := range ids {
			res, err := stmt.ExecContext(ctx, when, id)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return fmt.Errorf("mail %d: %w", id, consult.ErrNotFound)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark %d mails sent: %w", len(ids), err)
	}
	return nil
}

// MarkFailed records a failed attempt at mail id, with the reason (cut to
// 1,000 bytes) and when to try again. It returns consult.ErrNotFound if there
// is no such mail, and leaves a mail already sent as it is.
func (o *Outbox) MarkFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	err := o.update(ctx, `
		UPDATE outbox SET attempts = attempts + (sent_at IS NULL),
			last_error = CASE WHEN sent_at IS NULL THEN ? ELSE last_error END,
			send_after = CASE WHEN sent_at IS NULL THEN ? ELSE send_after END
		WHERE id = ?`, truncate(reason, maxErrorLen), fmtTime(retryAt), id)
	if err != nil {
		return fmt.Errorf("mark mail %d failed: %w", id, err)
	}
	return nil
}

// update runs one UPDATE of a single mail and maps "no row" to
// consult.ErrNotFound. It goes through the group-commit writer: the mailer
// marks thousands of mails a second under load, and a transaction (and a
// sync) of its own for each would take the one writer from the signatures
// that queued them.
func (o *Outbox) update(ctx context.Context, query string, args ...any) error {
	return o.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return consult.ErrNotFound
		}
		return nil
	})
}

const mailColumns = `id, to_addr, subject, body, created_at, send_after, attempts, last_error, sent_at`

func queryMail(ctx context.Context, q querier, query string, args ...any) ([]consult.Mail, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []consult.Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

func scanMail(rows *sql.Rows) (consult.Mail, error) {
	var m consult.Mail
	var created, after, sent sql.NullString
	err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &created, &after, &m.Attempts, &m.LastError, &sent)
	if err != nil {
		return m, err
	}
	var errs [3]error
	m.CreatedAt, errs[0] = parseTime(created)
	m.SendAfter, errs[1] = parseTime(after)
	m.SentAt, errs[2] = parseTime(sent)
	return m, errors.Join(errs[:]...)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// SearchMail returns the page of mails q matches, newest first, and their
// number. Mail held until after q.Now is left out of both: queued to wait,
// untried, such as the threshold notice of a sealed petition, whose very
// presence would tell staff the count. A failed mail waiting for its retry
// is not held: admins need to see it.
func (o *Outbox) SearchMail(ctx context.Context, q consult.MailQuery) ([]consult.Mail, int, error) {
	where := []string{`NOT (sent_at IS NULL AND attempts = 0 AND send_after > ?)`}
	args := []any{fmtTime(q.Now)}
	switch q.Status {
	case consult.MailSent:
		where = append(where, "sent_at IS NOT NULL")
	case consult.MailFailed:
		where = append(where, "sent_at IS NULL AND attempts > 0")
	case consult.MailQueued:
		where = append(where, "sent_at IS NULL AND attempts = 0")
	}
	if q.To != "" {
		where, args = append(where, `lower(to_addr) LIKE ? ESCAPE '\'`), append(args, consult.Like(q.To))
	}
	if q.Limit < 1 {
		q.Limit = defaultMailLimit
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	var ms []consult.Mail
	err := o.db.withReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`+cond, args...).Scan(&total); err != nil {
			return err
		}
		var err error
		ms, err = queryMail(ctx, tx, `SELECT `+mailColumns+` FROM outbox`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`,
			append(args, q.Limit, q.Offset)...)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search mail: %w", err)
	}
	return ms, total, nil
}
