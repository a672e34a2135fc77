package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestInvalidateByTimeRange: the bulk invalidation's time range is two
// date inputs with time boxes; a time it cannot read is named, nothing
// changes, and a good range reaches the confirmation in words.
func TestInvalidateByTimeRange(t *testing.T) {
	e := newPetitionEnv(t, 100)
	path := "/admin/petitions/" + itoa(e.openInStore()) + "/invalidate"
	form := url.Values{"domain": {""}, "reason": {"A burst of sign-ups"},
		"from-day": {"23"}, "from-month": {"11"}, "from-year": {"2026"}, "from_time": {"14:00"},
		"to-day": {"23"}, "to-month": {"11"}, "to-year": {"2026"}, "to_time": {"25:00"}}
	res, body := e.postBody(e.admin, path, form)
	if got := errorSummary(t, body); res.StatusCode != http.StatusUnprocessableEntity || got["to_time"] != "Enter the time the range ends, like 15:00" {
		t.Errorf("a bad time: got %d %v", res.StatusCode, got)
	}
	form.Set("to_time", "3pm")
	res, body = e.postBody(e.admin, path, form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Every signature made from 23 November 2026 at 2:00pm to 23 November 2026 at 3:00pm is invalidated") {
		t.Errorf("a good range: got %d without the confirmation", res.StatusCode)
	}
}
