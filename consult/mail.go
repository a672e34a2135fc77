package consult

import (
	"context"
	"time"
)

// Mail is one email in the outbox. Mail is queued in the database, in the
// same transaction as the change that causes it, and sent by a worker, so
// a slow or absent mail server never slows or fails a resident's request.
type Mail struct {
	ID        int64
	To        string
	Subject   string
	Body      string // plain text
	CreatedAt time.Time
	SendAfter time.Time // not sent before this (retries back off; sealed notices wait)
	Attempts  int
	LastError string
	SentAt    time.Time // zero until sent
}

// Outbox is the mail queue as the sending worker and the admin page see it.
type Outbox interface {
	// DueMail returns up to limit unsent mails whose SendAfter is not after now, oldest first.
	DueMail(ctx context.Context, now time.Time, limit int) ([]Mail, error)
	// MarkSent records that a mail was handed to the SMTP server.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkSentAll records that each of the mails was handed to the SMTP
	// server, all in one transaction.
	MarkSentAll(ctx context.Context, ids []int64, at time.Time) error
	// MarkFailed records a failed attempt and when to try again.
	MarkFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error
	// RecentMail returns up to limit mails, newest first, sent or not.
	RecentMail(ctx context.Context, limit int) ([]Mail, error)
	// SearchMail returns a page of the mails q matches, newest first, and
	// how many it matches in all.
	SearchMail(ctx context.Context, q MailQuery) ([]Mail, int, error)
	// FailingMail counts unsent mails whose last attempt failed.
	FailingMail(ctx context.Context) (int, error)
}

// AlreadyRespondedMail goes to an address that answers a consultation it
// has already answered. Nothing was saved, and the page said only "check
// your email", so only the owner of the address learns it took part.
func AlreadyRespondedMail(c *Consultation, pageURL string) (subject, body string) {
	return "Your response: " + c.Title, "This is the council's consultation site, OurSay. " +
		"Someone gave this email address to answer the consultation:\n  \"" + c.Title + "\"\n\n" +
		"This address has already responded to it. Only the first response counts, so these answers were not saved. " +
		"Your first receipt code still stands.\n\n" +
		"If this was not you, you do not need to do anything.\n\n" +
		"When the consultation closes, the council publishes the results and what it decided, here:\n" +
		pageURL + "\n"
}

// ReceiptMail is the optional receipt a respondent who gave an email gets.
// It names the consultation and the receipt code, never the answers; fixed
// council wording comes first and the title is quoted.
func ReceiptMail(c *Consultation, receipt, pageURL string) (subject, body string) {
	closes := "When the consultation closes"
	if !c.ClosesAt.IsZero() {
		closes += " at " + ClosingTime(c.ClosesAt)
	}
	return "Your response: " + c.Title, "This is the council's consultation site, OurSay. " +
		"Thank you for answering the consultation:\n  \"" + c.Title + "\"\n\n" +
		"Your receipt code is " + receipt + ". Keep it: it shows your response was recorded.\n\n" +
		closes + ", the council publishes the results and what it decided, here:\n" +
		pageURL + "\n"
}

// OutcomeMail goes, when the outcome is published, to each respondent who
// gave an email and asked to be told. It names the consultation and links
// to the outcome on its page; fixed council wording comes first and the
// title is quoted.
func OutcomeMail(c *Consultation, pageURL string) (subject, body string) {
	return "Outcome published: " + c.Title, "This is the council's consultation site, OurSay. " +
		"You answered the consultation:\n  \"" + c.Title + "\"\n\n" +
		"and asked to be told when the council published what it heard and what it will do. " +
		"The outcome is now published, here:\n" + pageURL + "#outcome\n\n" +
		"This is the only email about it you will get from this consultation.\n"
}

// Outbox statuses, as the outbox page filters them.
const (
	MailSent   = "sent"   // the SMTP server accepted it
	MailFailed = "failed" // tried, to be tried again
	MailQueued = "queued" // not tried yet
)

// MailQuery filters the outbox. Mail held until a time after Now (the
// notice of a sealed petition, which even by its presence would tell staff
// the count) is never listed.
type MailQuery struct {
	// Status is MailSent, MailFailed, MailQueued or "" for any.
	Status string
	// To matches any address that contains it, ignoring case.
	To            string
	Now           time.Time
	Offset, Limit int
}

// Validate names what is wrong with a filter, by field.
func (q MailQuery) Validate() error {
	ve := &ValidationError{}
	switch q.Status {
	case "", MailSent, MailFailed, MailQueued:
	default:
		ve.Add("status", "Select sent, failed or not sent yet")
	}
	ve.Max("to", "To", q.To, 200)
	return ve.Err()
}
