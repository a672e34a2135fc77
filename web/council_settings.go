package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// The council's settings are read on every page (header, footer, title),
// in every poster and in OCDS, so the server keeps them in memory: loaded
// at start, replaced when an admin saves them. Only this process writes
// them.

// loadSettings fills the in-memory settings from the store, or the
// defaults when there is no store.
func (s *Server) loadSettings(ctx context.Context) error {
	st := consult.DefaultSettings()
	if s.cfg.Stores.Settings != nil {
		var err error
		if st, err = s.cfg.Stores.Settings.Settings(ctx); err != nil {
			return err
		}
	}
	s.council.Store(&st)
	return nil
}

// ReloadSettings reads the settings again, for a change made beside the
// server (the demo loader).
func (s *Server) ReloadSettings(ctx context.Context) error { return s.loadSettings(ctx) }

// settings are the council's settings as last loaded or saved.
func (s *Server) settings() consult.Settings { return *s.council.Load() }

// settingsOrder is the settings form's fields in page order, for the
// error summary.
var settingsOrder = []string{"council_name", "service_name", "contact_email", "contact_phone", "postal_address",
	"dpo_contact", "a11y_status", "a11y_issues", "a11y_prepared", "a11y_reviewed",
	"signer_months", "respondent_months", "mail_days", "ocds_publisher", "ocid_prefix",
	"paper_phone", "paper_address", "phase_banner", "feedback_url", "review_lead_months", "challenge_days"}

// settingsForm is st as the form's values.
func settingsForm(st consult.Settings) url.Values {
	a, r := st.Accessibility, st.Retention
	return url.Values{
		"council_name": {st.CouncilName}, "service_name": {st.ServiceName},
		"contact_email": {st.ContactEmail}, "contact_phone": {st.ContactPhone},
		"postal_address": {st.PostalAddress}, "dpo_contact": {st.DPOContact},
		"a11y_status": {string(a.Status)}, "a11y_issues": {a.KnownIssues},
		"a11y_prepared": {a.Prepared.Format(dateInput)}, "a11y_reviewed": {a.Reviewed.Format(dateInput)},
		"signer_months": {strconv.Itoa(r.SignerMonths)}, "respondent_months": {strconv.Itoa(r.RespondentMonths)},
		"mail_days":      {strconv.Itoa(r.MailDays)},
		"ocds_publisher": {st.OCDSPublisher}, "ocid_prefix": {st.OCIDPrefix},
		"paper_phone": {st.Paper.Phone}, "paper_address": {st.Paper.PostalAddress},
		"phase_banner": {st.PhaseBanner}, "feedback_url": {st.FeedbackURL},
		"review_lead_months": {strconv.Itoa(st.Reviews.LeadMonths)}, "challenge_days": {strconv.Itoa(st.Reviews.ChallengeDays)},
	}
}

// dateInput is how the settings form writes a date.
const dateInput = "2006-01-02"

// readSettings reads the posted settings form; what it cannot read it
// notes on f.
func readSettings(f *formReader) consult.Settings {
	months := func(k, what string) int {
		return f.needInt(k, "Enter how many "+what+" as a whole number, like 6")
	}
	return consult.Settings{
		CouncilName: f.text("council_name"), ServiceName: f.text("service_name"),
		ContactEmail: f.text("contact_email"), ContactPhone: f.text("contact_phone"),
		PostalAddress: f.text("postal_address"), DPOContact: f.text("dpo_contact"),
		Accessibility: consult.Accessibility{
			Status:      consult.Compliance(f.text("a11y_status")),
			KnownIssues: f.text("a11y_issues"),
			Prepared:    f.formDate("a11y_prepared", "Date the statement was prepared", time.UTC),
			Reviewed:    f.formDate("a11y_reviewed", "Date the statement was last reviewed", time.UTC),
		},
		Retention: consult.Retention{
			SignerMonths:     months("signer_months", "months to keep signers' details"),
			RespondentMonths: months("respondent_months", "months to keep respondents' details"),
			MailDays:         months("mail_days", "days to keep sent mail"),
		},
		OCDSPublisher: f.text("ocds_publisher"), OCIDPrefix: f.text("ocid_prefix"),
		Paper:       consult.NonDigitalRoute{Phone: f.text("paper_phone"), PostalAddress: f.text("paper_address")},
		PhaseBanner: f.text("phase_banner"), FeedbackURL: f.text("feedback_url"),
		Reviews: consult.ReviewTimes{
			LeadMonths:    f.needInt("review_lead_months", "Enter the lead time for contract reviews as a whole number of months, like 9"),
			ChallengeDays: f.needInt("challenge_days", "Enter the challenge window as a whole number of days, like 28"),
		},
	}
}

func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, settingsForm(s.settings()), nil)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	p := &page{Title: "Council settings", Form: form}
	if fields != nil {
		p.setErrors(fields, settingsOrder)
	}
	s.render(w, r, status, "admin_settings", p)
}

// adminSettingsSave saves the whole form or, with a message for each bad
// field, nothing.
func (s *Server) adminSettingsSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r)
		return
	}
	f := newFormReader(r.PostForm)
	st := readSettings(f)
	fields := f.result(st.Validate())
	// Saving and keeping in memory are one step, so two admins saving at
	// once leave memory as the database ends.
	s.savingSettings.Lock()
	defer s.savingSettings.Unlock()
	if fields == nil && s.cfg.Stores.Settings != nil {
		err := s.cfg.Stores.Settings.SaveSettings(r.Context(), st, s.actor(r))
		var ve *consult.ValidationError
		if err != nil && !errors.As(err, &ve) {
			s.fail(w, r, err)
			return
		}
		fields = withDomain(nil, err)
	}
	if fields != nil {
		s.renderSettings(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	s.council.Store(&st)
	s.flash(r, "Council settings saved.")
	http.Redirect(w, r, "/admin/council/settings", http.StatusSeeOther)
}

// councilJSON is the public part of the settings: who runs the service,
// how to reach them and who publishes its open data.
type councilJSON struct {
	CouncilName   string `json:"council_name"`
	ServiceName   string `json:"service_name"`
	ContactEmail  string `json:"contact_email"`
	ContactPhone  string `json:"contact_phone"`
	PostalAddress string `json:"postal_address"`
	OCDSPublisher string `json:"ocds_publisher"`
	OCIDPrefix    string `json:"ocid_prefix"`
}

func (s *Server) apiCouncil(w http.ResponseWriter, r *http.Request) {
	st := s.settings()
	writeJSON(w, http.StatusOK, councilJSON{
		CouncilName: st.CouncilName, ServiceName: st.ServiceName,
		ContactEmail: st.ContactEmail, ContactPhone: st.ContactPhone, PostalAddress: st.PostalAddress,
		OCDSPublisher: st.OCDSPublisher, OCIDPrefix: st.OCIDPrefix,
	})
}

// complianceChoices are the accessibility statement's three statuses.
func complianceChoices() []choice {
	var cs []choice
	for _, c := range consult.Compliances {
		cs = append(cs, choice{string(c), upperFirst(c.Label()) + " with WCAG 2.2 AA"})
	}
	return cs
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// staffDate, staffNumber and staffShort size a settings field for what it
// holds.
func staffDate(f fieldArgs) fieldArgs   { f.Class = "govuk-input--width-10"; return f }
func staffNumber(f fieldArgs) fieldArgs { f.Class = "govuk-input--width-4"; return f }
func staffShort(f fieldArgs) fieldArgs  { f.Class = "govuk-input--width-10"; return f }
