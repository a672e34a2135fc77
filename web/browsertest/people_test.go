//go:build browser

package browsertest

import (
	"strings"
	"testing"
)

// TestAdminErasesPersonsData: an admin answers a person's request from the
// dashboard: a blank search shows its errors, a search finds the demo
// signer's signature and mail, and erasing it, after the confirmation
// page, leaves nothing held about the address.
func TestAdminErasesPersonsData(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("admin")
	signIn(t, tb, demoAdmin, srv.Password)
	tb.clickAndLoad(`a[href="/admin/people"]`)
	if h := tb.text("h1"); h != "A person's data" {
		t.Fatalf("the dashboard's link opens %q", h)
	}
	tb.checkPage("people")
	find := `form[action="/admin/people"] button:not([formaction])`
	tb.clickAndLoad(find)
	if !tb.exists(".govuk-error-summary") || !strings.Contains(tb.text(".govuk-error-summary"), "Enter an email address") {
		t.Fatalf("an empty search shows no error summary")
	}
	tb.checkPage("people with errors")

	const person = "resident0.3@demo.invalid"
	tb.typeInto("#email", person)
	tb.typeInto("#reason", "SAR-2027-001")
	tb.clickAndLoad(find)
	main := tb.text("main")
	for _, want := range []string{"What is held about " + person, "Resident 0-3", "withdraws it", "Mail in the outbox"} {
		if !strings.Contains(main, want) {
			t.Errorf("the search result does not say %q", want)
		}
	}
	tb.checkPage("people found")

	tb.clickAndLoad(`button[formaction="/admin/people/erase"]`)
	if !strings.Contains(tb.text("main"), person) || !strings.Contains(tb.text("main"), "SAR-2027-001") {
		t.Errorf("the confirmation page does not repeat the address and the reason")
	}
	confirmStep(t, tb, "erase confirmation")
	if got := tb.text(".govuk-notification-banner"); !strings.Contains(got, "1 signature withdrawn") {
		t.Errorf("after erasing, the banner says %q", got)
	}
	tb.typeInto("#email", person)
	tb.typeInto("#reason", "SAR-2027-001")
	tb.clickAndLoad(find)
	if !strings.Contains(tb.text("main"), "Nothing is held about this address") {
		t.Errorf("data is still held after erasing")
	}
}
