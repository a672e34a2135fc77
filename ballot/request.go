package ballot

import (
	"time"

	"github.com/oursay/oursay/consult"
)

// Information requests: a resident asks the council about a contract, in
// the spirit of the Freedom of Information Act 2000 reaching outsourced
// services. A request is received when its asker confirms their email;
// the council then has ResponseWorkingDays working days to answer it.
//
// Lifecycle: unconfirmed (email not yet confirmed) → moderation (received,
// not yet public) → awaiting_response (published) → answered | refused
// (with a named exemption); or moderation → rejected (with a reason, never
// public). Every step but the first is final.

// RequestState is where a request is in its lifecycle.
type RequestState string

// Request states, as stored.
const (
	RequestUnconfirmed RequestState = "unconfirmed"
	RequestModeration  RequestState = "moderation"
	RequestAwaiting    RequestState = "awaiting_response"
	RequestAnswered    RequestState = "answered"
	RequestRefused     RequestState = "refused"
	RequestRejected    RequestState = "rejected"
)

// RequestStatus is what the public is told of a published request: its
// state, with awaiting_response split into on time and overdue.
type RequestStatus string

// Public statuses, as /requests filters them and the JSON names them.
const (
	StatusAwaitingResponse RequestStatus = "awaiting_response"
	StatusOverdue          RequestStatus = "overdue"
	StatusAnswered         RequestStatus = "answered"
	StatusRefused          RequestStatus = "refused"
)

// RequestStatuses are the public statuses in the order the filter lists them.
var RequestStatuses = []RequestStatus{StatusAwaitingResponse, StatusOverdue, StatusAnswered, StatusRefused}

// Label is the status as the tag on a page reads.
func (s RequestStatus) Label() string {
	switch s {
	case StatusAwaitingResponse:
		return "Awaiting response"
	case StatusOverdue:
		return "Overdue"
	case StatusAnswered:
		return "Answered"
	case StatusRefused:
		return "Refused"
	}
	return string(s)
}

// RequestZone is the time zone whose calendar dates the statutory clock
// counts: the council's, in England and Wales.
var RequestZone = consult.London

// FOIExemption is a ground on which the council may refuse a request,
// named by its section of the Freedom of Information Act 2000.
type FOIExemption struct {
	Code  string // as stored: "s43"
	Label string // as shown
}

// FOIExemptions is the fixed list a refusal names one of.
var FOIExemptions = []FOIExemption{
	{"s12", "Section 12: the cost of answering would exceed the appropriate limit"},
	{"s14", "Section 14: the request is vexatious or repeated"},
	{"s21", "Section 21: the information is reasonably accessible by other means"},
	{"s22", "Section 22: the information is intended for future publication"},
	{"s31", "Section 31: law enforcement"},
	{"s40", "Section 40: personal information"},
	{"s41", "Section 41: information provided in confidence"},
	{"s43", "Section 43: commercial interests"},
}

// ExemptionLabel names an exemption code, or "" for one not on the list.
func ExemptionLabel(code string) string {
	for _, e := range FOIExemptions {
		if e.Code == code {
			return e.Label
		}
	}
	return ""
}

// InfoRequest is one information request about a contract. The asker's
// name and email (the personal data, kept in these two fields only) are
// what retention anonymises some time after AnsweredAt.
type InfoRequest struct {
	ID            int64
	ContractID    int64
	ContractTitle string // filled by the store, for lists
	Title         string
	Body          string
	Name          string // the asker's, shown on the page
	Email         string // the asker's, never shown
	State         RequestState
	// ReviewReason is set when the bot signals tripped on the form; the
	// moderator sees it.
	ReviewReason ReviewReason
	CreatedAt    time.Time
	ReceivedAt   time.Time // when the email was confirmed: the clock starts
	DueOn        time.Time // the last day for an answer (a date, midnight UTC); zero if not received or beyond the holiday list
	PublishedAt  time.Time
	AnsweredAt   time.Time // when answered or refused
	Answer       string
	Exemption    string // the refusal's exemption code (FOIExemptions)
	Refusal      string // the refusal's explanation
	Rejection    string // moderation's reason for rejecting it
}

// Validate checks a request as typed.
func (r *InfoRequest) Validate() error {
	ve := &ValidationError{}
	ve.Text("title", "Title", r.Title, "Enter a title for your request", 200)
	oneLine(ve, "title", "Title", r.Title)
	ve.Text("body", "Your request", r.Body, "Enter the information you are asking for", 5000)
	ve.Text("name", "Full name", r.Name, "Enter your full name", 200)
	oneLine(ve, "name", "Full name", r.Name)
	ve.Email("email", r.Email)
	return ve.Err()
}

