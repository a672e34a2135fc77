package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/oursay/oursay/consult"
)

// Staff accounts managed in the browser: invitations, roles, disabling,
// and single-use links to set a password. Every change is audited in its
// own transaction.

func userSubject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// Users returns every staff account, oldest first.
func (s *UserStore) Users(ctx context.Context) ([]*consult.User, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []*consult.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// InviteUser saves u with no password, its invitation link and mail.
func (s *UserStore) InviteUser(ctx context.Context, u *consult.User, t consult.PasswordToken, m consult.Mail, actor string) error {
	u.Email = consult.NormaliseEmail(u.Email)
	if err := consult.ValidateInvite(u.Email, u.Role); err != nil {
		return fmt.Errorf("invite user: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, role, password_hash, created_at) VALUES (?, ?, '', ?)`,
			u.Email, string(u.Role), fmtTime(now))
		if err != nil {
			return mapErr(err)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		u.CreatedAt = now
		if err := saveToken(ctx, tx, now, u.ID, t); err != nil {
			return err
		}
		if err := enqueueMail(ctx, tx, now, m); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "user.invite", userSubject(u.ID), u.Email+" as "+string(u.Role))
	})
	if err != nil {
		return fmt.Errorf("invite user: %w", err)
	}
	return nil
}

func saveToken(ctx context.Context, tx *sql.Tx, now time.Time, userID int64, t consult.PasswordToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO password_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, userID, t.Purpose, fmtTime(now), fmtTime(t.ExpiresAt))
	return err
}

// SetRole changes the role of account id.
func (s *UserStore) SetRole(ctx context.Context, id int64, role consult.Role, actor string) error {
	if !role.Valid() {
		return fmt.Errorf("set role: %w", &consult.ValidationError{Fields: map[string]string{"role": "Select the staff member's role"}})
	}
	return s.update(ctx, "set role", id, actor, "user.role", string(role), `UPDATE users SET role = ? WHERE id = ? RETURNING email`, string(role), id)
}

// SetDisabled disables or re-enables account id.
func (s *UserStore) SetDisabled(ctx context.Context, id int64, disabled bool, actor string) error {
	if !disabled {
		return s.update(ctx, "enable user", id, actor, "user.enable", "", `UPDATE users SET disabled_at = NULL WHERE id = ? RETURNING email`, id)
	}
	return s.update(ctx, "disable user", id, actor, "user.disable", "",
		`UPDATE users SET disabled_at = ?1, sessions_from = ?1 WHERE id = ?2 RETURNING email`, fmtTime(s.db.now()), id)
}

// ChangePassword sets the password hash of account id and ends its
// sessions (the caller renews its own).
func (s *UserStore) ChangePassword(ctx context.Context, id int64, hash, actor string) error {
	if hash == "" {
		return fmt.Errorf("change password: %w", &consult.ValidationError{Fields: map[string]string{"password": "Enter a new password"}})
	}
	return s.update(ctx, "change password", id, actor, "user.password_change", "", `UPDATE users SET password_hash = ?, sessions_from = ? WHERE id = ? RETURNING email`, hash, fmtTime(s.db.now()), id)
}

// update runs one UPDATE … RETURNING email on an account and audits it;
// the detail is the email, then detail.
func (s *UserStore) update(ctx context.Context, what string, id int64, actor, action, detail, query string, args ...any) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var email string
		if err := tx.QueryRowContext(ctx, query, args...).Scan(&email); err != nil {
			return mapErr(err)
		}
		if detail != "" {
			email += ": " + detail
		}
		return appendAudit(ctx, tx, now, actor, action, userSubject(id), email)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// resetGap is the least time between two reset mails to one account, so
// the form cannot be used to flood a mailbox.
const resetGap = 5 * time.Minute

// RequestReset saves t and queues m when email is an active account that
// has had no reset link in the last five minutes.
func (s *UserStore) RequestReset(ctx context.Context, email string, t consult.PasswordToken, m consult.Mail) (bool, error) {
	sent := false
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ? AND disabled_at IS NULL`, consult.NormaliseEmail(email)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var recent int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM password_tokens WHERE user_id = ? AND purpose = 'reset' AND created_at > ?`,
			id, fmtTime(now.Add(-resetGap))).Scan(&recent); err != nil || recent > 0 {
			return err
		}
		if err := saveToken(ctx, tx, now, id, t); err != nil {
			return err
		}
		if err := enqueueMail(ctx, tx, now, m); err != nil {
			return err
		}
		sent = true
		return appendAudit(ctx, tx, now, consult.NormaliseEmail(email), "user.reset_request", userSubject(id), "a reset link was mailed")
	})
	if err != nil {
		return false, fmt.Errorf("request reset: %w", err)
	}
	return sent, nil
}

// usableToken is the account a link is for, if the link is unused, in
// date and the account active.
const usableToken = `SELECT t.user_id FROM password_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ? AND u.disabled_at IS NULL`

// TokenUser returns the account a usable link is for.
func (s *UserStore) TokenUser(ctx context.Context, hash string) (*consult.User, error) {
	var id int64
	if err := s.db.reader.QueryRowContext(ctx, usableToken, hash, fmtTime(s.db.now())).Scan(&id); err != nil {
		return nil, fmt.Errorf("token user: %w", mapErr(err))
	}
	return s.User(ctx, id)
}

// UsePasswordToken sets the password through a usable link and spends
// every link of the account, in one transaction.
func (s *UserStore) UsePasswordToken(ctx context.Context, hash, passwordHash string) (*consult.User, error) {
	var id int64
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var purpose, email string
		if err := tx.QueryRowContext(ctx, usableToken, hash, fmtTime(now)).Scan(&id); err != nil {
			return mapErr(err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT purpose FROM password_tokens WHERE token_hash = ?`, hash).Scan(&purpose); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, fmtTime(now), id); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = ?, sessions_from = ? WHERE id = ? RETURNING email`, passwordHash, fmtTime(now), id).Scan(&email); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, email, "user.password_set", userSubject(id), "through an emailed "+purpose+" link")
	})
	if err != nil {
		return nil, fmt.Errorf("use password link: %w", err)
	}
	return s.User(ctx, id)
}
