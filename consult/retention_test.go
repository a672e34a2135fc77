package consult

import (
	"errors"
	"testing"
	"time"
)

func TestRetention_Validate(t *testing.T) {
	if err := DefaultRetention().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		r     Retention
		field string
	}{
		{Retention{SignerMonths: 0, RespondentMonths: 6, MailDays: 30}, "signer_months"},
		{Retention{SignerMonths: 73, RespondentMonths: 6, MailDays: 30}, "signer_months"},
		{Retention{SignerMonths: 6, RespondentMonths: 0, MailDays: 30}, "respondent_months"},
		{Retention{SignerMonths: 6, RespondentMonths: 73, MailDays: 30}, "respondent_months"},
		{Retention{SignerMonths: 6, RespondentMonths: 6, MailDays: 0}, "mail_days"},
		{Retention{SignerMonths: 6, RespondentMonths: 6, MailDays: 366}, "mail_days"},
	} {
		var ve *ValidationError
		if err := tc.r.Validate(); !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[tc.field] == "" {
			t.Errorf("%+v: got %v, want one message for %s", tc.r, err, tc.field)
		}
	}
	for _, ok := range []Retention{{1, 1, 1}, {72, 72, 365}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v is within bounds: %v", ok, err)
		}
	}
}

func TestRetention_Cutoffs(t *testing.T) {
	now := time.Date(2027, 8, 31, 12, 0, 0, 0, time.UTC)
	r := DefaultRetention()
	if got, want := r.SignerCutoff(now), time.Date(2027, 3, 3, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("signer cutoff %v, want %v", got, want) // AddDate normalises 31 February
	}
	if got, want := r.RespondentCutoff(now), now.AddDate(0, -6, 0); !got.Equal(want) {
		t.Errorf("respondent cutoff %v, want %v", got, want)
	}
	if got, want := r.MailCutoff(now), time.Date(2027, 8, 1, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("mail cutoff %v, want %v", got, want)
	}
}
