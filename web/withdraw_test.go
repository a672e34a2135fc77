package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestWithdraw_WhileOpenOnly: a signature may be withdrawn while the
// petition is open, not after signing closes, when the count is final.
// The withdrawal link's page names the petition and offers the button
// while it is open; once signing has closed it says so, with no button,
// and the POST is refused too.
func TestWithdraw_WhileOpenOnly(t *testing.T) {
	e := newPetitionEnv(t, 100)
	id := e.startPetition("live")
	for _, who := range []string{"early", "late"} {
		f := url.Values{"name": {"Jo " + who}, "email": {who + "@example.org"}, "postcode": {"AB1 2CD"}, "resident": {"yes"}}
		if res := e.post(e.client(), fmt.Sprintf("/petitions/%d/signatures", id), f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign as %s: got %d", who, res.StatusCode)
		}
		if res, _ := e.follow(e.anon, e.link(who+"@example.org", "/signatures/confirm")); res.StatusCode != 200 {
			t.Fatalf("confirm %s: got %d", who, res.StatusCode)
		}
	}
	if c, _ := e.apiCount(id); *c != 7 {
		t.Fatalf("count: got %d, want 7", *c)
	}

	// While the petition is open: the page names it and has the button.
	early := e.link("early@example.org", "/signatures/withdraw")
	res, body := e.get(e.anon, early)
	if res.StatusCode != 200 || !strings.Contains(body, "End the CleanCo contract") || !strings.Contains(body, "Withdraw my signature</button>") {
		t.Fatalf("withdraw page while open: got %d, want the petition's title and the button:\n%s", res.StatusCode, body)
	}
	if res, _ := e.follow(e.anon, early); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw while open: got %d, want 303", res.StatusCode)
	}
	if c, _ := e.apiCount(id); *c != 6 {
		t.Fatalf("after withdrawing: count %d, want 6", *c)
	}
	if res, body := e.get(e.anon, early); res.StatusCode != 200 || !strings.Contains(body, "already been withdrawn") || strings.Contains(body, "<form") {
		t.Errorf("withdraw page again: got %d, want 'already been withdrawn' and no button", res.StatusCode)
	}

	// Signing closes an hour ago.
	if _, err := e.db.Writer().Exec(`UPDATE petitions SET closes_at = ? WHERE id = ?`,
		time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04:05.000000000Z07:00"), id); err != nil {
		t.Fatal(err)
	}
	late := e.link("late@example.org", "/signatures/withdraw")
	res, body = e.get(e.anon, late)
	if res.StatusCode != 200 || !strings.Contains(body, "End the CleanCo contract") ||
		!strings.Contains(body, "Signing has closed, so signatures can no longer be withdrawn") || strings.Contains(body, "Withdraw my signature</button>") {
		t.Errorf("withdraw page after the close: got %d, want the title, the reason and no button:\n%s", res.StatusCode, body)
	}
	token, _ := url.ParseQuery(strings.SplitN(late, "?", 2)[1])
	if res, _ := e.postBody(e.anon, "/signatures/withdraw", token); res.StatusCode != http.StatusConflict {
		t.Errorf("withdraw after the close: got %d, want 409", res.StatusCode)
	}
	if c, _ := e.apiCount(id); *c != 6 {
		t.Errorf("after the close: count %d, want 6", *c)
	}
}
