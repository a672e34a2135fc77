package ballot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// ErrBlockedDomain means the council refuses signatures from the email's
// domain (or a domain it belongs to).
var ErrBlockedDomain = errors.New("signatures from this email domain are not accepted")

// ReviewReason says why a signature is held for a moderator. A held
// signature is saved and its email confirmed as usual, but it is counted
// only once a moderator approves it. The signer is told honestly that it
// was received and counts once checked (Confirmation.Held), never why: a
// bot that learns which signal caught it would simply stop sending it.
type ReviewReason string

// Review reasons; the empty reason means the signature is not held.
const (
	ReviewNone     ReviewReason = ""
	ReviewHoneypot ReviewReason = "honeypot" // the hidden "leave blank" field was filled in
	ReviewTooFast  ReviewReason = "fast"     // the form came back sooner than a person could fill it
	ReviewTiming   ReviewReason = "timing"   // the form's signed render time was missing or altered
)

// Describe says what a reason means, for the moderator's list.
func (r ReviewReason) Describe() string {
	switch r {
	case ReviewHoneypot:
		return "Filled in the hidden field that people leave blank"
	case ReviewTooFast:
		return "Sent within seconds of the form being shown"
	case ReviewTiming:
		return "The form's timing check was missing or altered"
	case ReviewNone:
		return ""
	}
	return string(r)
}

// Confirmation is what confirming a signature did.
type Confirmation struct {
	Petition *Petition
	// Already is true when the signature had been confirmed before, so
	// nothing more was counted.
	Already bool
	// Held is true while the signature is held for a moderator's check: it
	// is confirmed, and counts once approved.
	Held bool
}

// BlockedDomain is one entry of the council's block list.
type BlockedDomain struct {
	Domain    string // lower case, no @
	Reason    string
	AddedBy   string
	CreatedAt time.Time
}

// NormaliseDomain returns an email domain as the block list keeps it: lower
// case, without a leading "@" or "*.", and shaped like a real domain (dot-
// separated labels of letters, digits and hyphens, at least two of them).
// An international domain is kept in its UTS #46 ASCII (punycode) form, as
// email addresses are compared (consult.NormaliseEmail). It returns "" for
// anything else, hidden characters and full-width dots included.
func NormaliseDomain(s string) string {
	if consult.EmailHidden(s) {
		return ""
	}
	d := strings.ToLower(strings.TrimSpace(s))
	d = strings.TrimPrefix(strings.TrimPrefix(d, "@"), "*.")
	d = consult.ASCIIDomain(strings.TrimSuffix(d, "."))
	if len(d) == 0 || len(d) > 253 {
		return ""
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return ""
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return ""
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return ""
			}
		}
	}
	return d
}

// DomainSuffixes returns the block-list entries that would cover an email
// address's domain: the domain itself and each parent with at least two
// labels ("a.spam.example" → "a.spam.example", "spam.example").
func DomainSuffixes(email string) []string {
	d := EmailDomain(email)
	var out []string
	for {
		out = append(out, d)
		i := strings.IndexByte(d, '.')
		if i < 0 || !strings.Contains(d[i+1:], ".") {
			return out
		}
		d = d[i+1:]
	}
}

// ValidateBlockedDomain checks a block-list entry as typed.
func ValidateBlockedDomain(b *BlockedDomain) error {
	ve := &ValidationError{}
	if NormaliseDomain(b.Domain) == "" {
		ve.Add("domain", "Enter an email domain, like spam.example")
	}
	ve.Text("reason", "Reason", b.Reason, "Give the reason for blocking this domain", 500)
	return ve.Err()
}

// Activity is a petition's signing activity, for spotting bursts.
type Activity struct {
	Since time.Time
	// Hours has one entry per hour from Since to now, oldest first,
	// including empty hours.
	Hours []HourCount
	// Postcodes are the postcodes with the most live (pending, confirmed
	// or held) signatures, most first.
	Postcodes []PostcodeCount
	// Held is how many signatures wait for a moderator.
	Held int
}

// HourCount is the online signatures made in one hour.
type HourCount struct {
	Hour time.Time // the start of the hour, UTC
	Made int       // signatures made (any status now)
	Held int       // of those, still held for review
}

// PostcodeCount is the live signatures from one postcode.
type PostcodeCount struct {
	Postcode string
	Ward     string
	Count    int
}

// SignatureReview is what moderators need against scripted signing.
type SignatureReview interface {
	// HeldSignatures lists a petition's signatures held for review,
	// oldest first, with their ReviewReason.
	HeldSignatures(ctx context.Context, petitionID int64) ([]*Signature, error)
	// HeldCounts is how many signatures each petition has held for
	// review, for petitions with any.
	HeldCounts(ctx context.Context) (map[int64]int, error)
	// ApproveSignature releases a held signature. If its email is already
	// confirmed it is counted now, in the same way a confirmation counts
	// (ward counter, milestones, the threshold moment); otherwise it counts
	// when confirmed. It returns ErrNotFound if the signature is not held.
	ApproveSignature(ctx context.Context, petitionID, signatureID int64, actor string) error
	// RejectSignature invalidates a held signature; it was never counted.
	// It returns ErrNotFound if the signature is not held.
	RejectSignature(ctx context.Context, petitionID, signatureID int64, actor string) error
	// SignatureActivity returns online signatures made per hour since
	// since, and the top postcodes (at most top).
	SignatureActivity(ctx context.Context, petitionID int64, since time.Time, top int) (*Activity, error)
}

// DomainBlockList keeps the email domains whose signatures are refused.
// Changes are audited.
type DomainBlockList interface {
	// BlockedDomains lists the block list by domain.
	BlockedDomains(ctx context.Context) ([]BlockedDomain, error)
	// BlockDomain adds a domain. It returns a *ValidationError or ErrDuplicate.
	BlockDomain(ctx context.Context, b *BlockedDomain, actor string) error
	// UnblockDomain removes a domain. It returns ErrNotFound.
	UnblockDomain(ctx context.Context, domain, actor string) error
}
