package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/web"
)

// requestClock is a clock both the server and its database read, moved by
// the test.
type requestClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *requestClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *requestClock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// newRequestEnv is a server whose clock stands on Friday 18 December 2026,
// with one contract: a request received then is due on 20 January 2027,
// after Christmas Day, the Boxing Day substitute and New Year's Day.
func newRequestEnv(t *testing.T) (*testEnv, *requestClock, string) {
	clock := &requestClock{now: time.Date(2026, 12, 18, 11, 0, 0, 0, time.UTC)}
	e := newEnvWith(t, func(c *web.Config) { c.Now = clock.Now })
	e.db.Now = clock.Now
	c := e.addContract(leisureContract())
	return e, clock, itoa(c.ID)
}

func (e *testEnv) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Reader().QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestInformationRequest_Journey(t *testing.T) {
	e, clock, cid := newRequestEnv(t)
	_, page := e.get(e.anon, "/contracts/"+cid)
	if !strings.Contains(page, `href="/contracts/`+cid+`/requests/new">Ask the council about this contract`) {
		t.Fatal("the contract page has no link to ask about it")
	}
	if res, _ := e.get(e.anon, "/contracts/"+cid+"/requests/new"); res.StatusCode != http.StatusOK {
		t.Fatalf("ask form: got %d", res.StatusCode)
	}

	t.Run("BadFormSavesNothing", func(t *testing.T) {
		res, body := e.postBody(e.anon, "/contracts/"+cid+"/requests", url.Values{"email": {"not-an-email"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("got %d, want 422", res.StatusCode)
		}
		for _, msg := range []string{"Enter a title for your request", "Enter the information you are asking for",
			"Enter your full name", "Enter an email address in the correct format, like name@example.com", `href="#title"`} {
			if !strings.Contains(body, msg) {
				t.Errorf("no %q on the form", msg)
			}
		}
		if !strings.Contains(body, `value="not-an-email"`) {
			t.Error("the form lost what was typed")
		}
		if n := e.count(`SELECT COUNT(*) FROM info_requests`); n != 0 {
			t.Fatalf("%d requests saved, want 0", n)
		}
	})

	form := url.Values{"title": {"<script>alert(1)</script> bins"}, "body": {"How many bins were missed?\n\nBy ward, please."},
		"name": {"Ann Asker"}, "email": {"ann@example.org"}}
	res := e.post(e.anon, "/contracts/"+cid+"/requests", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/requests/sent" {
		t.Fatalf("ask: got %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	link := e.mailLink("ann@example.org", "/requests/confirm")
	if res, body := e.get(e.anon, link.RequestURI()); res.StatusCode != http.StatusOK || !strings.Contains(body, "Confirm my request") {
		t.Fatalf("confirm page: got %d", res.StatusCode)
	}
	var id string
	if err := e.db.Reader().QueryRow(`SELECT id FROM info_requests`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if res, _ := e.get(e.anon, "/requests/"+id); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unconfirmed request page: got %d, want 404", res.StatusCode)
	}
	res, body := e.postBody(e.anon, "/requests/confirm", url.Values{"token": {link.Query().Get("token")}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "due by 20 January 2027") {
		t.Fatalf("confirm: got %d without the due date", res.StatusCode)
	}
	if res, _ := e.get(e.anon, "/requests/"+id); res.StatusCode != http.StatusNotFound {
		t.Fatalf("request awaiting moderation: got %d, want 404", res.StatusCode)
	}

	t.Run("StaffOnly", func(t *testing.T) {
		res := e.post(e.anon, "/admin/requests/"+id+"/publish", url.Values{"confirm": {"yes"}})
		if res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/admin/requests/") {
			t.Fatal("the public published a request")
		}
		if n := e.count(`SELECT COUNT(*) FROM info_requests WHERE state = 'moderation'`); n != 1 {
			t.Fatal("the request left moderation")
		}
	})
	_, dash := e.get(e.mod, "/admin/")
	if !strings.Contains(dash, "Moderate ‘&lt;script&gt;alert(1)&lt;/script&gt; bins’") {
		t.Fatal("the dashboard does not list the request to moderate")
	}
	if res := e.post(e.mod, "/admin/requests/"+id+"/publish", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: got %d", res.StatusCode)
	}

	t.Run("PublicPage", func(t *testing.T) {
		_, body := e.get(e.anon, "/requests/"+id)
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt; bins", "Ann Asker", "18 December 2026",
			"Due by 20 January 2027", "<p class=\"govuk-body\">By ward, please.</p>", "Awaiting response"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "ann@example.org") {
			t.Error("the page shows the script or the asker's email")
		}
		_, js := e.get(e.anon, "/api/requests/"+id)
		var got struct {
			Status, DueOn, AskedBy string
		}
		if err := json.Unmarshal([]byte(strings.NewReplacer(`"due_on"`, `"DueOn"`, `"asked_by"`, `"AskedBy"`).Replace(js)), &got); err != nil {
			t.Fatal(err)
		}
		if got.Status != "awaiting_response" || got.DueOn != "2027-01-20" || got.AskedBy != "Ann Asker" || strings.Contains(js, "ann@example.org") {
			t.Errorf("JSON: %s", js)
		}
		if _, list := e.get(e.anon, "/api/requests"); strings.Contains(list, "ann@example.org") || !strings.Contains(list, `"total": 1`) {
			t.Errorf("JSON list: %s", list)
		}
	})

	t.Run("Follow", func(t *testing.T) {
		res, _ := e.postBody(e.anon, "/requests/"+id+"/followers", url.Values{"email": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("follow without email: got %d", res.StatusCode)
		}
		if res, body := e.postBody(e.anon, "/requests/"+id+"/followers", url.Values{"email": {"fran@example.org"}}); res.StatusCode != http.StatusOK || !strings.Contains(body, "Check your email") {
			t.Fatalf("follow: got %d", res.StatusCode)
		}
		link := e.mailLink("fran@example.org", "/requests/follow/confirm")
		if res, body := e.postBody(e.anon, "/requests/follow/confirm", url.Values{"token": {link.Query().Get("token")}}); res.StatusCode != http.StatusOK || !strings.Contains(body, "You are following this request") {
			t.Fatalf("confirm follow: got %d", res.StatusCode)
		}
	})

	// Day 21: overdue, in red, and first on the staff's list.
	clock.set(time.Date(2027, 1, 21, 9, 0, 0, 0, time.UTC))
	_, body = e.get(e.anon, "/requests/"+id)
	if !strings.Contains(body, `govuk-tag--red">Overdue`) {
		t.Fatal("an overdue request is not tagged red")
	}
	if _, list := e.get(e.anon, "/requests?status=overdue&contract="+cid); !strings.Contains(list, "/requests/"+id) {
		t.Fatal("the overdue filter misses the request")
	}
	if _, list := e.get(e.anon, "/requests?status=answered"); strings.Contains(list, "/requests/"+id+`"`) {
		t.Fatal("the answered filter lists an unanswered request")
	}
	if _, dash := e.get(e.mod, "/admin/"); !strings.Contains(dash, `govuk-tag--red">Overdue`) {
		t.Fatal("the dashboard does not flag the overdue request")
	}

	t.Run("AnswerAsksFirst", func(t *testing.T) {
		res, body := e.postBody(e.mod, "/admin/requests/"+id+"/answer", url.Values{"answer": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter the council&#39;s answer") {
			t.Fatalf("blank answer: got %d", res.StatusCode)
		}
		res, body = e.postBody(e.mod, "/admin/requests/"+id+"/answer", url.Values{"answer": {"1,204 bins"}})
		if res.StatusCode != http.StatusOK || !confirmButtonRE.MatchString(body) {
			t.Fatalf("answer without confirm: got %d, want the confirmation page", res.StatusCode)
		}
	})
	release := url.Values{"title": {"Missed bins by month"}, "dated": {"2027-01-06"}, "redacted": {"yes"},
		"reason": {"Personal information (Freedom of Information Act 2000, section 40)"}}
	if res, body := e.uploadFile(e.mod, "/admin/requests/"+id+"/documents", release, "bins.csv", []byte("month,missed\n")); res.StatusCode != http.StatusConflict ||
		!strings.Contains(body, "Documents can be added only to a published answer") {
		t.Fatalf("a document before the answer: got %d", res.StatusCode)
	}
	if res := e.post(e.mod, "/admin/requests/"+id+"/answer", confirmed(url.Values{"answer": {"1,204 bins"}})); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: got %d", res.StatusCode)
	}
	t.Run("AnswerDocuments", func(t *testing.T) {
		if res, body := e.uploadFile(e.mod, "/admin/requests/"+id+"/documents", url.Values{"title": {"Missed bins"}, "dated": {"2027-01-06"},
			"redacted": {"no"}}, "bins.exe", []byte("MZ\x90")); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "a spreadsheet (XLSX or ODS) or a CSV file") {
			t.Fatalf("an executable: got %d", res.StatusCode)
		}
		if n := e.count(`SELECT COUNT(*) FROM contract_documents`); n != 0 {
			t.Fatalf("%d documents saved by refused uploads", n)
		}
		if res, _ := e.uploadFile(e.mod, "/admin/requests/"+id+"/documents", release, "bins.csv", []byte("month,missed\n")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("release a document: got %d", res.StatusCode)
		}
		if _, body := e.get(e.anon, "/requests/"+id); !strings.Contains(body, `id="answer-documents"`) || !strings.Contains(body, "Missed bins by month") ||
			!strings.Contains(body, "Redacted: Personal information") {
			t.Fatal("the request page does not list the released document")
		}
		if _, body := e.get(e.anon, "/contracts/"+cid); !strings.Contains(body, "Missed bins by month") || !strings.Contains(body, `href="/requests/`+id+`"`) {
			t.Fatal("the contract page does not list the released document with its request")
		}
		if _, js := e.get(e.anon, "/api/requests/"+id); !strings.Contains(js, `"kind": "answer"`) || !strings.Contains(js, `"request_url"`) {
			t.Fatalf("request JSON without its document: %s", js)
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'document.add' AND detail LIKE '%information request%'`); n != 1 {
			t.Fatalf("%d audit entries for the release, want 1", n)
		}
	})
	t.Run("OCDS", func(t *testing.T) {
		doc := e.getOCDS("/api/contracts/" + cid + "/ocds")
		k := doc["releases"].([]any)[0].(map[string]any)["contracts"].([]any)[0].(map[string]any)
		if own, _ := k["documents"].([]any); len(own) != 0 {
			t.Errorf("the released document is among the contract's own documents: %v", own)
		}
		impl, _ := k["implementation"].(map[string]any)
		docs, _ := impl["documents"].([]any)
		var types []string
		for _, d := range docs {
			m := d.(map[string]any)
			types = append(types, fmt.Sprint(m["documentType"], " ", m["title"]))
		}
		want := "informationRequest <script>alert(1)</script> bins|informationRequestRelease Missed bins by month"
		if strings.Join(types, "|") != want {
			t.Errorf("implementation documents %q, want %q", strings.Join(types, "|"), want)
		}
	})
	for _, addr := range []string{"ann@example.org", "fran@example.org"} {
		if l := e.mailLink(addr, "/requests/"+id); l == nil {
			t.Errorf("no answer mail to %s", addr)
		}
	}
	t.Run("StopFollowing", func(t *testing.T) {
		stop := e.mailLink("fran@example.org", "/requests/follow/stop")
		if res, body := e.get(e.anon, stop.RequestURI()); res.StatusCode != http.StatusOK || !strings.Contains(body, "Stop emails about this request") {
			t.Fatalf("stop page: got %d", res.StatusCode)
		}
		if n := e.count(`SELECT COUNT(*) FROM info_request_followers WHERE stopped_at IS NOT NULL`); n != 0 {
			t.Fatal("opening the stop link stopped the mail")
		}
		if res, body := e.postBody(e.anon, "/requests/follow/stop", url.Values{"token": {stop.Query().Get("token")}}); res.StatusCode != http.StatusOK || !strings.Contains(body, "You no longer follow this request") {
			t.Fatalf("stop: got %d", res.StatusCode)
		}
		if n := e.count(`SELECT COUNT(*) FROM info_request_followers WHERE stopped_at IS NOT NULL`); n != 1 {
			t.Fatal("the follower was not stopped")
		}
	})
	_, body = e.get(e.anon, "/requests/"+id)
	if !strings.Contains(body, "1,204 bins") || !strings.Contains(body, "(late)") {
		t.Fatal("the answer is not shown as late")
	}
	if _, page := e.get(e.anon, "/contracts/"+cid); !strings.Contains(page, "Answered late: <strong>1</strong>") {
		t.Fatal("the contract page does not count the late answer")
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action IN ('request.publish', 'request.answer')`); n != 2 {
		t.Fatalf("%d audit entries, want 2", n)
	}
}

func TestInformationRequest_API(t *testing.T) {
	e, _, cid := newRequestEnv(t)
	res, body := e.postJSON(e.anon, "/api/contracts/"+cid+"/requests", `{"title":"Bins","body":"How many?","name":"Ann","email":"ann@example.org"}`)
	if res.StatusCode != http.StatusAccepted || !strings.Contains(body, `"pending"`) {
		t.Fatalf("got %d %s, want 202", res.StatusCode, body)
	}
	res, body = e.postJSON(e.anon, "/api/contracts/"+cid+"/requests", `{"title":"","body":"How many?","name":"Ann","email":"ann"}`)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"title": "Enter a title for your request"`) {
		t.Fatalf("invalid: got %d %s", res.StatusCode, body)
	}
	if res, _ := e.postJSON(e.anon, "/api/contracts/"+cid+"/requests", `{"title":"x","extra":1}`); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown field: got %d", res.StatusCode)
	}
	if res, _ := e.postJSON(e.anon, "/api/contracts/9999/requests", `{"title":"Bins","body":"How many?","name":"Ann","email":"ann@example.org"}`); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown contract: got %d", res.StatusCode)
	}
	// A form posted from another site is refused, and saves nothing.
	before := e.count(`SELECT COUNT(*) FROM info_requests`)
	form := url.Values{"title": {"Bins"}, "body": {"How many?"}, "name": {"Ann"}, "email": {"ann@example.org"}}
	for _, path := range []string{"/contracts/" + cid + "/requests", "/admin/requests/1/publish"} {
		res, _ := e.do(e.mod, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()),
			"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site post to %s: got %d, want 403", path, res.StatusCode)
		}
	}
	if after := e.count(`SELECT COUNT(*) FROM info_requests`); after != before {
		t.Fatal("a cross-site post saved a request")
	}
	// Pending until confirmed: not listed.
	if _, list := e.get(e.anon, "/api/requests"); !strings.Contains(list, `"total": 0`) {
		t.Fatalf("unconfirmed request listed: %s", list)
	}
}

func TestInformationRequest_Refuse(t *testing.T) {
	e, _, cid := newRequestEnv(t)
	e.post(e.anon, "/contracts/"+cid+"/requests", url.Values{"title": {"Prices"}, "body": {"What are the unit prices?"}, "name": {"Ann Asker"}, "email": {"ann@example.org"}})
	link := e.mailLink("ann@example.org", "/requests/confirm")
	e.post(e.anon, "/requests/confirm", url.Values{"token": {link.Query().Get("token")}})
	id := "1"
	e.post(e.mod, "/admin/requests/"+id+"/publish", confirmed(nil))
	res, body := e.postBody(e.mod, "/admin/requests/"+id+"/refuse", confirmed(url.Values{"explanation": {"Sensitive"}}))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Select the exemption the refusal relies on") {
		t.Fatalf("refuse without exemption: got %d", res.StatusCode)
	}
	res = e.post(e.mod, "/admin/requests/"+id+"/refuse", confirmed(url.Values{"exemption": {"s43"}, "explanation": {"Prices are commercially sensitive"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: got %d", res.StatusCode)
	}
	_, body = e.get(e.anon, "/requests/"+id)
	if !strings.Contains(body, "Section 43: commercial interests") || !strings.Contains(body, "Prices are commercially sensitive") {
		t.Fatal("the refusal does not name its exemption")
	}
	if _, js := e.get(e.anon, "/api/requests/"+id); !strings.Contains(js, `"code": "s43"`) || !strings.Contains(js, `"status": "refused"`) {
		t.Fatalf("JSON: %s", js)
	}
	if _, page := e.get(e.anon, "/contracts/"+cid); !strings.Contains(page, "Refused: <strong>1</strong>") {
		t.Fatal("the contract page does not count the refusal")
	}
	if _, js := e.get(e.anon, "/api/contracts/"+cid); !strings.Contains(js, `"refused": 1,`) || !strings.Contains(js, `"answered_on_time": 0,`) {
		t.Fatalf("contract JSON lacks the counts: %s", js)
	}
}

// receivedRequest is a request on contractID whose asker has confirmed
// it, published when publish is set.
func (e *testEnv) receivedRequest(contractID int64, publish bool) *ballot.InfoRequest {
	e.t.Helper()
	ctx := context.Background()
	r := &ballot.InfoRequest{ContractID: contractID, Title: "Missed bins", Body: "How many?", Name: "Ann", Email: "ann@example.org"}
	must(e.t, e.st.Requests.Ask(ctx, r, testBase))
	_, _, err := e.st.Requests.ConfirmRequest(ctx, e.mailLink("ann@example.org", "/requests/confirm").Query().Get("token"))
	must(e.t, err)
	if publish {
		must(e.t, e.st.Requests.PublishRequest(ctx, r.ID, "test"))
	}
	return r
}

func TestInformationRequest_ListPages(t *testing.T) {
	e, _, cid := newRequestEnv(t)
	for i := 0; i < 21; i++ {
		e.receivedRequest(mustInt(cid), true)
	}
	e.receivedRequest(mustInt(cid), false) // awaiting moderation: not listed
	_, body := e.get(e.anon, "/requests")
	if n := strings.Count(body, `<a class="govuk-link govuk-!-font-weight-bold" href="/requests/`); n != 20 {
		t.Fatalf("page 1 lists %d, want 20", n)
	}
	if !strings.Contains(body, "21 requests") || !strings.Contains(body, `href="/requests?page=2" rel="next"`) || strings.Contains(body, `rel="prev"`) {
		t.Fatal("page 1 lacks the total or the link to page 2")
	}
	_, body = e.get(e.anon, "/requests?page=2")
	if n := strings.Count(body, `<a class="govuk-link govuk-!-font-weight-bold" href="/requests/`); n != 1 || !strings.Contains(body, `rel="prev"`) {
		t.Fatalf("page 2 lists %d, want 1, with a link back", n)
	}
	_, body = e.get(e.anon, "/contracts/"+cid)
	if n := strings.Count(body, `<a class="govuk-link govuk-!-font-weight-bold" href="/requests/`); n != 10 || !strings.Contains(body, "All 21 requests about this contract") {
		t.Fatalf("the contract page lists %d requests, want the newest 10 and a link to all 21", n)
	}
	for _, path := range []string{"/requests", "/contracts/" + cid, "/api/requests"} {
		if _, body := e.get(e.anon, path); strings.Contains(body, "ann@example.org") {
			t.Errorf("%s shows the asker's email", path)
		}
	}
	if _, body := e.get(e.anon, "/api/requests?page=2"); !strings.Contains(body, `"total": 21`) || !strings.Contains(body, `"page": 2`) {
		t.Errorf("JSON page 2: %s", body)
	}
}
