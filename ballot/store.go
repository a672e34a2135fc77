package ballot

import (
	"context"
	"time"
)

// ContractStore keeps the contract register. Council actions name the
// acting staff member (actor) and are audited in the same transaction.
type ContractStore interface {
	// CreateContract saves c with its KPIs and sets c.ID. It returns a *ValidationError.
	CreateContract(ctx context.Context, c *Contract, actor string) error
	// UpdateContract replaces the contract's fields and KPIs. It returns
	// ErrNotFound or a *ValidationError.
	UpdateContract(ctx context.Context, c *Contract, actor string) error
	// Contract returns one contract with its KPIs, or ErrNotFound.
	Contract(ctx context.Context, id int64) (*Contract, error)
	// Contracts lists every contract, by title, with KPIs.
	Contracts(ctx context.Context) ([]*Contract, error)
}

// Ward is a council ward, named with its GSS code.
type Ward struct {
	Code string // e.g. E05000001
	Name string
}

// PostcodeEntry is one row of the council's postcode list.
type PostcodeEntry struct {
	Postcode string // normalised
	Ward     Ward
}

// CouncilData keeps the council's postcode list and electorate figure.
type CouncilData interface {
	// ImportPostcodes replaces the postcode list in one transaction. It
	// returns a *ValidationError naming the first bad line; nothing is saved then.
	ImportPostcodes(ctx context.Context, entries []PostcodeEntry, actor string) error
	// LookupPostcode returns the ward of a normalised postcode, or ErrOutsideArea.
	LookupPostcode(ctx context.Context, postcode string) (Ward, error)
	// SetElectorate records a register snapshot.
	SetElectorate(ctx context.Context, e Electorate, actor string) error
	// Electorate returns the latest snapshot, or ErrNotFound if none.
	Electorate(ctx context.Context) (Electorate, error)
	// PostcodeCount returns how many postcodes are listed.
	PostcodeCount(ctx context.Context) (int, error)
}

// Invalidation selects signatures to invalidate in bulk: by email domain,
// or by the time they were made (From inclusive, To exclusive).
type Invalidation struct {
	Domain string
	From   time.Time
	To     time.Time
	Reason string
}

// PetitionStore keeps petitions and their signatures. Hot writes (signing,
// confirming) share group-committed transactions.
type PetitionStore interface {
	// CreatePetition saves a new unconfirmed petition for a contract and
	// queues the campaigner's confirmation email. It sets p.ID. It returns
	// ErrNotFound for an unknown contract or a *ValidationError.
	CreatePetition(ctx context.Context, p *Petition, baseURL string) error
	// ConfirmCampaigner moves an unconfirmed petition to sponsoring. A second
	// visit is not an error. It returns the petition, or ErrTokenInvalid.
	ConfirmCampaigner(ctx context.Context, token string) (*Petition, bool, error)
	// CampaignerLink returns the petition a campaigner's confirmation link
	// names, changing nothing: the link opens a page with a button, and
	// only the button confirms (mail scanners open links). It returns
	// ErrTokenInvalid for a link that names none or has expired.
	CampaignerLink(ctx context.Context, token string) (*Petition, error)
	// Petition returns one petition, or ErrNotFound.
	Petition(ctx context.Context, id int64) (*Petition, error)
	// Petitions lists petitions, newest first; public lists only published ones.
	Petitions(ctx context.Context, public bool) ([]*Petition, error)
	// ShareToken returns the sponsor link token of a petition.
	ShareToken(ctx context.Context, id int64) (string, error)
	// Sign saves a pending signature and queues its confirmation email. A
	// sponsor signs with the share token while the petition gathers
	// sponsors. A signature with a ReviewReason is saved held. When a
	// confirmed signature already has its email, or its name and postcode,
	// nothing is saved and the address is mailed to say so, and Sign
	// answers nil as for a new signature: the answer never tells whether a
	// person signed. It returns ErrNotFound, ErrNotOpen, ErrOutsideArea,
	// ErrBlockedDomain or a *ValidationError; nothing is saved then.
	Sign(ctx context.Context, petitionID int64, s *Signature, shareToken, baseURL string) error
	// Confirm confirms the signature whose token this is and counts it, in
	// one transaction that also sets ThresholdMetAt if this confirmation
	// crossed the threshold. A held signature is confirmed but not counted
	// until approved (Confirmation.Held). Pending signatures reserve
	// nothing, so it returns ErrAlreadySigned, counting nothing, when
	// another signature with the same email, or name and postcode, was
	// confirmed first; else ErrTokenInvalid or ErrNotOpen.
	Confirm(ctx context.Context, token string) (*Confirmation, error)
	// ConfirmLink returns what a confirmation link has done so far
	// (Already is true once confirmed), changing nothing, for the page the
	// link opens. It returns ErrTokenInvalid for a link that names none or
	// an expired pending signature.
	ConfirmLink(ctx context.Context, token string) (*Confirmation, error)
	// WithdrawLink returns the petition and the status of the signature a
	// withdrawal link names, changing nothing, for the page the link
	// opens. It returns ErrTokenInvalid for a link that names none.
	WithdrawLink(ctx context.Context, token string) (*Petition, SignatureStatus, error)
	// Withdraw withdraws the signature whose withdrawal token this is,
	// uncounting it; ThresholdMetAt stays. A signature may be withdrawn
	// while the petition accepts withdrawals, not after it closes. It
	// returns ErrTokenInvalid or ErrNotOpen.
	Withdraw(ctx context.Context, token string) (*Petition, error)
	// Publish opens a petition awaiting moderation: it fixes the threshold
	// from the contract's rule against the electorate snapshot and starts
	// the signing window. It returns ErrNotFound or ErrBadTransition.
	Publish(ctx context.Context, id int64, rule RecallRule, e Electorate, actor string) error
	// Reject rejects a petition awaiting moderation with a stated reason.
	Reject(ctx context.Context, id int64, reason, actor string) error
	// AddPaperSignature counts a signature from a numbered paper sheet at
	// once. It returns ErrDuplicate for a sheet and line already entered,
	// ErrAlreadySigned for a name and postcode already signed, ErrNotOpen,
	// ErrOutsideArea or a *ValidationError.
	AddPaperSignature(ctx context.Context, petitionID int64, s *Signature, actor string) error
	// Invalidate marks matching confirmed or pending signatures invalid and
	// uncounts them, with an audit entry. It returns how many changed.
	Invalidate(ctx context.Context, petitionID int64, inv Invalidation, actor string) (int, error)
	// CountByWard returns confirmed signatures per ward.
	CountByWard(ctx context.Context, petitionID int64) (map[Ward]int, error)
	SignatureReview
	DomainBlockList
}
