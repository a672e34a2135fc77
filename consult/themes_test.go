package consult_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

func TestValidateThemeName(t *testing.T) {
	others := []consult.Theme{{ID: 1, Name: "Opening hours"}, {ID: 2, Name: "Cost"}}
	cases := []struct {
		name   string
		self   int64
		wantOK bool
		want   string
	}{
		{"Parking", 0, true, ""},
		{"", 0, false, "Enter a name for the theme"},
		{"   ", 0, false, "Enter a name for the theme"},
		{strings.Repeat("a", consult.MaxThemeName), 0, true, ""},
		{strings.Repeat("a", consult.MaxThemeName+1), 0, false, "60 characters or fewer"},
		{"cost", 0, false, "already has a theme called ‘Cost’"},
		{"  Opening   hours ", 0, false, "already has a theme called ‘Opening hours’"},
		{"COST", 2, true, ""}, // renaming a theme to its own name in other case
		{"Cost", 1, false, "already has a theme"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := consult.ValidateThemeName(tc.name, others, tc.self)
			if tc.wantOK {
				if err != nil {
					t.Errorf("got %v, want nil", err)
				}
				return
			}
			var ve *consult.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(ve.Fields["theme_name"], tc.want) {
				t.Errorf("got %v, want a name message containing %q", err, tc.want)
			}
		})
	}
}

func TestValidateResponse_NotifyOutcome(t *testing.T) {
	c := &consult.Consultation{Audience: consult.AudienceAnyone}
	r := &consult.Response{Channel: consult.ChannelOnline, NotifyOutcome: true}
	var ve *consult.ValidationError
	if err := consult.ValidateResponse(c, r); !errors.As(err, &ve) || !strings.Contains(ve.Fields["email"], "so that we can tell you the outcome") {
		t.Errorf("no email: got %v, want an email message", err)
	}
	r.Email = "a@example.org"
	if err := consult.ValidateResponse(c, r); err != nil {
		t.Errorf("with an email: got %v, want nil", err)
	}
}

func TestOutcomeMail(t *testing.T) {
	c := &consult.Consultation{Title: "Parks"}
	subj, body := consult.OutcomeMail(c, "https://oursay.test/consultations/parks")
	if subj != "Outcome published: Parks" || !strings.Contains(body, "\"Parks\"") ||
		!strings.Contains(body, "https://oursay.test/consultations/parks#outcome") {
		t.Errorf("got %q %q", subj, body)
	}
}

func TestTextAnswer_Lines(t *testing.T) {
	a := consult.TextAnswer{Text: "First line\r\n\n  \nSecond line  "}
	if got := strings.Join(a.Lines(), "|"); got != "First line|Second line" {
		t.Errorf("got %q", got)
	}
}
