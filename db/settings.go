package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// SettingsStore keeps the council's settings in the one row of
// council_settings (0040). It implements consult.SettingsStore.
type SettingsStore struct {
	db *DB
}

var _ consult.SettingsStore = (*SettingsStore)(nil)

// NewSettingsStore returns the settings kept in d.
func NewSettingsStore(d *DB) *SettingsStore { return &SettingsStore{db: d} }

const settingsColumns = `council_name, service_name, contact_email, contact_phone, postal_address,
	dpo_contact, a11y_status, a11y_known_issues, a11y_prepared, a11y_reviewed,
	signer_months, respondent_months, mail_days, ocds_publisher, ocid_prefix,
	paper_phone, paper_address, phase_banner, feedback_url, review_lead_months, challenge_days`

// Settings returns the saved settings, or consult.DefaultSettings when
// none have been saved.
func (s *SettingsStore) Settings(ctx context.Context) (consult.Settings, error) {
	st, err := loadSettings(ctx, s.db.reader)
	if err != nil {
		return st, fmt.Errorf("load settings: %w", err)
	}
	return st, nil
}

func loadSettings(ctx context.Context, q querier) (consult.Settings, error) {
	var st consult.Settings
	var prepared, reviewed string
	a, r, p := &st.Accessibility, &st.Retention, &st.Paper
	err := q.QueryRowContext(ctx, `SELECT `+settingsColumns+` FROM council_settings WHERE id = 1`).Scan(
		&st.CouncilName, &st.ServiceName, &st.ContactEmail, &st.ContactPhone, &st.PostalAddress,
		&st.DPOContact, &a.Status, &a.KnownIssues, &prepared, &reviewed,
		&r.SignerMonths, &r.RespondentMonths, &r.MailDays, &st.OCDSPublisher, &st.OCIDPrefix,
		&p.Phone, &p.PostalAddress, &st.PhaseBanner, &st.FeedbackURL, &st.Reviews.LeadMonths, &st.Reviews.ChallengeDays)
	if errors.Is(err, sql.ErrNoRows) {
		return consult.DefaultSettings(), nil
	}
	if err != nil {
		return st, err
	}
	if a.Prepared, err = time.Parse(dateLayout, prepared); err != nil {
		return st, err
	}
	if a.Reviewed, err = time.Parse(dateLayout, reviewed); err != nil {
		return st, err
	}
	return st, nil
}

// SaveSettings replaces the settings, with an audit entry naming the
// fields that changed. It returns a *consult.ValidationError, saving
// nothing, when st.Validate does.
func (s *SettingsStore) SaveSettings(ctx context.Context, st consult.Settings, actor string) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		old, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		a, r, p := st.Accessibility, st.Retention, st.Paper
		_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO council_settings (id, `+settingsColumns+`, mail_footer, updated_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			st.CouncilName, st.ServiceName, st.ContactEmail, st.ContactPhone, st.PostalAddress,
			st.DPOContact, a.Status, a.KnownIssues, a.Prepared.Format(dateLayout), a.Reviewed.Format(dateLayout),
			r.SignerMonths, r.RespondentMonths, r.MailDays, st.OCDSPublisher, st.OCIDPrefix,
			p.Phone, p.PostalAddress, st.PhaseBanner, st.FeedbackURL, st.Reviews.LeadMonths, st.Reviews.ChallengeDays,
			st.MailFooter(), fmtTime(now))
		if err != nil {
			return err
		}
		detail := "Changed the council settings"
		if changed := settingsChanged(old, st); len(changed) > 0 {
			detail += ": " + strings.Join(changed, ", ")
		}
		return appendAudit(ctx, tx, now, actor, "council.settings_change", "council:settings", detail)
	})
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// settingsChanged names, in form order, the settings that differ.
func settingsChanged(a, b consult.Settings) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"council name", a.CouncilName == b.CouncilName},
		{"service name", a.ServiceName == b.ServiceName},
		{"contact email", a.ContactEmail == b.ContactEmail},
		{"contact phone", a.ContactPhone == b.ContactPhone},
		{"postal address", a.PostalAddress == b.PostalAddress},
		{"data protection officer", a.DPOContact == b.DPOContact},
		{"accessibility statement", a.Accessibility.Status == b.Accessibility.Status &&
			a.Accessibility.KnownIssues == b.Accessibility.KnownIssues &&
			a.Accessibility.Prepared.Equal(b.Accessibility.Prepared) && a.Accessibility.Reviewed.Equal(b.Accessibility.Reviewed)},
		{"retention periods", a.Retention == b.Retention},
		{"open data publisher", a.OCDSPublisher == b.OCDSPublisher && a.OCIDPrefix == b.OCIDPrefix},
		{"paper route", a.Paper == b.Paper},
		{"phase banner", a.PhaseBanner == b.PhaseBanner && a.FeedbackURL == b.FeedbackURL},
		{"contract review times", a.Reviews == b.Reviews},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// mailFooter is the saved settings' mail footer, or the defaults' when
// none are saved; enqueueMail reads it in the mail's own transaction.
func mailFooter(ctx context.Context, tx *sql.Tx) (string, error) {
	var f string
	err := tx.QueryRowContext(ctx, `SELECT mail_footer FROM council_settings WHERE id = 1`).Scan(&f)
	if errors.Is(err, sql.ErrNoRows) {
		return consult.DefaultSettings().MailFooter(), nil
	}
	return f, err
}
