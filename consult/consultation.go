package consult

import (
	"regexp"
	"strings"
	"time"
)

// Status is the stored lifecycle stage of a consultation. "Scheduled" and
// "closed by date" are derived from it and the clock by Consultation.State.
type Status string

// Lifecycle: draft → open (scheduled while OpensAt is ahead) → closed →
// outcome published.
const (
	StatusDraft     Status = "draft"
	StatusScheduled Status = "scheduled" // derived only, never stored
	StatusOpen      Status = "open"
	StatusClosed    Status = "closed"
	StatusOutcome   Status = "outcome_published"
)

// Audience says who may respond.
type Audience string

// Audiences.
const (
	AudienceAnyone    Audience = "anyone"
	AudienceResidents Audience = "residents" // postcode must be in the council's list
	AudienceCode      Audience = "code"      // a code from a letter the council sent, one response each
)

// Consultation is one public consultation and its outsourcing record.
type Consultation struct {
	ID      int64
	Slug    string
	Title   string
	Summary string
	Record  Record
	// ContractID is the contract in the register the consultation is
	// about, or 0 for none (a service that is not outsourced yet).
	ContractID int64
	Audience   Audience
	Status     Status
	OpensAt    time.Time // zero: opens as soon as it is published
	ClosesAt   time.Time // zero: stays open until closed by hand
	// ClosedByHandAt is when an officer closed it; zero if never. ClosedAt
	// says which of the two times a resident is shown.
	ClosedByHandAt time.Time
	LiveResults    bool // tallies public while open
	Questions      []Question
	// ResponseCount is the counter kept in the response's own transaction.
	ResponseCount int
	Outcome       *Outcome
	Decision      *Decision
	// OutcomeRevisions and DecisionRevisions are the earlier versions of
	// the outcome and decision, oldest first (see ReviseOutcome).
	OutcomeRevisions  []OutcomeRevision
	DecisionRevisions []DecisionRevision
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Outcome is the "We asked, you said, we did" statement.
type Outcome struct {
	WeAsked     string
	YouSaid     string
	WeDid       string
	PublishedAt time.Time
}

// Decision is the council's outsourcing decision recorded after the outcome.
type Decision struct {
	Proposal          Proposal // what was decided: outsource, in_house, ...
	Summary           string
	InHouseComparison string // how the in-house option compared; required
	RecordedAt        time.Time
}

// State is the stage a person sees at now: draft, scheduled, open, closed or
// outcome published. An open consultation whose ClosesAt has passed is closed.
func (c *Consultation) State(now time.Time) Status {
	switch c.Status {
	case StatusOpen:
		if !c.OpensAt.IsZero() && now.Before(c.OpensAt) {
			return StatusScheduled
		}
		if !c.ClosesAt.IsZero() && !now.Before(c.ClosesAt) {
			return StatusClosed
		}
		return StatusOpen
	default:
		return c.Status
	}
}

// AcceptsResponses reports whether answers may be saved at now.
func (c *Consultation) AcceptsResponses(now time.Time) bool {
	return c.State(now) == StatusOpen
}

// ResultsPublic reports whether tallies may be shown to the public at now:
// once the consultation has closed, or while open when the council chose live results.
func (c *Consultation) ResultsPublic(now time.Time) bool {
	switch c.State(now) {
	case StatusClosed, StatusOutcome:
		return true
	case StatusOpen:
		return c.LiveResults
	}
	return false
}

// Question returns the question with id, or nil.
func (c *Consultation) Question(id int64) *Question {
	for i := range c.Questions {
		if c.Questions[i].ID == id {
			return &c.Questions[i]
		}
	}
	return nil
}

// CanOpen checks the step draft → open: the record must be complete and there
// must be at least one question.
func (c *Consultation) CanOpen() error {
	if c.Status != StatusDraft {
		return ErrBadTransition
	}
	ve := &ValidationError{}
	c.validateFields(ve)
	if len(c.Questions) == 0 {
		ve.Add("questions", "Add at least one question before opening the consultation")
	}
	return ve.Err()
}

// CanClose checks the step open → closed.
func (c *Consultation) CanClose() error {
	if c.Status != StatusOpen {
		return ErrBadTransition
	}
	return nil
}

// CanPublishOutcome checks the step closed → outcome published, at now.
func (c *Consultation) CanPublishOutcome(now time.Time, o Outcome) error {
	if c.State(now) != StatusClosed {
		return ErrBadTransition
	}
	return o.Validate()
}

// Validate checks the outcome's three parts as the council types them.
func (o Outcome) Validate() error {
	ve := &ValidationError{}
	ve.Text("we_asked", "What you asked", o.WeAsked, "Enter what you asked", MaxLongText)
	ve.Text("you_said", "What people said", o.YouSaid, "Enter what people said", MaxLongText)
	ve.Text("we_did", "What the council did", o.WeDid, "Enter what the council did", MaxLongText)
	return ve.Err()
}

// CanRecordDecision is the decision gate: an outsourcing decision may be
// recorded only once the consultation has closed and its outcome is published,
// and only with the in-house comparison present; and it may not outsource a
// service the at-risk rule keeps in house (InHouseOnly). It returns
// ErrDecisionGate, ErrBadTransition for a decision already recorded, or a
// *ValidationError.
func (c *Consultation) CanRecordDecision(d Decision) error {
	if c.Decision != nil {
		return ErrBadTransition
	}
	if c.Status != StatusOutcome || c.Outcome == nil {
		return ErrDecisionGate
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return AllowedRoute(c.Record.AtRisk, c.Record.Exemption, d.Proposal.Outsources(), "decision")
}

// Validate checks the decision's fields as the council types them; the gate
// (CanRecordDecision) is checked against the consultation as stored.
func (d Decision) Validate() error {
	ve := &ValidationError{}
	if !d.Proposal.Valid() {
		ve.Add("decision", "Choose what was decided")
	}
	ve.Text("summary", "Summary", d.Summary, "Enter a summary of the decision", MaxLongText)
	ve.Text("in_house_comparison", "The in-house comparison", d.InHouseComparison, "Enter how the in-house option compared", MaxLongText)
	return ve.Err()
}

// Validate checks the fields a council officer types in. It does not check
// questions; see Question.Validate.
func (c *Consultation) Validate() error {
	ve := &ValidationError{}
	c.validateFields(ve)
	return ve.Err()
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func (c *Consultation) validateFields(ve *ValidationError) {
	switch {
	case c.Slug == "":
		ve.Add("slug", "Enter a web address name, such as parks-maintenance")
	case len(c.Slug) > 80 || !slugRE.MatchString(c.Slug):
		ve.Add("slug", "Web address name must use only lower-case letters, numbers and single hyphens, up to 80 characters")
	}
	ve.Text("title", "Title", c.Title, "Enter a title", 200)
	ve.Text("summary", "Summary", c.Summary, "Enter a summary", MaxLongText)
	if c.Audience != AudienceAnyone && c.Audience != AudienceResidents && c.Audience != AudienceCode {
		ve.Add("audience", "Choose who can respond")
	}
	if !c.OpensAt.IsZero() && !c.ClosesAt.IsZero() && !c.ClosesAt.After(c.OpensAt) {
		ve.Add("closes_on", "Closing date must be after the opening date")
	}
	c.Record.validate(ve)
}

// Slugify turns a title into a web address name.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}
