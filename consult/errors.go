// Package consult holds OurSay's consultation domain: consultations, the
// outsourcing record shown beside them, questions, responses, tallies, the
// published outcome and the outsourcing decision. It also holds the council
// staff accounts and the audit log, which every other part of OurSay shares.
//
// The package is pure Go: types, rules as functions, validation and the store
// interfaces that the db package implements. It imports no other package of
// OurSay's.
//
// It also owns the vocabulary that ballot shares rather than copies: the
// sentinel errors common to both domains (ErrNotFound, ErrDuplicate,
// ErrBadTransition), ValidationError, Publisher, NormalisePostcode and
// NewReceipt. See ballot's package doc for why the home is here.
package consult

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Stores and services wrap these; callers test with errors.Is.
var (
	// ErrNotFound means no row matched the slug or id asked for.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique value (slug, email, paper serial) is taken.
	ErrDuplicate = errors.New("already exists")
	// ErrNotOpen means the consultation is not taking responses now.
	ErrNotOpen = errors.New("consultation is not open for responses")
	// ErrAlreadyResponded means this email (or code) has already answered.
	ErrAlreadyResponded = errors.New("a response has already been given with this email address")
	// ErrNotDraft means the change is allowed only while the consultation is a draft.
	ErrNotDraft = errors.New("only a draft consultation can be changed")
	// ErrBadTransition means the lifecycle step asked for is not allowed from the current state.
	ErrBadTransition = errors.New("that step is not allowed at this stage")
	// ErrDecisionGate means an outsourcing decision was attempted before the
	// consultation closed and its outcome was published, or without the
	// in-house comparison.
	ErrDecisionGate = errors.New("a decision can be recorded only after the consultation has closed and its outcome is published, with the in-house comparison")
	// ErrBadCredentials means a sign-in failed; it never says which part was wrong.
	ErrBadCredentials = errors.New("email address or password is not right")
)

// ValidationError carries a message per field, keyed by the form field name
// ("title", "q12", "email"). It is what every form and JSON endpoint shows.
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

// Add records msg for field unless the field already has a message, so the
// first (most basic) problem is the one shown.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// Text adds msg for field when s is blank, and a length message naming the
// field by label ("Title must be 200 characters or fewer") when it is longer
// than max characters.
func (e *ValidationError) Text(field, label, s, msg string, max int) {
	if strings.TrimSpace(s) == "" {
		e.Add(field, msg)
		return
	}
	e.Max(field, label, s, max)
}

// Email adds a message for field when s is blank or not shaped like an
// email address (see EmailLooksValid).
func (e *ValidationError) Email(field, s string) {
	switch {
	case strings.TrimSpace(s) == "":
		e.Add(field, "Enter an email address")
	case EmailHidden(s):
		e.Add(field, "Email address must not contain hidden characters or full-width dots. Type it again, like name@example.com")
	case !EmailLooksValid(s):
		e.Add(field, "Enter an email address in the correct format, like name@example.com")
	}
}

// Max adds a length message naming the field by label when s is longer than
// max characters; a blank s is fine.
func (e *ValidationError) Max(field, label, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		e.Add(field, TooLong(label, max))
	}
}

// TooLong is the message for text over its limit, in GOV.UK's words:
// "Summary must be 5,000 characters or fewer".
func TooLong(label string, max int) string {
	return label + " must be " + groupDigits(max) + " characters or fewer"
}

// GroupDigits writes n with commas between thousands, as GOV.UK writes
// numbers: 10000 → "10,000".
func GroupDigits(n int) string { return groupDigits(n) }

// groupDigits writes n with commas between thousands: 10000 → "10,000".
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Err returns e when it holds any message and nil otherwise.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}
