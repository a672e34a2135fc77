package consult

// Creating a consultation is a GOV.UK task list: each section is a page
// of its own, and a draft may be saved before its outsourcing record is
// filled in. It can open only once every section is complete (CanOpen).

// Section is one part of the task list.
type Section string

const (
	SectionAbout     Section = "about"     // title, web address, summary, contract
	SectionRecord    Section = "record"    // the outsourcing record
	SectionQuestions Section = "questions" // at least one question
	SectionAudience  Section = "audience"  // who can respond, and when
	SectionPublish   Section = "publish"   // check answers and publish
)

// Task statuses, as the GOV.UK task list words them.
const (
	TaskCompleted   = "Completed"
	TaskIncomplete  = "Incomplete"
	TaskCannotStart = "Cannot start yet"
)

// SectionFields are the form fields each section's page sets.
var SectionFields = map[Section][]string{
	SectionAbout: {"title", "slug", "summary", "contract"},
	SectionRecord: {"service", "proposal", "public_interest_case", "in_house_bid", "no_in_house_reason", "social_value_weight",
		"at_risk_contact", "rights_threat", "exemption", "exemption_reason", "exemption_value", "exemption_threshold", "exemption_body"},
	SectionAudience: {"audience", "opens_on", "closes_on", "live_results"},
}

// Task is one line of the task list.
type Task struct {
	Section Section
	Name    string
	Status  string
}

// recordBlank reports whether nothing of the outsourcing record is filled in.
func (r Record) recordBlank() bool {
	return r.Service == "" && r.Proposal == "" && r.PublicInterestCase == "" && r.InHouseBid == "" &&
		r.NoInHouseReason == "" && r.Exemption == (ExemptionClaim{})
}

// ValidateDraft checks a draft as the store saves it: as Validate does,
// except that an outsourcing record not yet started is allowed. Anything
// filled in must be valid.
func (c *Consultation) ValidateDraft() error {
	ve := &ValidationError{}
	c.validateFields(ve)
	if c.Record.recordBlank() {
		for _, k := range SectionFields[SectionRecord] {
			delete(ve.Fields, k)
		}
	}
	return ve.Err()
}

// SectionErrors is Validate's verdict on one section's fields, nil when
// they are all valid.
func (c *Consultation) SectionErrors(s Section) map[string]string {
	ve := &ValidationError{}
	c.validateFields(ve)
	out := map[string]string{}
	for _, k := range SectionFields[s] {
		if m, ok := ve.Fields[k]; ok {
			out[k] = m
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Tasks is the task list of a draft, in order.
func (c *Consultation) Tasks() []Task {
	status := func(done bool) string {
		if done {
			return TaskCompleted
		}
		return TaskIncomplete
	}
	tasks := []Task{
		{SectionAbout, "About the consultation", status(c.SectionErrors(SectionAbout) == nil)},
		{SectionRecord, "Outsourcing record", status(c.SectionErrors(SectionRecord) == nil)},
		{SectionQuestions, "Questions", status(len(c.Questions) > 0)},
		{SectionAudience, "Audience and dates", status(c.SectionErrors(SectionAudience) == nil)},
	}
	publish := TaskIncomplete
	if c.Status != StatusDraft {
		publish = TaskCompleted
	}
	for _, t := range tasks {
		if t.Status != TaskCompleted {
			publish = TaskCannotStart
		}
	}
	return append(tasks, Task{SectionPublish, "Check and publish", publish})
}