// Public reports whether anyone may see the request.
func (r *InfoRequest) Public() bool {
	switch r.State {
	case RequestAwaiting, RequestAnswered, RequestRefused:
		return true
	}
	return false
}

// Status is the public status at now: overdue once the day after the due
// date has begun in RequestZone.
func (r *InfoRequest) Status(now time.Time) RequestStatus {
	switch r.State {
	case RequestAnswered:
		return StatusAnswered
	case RequestRefused:
		return StatusRefused
	}
	if r.Overdue(now) {
		return StatusOverdue
	}
	return StatusAwaitingResponse
}

// Overdue reports whether the request is still unanswered after its due date.
func (r *InfoRequest) Overdue(now time.Time) bool {
	if r.State != RequestAwaiting || r.DueOn.IsZero() {
		return false
	}
	return Today(now).After(r.DueOn)
}

// Late reports whether a request was answered or refused after its due date.
func (r *InfoRequest) Late() bool {
	if r.AnsweredAt.IsZero() || r.DueOn.IsZero() {
		return false
	}
	return Today(r.AnsweredAt).After(r.DueOn)
}

// Today is now's calendar date in RequestZone, as midnight UTC, to compare
// with a due date.
func Today(now time.Time) time.Time {
	n := now.In(RequestZone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// Confirm records that the asker confirmed their email at now: the request
// is received and waits for moderation, due ResponseWorkingDays working
// days later. A date beyond the bank holiday list leaves DueOn zero rather
// than guess. It returns ErrBadTransition unless the request is unconfirmed.
func (r *InfoRequest) Confirm(now time.Time) error {
	if r.State != RequestUnconfirmed {
		return ErrBadTransition
	}
	r.State, r.ReceivedAt = RequestModeration, now
	if due, err := ResponseDue(now, RequestZone); err == nil {
		r.DueOn = due
	}
	return nil
}

// Publish makes a request awaiting moderation public.
func (r *InfoRequest) Publish(now time.Time) error {
	if r.State != RequestModeration {
		return ErrBadTransition
	}
	r.State, r.PublishedAt = RequestAwaiting, now
	return nil
}

// Reject turns a request awaiting moderation down with a stated reason; it
// is never published.
func (r *InfoRequest) Reject(reason string) error {
	if r.State != RequestModeration {
		return ErrBadTransition
	}
	ve := &ValidationError{}
	ve.Text("reason", "Reason", reason, "Enter the reason the request is rejected", 2000)
	if err := ve.Err(); err != nil {
		return err
	}
	r.State, r.Rejection = RequestRejected, reason
	return nil
}

// AnswerWith records the council's answer, once, to a published request.
func (r *InfoRequest) AnswerWith(answer string, now time.Time) error {
	if r.State != RequestAwaiting {
		return ErrBadTransition
	}
	ve := &ValidationError{}
	ve.Text("answer", "Answer", answer, "Enter the council's answer", 20000)
	if err := ve.Err(); err != nil {
		return err
	}
	r.State, r.Answer, r.AnsweredAt = RequestAnswered, answer, now
	return nil
}

// CanReleaseDocuments reports whether documents may be attached to the
// request: only to an answer, once it is published. ErrBadTransition
// otherwise.
func (r *InfoRequest) CanReleaseDocuments() error {
	if r.State != RequestAnswered {
		return ErrBadTransition
	}
	return nil
}

// Refuse refuses a published request under one of FOIExemptions, with an
// explanation.
func (r *InfoRequest) Refuse(exemption, explanation string, now time.Time) error {
	if r.State != RequestAwaiting {
		return ErrBadTransition
	}
	ve := &ValidationError{}
	if ExemptionLabel(exemption) == "" {
		ve.Add("exemption", "Select the exemption the refusal relies on")
	}
	ve.Text("explanation", "Explanation", explanation, "Explain why the exemption applies to this request", 5000)
	if err := ve.Err(); err != nil {
		return err
	}
	r.State, r.Exemption, r.Refusal, r.AnsweredAt = RequestRefused, exemption, explanation, now
	return nil
}

// RequestTally counts a contract's published requests.
type RequestTally struct {
	Awaiting int // awaiting a response, not yet overdue
	Overdue  int // awaiting a response, past the due date
	OnTime   int // answered by the due date
	Late     int // answered after the due date
	Refused  int
}

// TallyRequests counts published requests at now; others are left out.
func TallyRequests(rs []*InfoRequest, now time.Time) RequestTally {
	var t RequestTally
	for _, r := range rs {
		switch {
		case r.State == RequestRefused:
			t.Refused++
		case r.State == RequestAnswered && r.Late():
			t.Late++
		case r.State == RequestAnswered:
			t.OnTime++
		case r.State == RequestAwaiting && r.Overdue(now):
			t.Overdue++
		case r.State == RequestAwaiting:
			t.Awaiting++
		}
	}
	return t
}
