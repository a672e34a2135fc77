//go:build browser

package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

// TestOfficerDraftsAndPublishesReview: an admin finds the demo's review in
// progress on the task list, then opens a review of the leisure contract
// at its termination, is told that re-letting an at-risk service with no
// exemption is not allowed, claims a good-reason exemption, saves the
// draft and publishes it once confirmed. The public review page says
// until when residents may challenge it and offers a petition; a resident
// objects (through the error summary) and confirms by the mailed link, and
// the page counts it; the officer starts the consultation re-letting leads
// into, prefilled; and the pipeline lists the termination.
func TestOfficerDraftsAndPublishesReview(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)
	tb := b.newTab("admin")
	signIn(t, tb, demoAdmin, srv.Password)

	tb.open("/admin/")
	tasks := `ul[aria-labelledby="tasks-reviews"]`
	if !strings.Contains(tb.text(tasks), "Review ‘Household waste and recycling collection’: break clause") {
		t.Fatalf("the task list has no review in progress: %q", tb.text(tasks))
	}
	tb.clickAndLoad(tasks + ` a[href*="/reviews/"]`)
	if !strings.Contains(tb.text("h1"), "Review at the break clause") || eval[string](tb, `document.querySelector("input[name=at_risk_contact]:checked").value`) != "yes" {
		t.Fatalf("the task opens %q without the saved answers", tb.text("h1"))
	}
	tb.checkPage("review in progress")

	tb.open("/admin/contracts")
	href := eval[string](tb, `[...document.querySelectorAll("a")].find(a => a.textContent.includes("Reviews of Leisure centres")).getAttribute("href")`)
	tb.clickAndLoad(`a[href="` + href + `"]`)
	tb.checkPage("a contract's reviews")
	tb.click(`input[name=point][value=termination]`)
	tb.typeInto("#point_on", time.Now().AddDate(0, 3, 0).Format("2006-01-02"))
	tb.clickAndLoad(`form[action="` + href + `"] button[type=submit]`)
	if !strings.Contains(tb.text("h1"), "Review at the termination") {
		t.Fatalf("opening a review leads to %q", tb.text("h1"))
	}
	tb.checkPage("new draft review")
	admin := tb.path()
	save := `form[action="` + admin + `"] button[type=submit]`

	tb.click(`input[name=at_risk_contact][value=yes]`)
	tb.click(`input[name=rights_threat][value=no]`)
	tb.typeInto("#public_interest_case", "The trust has run the centres well; re-letting keeps concessionary prices.")
	tb.typeInto("#in_house_cost", "6,900,000")
	tb.typeInto("#in_house_quality", "Similar opening hours, with fewer classes in the first year.")
	tb.typeInto("#in_house_workforce", "About 210 staff would transfer under TUPE.")
	tb.typeInto("#in_house_risk", "The council has no leisure management team today.")
	tb.click(`input[name=route][value=re_let]`)
	tb.clickAndLoad(save)
	if got := tb.text("#route-error"); !strings.Contains(got, "the only route allowed is to bring it in house") {
		t.Fatalf("re-letting an at-risk service with no exemption: error %q", got)
	}
	tb.checkPage("review form with an error")

	tb.click(`input[name=exemption_claimed][value=yes]`)
	tb.run("choose the exemption", chromedp.SetValue(chromedp.CSS(`#exemption`), "good_reason"))
	tb.typeInto("#exemption_reason", "The council has no leisure management capacity, and the trust reinvests every surplus in the centres.")
	tb.clickAndLoad(save)
	if tb.exists(".govuk-error-summary") || !strings.Contains(tb.text(".govuk-notification-banner--success"), "Review saved") {
		t.Fatalf("the corrected review was not saved (%s)", tb.path())
	}
	tb.clickAndLoad(`form[action$="/publish"] button[type=submit]`)
	confirmStep(t, tb, "publish review confirmation")
	if !strings.Contains(tb.text(".govuk-notification-banner--success"), "Review published") {
		t.Fatalf("not published (%s)", tb.path())
	}
	tb.checkPage("published review, staff")

	public := strings.TrimPrefix(admin, "/admin")
	tb.open(public)
	if got := tb.text("#challenge"); !strings.Contains(got, "You can challenge it until the end of") || !tb.exists(`#challenge a[href^="/petitions/new?contract="]`) {
		t.Errorf("the public review's challenge says %q", got)
	}
	if !strings.Contains(tb.text("#route"), "Re-let the contract") {
		t.Errorf("route: %q", tb.text("#route"))
	}
	tb.checkPage("published review, public")

	// A resident objects, through the error summary, and confirms by email.
	res := b.newTab("resident")
	res.open(public)
	objection := `form[action="` + public + `/objections"] button[type=submit]`
	res.typeInto("#name", "Sam Jones")
	res.clickAndLoad(objection)
	if got := res.text("#reason-error"); !strings.Contains(got, "Enter why you object to the exemption") || !res.exists(".govuk-error-summary") {
		t.Fatalf("an objection with no reason: error %q", got)
	}
	res.checkPage("objection with an error")
	res.typeInto("#email", "sam@demo.invalid")
	res.typeInto("#reason", "The council ran its own leisure centres until 2019 and could again.")
	res.clickAndLoad(objection)
	if h := res.text("h1"); h != "Check your email" {
		t.Fatalf("after objecting: %q", h)
	}
	res.checkPage("objection sent, check your email")
	m := waitMail(t, srv, "sam@demo.invalid", "Confirm your objection")
	link, err := smtptest.Link(m.Body, "/reviews/objections/confirm")
	if err != nil {
		t.Fatal(err)
	}
	res.open(link.RequestURI())
	res.checkPage("confirm objection")
	res.clickAndLoad(`form[action="/reviews/objections/confirm"] button[type=submit]`)
	if h := res.text("h1"); h != "Objection received" {
		t.Fatalf("after confirming: %q", h)
	}
	res.checkPage("objection received")
	res.clickAndLoad(`main a[href="` + public + `"]`)
	if got := res.text("#objection-count"); !strings.Contains(got, "1 confirmed objection so far") {
		t.Errorf("objection count: %q", got)
	}

	// Re-letting leads into a consultation, prefilled from the review.
	tb.open(admin)
	tb.clickAndLoad(`form[action="` + admin + `/consultation"] button[type=submit]`)
	if got := eval[string](tb, `document.querySelector("#exemption_reason").value`); !strings.Contains(got, "no leisure management capacity") ||
		!strings.Contains(tb.text(".govuk-notification-banner--success"), "Draft consultation created from the review") {
		t.Fatalf("the consultation is not prefilled from the review (%s): %q", tb.path(), got)
	}
	tb.checkPage("consultation started from a review")

	tb.open(public)
	tb.clickAndLoad(`.govuk-caption-l a`)
	if !tb.exists(`#reviews ~ ul a[href="` + public + `"]`) {
		t.Error("the contract page does not link the published review")
	}

	tb.open("/contracts")
	tb.clickAndLoad(`a[href="/contracts/pipeline"]`)
	if got := tb.text("table"); !strings.Contains(got, "Termination") || !strings.Contains(got, "Leisure centres management") {
		t.Errorf("the pipeline does not list the termination: %q", got)
	}
	tb.checkPage("contracts pipeline")
}
