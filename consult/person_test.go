package consult

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPersonRequest_Validate(t *testing.T) {
	if err := (PersonRequest{Email: "a@example.org", Reason: "SAR-1"}).Validate(); err != nil {
		t.Fatalf("valid: %v", err)
	}
	for _, tc := range []struct {
		q           PersonRequest
		field, says string
	}{
		{PersonRequest{Email: " ", Reason: "SAR-1"}, "email", "Enter an email address"},
		{PersonRequest{Email: "a at example.org", Reason: "SAR-1"}, "email", "correct format"},
		{PersonRequest{Email: "a@example.org", Reason: ""}, "reason", "Enter the reason"},
		{PersonRequest{Email: "a@example.org", Reason: strings.Repeat("x", MaxPersonReason+1)}, "reason", "500 characters or fewer"},
		{PersonRequest{Email: "A@Example.org", Reason: "From a@example.org"}, "reason", "Do not put the email address"},
		{PersonRequest{Email: "a@example.org", Reason: "SAR\n1"}, "reason", "one line"},
	} {
		var ve *ValidationError
		if err := tc.q.Validate(); !errors.As(err, &ve) || !strings.Contains(ve.Fields[tc.field], tc.says) {
			t.Errorf("%+v: got %v, want %s: %q", tc.q, err, tc.field, tc.says)
		}
	}
}

func TestErasure_String(t *testing.T) {
	got := Erasure{Withdrawn: 1, Signatures: 2, Responses: 0, Campaigners: 1, Requests: 1, Follows: 2, Objections: 1, Mail: 1200}.String()
	want := "1 signature withdrawn, 2 signatures anonymised, 0 responses anonymised, 1 petition's campaigner details removed, " +
		"1 information request anonymised, 2 follows of requests deleted, 1 objection anonymised, 1,200 mails deleted"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestRetention_CutoffsAndReport(t *testing.T) {
	now := time.Date(2027, 8, 31, 12, 0, 0, 0, time.UTC)
	c := Retention{SignerMonths: 6, RespondentMonths: 3, MailDays: 30}.Cutoffs(now)
	if !c.Now.Equal(now) || !c.Signers.Equal(time.Date(2027, 3, 3, 12, 0, 0, 0, time.UTC)) ||
		!c.Respondents.Equal(time.Date(2027, 5, 31, 12, 0, 0, 0, time.UTC)) || !c.Mail.Equal(time.Date(2027, 8, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("cutoffs %+v", c)
	}
	r := RetentionReport{Signatures: 3, Campaigners: 1, Responses: 2, Requests: 7, Followers: 8, Objections: 9, Mail: 4, Sessions: 5, Tokens: 6}
	if r.Total() != 45 || !strings.HasPrefix(r.String(), "signatures anonymised 3, campaigners anonymised 1, responses anonymised 2, "+
		"information requests anonymised 7, request followers deleted 8, objectors anonymised 9,") || len(r.Kinds()) != 9 {
		t.Errorf("report %q, total %d", r.String(), r.Total())
	}
}
