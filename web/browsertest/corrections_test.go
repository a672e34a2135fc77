//go:build browser

package browsertest

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOfficerCorrectsConsultation: an officer moves an open consultation's
// closing date and corrects its title, each confirmed, and the public page
// says so; then, in a new draft, edits a question and moves it up.
func TestOfficerCorrectsConsultation(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("officer")
	signIn(t, tb, demoAdmin, srv.Password)
	const slug = "library-opening-hours"
	const admin = "/admin/consultations/" + slug

	tb.open(admin)
	if !tb.exists("#questions-fixed") {
		t.Error("the manage page of an open consultation does not say its questions are fixed")
	}
	tb.clickAndLoad(`a[href="` + admin + `/corrections"]`)
	tb.checkPage("corrections")
	// The GOV.UK date input: a day that does not exist first, and only
	// the day is marked wrong; then a real date.
	year := strconv.Itoa(time.Now().Year() + 1)
	tb.replace("#closes_on-day", "31")
	tb.replace("#closes_on-month", "2")
	tb.replace("#closes_on-year", year)
	tb.clickAndLoad(`form[action="` + admin + `/closing-date"] button[type=submit]`)
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "Closing date must be a real date") {
		t.Errorf("31 February: the error summary says %q", got)
	}
	if !tb.exists("#closes_on-day.govuk-input--error") || tb.exists("#closes_on-month.govuk-input--error") || tb.exists("#closes_on-year.govuk-input--error") {
		t.Error("31 February should mark the day alone")
	}
	tb.checkPage("corrections with a wrong date")
	day := time.Now().AddDate(0, 0, 40)
	tb.replace("#closes_on-day", strconv.Itoa(day.Day()))
	tb.replace("#closes_on-month", strconv.Itoa(int(day.Month())))
	tb.replace("#closes_on-year", strconv.Itoa(day.Year()))
	tb.clickAndLoad(`form[action="` + admin + `/closing-date"] button[type=submit]`)
	confirmStep(t, tb, "confirm the new closing date")
	tb.open(admin + "/corrections")
	tb.replace("#title", "Library opening hours from April")
	tb.clickAndLoad(`form[action="` + admin + `/wording"] button[type=submit]`)
	confirmStep(t, tb, "confirm the wording")

	tb.open("/consultations/" + slug)
	if got := tb.text(".oursay-closing-changed"); !strings.Contains(got, "Closing date changed from") || !strings.Contains(got, day.Format("2 January 2006")) {
		t.Errorf("the public page says %q", got)
	}
	if got := tb.text("#corrections"); !strings.Contains(got, "Title changed from ‘Library opening hours’ to ‘Library opening hours from April’ by "+demoAdmin) {
		t.Errorf("the change log says %q", got)
	}
	tb.checkPage("public page with corrections")

	// A draft's questions can be edited and reordered.
	tb.open("/admin/consultations/new?whole=yes")
	tb.typeInto("#title", "Leisure centre")
	tb.typeInto("#slug", "leisure")
	tb.typeInto("#summary", "How should the leisure centre be run?")
	tb.typeInto("#service", "Leisure")
	tb.click(`input[name=proposal][value=in_house]`)
	tb.click(`input[name=has_in_house_bid][value=yes]`)
	tb.typeInto("#in_house_bid", "The leisure team bids.")
	tb.click(`input[name=at_risk_contact][value=no]`)
	tb.click(`input[name=rights_threat][value=no]`)
	tb.click(`input[name=exemption_claimed][value=no]`)
	tb.click(`input[name=audience][value=anyone]`)
	tb.clickAndLoad(`form[action="/admin/consultations"] button[type=submit]`)
	const draft = "/admin/consultations/leisure"
	for _, p := range []string{"What do you use?", "Anything else?"} {
		tb.click(`input[name=kind][value=text]`)
		tb.typeInto("#prompt", p)
		tb.clickAndLoad(`form[action="` + draft + `/questions"] button[type=submit]`)
	}
	edit := eval[string](tb, `document.querySelectorAll(".oursay-question a[href$='/edit']")[0].getAttribute("href")`)
	tb.clickAndLoad(`a[href="` + edit + `"]`)
	tb.checkPage("edit a draft question")
	tb.replace("#prompt", "Which facilities do you use?")
	tb.clickAndLoad(`form[action="` + edit + `"] button[type=submit]`)
	tb.clickAndLoad(`.oursay-question form[action$='/move'] input[value=up] ~ button`)
	got := eval[[]string](tb, `[...document.querySelectorAll(".oursay-question h3")].map(h => h.textContent.trim())`)
	if strings.Join(got, "|") != "1. Anything else?|2. Which facilities do you use?" {
		t.Errorf("after editing and moving, the questions are %v", got)
	}
	tb.checkPage("draft with reordered questions")
}
