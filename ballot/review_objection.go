package ballot

import (
	"context"
	"strings"
	"time"
)

// Objection is a resident's objection to a published good-reason
// exemption, made during the review's challenge window. It counts once
// the resident confirms their email address from the link mailed to them,
// as a signature does.
type Objection struct {
	ID          int64
	ReviewID    int64
	Name        string
	Email       string
	Reason      string
	CreatedAt   time.Time
	ConfirmedAt time.Time // zero until confirmed
}

// Validate checks the objection as a resident types it.
func (o *Objection) Validate() error {
	ve := &ValidationError{}
	ve.Text("name", "Full name", o.Name, "Enter your full name", 200)
	ve.Email("email", o.Email)
	ve.Text("reason", "Your objection", o.Reason, "Enter why you object to the exemption", 5000)
	return ve.Err()
}

// CanObject checks that residents may object to r at now: it is published
// with a good-reason exemption whose challenge window is open. It returns
// ErrBadTransition otherwise.
func (r *ContractReview) CanObject(now time.Time) error {
	if !r.ChallengeOpen(now) {
		return ErrBadTransition
	}
	return nil
}

// ObjectionStore keeps objections to reviews. Each mail is queued in the
// transaction that saves what it is about.
type ObjectionStore interface {
	// Object saves an unconfirmed objection to a review and queues the
	// confirmation mail. It returns ErrNotFound, ErrBadTransition when the
	// challenge window is not open (CanObject), or a *ValidationError.
	Object(ctx context.Context, o *Objection, baseURL string) error
	// ObjectionLink returns the objection a confirmation link names,
	// changing nothing, or ErrTokenInvalid.
	ObjectionLink(ctx context.Context, token string) (*Objection, error)
	// ConfirmObjection confirms it; a second visit is not an error
	// (already is true). It returns ErrTokenInvalid.
	ConfirmObjection(ctx context.Context, token string) (o *Objection, already bool, err error)
	// ObjectionCount is how many confirmed objections a review has.
	ObjectionCount(ctx context.Context, reviewID int64) (int, error)
	// Objections are a review's confirmed objections, oldest first, for
	// staff: names and emails included.
	Objections(ctx context.Context, reviewID int64) ([]*Objection, error)
}

// ObjectionConfirmMail is the mail that asks a resident to confirm their
// objection.
func ObjectionConfirmMail(o *Objection, reviewTitle, contractTitle, confirmURL string) (subject, body string) {
	return "Confirm your objection: " + contractTitle, strings.Join([]string{
		"Dear " + o.Name + ",",
		"You objected to the good-reason exemption in the council's " + strings.ToLower(reviewTitle[:1]) + reviewTitle[1:] +
			" of the contract: " + contractTitle + ".",
		"Your objection counts only once you confirm it. Open this link and press the button:",
		confirmURL,
		"If you did not object, ignore this email and nothing will happen.",
	}, "\n\n")
}

// ConfirmObjection is the link a resident confirms an objection with.
func (l Links) ConfirmObjection(token string) string {
	return l.Base + "/reviews/objections/confirm?token=" + token
}
