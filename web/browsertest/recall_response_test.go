//go:build browser

package browsertest

import (
	"strings"
	"testing"
)

// TestCouncilRecordsRecallResponse: an admin closes the demo's recall
// ballot, records the council's response on its staff page, confirms it,
// and the response shows on the ballot's, the petition's and the
// contract's pages, and is mailed to the campaigner.
func TestCouncilRecordsRecallResponse(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("admin")
	signIn(t, tb, demoAdmin, srv.Password)
	tb.open("/admin/ballots/1")
	tb.clickAndLoad(`form[action="/admin/ballots/1/close"] button[type=submit]`)
	tb.clickAndLoad(`button[name=confirm][value=yes]`)
	if !tb.exists("#record-response") {
		t.Fatal("the closed ballot's staff page has no form for the council's response")
	}
	// A contradiction first: not exercised, with no reason.
	tb.click(`input[name=exercised][value=no]`)
	tb.clickAndLoad(`form[action="/admin/ballots/1/response"] button[type=submit]`)
	if got := tb.text("#reason-error"); !strings.Contains(got, "Give the reason the council did not exercise the break") {
		t.Errorf("no reason: error %q", got)
	}
	tb.checkPage("council response form with an error")
	tb.typeInto("#reason", "Prices are frozen for the rest of the contract, which the provider has agreed in writing.")
	tb.clickAndLoad(`form[action="/admin/ballots/1/response"] button[type=submit]`)
	if got := tb.text("h1"); !strings.Contains(got, "Record the council") {
		t.Fatalf("no confirmation page: %q", got)
	}
	tb.checkPage("council response confirmation")
	tb.clickAndLoad(`button[name=confirm][value=yes]`)
	if tb.exists("#record-response") {
		t.Error("the form is still offered once the response is recorded")
	}
	tb.checkPage("ballot staff page with the response")

	want := "Prices are frozen for the rest of the contract"
	for _, page := range []struct{ path, sel, label string }{
		{"/ballots/1", "#council-response + dl", "ballot page with the council's response"},
		{"/petitions/2", "#council-response", "petition page with the council's response"},
		{"/contracts/2", ".oursay-council-response", "contract page with the council's response"},
	} {
		tb.open(page.path)
		if got := tb.text(page.sel); !strings.Contains(got, want) || !strings.Contains(got, "xercised") && !strings.Contains(got, "did not exercise") {
			t.Errorf("%s: %s says %q", page.path, page.sel, got)
		}
		tb.checkPage(page.label)
	}
	m := waitMail(t, srv, "robin@demo.invalid", "The council's response to the recall ballot")
	if !strings.Contains(m.Body, "did not exercise the break clause") || !strings.Contains(m.Body, want) {
		t.Errorf("campaigner's mail:\n%s", m.Body)
	}
}

// TestCampaignerToldWhyNoPetition: the demo's street lighting contract has
// no break clause: its page says so instead of offering a petition, and
// the start form, reached by its address, says why and does not offer it.
// The home care contract, let after a consultation, links to it.
func TestCampaignerToldWhyNoPetition(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("campaigner")
	narrow(tb)
	const why = "This contract has no break clause, so a recall petition cannot be started against it."
	tb.open("/contracts/3")
	if got := tb.text("#no-petition"); got != why {
		t.Errorf("contract page says %q, want %q", got, why)
	}
	if tb.exists(`a[href="/petitions/new?contract=3"]`) || strings.Contains(tb.text("#recall ~ p"), "has a break clause") {
		t.Error("the contract page still offers a petition")
	}
	tb.checkPage("contract with no break clause")
	tb.open("/petitions/new?contract=3")
	if got := tb.text("#petition-refused"); !strings.Contains(got, why) {
		t.Errorf("start form says %q", got)
	}
	if tb.exists(`#contract option[value="3"]`) {
		t.Error("the start form offers the contract with no break clause")
	}
	tb.checkPage("petition form refusing a contract")

	tb.open("/contracts/4")
	if !tb.exists(`ul[aria-labelledby=consultations] a[href="/consultations/home-care"]`) || tb.exists("#no-prior-consultation") {
		t.Error("the home care contract does not link to the consultation held before it")
	}
	tb.checkPage("contract let after a consultation")
	tb.open("/contracts/1")
	if !tb.exists("#no-prior-consultation") {
		t.Error("the waste contract, consulted on only later, is not marked")
	}
	if got := tb.text(".oursay-council-response"); !strings.Contains(got, "did not exercise") {
		t.Errorf("the waste contract's answered recall ballot shows %q", got)
	}
	tb.checkPage("contract with an answered recall ballot")
	tb.open("/contracts")
	tb.checkPage("contract register with open data links")

	// The scorecard, from the register: the home care contract meets
	// "consulted before letting" with a link to the consultation; the
	// street lighting contract fails "break clause"; the waste contract's
	// answered recall ballot meets it, linking to the ballot.
	tb.clickAndLoad(`main a[href="/accountability"]`)
	row := func(contract, principle string) string {
		return "#scores-" + contract + ` [data-principle="` + principle + `"]`
	}
	if got := tb.text(row("4", "consulted_before_letting")); !strings.Contains(got, "Met") || strings.Contains(got, "Not met") ||
		!tb.exists(row("4", "consulted_before_letting")+` a[href="/consultations/home-care"]`) {
		t.Errorf("home care, consulted before letting: %q", got)
	}
	if got := tb.text(row("3", "break_clause_with_recall")); !strings.Contains(got, "Not met") || !strings.Contains(got, "no break clause") {
		t.Errorf("street lighting, break clause: %q", got)
	}
	if got := tb.text(row("1", "break_clause_with_recall")); !strings.Contains(got, "Met") || strings.Contains(got, "Not met") ||
		!tb.exists(row("1", "break_clause_with_recall")+` a[href^="/ballots/"]`) {
		t.Errorf("waste, answered recall: %q", got)
	}
	if got := tb.text(row("1", "at_risk_review")); !strings.Contains(got, "Not yet recorded") {
		t.Errorf("waste, at-risk review: %q", got)
	}
	if got := tb.text("#council-scores"); !strings.Contains(got, " of 4 contracts") {
		t.Errorf("council-wide row: %q", got)
	}
	tb.checkPage("accountability")
}
