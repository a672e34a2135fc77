package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/paper"
)

// TestPublicLists_FilterAndPage: the consultations list searches titles,
// filters by status, says how many match and pages through all of them;
// an unknown status is refused by name. The petitions list shares the code
// and is checked for its filter.
func TestPublicLists_FilterAndPage(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 23; i++ {
		e.openConsultation(fmt.Sprintf("parks-%02d", i))
	}
	e.openConsultation("library")
	must(t, e.store.Close(context.Background(), "library", "test"))

	_, body := e.get(e.anon, "/consultations")
	if !strings.Contains(body, "Showing 1 to 20 of 24 consultations.") || !strings.Contains(body, `href="/consultations?page=2" rel="next"`) {
		t.Errorf("first page: count or next link missing")
	}
	if _, body = e.get(e.anon, "/consultations?page=2"); !strings.Contains(body, "Showing 21 to 24 of 24 consultations.") {
		t.Errorf("second page count")
	}
	if _, body = e.get(e.anon, "/consultations?q=LIBRARY"); !strings.Contains(body, "Showing 1 of 1 consultation that match.") ||
		!strings.Contains(body, `href="/consultations/library"`) || strings.Contains(body, `href="/consultations/parks-00"`) {
		t.Errorf("search by title, ignoring case")
	}
	if _, body = e.get(e.anon, "/consultations?status=closed"); !strings.Contains(body, "Showing 1 of 1 consultation that match.") {
		t.Errorf("status filter")
	}
	if _, body = e.get(e.anon, "/consultations?q=parks+07&status=open"); !strings.Contains(body, "Showing 1 of 1 consultation that match.") {
		t.Errorf("every word must be in the title")
	}
	if _, body = e.get(e.anon, "/consultations?q=zoo"); !strings.Contains(body, "No consultations match your search.") {
		t.Errorf("no match")
	}
	res, body := e.get(e.anon, "/consultations?status=lost")
	if got := errorSummary(t, body)["status"]; res.StatusCode != http.StatusUnprocessableEntity || got != "Select a status from the list" {
		t.Errorf("unknown status: %d %q", res.StatusCode, got)
	}
	if _, body = e.get(e.anon, "/petitions?status=rejected"); !strings.Contains(body, "No petitions match your search.") {
		t.Errorf("petitions status filter")
	}
	if _, body = e.get(e.anon, "/petitions"); !strings.Contains(body, "There are no petitions yet.") {
		t.Errorf("empty petitions list")
	}
	e.addContract(wasteContract())
	e.addContract(leisureContract())
	if _, body = e.get(e.anon, "/contracts?q=activelife"); !strings.Contains(body, "Showing 1 of 1 contract that match.") || !strings.Contains(body, "Leisure centres") {
		t.Errorf("contracts: search by provider")
	}
	if _, body = e.get(e.anon, "/contracts?status=active"); !strings.Contains(body, "Showing all 2 contracts that match.") {
		t.Errorf("contracts: status filter")
	}
	if _, body = e.get(e.mod, "/admin/contracts?q=cleanco"); !strings.Contains(body, "Showing 1 of 1 contract that match.") {
		t.Errorf("admin contracts: search by provider")
	}
	if _, body = e.get(e.mod, "/admin/petitions?status=moderation"); !strings.Contains(body, "No petitions match your search.") {
		t.Errorf("admin petitions: status filter")
	}
	if _, body = e.get(e.anon, "/ballots?status=open"); !strings.Contains(body, "No ballots match your search.") {
		t.Errorf("ballots: status filter")
	}

	// Dates: waste ends in 3 years, leisure in 4; both days of a range count.
	day := func(prefix string, d time.Time) string {
		d = d.In(paper.London)
		return fmt.Sprintf("%s-day=%d&%s-month=%d&%s-year=%d", prefix, d.Day(), prefix, int(d.Month()), prefix, d.Year())
	}
	wasteEnds, leisureEnds := today().AddDate(3, 0, 0), today().AddDate(4, 0, 0)
	for _, tc := range []struct {
		query, want string
	}{
		{day("from", wasteEnds) + "&" + day("to", wasteEnds), "Showing 1 of 1 contract that match."},
		{day("from", wasteEnds.AddDate(0, 0, 1)), "Showing 1 of 1 contract that match."},
		{day("to", wasteEnds.AddDate(0, 0, -1)), "No contracts match your search."},
		{day("from", wasteEnds) + "&" + day("to", leisureEnds), "Showing all 2 contracts that match."},
	} {
		if _, body = e.get(e.anon, "/contracts?"+tc.query); !strings.Contains(body, tc.want) {
			t.Errorf("contracts ending %s: want %q", tc.query, tc.want)
		}
	}
	if _, body = e.get(e.anon, "/contracts?"+day("from", wasteEnds.AddDate(0, 0, 1))+"&page=1"); !strings.Contains(body, "Leisure centres") || strings.Contains(body, "Household waste collection") {
		t.Errorf("contracts ending after waste: the wrong contract is listed")
	}
	res, body = e.get(e.anon, "/contracts?from-day=31&from-month=2&from-year=2027")
	if got := errorSummary(t, body)["from"]; res.StatusCode != http.StatusUnprocessableEntity || got != "Earliest end date must be a real date" || strings.Contains(body, "There are no contracts yet") {
		t.Errorf("31 February: %d %q", res.StatusCode, got)
	}
	res, body = e.get(e.anon, "/contracts?"+day("from", leisureEnds)+"&"+day("to", wasteEnds))
	if got := errorSummary(t, body)["to"]; res.StatusCode != http.StatusUnprocessableEntity || got != "Latest end date must be the same as or after the earliest end date" {
		t.Errorf("to before from: %d %q", res.StatusCode, got)
	}
}

