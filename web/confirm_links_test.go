package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// confirmFormRE finds the one form a mailed link's page shows: a POST to
// action with the token in a hidden field.
var confirmFormRE = regexp.MustCompile(`(?s)<form method="post" action="([^"]+)">.*?<input type="hidden" name="token" value="([^"]*)">`)

// follow opens a mailed link as a person does: the GET shows a page with
// a button, and pressing it POSTs the page's form. It returns the POST's
// response.
func (e *petitionEnv) follow(c *http.Client, link string) (*http.Response, string) {
	e.t.Helper()
	res, body := e.get(c, link)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: got %d, want 200 with a button", link, res.StatusCode)
	}
	m := confirmFormRE.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("GET %s: no POST form with the token on the page:\n%s", link, body)
	}
	return e.postBody(c, html.UnescapeString(m[1]), url.Values{"token": {html.UnescapeString(m[2])}})
}

// TestConfirmLinks_GetChangesNothing: mail scanners open every link in a
// message, so opening a confirmation link only shows a page naming the
// petition, with a Confirm button; the button's POST confirms. A second
// visit says it was already confirmed. The same for the campaigner's link.
func TestConfirmLinks_GetChangesNothing(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("live")
	f := url.Values{"name": {"Jo Resident"}, "email": {"jo@example.org"}, "postcode": {"AB1 2CD"}, "resident": {"yes"}}
	if res := e.post(e.client(), fmt.Sprintf("/petitions/%d/signatures", id), f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: got %d", res.StatusCode)
	}
	confirm := e.link("jo@example.org", "/signatures/confirm")
	for range 2 {
		res, body := e.get(e.anon, confirm)
		if res.StatusCode != 200 || !strings.Contains(body, "End the CleanCo contract") || !strings.Contains(body, ">Confirm my signature</button>") {
			t.Fatalf("confirm link: got %d, want the petition's title and a Confirm button:\n%s", res.StatusCode, body)
		}
	}
	if c, _ := e.apiCount(id); *c != 5 {
		t.Fatalf("after opening the link: count %d, want 5 (the sponsors only)", *c)
	}
	if res, body := e.follow(e.anon, confirm); res.StatusCode != 200 || !strings.Contains(body, "Signature confirmed") {
		t.Fatalf("confirm button: got %d", res.StatusCode)
	}
	if c, _ := e.apiCount(id); *c != 6 {
		t.Fatalf("after the button: count %d, want 6", *c)
	}
	res, body := e.get(e.anon, confirm)
	if res.StatusCode != 200 || !strings.Contains(body, "already confirmed") || strings.Contains(body, "Confirm my signature") {
		t.Errorf("second visit: got %d, want 'already confirmed' and no button", res.StatusCode)
	}
	token, _ := url.ParseQuery(strings.SplitN(confirm, "?", 2)[1])
	if res, body := e.postBody(e.anon, "/signatures/confirm", token); res.StatusCode != 200 || !strings.Contains(body, "already confirmed") {
		t.Errorf("button pressed again: got %d, want 'already confirmed'", res.StatusCode)
	}
	if c, _ := e.apiCount(id); *c != 6 {
		t.Errorf("after the second visit: count %d, want 6", *c)
	}

	form := url.Values{"contract": {fmt.Sprint(e.contract.ID)}, "title": {"Bring the bins back in house"},
		"reasons": {"Bins missed every week"}, "name": {"Kim"}, "email": {"kim@example.org"}, "count_policy": {"live"},
		"another": {fmt.Sprint(e.contract.ID)}} // warned of the open petition, and going on
	if res := e.post(e.anon, "/petitions", form); res.StatusCode != 200 {
		t.Fatalf("create: got %d", res.StatusCode)
	}
	campaigner := e.link("kim@example.org", "/petitions/confirm")
	status := func() string {
		t.Helper()
		var s string
		if err := e.db.Reader().QueryRow(`SELECT status FROM petitions WHERE title = 'Bring the bins back in house'`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for range 2 { // a scanner may open it more than once
		res, body := e.get(e.anon, campaigner)
		if res.StatusCode != 200 || !strings.Contains(body, "Bring the bins back in house") || !strings.Contains(body, ">Confirm my email address</button>") {
			t.Fatalf("campaigner link: got %d, want the petition's title and a Confirm button:\n%s", res.StatusCode, body)
		}
	}
	if got := status(); got != string(ballot.StatusUnconfirmed) {
		t.Fatalf("after opening the campaigner's link: status %s, want unconfirmed", got)
	}
	if res, body := e.follow(e.anon, campaigner); res.StatusCode != 200 || !strings.Contains(body, "Email address confirmed") {
		t.Fatalf("campaigner's button: got %d", res.StatusCode)
	}
	if got := status(); got != string(ballot.StatusSponsoring) {
		t.Fatalf("after the button: status %s, want sponsoring", got)
	}
	if res, body := e.get(e.anon, campaigner); res.StatusCode != 200 || !strings.Contains(body, "Your recall petition") ||
		strings.Contains(body, "Email address confirmed") || !strings.Contains(body, "/sponsor?token=") || strings.Contains(body, "<form") {
		t.Errorf("campaigner link again: got %d, want the petition as it stands, its sponsor link and no button", res.StatusCode)
	}

}
