//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// TestOfficerTagsAnswersWithThemes: a resident answers the demo parks
// consultation and asks to hear the outcome; an officer reads what people
// wrote, makes a theme, tags two answers with it, closes the consultation
// and publishes the outcome; the public outcome counts the theme, and the
// resident is mailed a link to it.
func TestOfficerTagsAnswersWithThemes(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)
	const slug = "parks-maintenance"
	const admin = "/admin/consultations/" + slug

	resident := b.newTab("resident")
	resident.open("/consultations/" + slug)
	for _, q := range formQuestions(resident) {
		switch q.Kind {
		case "radio":
			resident.click("label[for='" + q.FirstID + "']")
		case "text":
			resident.typeInto("#"+q.FirstID, "The staff know the parks: keep them.")
		}
	}
	if !eval[bool](resident, `document.querySelector("[data-needs-email]").hidden`) {
		t.Error("the outcome box shows before an email is typed")
	}
	resident.typeInto("#email", "rae@example.org")
	if eval[bool](resident, `document.querySelector("[data-needs-email]").hidden`) {
		t.Error("the outcome box stays hidden once an email is typed")
	}
	resident.click(`label[for=notify_outcome]`)
	resident.checkPage("response form with the outcome box ticked")
	resident.clickAndLoad(`form[action="/consultations/` + slug + `/responses"] button[type=submit]`)
	if !strings.Contains(resident.text("main"), "Check your email") {
		t.Fatalf("the response was not taken: %s", short(resident.text("main")))
	}

	tb := b.newTab("officer")
	signIn(t, tb, demoAdmin, srv.Password)
	tb.open(admin)
	tb.clickAndLoad(`#answers-link a[href="` + admin + `/answers"]`)
	if got := tb.text("#showing"); got != "Showing 1 to 13 of 13 answers." {
		t.Errorf("the answers page says %q", got)
	}
	tb.checkPage("answers, no themes yet")

	tb.clickAndLoad(`a[href="` + admin + `/themes"]`)
	tb.clickAndLoad(`form[action="` + admin + `/themes"] button[type=submit]`)
	if !tb.exists(".govuk-error-summary") {
		t.Error("a theme without a name shows no error summary")
	}
	tb.checkPage("themes, with an error")
	tb.typeInto("#theme_name", "Staff know the parks")
	tb.clickAndLoad(`form[action="` + admin + `/themes"] button[type=submit]`)
	tb.checkPage("themes")
	tb.clickAndLoad(`a[href="` + admin + `/answers"]`)

	// Tag the first and the fourth answer: both say the staff know the parks.
	for _, n := range []int{1, 4} {
		label := eval[string](tb, fmt.Sprintf(`document.querySelectorAll(".oursay-answer")[%d].querySelector("label.govuk-checkboxes__label").getAttribute("for")`, n-1))
		tb.click(`label[for="` + label + `"]`)
	}
	tb.clickAndLoad(`form#answers button[type=submit]`)
	if got := tb.text("#theme-counts tbody"); !strings.Contains(got, "Staff know the parks") || !strings.Contains(got, "2") {
		t.Errorf("after tagging, the counts say %q", got)
	}
	tb.checkPage("answers tagged")

	tb.open(admin)
	tb.clickAndLoad(`form[action="` + admin + `/close"] button`)
	confirmStep(t, tb, "confirm closing")
	tb.clickAndLoad(`a[href="` + admin + `/outcome"]`)
	tb.typeInto("#we_asked", "Who should look after the parks.")
	tb.typeInto("#you_said", "Many of you said the staff know the parks.")
	tb.typeInto("#we_did", "We will compare the in-house bid first.")
	tb.clickAndLoad(`form[action="` + admin + `/outcome"] button[type=submit]`)
	if !strings.Contains(tb.text("main"), "1 respondent who asked to be told is emailed") {
		t.Errorf("the confirmation does not say who is emailed: %s", short(tb.text("main")))
	}
	confirmStep(t, tb, "confirm the outcome")

	tb.open("/consultations/" + slug)
	table := tb.text(".oursay-theme-counts")
	if !strings.Contains(table, "Themes in what people wrote to ‘Anything else you want to tell us?’ (13 answers)") ||
		!strings.Contains(table, "Staff know the parks") || !strings.Contains(table, "2") {
		t.Errorf("the outcome's theme counts say %q", table)
	}
	tb.checkPage("outcome with theme counts, public")

	m := waitMail(t, srv, "rae@example.org", "Outcome published")
	if link, err := smtptest.Link(m.Body, "/consultations/"+slug); err != nil || link.Fragment != "outcome" {
		t.Errorf("the outcome mail links to %v, %v", link, err)
	}
}
