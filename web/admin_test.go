package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSignin(t *testing.T) {
	e := newEnv(t)
	t.Run("WrongPassword", func(t *testing.T) {
		res, body := e.postBody(e.client(), "/admin/signin", url.Values{"email": {"admin@council.test"}, "password": {"nope"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "not right") {
			t.Errorf("got %d, want 401 with message", res.StatusCode)
		}
	})
	t.Run("RenewsToken", func(t *testing.T) {
		c := e.client()
		e.get(c, "/admin/signin")
		e.post(c, "/consultations/none/responses", url.Values{}) // any request that may set a cookie
		u, _ := url.Parse(e.srv.URL)
		before := cookieValue(c, u)
		e.post(c, "/admin/signin", url.Values{"email": {"mod@council.test"}, "password": {testPassword}})
		after := cookieValue(c, u)
		if after == "" || after == before {
			t.Errorf("session token not renewed: before %q after %q", before, after)
		}
	})
	t.Run("LockoutPerAccount", func(t *testing.T) {
		c := e.client()
		for i := 0; i < 5; i++ {
			e.post(c, "/admin/signin", url.Values{"email": {"mod@council.test"}, "password": {"wrong"}})
		}
		res, body := e.postBody(c, "/admin/signin", url.Values{"email": {"mod@council.test"}, "password": {testPassword}})
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
			t.Errorf("right password while locked: got %d, want 429", res.StatusCode)
		}
		// Another account from the same client is not locked by these 5.
		res, _ = e.postBody(c, "/admin/signin", url.Values{"email": {"admin@council.test"}, "password": {testPassword}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("other account: got %d, want 303", res.StatusCode)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		c := e.signedIn("admin@council.test")
		if res := e.post(c, "/admin/signout", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("got %d", res.StatusCode)
		}
		if res, _ := e.get(c, "/admin/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after sign out /admin/: got %d, want 303", res.StatusCode)
		}
	})
}

func cookieValue(c *http.Client, u *url.URL) string {
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "oursay_session" {
			return ck.Value
		}
	}
	return ""
}

// TestAdminJourney walks the officer's whole journey through the HTML forms.
func TestAdminJourney(t *testing.T) {
	e := newEnv(t)
	form := url.Values{
		"title": {"Street lighting"}, "summary": {"Should lighting maintenance be outsourced?"},
		"service": {"Street lighting"}, "proposal": {"outsource"}, "public_interest_case": {"Lower cost"},
		"in_house_bid": {"Highways team bid"}, "social_value_weight": {"25"}, "at_risk_contact": {"no"}, "rights_threat": {"no"},
		"audience": {"anyone"},
	}
	bad := url.Values{"title": {""}, "proposal": {"outsource"}, "social_value_weight": {"abc"}}
	res, body := e.postBody(e.admin, "/admin/consultations", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#title"`) {
		t.Fatalf("bad create: got %d, want 422 with summary", res.StatusCode)
	}
	if res := e.post(e.admin, "/admin/consultations", form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/consultations/street-lighting" {
		t.Fatalf("create: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	base := "/admin/consultations/street-lighting"
	// Opening with no questions is refused with a clear message.
	if res, body := e.postBody(e.admin, base+"/open", confirmed(nil)); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at least one question") {
		t.Errorf("open without questions: got %d", res.StatusCode)
	}
	for _, q := range []url.Values{
		{"kind": {"single"}, "prompt": {"Who should run it?"}, "options": {"Council\nContractor"}, "required": {"yes"}},
		{"kind": {"multiple"}, "prompt": {"What matters?"}, "options": {"Cost\nSafety\nJobs"}},
		{"kind": {"scale"}, "prompt": {"Lighting is good"}},
		{"kind": {"text"}, "prompt": {"Comments"}},
	} {
		if res := e.post(e.admin, base+"/questions", q); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add %s question: got %d", q.Get("kind"), res.StatusCode)
		}
	}
	if res, body := e.postBody(e.admin, base+"/questions", url.Values{"kind": {"single"}, "prompt": {"Bad"}, "options": {"Only one"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "from 2 to 20 options") {
		t.Errorf("bad question: got %d", res.StatusCode)
	}
	if res := e.post(e.admin, base+"/open", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: got %d", res.StatusCode)
	}
	c, err := e.store.Consultation(t.Context(), "street-lighting")
	if err != nil || len(c.Questions) != 4 {
		t.Fatalf("got %v questions, err %v", len(c.Questions), err)
	}
	f := validForm(c)
	f.Set(c.Questions[3].Field(), "=HYPERLINK(\"http://evil\")")
	if res := e.post(e.anon, "/consultations/street-lighting/responses", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("respond: got %d", res.StatusCode)
	}
	pf := validForm(c)
	pf.Set("paper_serial", "STREET-LIGHTING-000001")
	if res := e.post(e.mod, base+"/paper", pf); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("paper: got %d", res.StatusCode)
	}
	if res, body := e.postBody(e.mod, base+"/paper", pf); res.StatusCode != http.StatusConflict || !strings.Contains(body, "already been entered") {
		t.Errorf("paper again: got %d", res.StatusCode)
	}
	// The decision gate: not before the outcome.
	dec := url.Values{"decision": {"in_house"}, "summary": {"Kept in house"}, "in_house_comparison": {"Cheaper and better"}}
	if res, body := e.postBody(e.admin, base+"/decision", confirmed(dec)); res.StatusCode != http.StatusConflict || !strings.Contains(body, "only after the consultation has closed") {
		t.Errorf("decision before outcome: got %d", res.StatusCode)
	}
	if res := e.post(e.admin, base+"/close", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: got %d", res.StatusCode)
	}
	out := url.Values{"we_asked": {"Who should run lighting"}, "you_said": {"In house"}, "we_did": {"Kept it"}}
	if res := e.post(e.admin, base+"/outcome", confirmed(out)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("outcome: got %d", res.StatusCode)
	}
	if res := e.post(e.admin, base+"/decision", confirmed(dec)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decision: got %d", res.StatusCode)
	}
	_, page := e.get(e.anon, "/consultations/street-lighting")
	for _, want := range []string{"We asked, you said, we did", "Kept it", "Cheaper and better", "Results", `including <span data-live="paper_count">1</span> on paper`} {
		if !strings.Contains(page, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	if _, doc := e.getJSON("/api/consultations/street-lighting"); fmt.Sprint(doc["paper_response_count"]) != "1" || fmt.Sprint(doc["response_count"]) != "2" {
		t.Errorf("JSON counts: paper %v of %v, want 1 of 2", doc["paper_response_count"], doc["response_count"])
	}
	res, body = e.get(e.admin, base+"/responses.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if res.StatusCode != 200 || err != nil || len(rows) != 3 {
		t.Fatalf("csv: got %d, %d rows, err %v", res.StatusCode, len(rows), err)
	}
	if rows[0][6] != "Who should run it?" || rows[1][9] != "'=HYPERLINK(\"http://evil\")" || rows[2][2] != "paper" || rows[2][3] != "STREET-LIGHTING-000001" {
		t.Errorf("csv rows: %q", rows)
	}
	_, audit := e.get(e.admin, "/admin/audit")
	for _, want := range []string{"consultation.open", "consultation.close", "staff.signin"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}
