package ballot

import (
	"strings"
	"time"
	"unicode"

	"github.com/oursay/oursay/consult"
)

// SignatureStatus is where a signature is in its life.
type SignatureStatus string

// Signature statuses. Only confirmed signatures count.
const (
	SignaturePending     SignatureStatus = "pending"
	SignatureConfirmed   SignatureStatus = "confirmed"
	SignatureWithdrawn   SignatureStatus = "withdrawn"
	SignatureInvalidated SignatureStatus = "invalidated"
)

// Channel says how a signature arrived.
type Channel string

// Channels.
const (
	ChannelOnline Channel = "online"
	ChannelPaper  Channel = "paper" // entered by staff from a numbered sheet; counted at once
)

// Signature is one person's signature on a petition.
type Signature struct {
	ID         int64
	PetitionID int64
	Name       string
	Email      string // as typed, for sending; empty on paper
	Postcode   string // normalised
	Ward       string
	WardCode   string
	Resident   bool // the declaration of residence
	Sponsor    bool // signed through the share link before publication
	Channel    Channel
	Sheet      string // paper only
	Line       int    // paper only
	Status     SignatureStatus
	CreatedAt  time.Time
	// ReviewReason is set when bot signals held the signature for a
	// moderator; it is not counted until approved.
	ReviewReason ReviewReason
}

// Validate checks a signature as typed (online or paper).
func (s *Signature) Validate() error {
	ve := &ValidationError{}
	ve.Text("name", "Full name", s.Name, "Enter your full name", 200)
	oneLine(ve, "name", "Full name", s.Name)
	if s.Channel == ChannelPaper {
		ve.Text("sheet", "Sheet number", s.Sheet, "Enter the sheet number", 40)
		if s.Line < 1 || s.Line > 1000 {
			ve.Add("line", "Enter the line number on the sheet, from 1")
		}
	} else {
		ve.Email("email", s.Email)
	}
	if NormalisePostcode(s.Postcode) == "" {
		ve.Add("postcode", "Enter a real UK postcode, like SW1A 1AA")
	}
	if !s.Resident {
		ve.Add("resident", "Confirm that you live in the council's area")
	}
	return ve.Err()
}

// EmailKey is the form of an email address used to stop double signing:
// surrounding spaces removed, lower case, and any "+tag" dropped from the
// part before the @ (so Jo+recall@Example.org and jo@example.org are one
// person). Dots are kept: only some providers ignore them.
func EmailKey(email string) string {
	e := consult.NormaliseEmail(email)
	if !strings.Contains(e, "@") {
		return e
	}
	at := strings.LastIndexByte(e, '@')
	local, _, _ := strings.Cut(e[:at], "+")
	return local + e[at:]
}

// EmailDomain returns the part after the @, lower case, an international
// domain in its UTS #46 ASCII form.
func EmailDomain(email string) string {
	e := consult.NormaliseEmail(email)
	return e[strings.LastIndexByte(e, '@')+1:]
}

// NameKey is the form of a name used to match paper and online signatures:
// lower case, letters and digits only, words joined by single spaces.
func NameKey(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		default:
			space = true
		}
	}
	return b.String()
}

// oneLine adds a message for field when s is not one line of printable
// text: names and titles are quoted in official council mail, so a line
// break, a control character or a bidirectional override could make them
// read as the council's own words. Joiners (U+200C, U+200D), which some
// names need, are allowed.
func oneLine(ve *ValidationError, field, label, s string) {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' ||
			r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' || r == '\u200e' || r == '\u200f' {
			ve.Add(field, label+" must be one line of text, without line breaks or control characters")
			return
		}
	}
}