// TestStaffLists_FilterAndPage: staff find every consultation, drafts
// too, on its own list (the dashboard keeps to what needs doing), filtered
// by status and paged; the ballots list is filtered the same way.
func TestStaffLists_FilterAndPage(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 21; i++ {
		e.openConsultation(fmt.Sprintf("parks-%02d", i))
	}
	draft := &consult.Consultation{Slug: "library-draft", Title: "Library opening hours", Summary: "Hours", Audience: consult.AudienceAnyone,
		Record: consult.Record{Service: "Libraries", Proposal: consult.ProposalChangeService, InHouseBid: "Staff"}}
	must(t, e.store.CreateConsultation(context.Background(), draft, "test"))

	_, body := e.get(e.mod, "/admin/consultations")
	if !strings.Contains(body, "Showing 1 to 20 of 22 consultations.") || !strings.Contains(body, `href="/admin/consultations?page=2" rel="next"`) {
		t.Errorf("staff list, first page: count or next link missing")
	}
	if strings.Contains(body, `href="/admin/consultations/new"`) {
		t.Errorf("a moderator is offered to create a consultation")
	}
	if _, body = e.get(e.mod, "/admin/consultations?status=draft"); !strings.Contains(body, "Showing 1 of 1 consultation that match.") ||
		!strings.Contains(body, `href="/admin/consultations/library-draft"`) {
		t.Errorf("staff list: the draft filter does not find the draft")
	}
	if _, body = e.get(e.anon, "/consultations?q=library"); !strings.Contains(body, "No consultations match your search.") {
		t.Errorf("the public list shows a draft")
	}
	if _, body = e.get(e.admin, "/admin/"); !strings.Contains(body, `href="/admin/consultations"`) || strings.Contains(body, `href="/admin/consultations/parks-00"`) {
		t.Errorf("the dashboard should link to the consultations list, not list them all")
	}
	if _, body = e.get(e.admin, "/admin/consultations"); !strings.Contains(body, `href="/admin/consultations/new"`) {
		t.Errorf("an admin is not offered to create a consultation")
	}
	res, body := e.get(e.mod, "/admin/ballots?status=lost")
	if got := errorSummary(t, body)["status"]; res.StatusCode != http.StatusUnprocessableEntity || got != "Select a status from the list" {
		t.Errorf("ballots, unknown status: %d %q", res.StatusCode, got)
	}
	if _, body = e.get(e.mod, "/admin/ballots?status=open"); !strings.Contains(body, "No ballots match your search.") {
		t.Errorf("ballots status filter")
	}
}
