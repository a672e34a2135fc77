package consult_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

func TestValidationError(t *testing.T) {
	var none *consult.ValidationError
	if none.Err() != nil || (&consult.ValidationError{}).Err() != nil {
		t.Fatal("an empty ValidationError is not nil")
	}
	ve := &consult.ValidationError{}
	ve.Add("title", "Enter a title")
	ve.Add("audience", "Choose who can respond")
	ve.Add("title", "a second message")
	if ve.Err() == nil {
		t.Fatal("Err() = nil with two messages")
	}
	if got, want := ve.Error(), "invalid input: audience: Choose who can respond; title: Enter a title"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestConsultationTopic(t *testing.T) {
	if got := consult.ConsultationTopic("parks-maintenance"); got != "consultation:parks-maintenance" {
		t.Errorf("got %q", got)
	}
}

func TestReceiptMail(t *testing.T) {
	subject, body := consult.ReceiptMail(&consult.Consultation{Title: "Parks maintenance"}, "K7QX-M2PA-9RTE", "https://x.test/c/parks")
	if want := "Your response: Parks maintenance"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	want := "This is the council's consultation site, OurSay. Thank you for answering the consultation:\n" +
		"  \"Parks maintenance\"\n\n" +
		"Your receipt code is K7QX-M2PA-9RTE. Keep it: it shows your response was recorded.\n\n" +
		"When the consultation closes, the council publishes the results and what it decided, here:\n" +
		"https://x.test/c/parks\n"
	if body != want {
		t.Errorf("body:\n%s\nwant:\n%s", body, want)
	}
}

func TestRole_Valid(t *testing.T) {
	for _, tc := range []struct {
		r    consult.Role
		want bool
	}{
		{consult.RoleAdmin, true},
		{consult.RoleModerator, true},
		{"", false},
		{"Admin", false},
		{"resident", false},
	} {
		if got := tc.r.Valid(); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.r, got, tc.want)
		}
	}
}

func TestConsultation_Validate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spoil  func(*consult.Consultation)
		fields []string
	}{
		{"OK", func(c *consult.Consultation) {}, nil},
		{"Residents", func(c *consult.Consultation) { c.Audience = consult.AudienceResidents }, nil},
		{"Code", func(c *consult.Consultation) { c.Audience = consult.AudienceCode }, nil},
		{"NoAudience", func(c *consult.Consultation) { c.Audience = "" }, []string{"audience"}},
		{"NoSlug", func(c *consult.Consultation) { c.Slug = "" }, []string{"slug"}},
		{"Slug80", func(c *consult.Consultation) { c.Slug = strings.Repeat("a", 80) }, nil},
		{"Slug81", func(c *consult.Consultation) { c.Slug = strings.Repeat("a", 81) }, []string{"slug"}},
		{"SlugDoubleHyphen", func(c *consult.Consultation) { c.Slug = "parks--maintenance" }, []string{"slug"}},
		{"SlugUpperCase", func(c *consult.Consultation) { c.Slug = "Parks" }, []string{"slug"}},
		{"NoTitle", func(c *consult.Consultation) { c.Title = " " }, []string{"title"}},
		{"Title200", func(c *consult.Consultation) { c.Title = strings.Repeat("é", 200) }, nil},
		{"Title201", func(c *consult.Consultation) { c.Title = strings.Repeat("é", 201) }, []string{"title"}},
		{"NoSummary", func(c *consult.Consultation) { c.Summary = "" }, []string{"summary"}},
		{"Summary5001", func(c *consult.Consultation) { c.Summary = strings.Repeat("x", 5001) }, []string{"summary"}},
		{"OnlyOpening", func(c *consult.Consultation) { c.OpensAt = t0 }, nil},
		{"OnlyClosing", func(c *consult.Consultation) { c.ClosesAt = t0 }, nil},
		{"ClosesAfterOpening", func(c *consult.Consultation) { c.OpensAt, c.ClosesAt = t0, t0.Add(1) }, nil},
		{"ClosesWhenItOpens", func(c *consult.Consultation) { c.OpensAt, c.ClosesAt = t0, t0 }, []string{"closes_on"}},
		{"ClosesBeforeOpening", func(c *consult.Consultation) { c.OpensAt, c.ClosesAt = t0, t0.Add(-1) }, []string{"closes_on"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validDraft()
			tc.spoil(c)
			wantFields(t, c.Validate(), tc.fields...)
		})
	}
	c := validDraft()
	c.Title = strings.Repeat("x", 201)
	if got := fields(t, c.Validate())["title"]; got != "Title must be 200 characters or fewer" {
		t.Errorf("title too long: got %q", got)
	}
}

// TestAlreadyRespondedMail: a second response from an address tells only
// that address, in full, that nothing new was saved.
func TestAlreadyRespondedMail(t *testing.T) {
	subject, body := consult.AlreadyRespondedMail(&consult.Consultation{Title: "Parks maintenance"}, "https://x.test/c/parks")
	if want := "Your response: Parks maintenance"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	want := "This is the council's consultation site, OurSay. Someone gave this email address to answer the consultation:\n" +
		"  \"Parks maintenance\"\n\n" +
		"This address has already responded to it. Only the first response counts, so these answers were not saved. " +
		"Your first receipt code still stands.\n\n" +
		"If this was not you, you do not need to do anything.\n\n" +
		"When the consultation closes, the council publishes the results and what it decided, here:\n" +
		"https://x.test/c/parks\n"
	if body != want {
		t.Errorf("body:\n%s\nwant:\n%s", body, want)
	}
}

func TestLinksAndTitle(t *testing.T) {
	if got := (consult.Links{Base: "https://x.test"}).Consultation("parks"); got != "https://x.test/consultations/parks" {
		t.Errorf("Consultation link %q", got)
	}
	st := consult.Settings{ServiceName: "OurSay", CouncilName: "Demo Borough Council"}
	if got := st.Title("Parks"); got != "Parks – OurSay – Demo Borough Council" {
		t.Errorf("Title %q", got)
	}
	if consult.InviteLinkLife != 168*time.Hour || consult.ResetLinkLife != time.Hour {
		t.Errorf("link lives %v and %v, want a week and an hour", consult.InviteLinkLife, consult.ResetLinkLife)
	}
}
