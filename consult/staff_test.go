package consult

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidatePassword(t *testing.T) {
	good := strings.Repeat("a", MinPassword)
	if err := ValidatePassword(good, good); err != nil {
		t.Fatalf("a %d-character password: %v", MinPassword, err)
	}
	long := strings.Repeat("é", 1000)
	if err := ValidatePassword(long, long); err != nil {
		t.Errorf("1,000 characters: %v", err)
	}
	for _, tc := range []struct{ pw, again, field, msg string }{
		{"", "", "password", "Enter a new password"},
		{strings.Repeat("a", MinPassword-1), strings.Repeat("a", MinPassword-1), "password", "Password must be 12 characters or more"},
		{long + "é", long + "é", "password", "Password must be 1,000 characters or fewer"},
		{good, good + "b", "password_again", "The passwords do not match: type the same password twice"},
	} {
		var ve *ValidationError
		if err := ValidatePassword(tc.pw, tc.again); !errors.As(err, &ve) || ve.Fields[tc.field] != tc.msg || len(ve.Fields) != 1 {
			t.Errorf("%d characters: %v, want %s: %q", len([]rune(tc.pw)), err, tc.field, tc.msg)
		}
	}
}

func TestValidateInvite(t *testing.T) {
	if err := ValidateInvite("clerk@council.gov.uk", RoleModerator); err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	if err := ValidateInvite("clerk", Role("mayor")); !errors.As(err, &ve) || ve.Fields["email"] == "" || ve.Fields["role"] != "Select the staff member's role" {
		t.Errorf("bad invite: %v", err)
	}
}

func TestStaffMails(t *testing.T) {
	expires := time.Date(2027, 1, 8, 14, 30, 0, 0, time.UTC)
	m := InviteMail("clerk@council.gov.uk", RoleAdmin, "https://x.test/set?token=T", expires)
	if m.To != "clerk@council.gov.uk" || !strings.Contains(m.Body, "(administrator)") || !strings.Contains(m.Body, "until 14:30 UTC on 8 January 2027") ||
		!strings.Contains(m.Body, "\nhttps://x.test/set?token=T\n") {
		t.Errorf("invite %+v", m)
	}
	if m := InviteMail("mod@council.gov.uk", RoleModerator, "L", expires); !strings.Contains(m.Body, "(moderator)") {
		t.Errorf("moderator invite %q", m.Body)
	}
	if m := ResetMail("clerk@council.gov.uk", "https://x.test/reset?token=R"); m.Subject != "Reset your OurSay password" || !strings.Contains(m.Body, "within an hour:\nhttps://x.test/reset?token=R\n") {
		t.Errorf("reset %+v", m)
	}
	u := &User{PasswordHash: "x"}
	if !u.Active() || u.Invited() {
		t.Errorf("an account with a password, never disabled")
	}
	u = &User{DisabledAt: expires}
	if u.Active() || !u.Invited() {
		t.Errorf("a disabled account that never set a password")
	}
}

func TestMailQuery_Validate(t *testing.T) {
	for _, st := range []string{"", MailSent, MailFailed, MailQueued} {
		if err := (MailQuery{Status: st}).Validate(); err != nil {
			t.Errorf("status %q: %v", st, err)
		}
	}
	var ve *ValidationError
	if err := (MailQuery{Status: "lost", To: strings.Repeat("a", 201)}).Validate(); !errors.As(err, &ve) ||
		ve.Fields["status"] != "Select sent, failed or not sent yet" || ve.Fields["to"] == "" {
		t.Errorf("bad query: %v", err)
	}
}

func TestSmallPredicates(t *testing.T) {
	if !(&PersonData{}).Empty() || (&PersonData{Following: []PersonFollow{{}}}).Empty() || (&PersonData{Mail: []PersonMail{{}}}).Empty() {
		t.Errorf("PersonData.Empty")
	}
	a := TextAnswer{ThemeIDs: []int64{3, 5}}
	if !a.HasTheme(5) || a.HasTheme(4) {
		t.Errorf("HasTheme")
	}
	if (&Consultation{Status: StatusDraft}).QuestionsFixed() || !(&Consultation{Status: StatusOpen}).QuestionsFixed() {
		t.Errorf("QuestionsFixed")
	}
	if got := GroupDigits(1234567); got != "1,234,567" {
		t.Errorf("GroupDigits = %q", got)
	}
	as := AuditActions()
	if len(as) != len(auditActionNames) || len(as) < 40 {
		t.Errorf("AuditActions lists %d of %d actions", len(as), len(auditActionNames))
	}
	for i := 1; i < len(as); i++ {
		// Strictly increasing: sorted by name, and no two actions share a
		// name, so a filter's choices cannot be confused.
		if as[i-1].Name >= as[i].Name {
			t.Errorf("AuditActions: %q then %q: not sorted by unique names", as[i-1].Name, as[i].Name)
		}
		if auditActionNames[as[i].Code] != as[i].Name {
			t.Errorf("AuditActions: %s is named %q, want %q", as[i].Code, as[i].Name, auditActionNames[as[i].Code])
		}
	}
}
