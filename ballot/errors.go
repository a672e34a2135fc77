// Package ballot holds OurSay's recall domain: contracts (the recall
// target), recall petitions, their signatures, counts and thresholds, and
// recall ballots. It is pure Go: types, rules as methods and functions that
// return what should happen (a Signing to store, the Effects of a count),
// validation, mail texts and links, and the store interfaces the db package
// implements. Its only import of OurSay's is consult.
//
// # Shared vocabulary
//
// consult owns the words both domains use: the sentinel errors ErrNotFound,
// ErrDuplicate and ErrBadTransition, ValidationError, Publisher, the
// postcode normaliser and NewReceipt. ballot names them
// through aliases, so ballot.ErrNotFound is consult.ErrNotFound and
// ballot.ValidationError is consult.ValidationError: each is declared once,
// and errors.Is and errors.As in web and db match either domain's errors
// with one test. Why consult rather than a package of its own: consult
// already holds what every part of OurSay shares (the staff accounts and
// the audit log), so a third domain-level package would add an import
// arrow and a name without removing one; and ballot's stores already write
// consult's Mail and audit entries. Errors whose meaning differs by
// domain (ErrNotOpen: a petition not taking signatures, a consultation not
// taking responses) stay separate.
package ballot

import (
	"errors"

	"github.com/oursay/oursay/consult"
)

// ValidationError carries a message per form field; it is consult's.
type ValidationError = consult.ValidationError

// Sentinel errors; callers test with errors.Is.
var (
	// ErrNotFound means no row matched. It is consult.ErrNotFound.
	ErrNotFound = consult.ErrNotFound
	// ErrDuplicate means a unique value is taken (sheet and line, say). It
	// is consult.ErrDuplicate.
	ErrDuplicate = consult.ErrDuplicate
	// ErrBadTransition means the lifecycle step is not allowed from the
	// current state. It is consult.ErrBadTransition.
	ErrBadTransition = consult.ErrBadTransition
	// ErrAlreadySigned means this person has already signed this petition:
	// the same normalised email online, or the same name and postcode on paper.
	ErrAlreadySigned = errors.New("this petition has already been signed by this person")
	// ErrNotOpen means the petition is not taking signatures now.
	ErrNotOpen = errors.New("this petition is not open for signatures")
	// ErrTokenInvalid means a confirmation or withdrawal link is unknown or has expired.
	ErrTokenInvalid = errors.New("this link is not valid: it may have expired or been mistyped")
	// ErrCodeUsed means the voter code has already been used to vote.
	ErrCodeUsed = errors.New("this voter code has already been used")
	// ErrCodeUnknown means no such voter code exists for this ballot.
	ErrCodeUnknown = errors.New("this voter code is not right: check it against your letter")
	// ErrOutsideArea means the postcode is not in the council's list.
	ErrOutsideArea = errors.New("this postcode is not in the council's area")
)

// NormalisePostcode returns a UK postcode in standard form ("SW1A 1AA"), or
// "" when s is not shaped like one. It is consult.NormalisePostcode.
var NormalisePostcode = consult.NormalisePostcode

// EmailLooksValid is a light syntax check; the confirmation email is the
// real one. It is consult.EmailLooksValid.
var EmailLooksValid = consult.EmailLooksValid

// NewReceipt returns a random vote receipt, printed in groups of four. It
// is consult.NewReceipt.
var NewReceipt = consult.NewReceipt

// ReceiptLength is the number of symbols in a receipt; it is
// consult.ReceiptLength.
const ReceiptLength = consult.ReceiptLength
