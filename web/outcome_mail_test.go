package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// TestRespond_NotifyOutcome: a respondent who gives an email and ticks
// "Email me when the outcome is published" gets one mail, through the
// outbox and the mailer, when it is published, linking to the outcome;
// a respondent who did not tick gets none. Ticking without an email is
// refused and saves nothing.
func TestRespond_NotifyOutcome(t *testing.T) {
	e := newPetitionEnv(t, 5)
	c := e.openConsultation("parks")
	_, page := e.get(e.anon, "/consultations/parks")
	if !strings.Contains(page, `name="notify_outcome" type="checkbox" value="yes"`) {
		t.Fatal("the response form has no outcome checkbox")
	}
	form := validForm(c)
	form.Set("notify_outcome", "yes")
	res, body := e.postBody(e.anon, "/consultations/parks/responses", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#email">Enter your email address so that we can tell you the outcome`) ||
		!strings.Contains(body, `value="yes" aria-describedby="notify_outcome-hint" checked`) {
		t.Errorf("ticked without an email: got %d without the message and the box still ticked", res.StatusCode)
	}
	if n := e.responseCount("parks"); n != 0 {
		t.Fatalf("saved %d responses, want 0", n)
	}
	for addr, notify := range map[string]bool{"ann@example.org": true, "bob@example.org": false} {
		f := validForm(c)
		f.Set("email", addr)
		if notify {
			f.Set("notify_outcome", "yes")
		}
		if res := e.post(e.client(), "/consultations/parks/responses", f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("respond as %s: got %d", addr, res.StatusCode)
		}
	}
	if res, body := e.postJSON(e.client(), "/api/consultations/parks/responses",
		`{"answers":{"`+itoa(c.Questions[0].ID)+`":`+itoa(c.Questions[0].Options[0].ID)+`,"`+itoa(c.Questions[2].ID)+`":4},"email":"cy@example.org","notify_outcome":true}`); res.StatusCode != http.StatusCreated {
		t.Fatalf("JSON response: got %d %s", res.StatusCode, body)
	}
	must(t, e.store.Close(context.Background(), "parks", "test"))
	outcome := url.Values{"we_asked": {"Who runs parks"}, "you_said": {"Keep them"}, "we_did": {"Kept them"}}
	if _, body := e.postBody(e.admin, "/admin/consultations/parks/outcome", outcome); !strings.Contains(body, "2 respondents who asked to be told are emailed a link to it.") {
		t.Error("the confirmation does not say 2 respondents are emailed")
	}
	if res := e.post(e.admin, "/admin/consultations/parks/outcome", confirmed(outcome)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: got %d", res.StatusCode)
	}
	for _, addr := range []string{"ann@example.org", "cy@example.org"} {
		m := e.mailSubject(addr, "Outcome published: Parks parks")
		if !strings.Contains(m.Body, "\"Parks parks\"") {
			t.Errorf("mail to %s does not name the consultation: %q", addr, m.Body)
		}
		if u, err := smtptest.Link(m.Body, "/consultations/parks"); err != nil || u.String() != testBase+"/consultations/parks#outcome" {
			t.Errorf("mail to %s links to %v, %v; want the outcome", addr, u, err)
		}
	}
	time.Sleep(100 * time.Millisecond) // the mailer polls every 10ms
	for _, m := range e.smtp.Mails() {
		if strings.HasPrefix(m.Subject, "Outcome published") && strings.EqualFold(m.To[0], "bob@example.org") {
			t.Error("bob did not ask, but was sent the outcome")
		}
	}
}
