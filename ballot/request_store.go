package ballot

import (
	"context"
	"time"
)

// RequestFilter selects published requests for /requests.
type RequestFilter struct {
	Status     RequestStatus // "" for every public status
	ContractID int64         // 0 for every contract
	Now        time.Time     // the moment overdue is judged at
	Limit      int           // 0 for no limit
	Offset     int
}

// RequestFollow is what a follower's confirmation link has done.
type RequestFollow struct {
	Request *InfoRequest
	Already bool // confirmed before: nothing changed
}

// RequestStore keeps information requests and their followers. Council
// actions name the acting staff member (actor), are audited and queue the
// asker's and followers' mail in the same transaction.
type RequestStore interface {
	// Ask saves an unconfirmed request on a contract and queues the
	// confirmation mail to the asker. It sets r.ID. It returns ErrNotFound
	// for an unknown contract or a *ValidationError; nothing is saved then.
	Ask(ctx context.Context, r *InfoRequest, baseURL string) error
	// RequestLink returns the request an asker's confirmation link names,
	// changing nothing. It returns ErrTokenInvalid for a link that names
	// none or has expired.
	RequestLink(ctx context.Context, token string) (*InfoRequest, error)
	// ConfirmRequest receives the request the link names: it starts the
	// clock and waits for moderation; staff are mailed. A second visit is
	// not an error (already is true). It returns ErrTokenInvalid.
	ConfirmRequest(ctx context.Context, token string) (r *InfoRequest, already bool, err error)
	// Request returns one request, whatever its state, or ErrNotFound.
	Request(ctx context.Context, id int64) (*InfoRequest, error)
	// PublicRequests lists published requests matching f, newest received
	// first, and how many match in all.
	PublicRequests(ctx context.Context, f RequestFilter) ([]*InfoRequest, int, error)
	// StaffRequests lists the requests awaiting moderation or an answer,
	// the oldest received first.
	StaffRequests(ctx context.Context) ([]*InfoRequest, error)
	// PublishRequest publishes a request awaiting moderation.
	// RejectRequest rejects one with a reason. AnswerRequest and
	// RefuseRequest close a published one. Each mails the asker (and,
	// for an answer or refusal, the followers) and returns ErrNotFound,
	// ErrBadTransition or a *ValidationError.
	PublishRequest(ctx context.Context, id int64, actor string) error
	RejectRequest(ctx context.Context, id int64, reason, actor string) error
	AnswerRequest(ctx context.Context, id int64, answer, actor string) error
	RefuseRequest(ctx context.Context, id int64, exemption, explanation, actor string) error
	// Follow queues a confirmation mail to email for a published request;
	// nothing counts until it is confirmed. It answers the same whether or
	// not the address already follows. It returns ErrNotFound (also for a
	// request that is not public), ErrBadTransition once the request is
	// answered or refused, or a *ValidationError.
	Follow(ctx context.Context, requestID int64, email, baseURL string) error
	// FollowLink returns what a follower's link names, changing nothing.
	FollowLink(ctx context.Context, token string) (*RequestFollow, error)
	// ConfirmFollow confirms a follower. It returns ErrTokenInvalid.
	ConfirmFollow(ctx context.Context, token string) (*RequestFollow, error)
	// StopLink returns the request a follower's stop link names and
	// whether it was stopped already, changing nothing. StopFollowing
	// stops the mail to that address about that request. Both return
	// ErrTokenInvalid.
	StopLink(ctx context.Context, token string) (r *InfoRequest, stopped bool, err error)
	StopFollowing(ctx context.Context, token string) (*InfoRequest, error)
}

// ValidateFollower checks the email a follower typed.
func ValidateFollower(email string) error {
	ve := &ValidationError{}
	ve.Email("email", email)
	return ve.Err()
}
