package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// auditCount counts the audit entries of one action.
func (e *testEnv) auditCount(action string) int {
	e.t.Helper()
	var n int
	if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestPeople_FindAndExport(t *testing.T) {
	e := newBallotEnv(t)
	form := url.Values{"email": {" Sponsor1@Example.org "}, "reason": {"SAR-2027-014"}}

	res, body := e.get(e.admin, "/admin/people")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="reason"`) || strings.Contains(body, "Erase this data") {
		t.Fatalf("form: got %d", res.StatusCode)
	}
	if _, body := e.get(e.admin, "/admin/"); !strings.Contains(body, `href="/admin/people"`) {
		t.Error("the dashboard does not link to the people page")
	}
	if _, body := e.get(e.mod, "/admin/"); strings.Contains(body, `href="/admin/people"`) {
		t.Error("a moderator's dashboard links to the people page")
	}

	res, body = e.postBody(e.admin, "/admin/people", form)
	for _, want := range []string{"What is held about sponsor1@example.org", "Sponsor 1, AB1 2CD (Riverside)", "End the CleanCo contract",
		"withdraws it", "Mail in the outbox (", "Erase this data", `value="SAR-2027-014"`} {
		if !strings.Contains(body, want) {
			t.Errorf("find: got %d without %q", res.StatusCode, want)
		}
	}
	if e.auditCount("person.find") != 1 {
		t.Error("the search was not audited")
	}
	_, body = e.postBody(e.admin, "/admin/people", url.Values{"email": {"nobody@example.org"}, "reason": {"SAR-2"}})
	if !strings.Contains(body, "Nothing is held about this address") || strings.Contains(body, "Erase this data") {
		t.Error("nobody: no 'nothing is held' or an erase button")
	}

	res, body = e.postBody(e.admin, "/admin/people/export", form)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="personal-data-`) ||
		res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: got %d %s %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), res.Header.Get("Cache-Control"))
	}
	var pd consult.PersonData
	if err := json.Unmarshal([]byte(body), &pd); err != nil {
		t.Fatal(err)
	}
	if pd.Email != "sponsor1@example.org" || len(pd.Signatures) != 1 || pd.Signatures[0].Name != "Sponsor 1" || len(pd.Mail) == 0 || !strings.Contains(body, `"petition_open": true`) {
		t.Errorf("export: %s", body)
	}
	if regexp.MustCompile(`token=[A-Za-z0-9_-]{8}`).MatchString(body) || !strings.Contains(body, "token=") {
		t.Error("the download holds a working link, or the mail's links are gone")
	}
	if e.auditCount("person.export") != 1 {
		t.Error("the download was not audited")
	}
	var detail string
	if err := e.db.Reader().QueryRow(`SELECT group_concat(detail, '|') FROM audit_log WHERE action LIKE 'person.%'`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(detail, "@") || !strings.Contains(detail, "SAR-2027-014") {
		t.Errorf("audit details %q: want the reason and no address", detail)
	}
}

// TestPeople_BadInput: each button refuses a blank or malformed address
// and a blank reason, or one holding the address, with field messages,
// and saves and audits nothing.
func TestPeople_BadInput(t *testing.T) {
	e := newBallotEnv(t)
	tables := []string{"audit_log", "outbox", "signatures"}
	before := e.rowCounts(tables)
	for _, path := range []string{"/admin/people", "/admin/people/export", "/admin/people/erase"} {
		for _, tc := range []struct {
			form url.Values
			says string
		}{
			{url.Values{"email": {""}, "reason": {"SAR-1"}}, "Enter an email address"},
			{url.Values{"email": {"sponsor1 at example.org"}, "reason": {"SAR-1"}}, "Enter an email address in the correct format"},
			{url.Values{"email": {"sponsor1@example.org"}, "reason": {" "}}, "Enter the reason"},
			{url.Values{"email": {"sponsor1@example.org"}, "reason": {"Asked by Sponsor1@example.org"}}, "Do not put the email address in the reason"},
		} {
			for _, form := range []url.Values{tc.form, confirmed(tc.form)} {
				res, body := e.postBody(e.admin, path, form)
				if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") ||
					!strings.Contains(body, tc.says) || strings.Contains(body, "govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning</span> Erasing") {
					t.Errorf("%s %v: got %d without %q", path, form, res.StatusCode, tc.says)
				}
			}
		}
	}
	if after := e.rowCounts(tables); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refused requests changed %v: %v to %v", tables, before, after)
	}
}

// TestPeople_Erase: erasing asks first; confirmed, a signature on the open
// petition is withdrawn (the count goes down), the mail goes, and the
// audit entry says why and how many; a moderator may not.
func TestPeople_Erase(t *testing.T) {
	e := newBallotEnv(t)
	form := url.Values{"email": {"sponsor2@example.org"}, "reason": {"Erasure request 5"}}
	count := e.petition.SignatureCount

	res, _ := e.postBody(e.mod, "/admin/people/erase", confirmed(form))
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("moderator: got %d, want 403", res.StatusCode)
	}
	res, _ = e.postBody(e.mod, "/admin/people", form)
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("moderator find: got %d, want 403", res.StatusCode)
	}
	res, body := e.postBody(e.admin, "/admin/people/erase", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Erase the data held about this email address?") ||
		!strings.Contains(body, "sponsor2@example.org") || !strings.Contains(body, "Erasure request 5") {
		t.Fatalf("confirmation: got %d", res.StatusCode)
	}
	if e.auditCount("person.erase") != 0 {
		t.Fatal("erased before confirming")
	}
	res = e.post(e.admin, "/admin/people/erase", confirmed(form))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/people" {
		t.Fatalf("erase: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = e.get(e.admin, "/admin/people")
	if !strings.Contains(body, "1 signature withdrawn") {
		t.Error("no flash saying what was erased")
	}
	p, err := e.st.Petitions.Petition(t.Context(), e.petition.ID)
	if err != nil || p.SignatureCount != count-1 {
		t.Errorf("count %d, %v; want %d", p.SignatureCount, err, count-1)
	}
	var left int
	if err := e.db.Reader().QueryRow(`SELECT (SELECT COUNT(*) FROM outbox WHERE to_addr = 'sponsor2@example.org')
		+ (SELECT COUNT(*) FROM signatures WHERE name = 'Sponsor 2')`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows still hold the person, %v", left, err)
	}
	_, body = e.postBody(e.admin, "/admin/people", form)
	if !strings.Contains(body, "Nothing is held about this address") {
		t.Error("found data after erasing")
	}

	// The campaigner: the public page no longer says who started it.
	res = e.post(e.admin, "/admin/people/erase", confirmed(url.Values{"email": {"sam@example.org"}, "reason": {"Erasure request 6"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase campaigner: got %d", res.StatusCode)
	}
	if _, body := e.get(e.anon, "/petitions/"+itoa(e.petition.ID)); strings.Contains(body, "Started by") || strings.Contains(body, "Sam") {
		t.Error("the petition page still names the campaigner")
	}
	if _, body := e.get(e.admin, "/admin/petitions/"+itoa(e.petition.ID)); !strings.Contains(body, "the campaigner's details were anonymised") {
		t.Error("the admin petition page does not say the campaigner was removed")
	}
}
