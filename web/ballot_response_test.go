package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// closeRecall opens a ballot, has every code vote Yes and closes it: a
// recall result. It returns the ballot's id.
func (e *ballotEnv) closeRecall() int64 {
	e.t.Helper()
	doc, codes := e.openBallot(2)
	for _, c := range codes {
		if st, _ := e.vote(e.anon, doc.ID, c, doc.Options[0].ID); st != http.StatusOK && st != http.StatusCreated {
			e.t.Fatalf("vote: got %d", st)
		}
	}
	if res := e.post(e.admin, fmt.Sprintf("/admin/ballots/%d/close", doc.ID), confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("close: got %d", res.StatusCode)
	}
	if d := e.ballotJSON(doc.ID); d.Results == nil || d.Results.Outcome != "recall" {
		e.t.Fatalf("fixture ballot's result is not recall: %s", d.raw)
	}
	return doc.ID
}

// TestBallotResponse_RecordedOnceAndShown: after a recall result, the task
// list asks for the council's response, overdue after 28 days; a form
// that contradicts itself saves nothing and says why per field; a
// confirmed response is audited, mailed to the campaigner, and shown on
// the ballot, petition and contract pages and in their JSON; a second one
// is refused.
func TestBallotResponse_RecordedOnceAndShown(t *testing.T) {
	e := newBallotEnv(t)
	id := e.closeRecall()
	path := fmt.Sprintf("/admin/ballots/%d/response", id)
	taskName := "Record the council's response to the recall ballot ‘Should the council end its contract with CleanCo?’"

	if got := e.tasks(e.admin)[taskName]; got != fmt.Sprintf("/admin/ballots/%d#record-response", id) {
		t.Errorf("task list after a recall result: %q, want a link to the form", got)
	}
	_, dash := e.get(e.admin, "/admin/")
	if strings.Contains(dash, "Overdue") {
		t.Errorf("response shown overdue on the day of the result")
	}
	// 28 days on, it is overdue.
	if _, err := e.db.Writer().Exec(`UPDATE ballots SET closed_at = ? WHERE id = ?`,
		time.Now().UTC().Add(-29*24*time.Hour).Format(time.RFC3339Nano), id); err != nil {
		t.Fatal(err)
	}
	_, dash = e.get(e.admin, "/admin/")
	if !strings.Contains(dash, "nothing has been recorded for 29 days") || !strings.Contains(dash, "Overdue") {
		t.Errorf("response not overdue on the task list 29 days after the result")
	}

	tables := []string{"audit_log", "outbox"}
	bad := []struct {
		form        url.Values
		field, says string
	}{
		{url.Values{}, "exercised", "Say whether the council exercised the break clause"},
		{url.Values{"exercised": {"no"}}, "reason", "Give the reason the council did not exercise the break"},
		{url.Values{"exercised": {"no"}, "reason": {"Cost"}, "break_on": {"2027-01-01"}}, "break_on", "Leave the date empty"},
		{url.Values{"exercised": {"yes"}}, "break_on", "Enter the date the break takes effect"},
		{url.Values{"exercised": {"yes"}, "break_on-day": {"1"}, "break_on-month": {"April"}, "break_on-year": {""}}, "break_on", "The date the break takes effect must include a year"},
		{url.Values{"exercised": {"yes"}, "break_on": {"2099-01-01"}}, "break_on", "start date, "},
	}
	for _, tc := range bad {
		before := e.rowCounts(tables)
		res, body := e.postBody(e.admin, path, tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.says) ||
			!strings.Contains(body, `id="`+tc.field+`-error"`) || strings.Contains(body, "govuk-warning-text") {
			t.Errorf("%v: got %d without %q on %s", tc.form, res.StatusCode, tc.says, tc.field)
		}
		if after := e.rowCounts(tables); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%v: refused form changed %v", tc.form, tables)
		}
	}

	breakOn := e.contract.BreakClauses[1]
	form := url.Values{"exercised": {"yes"}, "break_on": {breakOn.Format("2006-01-02")}, "reason": {"Residents voted to recall"}}
	if res, body := e.postBody(e.admin, path, form); res.StatusCode != http.StatusOK || !strings.Contains(body, "Yes, record the response") {
		t.Fatalf("unconfirmed response: got %d without the confirmation page", res.StatusCode)
	}
	if res := e.post(e.admin, path, confirmed(form)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed response: got %d", res.StatusCode)
	}
	if got := e.auditActions(); !strings.Contains(got, "ballot.response") {
		t.Errorf("audit log %q has no ballot.response", got)
	}
	var subject, body string
	if err := e.db.Reader().QueryRow(`SELECT subject, body FROM outbox WHERE to_addr = 'sam@example.org' ORDER BY id DESC LIMIT 1`).Scan(&subject, &body); err != nil {
		t.Fatal(err)
	}
	ends := breakOn.Format("2 January 2006")
	if !strings.Contains(subject, "The council's response to the recall ballot") || !strings.Contains(body, "the contract ends on "+ends) {
		t.Errorf("campaigner mail %q: %q", subject, body)
	}
	want := "the contract ends on " + ends
	for _, p := range []string{fmt.Sprintf("/ballots/%d", id), fmt.Sprintf("/petitions/%d", e.petition.ID), fmt.Sprintf("/contracts/%d", e.contract.ID)} {
		if _, page := e.get(e.anon, p); !strings.Contains(page, want) || !strings.Contains(page, "Residents voted to recall") {
			t.Errorf("%s does not show the council's response", p)
		}
	}
	if d := e.ballotJSON(id); !strings.Contains(compactJSON(t, d.raw), `"council_response":{"break_exercised":true,"break_on":"`+breakOn.Format("2006-01-02")+`"`) {
		t.Errorf("ballot JSON has no council_response: %s", d.raw)
	}
	if _, js := e.get(e.anon, fmt.Sprintf("/api/contracts/%d", e.contract.ID)); !strings.Contains(compactJSON(t, js), `"council_response":{"break_exercised":true`) {
		t.Errorf("contract JSON has no council_response: %s", js)
	}
	if _, ok := e.tasks(e.admin)[taskName]; ok {
		t.Errorf("the task is still listed once the response is recorded")
	}
	// Once only.
	again := url.Values{"exercised": {"no"}, "reason": {"Changed our mind"}}
	if res, body := e.postBody(e.admin, path, confirmed(again)); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "recorded once") {
		t.Errorf("second response: got %d", res.StatusCode)
	}
	// Moderators cannot record it.
	if res := e.post(e.mod, path, confirmed(again)); res.StatusCode != http.StatusForbidden {
		t.Errorf("moderator: got %d, want 403", res.StatusCode)
	}
}

// TestBallotResponse_NotBeforeClose: an open ballot has no result to respond to.
func TestBallotResponse_NotBeforeClose(t *testing.T) {
	e := newBallotEnv(t)
	doc, _ := e.openBallot(1)
	res, body := e.postBody(e.admin, fmt.Sprintf("/admin/ballots/%d/response", doc.ID),
		confirmed(url.Values{"exercised": {"no"}, "reason": {"Too early"}}))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "after the ballot is closed") {
		t.Errorf("response to an open ballot: got %d", res.StatusCode)
	}
}

// compactJSON is s without the indentation, for matching fragments.
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
