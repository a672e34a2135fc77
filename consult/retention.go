package consult

import (
	"fmt"
	"strings"
	"time"
)

// Retention says how long personal data is kept before it is anonymised
// or deleted. The defaults follow the UK Parliament petitions site:
// signers' details go 6 months after a petition closes, respondents'
// 6 months after the outcome is published, mail bodies 30 days after they
// were sent. A council may set its own periods within the bounds below.
type Retention struct {
	SignerMonths     int `json:"signer_months"`
	RespondentMonths int `json:"respondent_months"`
	MailDays         int `json:"mail_days"`
}

// Bounds on retention periods: at least a month (so that a recount or a
// complaint can still be checked), at most six years (the limitation
// period a council might plead).
const (
	MinRetentionMonths = 1
	MaxRetentionMonths = 72
	MinMailDays        = 1
	MaxMailDays        = 365
)

// DefaultRetention is the retention a council gets until it sets its own.
func DefaultRetention() Retention {
	return Retention{SignerMonths: 6, RespondentMonths: 6, MailDays: 30}
}

// Validate names each period outside its bounds, by field, as a
// *ValidationError, or returns nil.
func (r Retention) Validate() error {
	ve := &ValidationError{}
	if r.SignerMonths < MinRetentionMonths || r.SignerMonths > MaxRetentionMonths {
		ve.Add("signer_months", "Enter how many months to keep signers' details, from 1 to 72")
	}
	if r.RespondentMonths < MinRetentionMonths || r.RespondentMonths > MaxRetentionMonths {
		ve.Add("respondent_months", "Enter how many months to keep respondents' details, from 1 to 72")
	}
	if r.MailDays < MinMailDays || r.MailDays > MaxMailDays {
		ve.Add("mail_days", "Enter how many days to keep sent mail, from 1 to 365")
	}
	return ve.Err()
}

// SignerCutoff is the latest closing time of a petition whose signers'
// details are due to be anonymised as of now.
func (r Retention) SignerCutoff(now time.Time) time.Time {
	return now.AddDate(0, -r.SignerMonths, 0)
}

// RespondentCutoff is the latest outcome publication time whose
// respondents' details are due to be anonymised as of now.
func (r Retention) RespondentCutoff(now time.Time) time.Time {
	return now.AddDate(0, -r.RespondentMonths, 0)
}

// MailCutoff is the latest sending time of a mail whose body is due to be
// deleted as of now.
func (r Retention) MailCutoff(now time.Time) time.Time {
	return now.AddDate(0, 0, -r.MailDays)
}

// Cutoffs are the moments a retention run as of Now compares against: a
// petition that ended at or before Signers, an outcome published at or
// before Respondents, a mail sent (or, never sent, queued) at or before
// Mail is due. Staff sessions and password links go once expired (or, for
// links, used) by Now.
type Cutoffs struct {
	Now, Signers, Respondents, Mail time.Time
}

// Cutoffs returns the moments a retention run as of now works from.
func (r Retention) Cutoffs(now time.Time) Cutoffs {
	return Cutoffs{Now: now, Signers: r.SignerCutoff(now), Respondents: r.RespondentCutoff(now), Mail: r.MailCutoff(now)}
}

// RetentionReport counts what a retention run removed, or would remove,
// by kind. It holds counts only, never what was removed, so it can go in
// the audit log.
//
// What each kind keeps: an anonymised signature keeps its petition, ward,
// channel, status, paper sheet and line, and every counter it was part of;
// it loses the name, email and postcode. A petition's campaigner loses
// their name and email; the petition's text, counts and threshold moment
// stay. An anonymised response keeps its receipt, channel and answers (the
// tallies never depended on the person) and loses the email and postcode.
// A sent mail keeps its subject and times and loses its body and address;
// a mail never sent in the mail period is given up and removed.
type RetentionReport struct {
	Signatures  int // signers' names, emails and postcodes anonymised
	Campaigners int // petitions whose campaigner's name and email went
	Responses   int // respondents' emails and postcodes anonymised
	Requests    int // information request askers' names and emails anonymised
	Followers   int // followers of answered information requests deleted
	Objections  int // objectors' names and emails anonymised, once the challenge has ended
	Mail        int // mail bodies and addresses removed
	Sessions    int // expired staff sessions deleted
	Tokens      int // expired or used password links deleted
}

// RetentionKind is one line of a report: a kind and its count.
type RetentionKind struct {
	Kind  string
	Count int
}

// Kinds lists the report's counts in a fixed order, named for people.
func (r RetentionReport) Kinds() []RetentionKind {
	return []RetentionKind{
		{"signatures anonymised", r.Signatures},
		{"campaigners anonymised", r.Campaigners},
		{"responses anonymised", r.Responses},
		{"information requests anonymised", r.Requests},
		{"request followers deleted", r.Followers},
		{"objectors anonymised", r.Objections},
		{"mail bodies removed", r.Mail},
		{"expired staff sessions deleted", r.Sessions},
		{"expired or used password links deleted", r.Tokens},
	}
}

// Total is how many things the run removed or would remove.
func (r RetentionReport) Total() int {
	n := 0
	for _, k := range r.Kinds() {
		n += k.Count
	}
	return n
}

// String is the report on one line, for the audit log and the server log:
// "signatures anonymised 3, campaigners anonymised 1, …".
func (r RetentionReport) String() string {
	var b strings.Builder
	for i, k := range r.Kinds() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", k.Kind, k.Count)
	}
	return b.String()
}
