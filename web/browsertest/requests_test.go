//go:build browser

package browsertest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oursay/oursay/ballot"
)

// TestResidentAsksAboutContract: a resident asks about a contract from its
// page (through the form's errors), confirms by the mailed link, a
// moderator publishes the request, someone follows it, and the council
// answers; asker and follower are mailed. The server has no clock of its
// own to move, so the due date is checked against the statutory clock
// from today: asked in December 2026, it runs past Christmas and New
// Year's Day (the web tests fix the clock for overdue).
func TestResidentAsksAboutContract(t *testing.T) {
	srv := startServer(t)
	_, body := httpDo(t, "GET", srv.URL+"/api/contracts", nil)
	var list struct {
		Contracts []struct {
			ID int64 `json:"id"`
		} `json:"contracts"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Contracts) == 0 {
		t.Fatalf("contracts: %v %s", err, body)
	}
	cid := strconv.FormatInt(list.Contracts[0].ID, 10)
	b := newBrowser(t, srv)
	res := b.newTab("resident")
	res.open("/contracts/" + cid)
	res.checkPage("contract with information requests")
	res.clickAndLoad(`a[href="/contracts/` + cid + `/requests/new"]`)
	res.checkPage("ask form")
	submit := `form[action="/contracts/` + cid + `/requests"] button[type=submit]`
	res.typeInto("#title", "Missed bin collections")
	res.clickAndLoad(submit)
	if !res.exists(".govuk-error-summary") || !strings.Contains(res.text(".govuk-error-summary"), "Enter the information you are asking for") {
		t.Fatal("no error summary for a request without its body")
	}
	res.checkPage("ask form with errors")
	const email, title = "ann.asker@example.org", "Missed bin collections"
	res.typeInto("#body", "How many bin collections were missed each month in 2026?")
	res.typeInto("#name", "Ann Asker")
	res.typeInto("#email", email)
	res.clickAndLoad(submit)
	if h := res.text("h1"); h != "Check your email" {
		t.Fatalf("after asking: heading %q", h)
	}
	res.checkPage("check your email")

	received := time.Now()
	pressMailedLink(res, waitMail(t, srv, email, "Confirm your information request"), "/requests/confirm")
	if h := res.text("h1"); h != "Request received" {
		t.Fatalf("after confirming: heading %q", h)
	}
	due, err := ballot.ResponseDue(received, ballot.RequestZone)
	if err != nil {
		t.Fatal(err)
	}
	dueText := ballot.DueText(due)
	if !strings.Contains(res.text("main"), due.Format("2 January 2006")) {
		t.Errorf("the confirmation does not say the answer is %s", strings.ToLower(dueText))
	}
	for d := received; !d.After(due); d = d.AddDate(0, 0, 1) {
		if h := ballot.BankHoliday(d); h != "" {
			t.Logf("the clock runs past %s", h)
		}
	}
	res.checkPage("request received")

	staff := b.newTab("moderator")
	signIn(t, staff, demoModerator, srv.ModeratorPassword)
	if !strings.Contains(staff.text("main"), "Moderate ‘"+title+"’") {
		t.Fatal("the dashboard does not list the request to moderate")
	}
	staff.open("/admin/requests")
	staff.checkPage("staff request list")
	staff.clickAndLoad(`ul[aria-labelledby=moderation] a`)
	id := strings.TrimPrefix(staff.path(), "/admin/requests/")
	staff.checkPage("staff request page")
	staff.clickAndLoad(`form[action="/admin/requests/` + id + `/publish"] button`)
	confirmStep(t, staff, "publish request confirmation")
	waitMail(t, srv, email, "Your information request is published")

	res.open("/requests/" + id)
	page := res.text("main")
	if !strings.Contains(page, dueText) || !strings.Contains(page, "Ann Asker") || strings.Contains(page, email) {
		t.Fatalf("the request page lacks %q or the name, or shows the email: %q", dueText, page)
	}
	res.checkPage("published request")

	follower := newBrowser(t, srv).newTab("follower")
	const followerEmail = "fol.lower@example.org"
	follower.open("/requests/" + id)
	follower.typeInto("#email", followerEmail)
	follower.clickAndLoad(`form[action="/requests/` + id + `/followers"] button[type=submit]`)
	pressMailedLink(follower, waitMail(t, srv, followerEmail, "Confirm you want to follow"), "/requests/follow/confirm")
	if h := follower.text("h1"); h != "You are following this request" {
		t.Fatalf("after following: heading %q", h)
	}
	follower.checkPage("following")

	staff.open("/admin/requests/" + id)
	staff.typeInto("#answer", "1,204 collections were missed in 2026.")
	staff.clickAndLoad(`form[action="/admin/requests/` + id + `/answer"] button`)
	confirmStep(t, staff, "answer confirmation")
	waitMail(t, srv, email, "Information request answered")
	waitMail(t, srv, followerEmail, "Information request answered")

	// The officer releases a spreadsheet with the answer, redacted.
	csvFile := filepath.Join(t.TempDir(), "missed-collections-2026.csv")
	if err := os.WriteFile(csvFile, []byte("month,missed\nJanuary,98\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	staff.typeInto("#title", "Missed collections by month, 2026")
	staff.typeInto("#dated", "2027-01-06")
	staff.click(`input[name=redacted][value=yes]`)
	staff.typeInto("#reason", "Personal information (Freedom of Information Act 2000, section 40)")
	staff.run("choose the file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{csvFile}))
	staff.clickAndLoad(`form[action="/admin/requests/` + id + `/documents"] button[type=submit]`)
	if !strings.Contains(staff.text("#answer-documents"), "Missed collections by month, 2026") {
		t.Fatalf("the released document is not listed for staff: %q", staff.text("main"))
	}
	staff.checkPage("answer with a released document")

	res.open("/requests/" + id)
	if !strings.Contains(res.text("#answer-documents"), "Redacted: Personal information") {
		t.Fatalf("the released document is not shown with the answer: %q", res.text("main"))
	}
	if !strings.Contains(res.text("main"), "1,204 collections") || res.text(".oursay-status .govuk-tag") != "Answered" {
		t.Fatalf("the answer is not shown: %q", res.text("main"))
	}
	res.checkPage("answered request")
	res.open("/requests?status=answered&contract=" + cid)
	if !res.exists(`a[href="/requests/` + id + `"]`) {
		t.Fatal("the answered filter does not list the request")
	}
	res.checkPage("requests list")
	res.open("/contracts/" + cid)
	if !strings.Contains(res.text("#request-counts"), "Answered on time: 1") {
		t.Fatalf("contract counts: %q", res.text("#request-counts"))
	}
}
