//go:build browser

package browsertest

import (
	"strings"
	"testing"
)

// TestOfficerFiltersLists: an officer finds a consultation on the staff
// list by words in its title, sees a date that is not real refused with the
// field named and no count beside it, then filters the public contracts
// list by end date; each page passes the accessibility and reflow checks.
func TestOfficerFiltersLists(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("admin")
	signIn(t, tb, demoAdmin, srv.Password)
	tb.open("/admin/")
	tb.clickAndLoad(`a[href="/admin/consultations"]`)
	if !strings.HasPrefix(tb.text("#list-count"), "Showing all") {
		t.Fatalf("staff consultations list: %q", tb.text("#list-count"))
	}
	tb.checkPage("staff consultations list")

	tb.typeInto("#q", "library")
	tb.clickAndLoad(`form[role=search] button[type=submit]`)
	if got := tb.text("#list-count"); got != "Showing 1 of 1 consultation that match." {
		t.Errorf("search for library: %q", got)
	}
	if !strings.Contains(tb.text("main table"), "Library") {
		t.Errorf("the library consultation is not listed: %q", tb.text("main"))
	}

	tb.open("/admin/consultations")
	tb.typeInto("#from-day", "31")
	tb.typeInto("#from-month", "2")
	tb.typeInto("#from-year", "2027")
	tb.clickAndLoad(`form[role=search] button[type=submit]`)
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "Earliest closing date must be a real date") {
		t.Errorf("31 February: the error summary says %q", got)
	}
	if tb.exists("#list-count") {
		t.Errorf("a count is shown beside a refused filter: %q", tb.text("#list-count"))
	}
	tb.checkPage("staff consultations list, a date refused")

	tb.open("/contracts")
	tb.typeInto("#from-year", "2000")
	tb.typeInto("#from-month", "1")
	tb.typeInto("#from-day", "1")
	tb.typeInto("#to-year", "2001")
	tb.typeInto("#to-month", "1")
	tb.typeInto("#to-day", "1")
	tb.clickAndLoad(`form[role=search] button[type=submit]`)
	if got := tb.text("#list-count"); got != "No contracts match your search." {
		t.Errorf("contracts ending in 2000: %q", got)
	}
	tb.checkPage("contracts filtered by end date")
}
