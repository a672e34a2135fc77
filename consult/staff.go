package consult

import (
	"context"
	"time"
	"unicode/utf8"
)

// Staff account rules: the council's own people, managed by its admins in
// the browser (the first account comes from `oursay admin create`).

// MinPassword is the shortest staff password accepted, in characters.
const MinPassword = 12

// Links to set a password: an invitation lasts a week, a reset an hour.
// Each works once.
const (
	InviteLinkLife = 7 * 24 * time.Hour
	ResetLinkLife  = time.Hour
)

// Purposes of a password link.
const (
	TokenInvite = "invite"
	TokenReset  = "reset"
)

// PasswordToken is a single-use link to set a password. Only the SHA-256
// of the token is kept; the token itself is in the mail alone.
type PasswordToken struct {
	Hash      string
	Purpose   string
	ExpiresAt time.Time
}

// Active reports whether the account may sign in: not disabled.
func (u *User) Active() bool { return u.DisabledAt.IsZero() }

// Invited reports whether the account has not yet set its password.
func (u *User) Invited() bool { return u.PasswordHash == "" }

// ValidatePassword checks a new password and its repetition as typed.
func ValidatePassword(pw, again string) error {
	ve := &ValidationError{}
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		ve.Add("password", "Enter a new password")
	case n < MinPassword:
		ve.Add("password", "Password must be 12 characters or more")
	case n > 1000:
		ve.Add("password", "Password must be 1,000 characters or fewer")
	case pw != again:
		ve.Add("password_again", "The passwords do not match: type the same password twice")
	}
	return ve.Err()
}

// ValidateInvite checks a new staff member's email address and role.
func ValidateInvite(email string, role Role) error {
	ve := &ValidationError{}
	ve.Email("email", email)
	if !role.Valid() {
		ve.Add("role", "Select the staff member's role")
	}
	return ve.Err()
}

// InviteMail invites a new staff member to set a password.
func InviteMail(email string, role Role, link string, expires time.Time) Mail {
	return Mail{To: email, Subject: "You have been invited to OurSay",
		Body: "This is the council's consultation site, OurSay. A council administrator has made you a staff account (" +
			roleName(role) + ") for " + email + ".\n\n" +
			"To start, set your password. This link works once, until " + expires.UTC().Format("15:04 MST on 2 January 2006") + ":\n" +
			link + "\n\nIf you were not expecting this, you do not need to do anything.\n"}
}

// ResetMail carries a single-use link to reset a forgotten password.
func ResetMail(email, link string) Mail {
	return Mail{To: email, Subject: "Reset your OurSay password",
		Body: "Someone asked to reset the password of the OurSay staff account for " + email + ".\n\n" +
			"To choose a new password, open this link. It works once, within an hour:\n" + link + "\n\n" +
			"If this was not you, you do not need to do anything: your password has not changed.\n"}
}

func roleName(r Role) string {
	if r == RoleAdmin {
		return "administrator"
	}
	return "moderator"
}

// StaffStore manages staff accounts beyond the first.
type StaffStore interface {
	// Users returns every account, oldest first.
	Users(ctx context.Context) ([]*User, error)
	// InviteUser saves u with no password yet, its invitation link t and
	// mail m, in one transaction. ErrDuplicate when the email is taken.
	InviteUser(ctx context.Context, u *User, t PasswordToken, m Mail, actor string) error
	// SetRole changes an account's role.
	SetRole(ctx context.Context, id int64, role Role, actor string) error
	// SetDisabled disables (true) or re-enables an account.
	SetDisabled(ctx context.Context, id int64, disabled bool, actor string) error
	// ChangePassword sets the password of account id.
	ChangePassword(ctx context.Context, id int64, hash, actor string) error
	// RequestReset saves t and queues m when email is an active account;
	// for any other address it does nothing and says so only by sent.
	RequestReset(ctx context.Context, email string, t PasswordToken, m Mail) (sent bool, err error)
	// TokenUser returns the account a usable link is for: ErrNotFound for
	// a link unknown, used or expired.
	TokenUser(ctx context.Context, hash string) (*User, error)
	// UsePasswordToken sets the password through a usable link and spends
	// it, and every other link of the account.
	UsePasswordToken(ctx context.Context, hash, passwordHash string) (*User, error)
}
