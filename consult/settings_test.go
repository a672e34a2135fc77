package consult

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSettings_Validate(t *testing.T) {
	if err := DefaultSettings().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Settings)
		field string
	}{
		{"NoCouncil", func(s *Settings) { s.CouncilName = " " }, "council_name"},
		{"NoService", func(s *Settings) { s.ServiceName = "" }, "service_name"},
		{"BadEmail", func(s *Settings) { s.ContactEmail = "council.gov.uk" }, "contact_email"},
		{"NoEmail", func(s *Settings) { s.ContactEmail = "" }, "contact_email"},
		{"ShortPhone", func(s *Settings) { s.ContactPhone = "01632 960" }, "contact_phone"},
		{"ForeignPhone", func(s *Settings) { s.ContactPhone = "+33 1 42 68 53 00" }, "contact_phone"},
		{"LetterPhone", func(s *Settings) { s.ContactPhone = "01632 96O 001" }, "contact_phone"},
		{"NoAddress", func(s *Settings) { s.PostalAddress = "" }, "postal_address"},
		{"NoDPO", func(s *Settings) { s.DPOContact = "" }, "dpo_contact"},
		{"NoStatus", func(s *Settings) { s.Accessibility.Status = "mostly" }, "a11y_status"},
		{"PartialNoIssues", func(s *Settings) { s.Accessibility.KnownIssues = " \n" }, "a11y_issues"},
		{"NoPrepared", func(s *Settings) { s.Accessibility.Prepared = time.Time{} }, "a11y_prepared"},
		{"ReviewedBeforePrepared", func(s *Settings) { s.Accessibility.Reviewed = s.Accessibility.Prepared.AddDate(0, 0, -1) }, "a11y_reviewed"},
		{"Retention", func(s *Settings) { s.Retention.SignerMonths = 0 }, "signer_months"},
		{"MailDays", func(s *Settings) { s.Retention.MailDays = 400 }, "mail_days"},
		{"NoLeadTime", func(s *Settings) { s.Reviews.LeadMonths = 0 }, "review_lead_months"},
		{"LeadTooLong", func(s *Settings) { s.Reviews.LeadMonths = 37 }, "review_lead_months"},
		{"ChallengeTooShort", func(s *Settings) { s.Reviews.ChallengeDays = 6 }, "challenge_days"},
		{"ChallengeTooLong", func(s *Settings) { s.Reviews.ChallengeDays = 91 }, "challenge_days"},
		{"NoPublisher", func(s *Settings) { s.OCDSPublisher = "" }, "ocds_publisher"},
		{"NoPrefix", func(s *Settings) { s.OCIDPrefix = "" }, "ocid_prefix"},
		{"PrefixNoOCDS", func(s *Settings) { s.OCIDPrefix = "demo01" }, "ocid_prefix"},
		{"PrefixHyphen", func(s *Settings) { s.OCIDPrefix = "ocds-demo-01" }, "ocid_prefix"},
		{"PrefixEmpty", func(s *Settings) { s.OCIDPrefix = "ocds-" }, "ocid_prefix"},
		{"NoPaperPhone", func(s *Settings) { s.Paper.Phone = "" }, "paper_phone"},
		{"NoPaperAddress", func(s *Settings) { s.Paper.PostalAddress = "" }, "paper_address"},
		{"BannerNoLink", func(s *Settings) { s.FeedbackURL = "" }, "feedback_url"},
		{"BannerHTTP", func(s *Settings) { s.FeedbackURL = "http://example.gov.uk/f" }, "feedback_url"},
		{"BannerScript", func(s *Settings) { s.FeedbackURL = "javascript:alert(1)" }, "feedback_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultSettings()
			tc.edit(&s)
			var ve *ValidationError
			if err := s.Validate(); !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[tc.field] == "" {
				t.Errorf("got %v, want one message for %s", err, tc.field)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		for _, edit := range []func(*Settings){
			func(s *Settings) { s.ContactPhone = "+44 (0)1632 960001" },
			func(s *Settings) { s.ContactPhone = "020-7946-0000" },
			func(s *Settings) { s.ContactPhone = "07700 900123" },
			func(s *Settings) { s.OCIDPrefix = "ocds-213czf" },
			func(s *Settings) { s.PhaseBanner, s.FeedbackURL = "", "" },
			func(s *Settings) { s.FeedbackURL = "https://demo-borough.gov.uk/feedback" },
			func(s *Settings) { s.Accessibility.Status, s.Accessibility.KnownIssues = FullyCompliant, "" },
		} {
			s := DefaultSettings()
			edit(&s)
			if err := s.Validate(); err != nil {
				t.Errorf("%+v: %v", s, err)
			}
		}
	})
	t.Run("EmailMessageNamesTheCouncil", func(t *testing.T) {
		s := DefaultSettings()
		s.ContactEmail = "nope"
		err := s.Validate().(*ValidationError)
		if m := err.Fields["contact_email"]; !strings.Contains(m, "council's contact email") || !strings.Contains(m, "name@example.gov.uk") {
			t.Errorf("got %q", m)
		}
	})
}

func TestSettings_MailFooter(t *testing.T) {
	f := DefaultSettings().MailFooter()
	for _, want := range []string{"Demo Borough Council", "oursay@demo-borough.gov.uk", "01632 960 001", "01632 960 002"} {
		if !strings.Contains(f, want) {
			t.Errorf("footer %q lacks %q", f, want)
		}
	}
}
