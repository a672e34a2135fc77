package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// UserStore keeps council staff accounts. It implements consult.UserStore.
type UserStore struct {
	db *DB
}

var _ consult.UserStore = (*UserStore)(nil)

// NewUserStore returns the staff account store kept in d.
func NewUserStore(d *DB) *UserStore { return &UserStore{db: d} }

// CreateUser saves u with its email normalised and sets u.ID and
// u.CreatedAt, recording who created it in the audit log. It returns a
// *consult.ValidationError for a missing email, unknown role or missing
// password hash, and consult.ErrDuplicate when the email is taken.
func (s *UserStore) CreateUser(ctx context.Context, u *consult.User, actor string) error {
	u.Email = consult.NormaliseEmail(u.Email)
	ve := &consult.ValidationError{}
	if u.Email == "" || !strings.Contains(u.Email, "@") {
		ve.Add("email", "Enter an email address, such as name@council.gov.uk")
	}
	if !u.Role.Valid() {
		ve.Add("role", "Choose admin or moderator")
	}
	if u.PasswordHash == "" {
		ve.Add("password", "Enter a password")
	}
	if err := ve.Err(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, role, password_hash, created_at) VALUES (?, ?, ?, ?)`,
			u.Email, string(u.Role), u.PasswordHash, fmtTime(now))
		if err != nil {
			return mapErr(err)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		u.CreatedAt = now
		return appendAudit(ctx, tx, now, actor, "user.create",
			"user:"+strconv.FormatInt(u.ID, 10), u.Email+" as "+string(u.Role))
	})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// SetPassword replaces the password hash of the account with email,
// recording who did it in the audit log in the same transaction. It
// returns consult.ErrNotFound when there is no such account.
func (s *UserStore) SetPassword(ctx context.Context, email, hash, actor string) error {
	if hash == "" {
		return fmt.Errorf("set password: %w", &consult.ValidationError{Fields: map[string]string{"password": "Enter a password"}})
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = ? WHERE email = ? RETURNING id`,
			hash, consult.NormaliseEmail(email)).Scan(&id)
		if err != nil {
			return mapErr(err)
		}
		return appendAudit(ctx, tx, now, actor, "user.password_reset", "user:"+strconv.FormatInt(id, 10), consult.NormaliseEmail(email))
	})
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// UserByEmail returns the account with email, compared in normalised form.
// It returns consult.ErrNotFound when there is none.
func (s *UserStore) UserByEmail(ctx context.Context, email string) (*consult.User, error) {
	u, err := s.user(ctx, `email = ?`, consult.NormaliseEmail(email))
	if err != nil {
		return nil, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

// User returns the account with id. It returns consult.ErrNotFound when
// there is none.
func (s *UserStore) User(ctx context.Context, id int64) (*consult.User, error) {
	u, err := s.user(ctx, `id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("user: %w", err)
	}
	return u, nil
}

// CountUsers returns how many staff accounts exist.
func (s *UserStore) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

const userColumns = `id, email, role, password_hash, created_at, disabled_at, sessions_from`

func (s *UserStore) user(ctx context.Context, where string, arg any) (*consult.User, error) {
	u, err := scanUser(s.db.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if err != nil {
		return nil, mapErr(err)
	}
	return u, nil
}

func scanUser(row interface{ Scan(...any) error }) (*consult.User, error) {
	var u consult.User
	var created, disabled, from sql.NullString
	if err := row.Scan(&u.ID, &u.Email, &u.Role, &u.PasswordHash, &created, &disabled, &from); err != nil {
		return nil, err
	}
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if u.DisabledAt, err = parseTime(disabled); err != nil {
		return nil, err
	}
	if u.SessionsFrom, err = parseTime(from); err != nil {
		return nil, err
	}
	return &u, nil
}
