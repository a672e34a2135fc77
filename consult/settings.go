package consult

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Settings are the council's own facts: who runs this service, how to
// reach them, what the legal pages state, how long personal data is kept,
// how its open data is published and how to take part without a computer.
// Every page, paper form and mail names the council from here.
type Settings struct {
	CouncilName   string `json:"council_name"`
	ServiceName   string `json:"service_name"`
	ContactEmail  string `json:"contact_email"`
	ContactPhone  string `json:"contact_phone"`
	PostalAddress string `json:"postal_address"`
	// DPOContact is how to reach the data protection officer: a name,
	// an email address or both, as the privacy notice prints it.
	DPOContact    string        `json:"dpo_contact"`
	Accessibility Accessibility `json:"accessibility"`
	Retention     Retention     `json:"retention"`
	// OCDSPublisher names the council in its open contracting data;
	// OCIDPrefix is its prefix registered with the Open Contracting
	// Partnership, like ocds-213czf.
	OCDSPublisher string `json:"ocds_publisher"`
	OCIDPrefix    string `json:"ocid_prefix"`
	// Paper is the non-digital route printed on posters, paper forms and
	// letters.
	Paper NonDigitalRoute `json:"paper"`
	// PhaseBanner is the optional phase tag ("Beta") shown under the
	// header with a link to FeedbackURL; empty shows no banner.
	PhaseBanner string `json:"phase_banner"`
	FeedbackURL string `json:"feedback_url"`
	// Reviews time the contract reviews held at each end point.
	Reviews ReviewTimes `json:"contract_reviews"`
}

// ReviewTimes time contract reviews: a draft opens LeadMonths before each
// end point, and a published good-reason exemption may be challenged for
// ChallengeDays.
type ReviewTimes struct {
	LeadMonths    int `json:"lead_months"`
	ChallengeDays int `json:"challenge_days"`
}

// DefaultReviewTimes are 9 months' lead and a 28-day challenge window.
func DefaultReviewTimes() ReviewTimes { return ReviewTimes{LeadMonths: 9, ChallengeDays: 28} }

func (t ReviewTimes) validate(ve *ValidationError) {
	if t.LeadMonths < 1 || t.LeadMonths > 36 {
		ve.Add("review_lead_months", "Enter the lead time for contract reviews as a whole number of months from 1 to 36")
	}
	if t.ChallengeDays < 7 || t.ChallengeDays > 90 {
		ve.Add("challenge_days", "Enter the challenge window as a whole number of days from 7 to 90")
	}
}

// NonDigitalRoute is how someone without the internet takes part: a phone
// number to ask for a paper form, and the address to post it to.
type NonDigitalRoute struct {
	Phone         string `json:"phone"`
	PostalAddress string `json:"postal_address"`
}

// Compliance is the accessibility statement's legal status, in the words
// of the Public Sector Bodies Accessibility Regulations 2018.
type Compliance string

// The three statuses a statement may claim.
const (
	FullyCompliant     Compliance = "fully"
	PartiallyCompliant Compliance = "partially"
	NotCompliant       Compliance = "not"
)

// Compliances lists the statuses in the order a form offers them.
var Compliances = []Compliance{FullyCompliant, PartiallyCompliant, NotCompliant}

// Label is the status as the statement words it.
func (c Compliance) Label() string {
	switch c {
	case FullyCompliant:
		return "fully compliant"
	case PartiallyCompliant:
		return "partially compliant"
	case NotCompliant:
		return "not compliant"
	}
	return string(c)
}

// Accessibility are the facts the accessibility statement states.
type Accessibility struct {
	Status Compliance `json:"status"`
	// KnownIssues is the non-accessible content, one issue a line.
	KnownIssues string    `json:"known_issues"`
	Prepared    time.Time `json:"prepared"`
	Reviewed    time.Time `json:"reviewed"`
}

