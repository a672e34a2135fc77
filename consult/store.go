package consult

import (
	"context"
	"time"
)

// Tally is the public count of a consultation's answers. Stores keep it as
// counters written in each response's own transaction; reading it never
// counts rows.
type Tally struct {
	ResponseCount int
	// PaperCount is how many of the responses were entered from paper forms.
	PaperCount int
	// Questions maps a question id to its counts.
	Questions map[int64]QuestionTally
}

// QuestionTally counts the answers to one question.
type QuestionTally struct {
	Answered int // responses that answered this question
	// Counts maps an option id (choice questions) or a scale point 1..5 to
	// how many chose it. Free-text questions have no counts.
	Counts map[int64]int
}

// Filter narrows a list of consultations.
type Filter struct {
	// Public limits the list to consultations the public can see (not drafts).
	Public bool
}

// Store keeps consultations and their responses. Council actions take the
// acting staff member's email as actor, and the store appends them to the
// audit log in the same transaction as the change.
type Store interface {
	// CreateConsultation saves a new draft and sets c.ID. It returns a
	// *ValidationError for bad fields and ErrDuplicate when the slug is taken.
	CreateConsultation(ctx context.Context, c *Consultation, actor string) error
	// UpdateConsultation saves the fields of a draft (not its questions). It
	// returns ErrNotFound, ErrNotDraft or a *ValidationError.
	UpdateConsultation(ctx context.Context, c *Consultation, actor string) error
	// AddQuestion appends a question to a draft and sets q.ID and its option
	// ids. It returns ErrNotFound, ErrNotDraft or a *ValidationError.
	AddQuestion(ctx context.Context, slug string, q *Question, actor string) error
	// DeleteQuestion removes a question from a draft. It returns ErrNotFound or ErrNotDraft.
	DeleteQuestion(ctx context.Context, slug string, questionID int64, actor string) error
	// Consultation returns one consultation with its questions, outcome and
	// decision. It returns ErrNotFound.
	Consultation(ctx context.Context, slug string) (*Consultation, error)
	// Consultations lists consultations, newest first, without questions.
	Consultations(ctx context.Context, f Filter) ([]*Consultation, error)
	// Open moves a draft to open (scheduled if OpensAt is ahead). It returns
	// ErrNotFound, ErrBadTransition or a *ValidationError from CanOpen.
	Open(ctx context.Context, slug, actor string) error
	// Close closes an open consultation. It returns ErrNotFound or ErrBadTransition.
	Close(ctx context.Context, slug, actor string) error
	// PublishOutcome publishes "We asked, you said, we did" for a closed
	// consultation. It returns ErrNotFound, ErrBadTransition or a *ValidationError.
	PublishOutcome(ctx context.Context, slug string, o Outcome, actor string) error
	// RecordDecision records the outsourcing decision through the decision
	// gate. It returns ErrNotFound, ErrDecisionGate, ErrBadTransition or a
	// *ValidationError.
	RecordDecision(ctx context.Context, slug string, d Decision, actor string) error
	// AddResponse validates and saves a response and updates the tallies in
	// one transaction, setting r.ID, r.Receipt and r.CreatedAt. On any error
	// nothing is saved. It returns ErrNotFound, ErrNotOpen, a
	// *ValidationError (including a postcode outside the council's list, and
	// a code that is not right or already used, on field "code"),
	// ErrAlreadyResponded for a paper response with a repeated email, or
	// ErrDuplicate for a paper serial already entered. An online response
	// with an email that has already responded saves nothing, mails the
	// address to say so, and returns nil with r.Receipt empty: the answer
	// never tells whether a person took part (the receipt of a response
	// with an email goes by mail).
	AddResponse(ctx context.Context, slug string, r *Response) error
	// AddCodes stores the keyed hashes of new codes for a consultation whose
	// audience is holders of a code. It returns ErrNotFound, or
	// ErrBadTransition once the consultation has closed.
	AddCodes(ctx context.Context, slug string, hashes [][]byte, actor string) error
	// PaperEntries counts the paper responses of a consultation by the staff
	// member who entered them, most first. Paper responses entered before
	// staff were recorded count under "". It returns ErrNotFound.
	PaperEntries(ctx context.Context, slug string) ([]StaffCount, error)
	// Tally returns the counters of a consultation. It returns ErrNotFound.
	Tally(ctx context.Context, slug string) (*Tally, error)
	// Responses calls fn for each response of a consultation in the order
	// they were saved, answers included, stopping at fn's first error.
	Responses(ctx context.Context, slug string, fn func(*Response) error) error
	// OutcomeSubscribers counts the respondents who gave an email and asked
	// to be told when the outcome is published. It returns ErrNotFound.
	OutcomeSubscribers(ctx context.Context, slug string) (int, error)
	ThemeStore
	CorrectionStore
	RevisionStore
	QuestionEditor
}

// StaffCount is how many of something one staff member did.
type StaffCount struct {
	Staff string // the staff member's email
	Count int
}

// Role is a council staff member's role.
type Role string

// Roles. Admins may do everything; moderators review and watch but do not
// create, open, close or publish.
const (
	RoleAdmin     Role = "admin"
	RoleModerator Role = "moderator"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleModerator }

// User is a council staff account. Residents have no accounts.
type User struct {
	ID           int64
	Email        string // normalised
	Role         Role
	PasswordHash string // PHC string, argon2id; empty until an invited person sets it
	CreatedAt    time.Time
	DisabledAt   time.Time // zero while the account may sign in
	// SessionsFrom voids every session signed in before it: set when the
	// account is disabled or its password changes.
	SessionsFrom time.Time
}

// UserStore keeps staff accounts.
type UserStore interface {
	// CreateUser saves u and sets u.ID. It returns ErrDuplicate when the
	// email is taken. actor is who created it ("cli" from the command line).
	CreateUser(ctx context.Context, u *User, actor string) error
	// UserByEmail returns ErrNotFound when no account has that email.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// User returns ErrNotFound when no account has that id.
	User(ctx context.Context, id int64) (*User, error)
	// CountUsers returns how many staff accounts exist.
	CountUsers(ctx context.Context) (int, error)
	StaffStore
}

// AuditEntry is one link of the append-only audit log. Hash covers every
// other field, PrevHash included, so changing or removing an entry breaks
// the chain at that point.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Actor    string // staff email, "system" or "cli"
	Action   string // e.g. "consultation.open"
	Subject  string // e.g. "consultation:parks"
	Detail   string
	PrevHash string
	Hash     string
}

// AuditLog reads the audit log. Entries are appended by the stores inside
// the transaction of the change they record.
type AuditLog interface {
	// AuditEntries returns up to limit entries, newest first.
	AuditEntries(ctx context.Context, limit int) ([]AuditEntry, error)
	// SearchAudit returns a page of the entries q matches, newest first,
	// and how many it matches in all.
	SearchAudit(ctx context.Context, q AuditQuery) ([]AuditEntry, int, error)
	// VerifyAudit checks the whole chain. It returns the id of the first
	// broken entry (0 when the chain is whole) and how many entries it checked.
	VerifyAudit(ctx context.Context) (brokenAt int64, checked int, err error)
}
