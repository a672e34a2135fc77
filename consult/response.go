package consult

import (
	"crypto/rand"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel says how a response arrived.
type Channel string

// Channels.
const (
	ChannelOnline Channel = "online"
	ChannelPaper  Channel = "paper" // entered by staff from a numbered paper form
)

// Response is one resident's answers to a consultation.
type Response struct {
	ID             int64
	ConsultationID int64
	Receipt        string
	Channel        Channel
	PaperSerial    string // paper only: each serial is entered once
	EnteredBy      string // paper only, required: email of the staff member who typed it in
	Email          string // optional, normalised; one response per email
	Postcode       string // normalised; required when the audience is residents
	// CodeHash is the keyed hash of the code typed by a respondent to a
	// consultation for holders of a code; the code itself is never stored.
	CodeHash []byte
	// NotifyOutcome: the respondent asked to be emailed when the outcome
	// is published. It needs an email.
	NotifyOutcome bool
	Answers       map[int64]Answer
	CreatedAt     time.Time
}

// Answer is the answer to one question. Which field is used depends on the
// question's kind.
type Answer struct {
	OptionIDs []int64 // single (exactly one) and multiple
	Scale     int     // 1..5
	Text      string
}

// Empty reports whether nothing was answered.
func (a Answer) Empty() bool {
	return len(a.OptionIDs) == 0 && a.Scale == 0 && strings.TrimSpace(a.Text) == ""
}

// ValidateResponse checks r against the questions of c: required questions
// answered, options real, scale 1..5, free text within MaxTextAnswer; and the
// optional email and postcode, when given, shaped like one. It
// returns a *ValidationError keyed by question field ("q12"), or nil. It does
// not check whether c is open; that is AcceptsResponses.
func ValidateResponse(c *Consultation, r *Response) error {
	ve := &ValidationError{}
	for qid := range r.Answers {
		if c.Question(qid) == nil {
			ve.Add("answers", "An answer was given to a question this consultation does not have")
		}
	}
	for i := range c.Questions {
		q := &c.Questions[i]
		validateAnswer(ve, q, r.Answers[q.ID])
	}
	if r.Channel == ChannelPaper && strings.TrimSpace(r.PaperSerial) == "" {
		ve.Add("paper_serial", "Enter the serial number printed on the paper form")
	} else if r.Channel != ChannelPaper && r.Channel != ChannelOnline {
		ve.Add("channel", "Unknown channel")
	}
	if c.Audience == AudienceCode && len(r.CodeHash) == 0 && r.Channel != ChannelPaper {
		ve.Add("code", "Enter the code from your letter")
	}
	switch {
	case c.Audience == AudienceResidents && strings.TrimSpace(r.Postcode) == "":
		ve.Add("postcode", "Enter your postcode, such as SW1A 1AA")
	case strings.TrimSpace(r.Postcode) != "" && NormalisePostcode(r.Postcode) == "":
		ve.Add("postcode", "Enter a real UK postcode, like SW1A 1AA")
	}
	if strings.TrimSpace(r.Email) != "" {
		ve.Email("email", r.Email)
	} else if r.NotifyOutcome {
		ve.Add("email", "Enter your email address so that we can tell you the outcome, or untick ‘Email me when the outcome is published’")
	}
	return ve.Err()
}

// EmailLooksValid is a light syntax check; the confirmation email is the real one.
func EmailLooksValid(s string) bool {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	return len(s) <= 254 && at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") &&
		!strings.ContainsAny(s, " \t\r\n<>,;\"")
}

func validateAnswer(ve *ValidationError, q *Question, a Answer) {
	f := q.Field()
	if a.Empty() {
		if q.Required {
			ve.Add(f, requiredMessage(q))
		}
		return
	}
	switch q.Kind {
	case KindSingle:
		if len(a.OptionIDs) != 1 || a.Scale != 0 || a.Text != "" || !q.HasOption(a.OptionIDs[0]) {
			ve.Add(f, "Select one of the options")
		}
	case KindMultiple:
		seen := map[int64]bool{}
		for _, id := range a.OptionIDs {
			if !q.HasOption(id) || seen[id] {
				ve.Add(f, "Select only options from the list, each once")
			}
			seen[id] = true
		}
		if a.Scale != 0 || a.Text != "" {
			ve.Add(f, "Select options from the list")
		}
	case KindScale:
		if a.Scale < 1 || a.Scale > 5 || len(a.OptionIDs) > 0 || a.Text != "" {
			ve.Add(f, "Choose a point from strongly disagree to strongly agree")
		}
	case KindText:
		switch {
		case !utf8.ValidString(a.Text):
			ve.Add(f, "Your answer contains characters that cannot be read")
		case utf8.RuneCountInString(a.Text) > MaxTextAnswer:
			ve.Add(f, "Your answer must be 5,000 characters or fewer")
		case len(a.OptionIDs) > 0 || a.Scale != 0:
			ve.Add(f, "Enter your answer as text")
		}
	}
}

func requiredMessage(q *Question) string {
	// The question in quotes, without a closing full stop ("The service
	// works well." reads as 'The service works well'); a ? stays.
	quoted := "'" + strings.TrimSuffix(strings.TrimSpace(q.Prompt), ".") + "'"
	switch q.Kind {
	case KindSingle:
		return "Select an answer to " + quoted
	case KindMultiple:
		return "Select at least one answer to " + quoted
	case KindScale:
		return "Select how far you agree with " + quoted
	}
	return "Enter your answer to " + quoted
}

var postcodeRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$`)

// NormalisePostcode returns a UK postcode in its standard form ("SW1A 1AA"),
// or "" when s is not shaped like one.
func NormalisePostcode(s string) string {
	p := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if !postcodeRE.MatchString(p) {
		return ""
	}
	return p[:len(p)-3] + " " + p[len(p)-3:]
}

// receiptAlphabet has no look-alike characters (no 0/O, 1/I/L): 31 symbols.
const receiptAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// ReceiptLength is the number of symbols in a receipt: 12 symbols of 31 is
// about 59 bits, enough that no two receipts on one consultation or ballot
// meet by chance (the stores still refuse a repeat and draw again).
const ReceiptLength = 12

// NewReceipt returns a random receipt such as "K7QX-M2PA-9RTE", printed in
// groups of four. It is drawn afresh for each response or vote and says
// nothing about the person or their answer: it only lets them find their
// entry in a published list. Bytes of 248 and over are drawn again, so
// every symbol is equally likely (248 is 8 × 31).
func NewReceipt() string {
	var out []byte
	var b [32]byte
	for n := 0; n < ReceiptLength; {
		rand.Read(b[:])
		for _, c := range b {
			if c >= 248 || n == ReceiptLength {
				continue
			}
			if n > 0 && n%4 == 0 {
				out = append(out, '-')
			}
			out = append(out, receiptAlphabet[c%31])
			n++
		}
	}
	return string(out)
}