// Issues are the known issues, one a line, blank lines dropped.
func (a Accessibility) Issues() []string {
	var out []string
	for _, l := range strings.Split(a.KnownIssues, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// SettingsStore keeps the council's settings: one set for the whole
// database.
type SettingsStore interface {
	// Settings returns the saved settings, or DefaultSettings when none
	// have been saved.
	Settings(ctx context.Context) (Settings, error)
	// SaveSettings replaces the settings and appends an audit entry in
	// the same transaction. It returns a *ValidationError, saving
	// nothing, when s.Validate does.
	SaveSettings(ctx context.Context, s Settings, actor string) error
}

// DefaultSettings are the settings of the demo council, and of any
// council until an admin saves its own.
func DefaultSettings() Settings {
	return Settings{
		CouncilName:   "Demo Borough Council",
		ServiceName:   "OurSay",
		ContactEmail:  "oursay@demo-borough.gov.uk",
		ContactPhone:  "01632 960 001",
		PostalAddress: "Demo Borough Council, Town Hall, High Street, Demotown, DE1 1AA",
		DPOContact:    "Data Protection Officer, Demo Borough Council, dpo@demo-borough.gov.uk",
		Accessibility: Accessibility{
			Status: PartiallyCompliant,
			KnownIssues: "Printed posters and paper forms are PDF files that are not tagged for screen readers. Ask for the same content by phone or email.\n" +
				"The service has not yet been tested by people who use assistive technology, so there may be problems that automated checks do not find.",
			Prepared: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
			Reviewed: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		},
		Retention:     DefaultRetention(),
		OCDSPublisher: "Demo Borough Council",
		OCIDPrefix:    "ocds-demo01",
		Paper: NonDigitalRoute{
			Phone:         "01632 960 002",
			PostalAddress: "Freepost OURSAY, Demo Borough Council, Town Hall, High Street, Demotown, DE1 1AA",
		},
		PhaseBanner: "Beta",
		FeedbackURL: "mailto:oursay@demo-borough.gov.uk",
		Reviews:     DefaultReviewTimes(),
	}
}

// ocidPrefixPattern is "ocds-" and the letters and digits the Open
// Contracting Partnership registered.
var ocidPrefixPattern = regexp.MustCompile(`^ocds-[A-Za-z0-9]+$`)

// Validate names each missing or malformed field, by the settings form's
// field names, as a *ValidationError, or returns nil.
func (s Settings) Validate() error {
	ve := &ValidationError{}
	ve.Text("council_name", "Council name", s.CouncilName, "Enter the council's name", 100)
	ve.Text("service_name", "Service name", s.ServiceName, "Enter the service's name, like OurSay", 60)
	ve.Email("contact_email", s.ContactEmail)
	if m, ok := ve.Fields["contact_email"]; ok {
		ve.Fields["contact_email"] = strings.Replace(m, "Enter an email address", "Enter the council's contact email address", 1)
		ve.Fields["contact_email"] = strings.Replace(ve.Fields["contact_email"], "name@example.com", "name@example.gov.uk", 1)
	}
	ukPhone(ve, "contact_phone", "Enter the council's contact phone number", s.ContactPhone)
	ve.Text("postal_address", "Postal address", s.PostalAddress, "Enter the council's postal address", 300)
	ve.Text("dpo_contact", "Data protection officer", s.DPOContact, "Enter how to contact the data protection officer", 300)
	s.Accessibility.validate(ve)
	if err := s.Retention.Validate(); err != nil {
		for f, m := range err.(*ValidationError).Fields {
			ve.Add(f, m)
		}
	}
	ve.Text("ocds_publisher", "Open data publisher", s.OCDSPublisher, "Enter the open data publisher's name", 100)
	switch {
	case strings.TrimSpace(s.OCIDPrefix) == "":
		ve.Add("ocid_prefix", "Enter the ocid prefix, like ocds-213czf")
	case len(s.OCIDPrefix) > 30 || !ocidPrefixPattern.MatchString(s.OCIDPrefix):
		ve.Add("ocid_prefix", "Enter an ocid prefix that is ocds- followed by letters and digits, like ocds-213czf")
	}
	ukPhone(ve, "paper_phone", "Enter the phone number to ask for a paper form", s.Paper.Phone)
	ve.Text("paper_address", "Address for paper forms", s.Paper.PostalAddress, "Enter the address to post paper forms to", 300)
	s.validateBanner(ve)
	s.Reviews.validate(ve)
	return ve.Err()
}

func (a Accessibility) validate(ve *ValidationError) {
	known := false
	for _, c := range Compliances {
		known = known || a.Status == c
	}
	if !known {
		ve.Add("a11y_status", "Select whether the service is fully, partially or not compliant")
	}
	if a.Status != FullyCompliant && strings.TrimSpace(a.KnownIssues) == "" {
		ve.Add("a11y_issues", "Enter the content that is not accessible, or select fully compliant")
	}
	ve.Max("a11y_issues", "Known issues", a.KnownIssues, 5000)
	if a.Prepared.IsZero() {
		ve.Add("a11y_prepared", "Enter the date the statement was prepared")
	}
	if a.Reviewed.IsZero() {
		ve.Add("a11y_reviewed", "Enter the date the statement was last reviewed")
	} else if a.Reviewed.Before(a.Prepared) {
		ve.Add("a11y_reviewed", "The date last reviewed must be the same as or after the date prepared")
	}
}

func (s Settings) validateBanner(ve *ValidationError) {
	ve.Max("phase_banner", "Phase", s.PhaseBanner, 20)
	if strings.TrimSpace(s.PhaseBanner) == "" {
		if strings.TrimSpace(s.FeedbackURL) != "" && !feedbackLink(s.FeedbackURL) {
			ve.Add("feedback_url", "Enter a feedback link that starts with https:// or mailto:")
		}
		return
	}
	switch {
	case strings.TrimSpace(s.FeedbackURL) == "":
		ve.Add("feedback_url", "Enter a feedback link for the phase banner, like https://example.gov.uk/feedback")
	case !feedbackLink(s.FeedbackURL):
		ve.Add("feedback_url", "Enter a feedback link that starts with https:// or mailto:")
	}
}

// feedbackLink reports whether s is an https address or a mailto link.
func feedbackLink(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != "" && EmailLooksValid(u.Opaque)
	}
	return false
}

// ukPhone adds blank when s is blank and a format message when it is not
// a UK number: 10 or 11 digits starting 0, or +44 and the number without
// its 0; spaces, hyphens and brackets are allowed between digits.
func ukPhone(ve *ValidationError, field, blank, s string) {
	if strings.TrimSpace(s) == "" {
		ve.Add(field, blank)
		return
	}
	if !UKPhone(s) {
		ve.Add(field, "Enter a UK phone number, like 01632 960 001 or +44 1632 960 001")
	}
}

// UKPhone reports whether s is a UK phone number as people write them.
func UKPhone(s string) bool {
	digits := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(digits, "+44"); ok {
		digits = "0" + strings.TrimPrefix(rest, "0")
	}
	if len(digits) < 10 || len(digits) > 11 || digits[0] != '0' {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MailFooter is what every mail ends with: the council that sent it and how
// to reach it.
func (s Settings) MailFooter() string {
	return "\n-- \n" + s.ServiceName + " is run by " + s.CouncilName + ".\n" +
		"Contact us: " + s.ContactEmail + " or " + s.ContactPhone + ".\n" +
		"No internet? Phone " + s.Paper.Phone + " for a paper form.\n"
}

// Title is a page's title as the browser tab shows it: the page, the
// service, the council.
func (s Settings) Title(pageTitle string) string {
	return pageTitle + " – " + s.ServiceName + " – " + s.CouncilName
}
