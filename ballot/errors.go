// Package ballot holds OurSay's recall domain: contracts (the recall
// target), recall petitions and their signatures and thresholds, and recall
// ballots. It is pure Go — types, rules as functions, validation and the
// store interfaces the db package implements — and imports no other package
// of OurSay's.
package ballot

import (
	"errors"
	"sort"
	"strings"
)

// Sentinel errors; callers test with errors.Is.
var (
	// ErrNotFound means no row matched.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique value is taken (sheet and line, say).
	ErrDuplicate = errors.New("already exists")
	// ErrAlreadySigned means this person has already signed this petition:
	// the same normalised email online, or the same name and postcode on paper.
	ErrAlreadySigned = errors.New("this petition has already been signed by this person")
	// ErrNotOpen means the petition is not taking signatures now.
	ErrNotOpen = errors.New("this petition is not open for signatures")
	// ErrBadTransition means the lifecycle step is not allowed from the current state.
	ErrBadTransition = errors.New("that step is not allowed at this stage")
	// ErrTokenInvalid means a confirmation or withdrawal link is unknown or has expired.
	ErrTokenInvalid = errors.New("this link is not valid: it may have expired or been mistyped")
	// ErrCodeUsed means the voter code has already been used to vote.
	ErrCodeUsed = errors.New("this voter code has already been used")
	// ErrCodeUnknown means no such voter code exists for this ballot.
	ErrCodeUnknown = errors.New("this voter code is not right: check it against your letter")
	// ErrOutsideArea means the postcode is not in the council's list.
	ErrOutsideArea = errors.New("this postcode is not in the council's area")
)

// ValidationError carries a message per form field.
type ValidationError struct {
	Fields map[string]string
}

// Error lists the field messages in a stable order.
func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records msg for field unless the field already has one.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// Err returns e when it holds any message and nil otherwise.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}
