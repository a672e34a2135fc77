package consult

import (
	"context"
	"strings"
	"time"
)

// A person's data, on request. An admin finds everything OurSay holds
// about one email address, downloads it for a subject access request, or
// erases it. Each step states a reason, which the audit log keeps with
// counts only: never the address, so the log (whose entries can never be
// changed) holds nothing the erasure would have to take back.

// PersonData is everything held about one email address.
type PersonData struct {
	Email      string              `json:"email"`
	Signatures []PersonSignature   `json:"signatures"`
	Responses  []PersonResponse    `json:"responses"`
	Petitions  []PersonPetition    `json:"petitions_started"`
	Requests   []PersonInfoRequest `json:"information_requests"`
	Following  []PersonFollow      `json:"requests_followed"`
	Objections []PersonObjection   `json:"review_objections"`
	Mail       []PersonMail        `json:"mail"`
}

// PersonObjection is an objection to a contract review's exemption made
// with the address.
type PersonObjection struct {
	ReviewID  int64     `json:"review_id"`
	Name      string    `json:"name"`
	Reason    string    `json:"reason"`
	Confirmed bool      `json:"confirmed"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonInfoRequest is an information request asked with the address.
type PersonInfoRequest struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	State     string    `json:"state"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonFollow is an information request the address follows, or asked
// to follow.
type PersonFollow struct {
	RequestID int64     `json:"request_id"`
	Title     string    `json:"title"`
	CreatedAt time.Time `json:"created_at"`
}

// Empty reports whether nothing is held about the address.
func (p *PersonData) Empty() bool {
	return len(p.Signatures)+len(p.Responses)+len(p.Petitions)+len(p.Requests)+len(p.Following)+len(p.Objections)+len(p.Mail) == 0
}

// PersonSignature is a signature made with the address.
type PersonSignature struct {
	ID            int64     `json:"id"`
	PetitionID    int64     `json:"petition_id"`
	PetitionTitle string    `json:"petition_title"`
	Name          string    `json:"name"`
	Email         string    `json:"email"`
	Postcode      string    `json:"postcode"`
	Ward          string    `json:"ward"`
	Channel       string    `json:"channel"`
	Status        string    `json:"status"`
	Sponsor       bool      `json:"sponsor"`
	CreatedAt     time.Time `json:"created_at"`
	// Open says the petition still takes withdrawals, so erasing the
	// signature withdraws it (and a counted one comes off the count).
	Open bool `json:"petition_open"`
}

// PersonResponse is a consultation response given with the address.
type PersonResponse struct {
	ID                int64          `json:"id"`
	ConsultationSlug  string         `json:"consultation"`
	ConsultationTitle string         `json:"consultation_title"`
	Receipt           string         `json:"receipt"`
	Channel           string         `json:"channel"`
	Email             string         `json:"email"`
	Postcode          string         `json:"postcode"`
	CreatedAt         time.Time      `json:"created_at"`
	Answers           []PersonAnswer `json:"answers"`
}

// PersonAnswer is one answer of a response, as the person gave it.
type PersonAnswer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// PersonPetition is a petition the address started.
type PersonPetition struct {
	ID             int64     `json:"id"`
	Title          string    `json:"title"`
	Status         string    `json:"status"`
	CampaignerName string    `json:"campaigner_name"`
	Email          string    `json:"campaigner_email"`
	CreatedAt      time.Time `json:"created_at"`
}

// PersonMail is a mail to the address kept in the outbox.
type PersonMail struct {
	ID        int64     `json:"id"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	SentAt    time.Time `json:"sent_at,omitzero"`
}

// Erasure counts what erasing a person's data did.
type Erasure struct {
	Withdrawn   int // signatures on open petitions withdrawn, then anonymised
	Signatures  int // other signatures anonymised, their counts kept
	Responses   int // responses anonymised, their counts kept
	Campaigners int // petitions whose campaigner's name and email went
	Requests    int // information requests whose asker's name and email went
	Follows     int // follows of information requests deleted
	Objections  int // objections to contract reviews whose name and email went
	Mail        int // mails to the address deleted
}

// String is the erasure in words, for the audit log: counts only.
func (e Erasure) String() string {
	return strings.Join([]string{
		countOf(e.Withdrawn, "signature withdrawn", "signatures withdrawn"),
		countOf(e.Signatures, "signature anonymised", "signatures anonymised"),
		countOf(e.Responses, "response anonymised", "responses anonymised"),
		countOf(e.Campaigners, "petition's campaigner details removed", "petitions' campaigner details removed"),
		countOf(e.Requests, "information request anonymised", "information requests anonymised"),
		countOf(e.Follows, "follow of a request deleted", "follows of requests deleted"),
		countOf(e.Objections, "objection anonymised", "objections anonymised"),
		countOf(e.Mail, "mail deleted", "mails deleted"),
	}, ", ")
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupDigits(n) + " " + many
}

// MaxPersonReason bounds the reason given for looking up or erasing a
// person's data.
const MaxPersonReason = 500

// PersonRequest is an admin's request about one person: the address and
// why. The reason goes in the audit log, so it must not name the person.
type PersonRequest struct {
	Email  string
	Reason string
}

// Validate names the field of each problem: the address blank or not an
// address, the reason blank, too long, or holding the address itself.
func (q PersonRequest) Validate() error {
	ve := &ValidationError{}
	ve.Email("email", q.Email)
	ve.Text("reason", "Reason", q.Reason, "Enter the reason, such as the reference of the request", MaxPersonReason)
	if e := NormaliseEmail(q.Email); e != "" && strings.Contains(strings.ToLower(q.Reason), e) {
		ve.Add("reason", "Do not put the email address in the reason: the audit log keeps the reason for good")
	}
	if strings.ContainsAny(q.Reason, "\r\n") {
		ve.Add("reason", "Reason must be on one line")
	}
	return ve.Err()
}

// PeopleStore finds, exports and erases a person's data. Each call appends
// an audit entry with the request's reason and counts, in the same
// transaction as what it read or changed. Each returns a
// *ValidationError for a bad request.
type PeopleStore interface {
	// FindPerson returns everything held about the address.
	FindPerson(ctx context.Context, q PersonRequest, actor string) (*PersonData, error)
	// ExportPerson is FindPerson for a subject access request download.
	ExportPerson(ctx context.Context, q PersonRequest, actor string) (*PersonData, error)
	// ErasePerson erases the address's data: a signature on a petition
	// that still takes withdrawals is withdrawn (a counted one comes off
	// the count, as when the signer withdraws it) and then anonymised;
	// any other signature, and every response, is anonymised and its
	// counts kept; the campaigner's name and email go from petitions the
	// address started; mail to the address is deleted.
	ErasePerson(ctx context.Context, q PersonRequest, actor string) (Erasure, error)
}
