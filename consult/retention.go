package consult

import "time"

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
