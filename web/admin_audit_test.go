package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAdminAudit_Filters: the audit log reads in words, filters by action,
// who, subject and dates, says how many entries match, and pages them
// with no silent cap. A bad filter is refused with its field named.
func TestAdminAudit_Filters(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := 0; i < 60; i++ {
		must(t, e.db.AppendAudit(ctx, "clerk@council.test", "blocklist.add", fmt.Sprintf("domain:spam%d.example", i), "bulk sign-ups"))
	}
	must(t, e.db.AppendAudit(ctx, "cli", "user.create", "user:admin@council.test", ""))

	_, body := e.get(e.admin, "/admin/audit?action=blocklist.add")
	if !strings.Contains(body, "Showing 1 to 50 of 60 entries that match.") || !strings.Contains(body, "Blocked an email domain") ||
		strings.Contains(body, ">blocklist.add<") || !strings.Contains(body, `href="/admin/audit?action=blocklist.add&amp;page=2" rel="next"`) {
		t.Errorf("filtered by action: count, readable name or next page missing")
	}
	if _, body = e.get(e.admin, "/admin/audit?action=blocklist.add&page=2"); !strings.Contains(body, "Showing 51 to 60 of 60 entries that match.") ||
		!strings.Contains(body, "domain:spam0.example") {
		t.Errorf("page 2 does not reach the oldest entry")
	}
	if _, body = e.get(e.admin, "/admin/audit?actor=CLI&subject=admin%40council"); !strings.Contains(body, "One entry matches.") ||
		!strings.Contains(body, "Created a staff account") {
		t.Errorf("filtered by who and subject, ignoring case")
	}
	must(t, e.db.AppendAudit(ctx, "cli", "blocklist.add", "domain:100%_off.example", ""))
	if _, body = e.get(e.admin, "/admin/audit?subject=0%25_"); !strings.Contains(body, "One entry matches.") {
		t.Errorf("%% and _ in the filter are not taken literally")
	}
	if _, body = e.get(e.admin, "/admin/audit?from=2000-01-01&to=2000-01-02"); !strings.Contains(body, "No entries match these filters.") {
		t.Errorf("a date range with no entries")
	}
	res, body := e.get(e.admin, "/admin/audit?from=2027-02-01&to=2027-01-01&action=drop.table")
	got := errorSummary(t, body)
	if res.StatusCode != http.StatusUnprocessableEntity || got["to"] != "The end date must be the same as or after the start date" || got["action"] != "Select an action from the list" {
		t.Errorf("bad filters: %d %v", res.StatusCode, got)
	}
	if _, body = e.get(e.admin, "/admin/audit?from=yesterday"); errorSummary(t, body)["from"] != "Start date must be a real date" {
		t.Errorf("an unreadable date is not named")
	}
	// The date boxes, as the filter form sends them, carry to the next page.
	_, body = e.get(e.admin, "/admin/audit?action=blocklist.add&from-day=1&from-month=1&from-year=2000&to-day=&to-month=&to-year=")
	if !strings.Contains(body, "Showing 1 to 50 of 61 entries that match.") || !strings.Contains(body, `from-day=1&amp;from-month=1&amp;from-year=2000&amp;page=2"`) {
		t.Errorf("date boxes in the filter: count or next page wrong")
	}
	if _, body = e.get(e.admin, "/admin/audit?from-day=&from-month=13&from-year=2027"); errorSummary(t, body)["from"] != "Start date must include a day" {
		t.Errorf("a date missing its day is not named: %v", errorSummary(t, body))
	}
}
