package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// uploadSpending posts a spending file as the browser's multipart form.
func (e *testEnv) uploadSpending(c *http.Client, name string, content []byte) (*http.Response, string) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	must(e.t, err)
	_, err = fw.Write(content)
	must(e.t, err)
	must(e.t, mw.Close())
	return e.do(c, http.MethodPost, "/admin/spending", mw.FormDataContentType(), &buf)
}

const januarySpend = "Body Name,Payment Date,Transaction No.,Net Amount,Supplier Name,Expense Type\n" +
	"Demo Borough Council,05/01/2027,T1001,\"12,400.00\",CleanCo Services Limited,Contract payments\n" +
	"Demo Borough Council,19/01/2027,T1002,(250.50),CLEANCO SERVICES LTD,Credit note\n" +
	"Demo Borough Council,03/04/2027,T1003,980.00,Unknown Supplies,Stationery\n"

// TestAdminSpending: an officer uploads a spending file, sees how its
// columns were read and what will match before anything is saved, saves
// it, assigns the unmatched payment, and a second import of the same file
// adds nothing. A bad file is refused by line and column, saving nothing.
func TestAdminSpending(t *testing.T) {
	e := newEnv(t)
	waste := e.addContract(wasteContract())
	e.addContract(leisureContract())
	count := func() int {
		var n int
		must(t, e.db.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM spend_lines`).Scan(&n))
		return n
	}

	// Refused whole, naming the line and column.
	bad := strings.Replace(januarySpend, "980.00", "nine eighty", 1)
	res, body := e.uploadSpending(e.admin, "bad.csv", []byte(bad))
	if got := errorSummary(t, body)["file"]; res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(got, `Line 4, column "Net Amount": "nine eighty" is not an amount of money`) {
		t.Fatalf("bad file: %d %q, want 422 naming line 4's Net Amount", res.StatusCode, got)
	}
	res, _ = e.uploadSpending(e.admin, "empty.csv", nil)
	if res.StatusCode != http.StatusUnprocessableEntity || count() != 0 {
		t.Fatalf("empty file: %d, %d payments saved", res.StatusCode, count())
	}

	// Staged, then checked.
	res, _ = e.uploadSpending(e.admin, "january.csv", []byte(januarySpend))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/spending/imports/") {
		t.Fatalf("upload: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	check := res.Header.Get("Location")
	if count() != 0 {
		t.Fatalf("uploading saved %d payments before the check", count())
	}
	_, body = e.get(e.admin, check)
	for _, want := range []string{`<th scope="row" class="govuk-table__header">Amount</th><td class="govuk-table__cell">Net Amount</td>`,
		`<th scope="row" class="govuk-table__header">Contract reference</th><td class="govuk-table__cell">Not in the file</td>`,
		`id="import-lines">3<`, `id="import-total">£13,129.50<`, `id="import-unmatched">1 `, `Matched by supplier name</dt><dd class="govuk-summary-list__value">2<`,
		waste.Title} {
		if !strings.Contains(body, want) {
			t.Errorf("check page lacks %q", want)
		}
	}
	res = e.post(e.admin, check+"/save", url.Values{})
	if res.StatusCode != http.StatusSeeOther || count() != 3 {
		t.Fatalf("save: %d, %d payments", res.StatusCode, count())
	}
	if res := e.post(e.admin, check+"/save", url.Values{}); res.StatusCode != http.StatusSeeOther || count() != 3 {
		t.Errorf("saving again: %d, %d payments", res.StatusCode, count())
	}

	// The same file again: the check page says all are saved, and saving adds none.
	res, _ = e.uploadSpending(e.admin, "january-again.csv", []byte(januarySpend))
	again := res.Header.Get("Location")
	if _, body = e.get(e.admin, again); !strings.Contains(body, `id="import-saved">3 (these are not added again)`) {
		t.Errorf("the check page does not say the payments are saved already")
	}
	e.post(e.admin, again+"/save", url.Values{})
	if count() != 3 {
		t.Errorf("a second import of the same file made %d payments, want 3", count())
	}
	if _, body = e.get(e.admin, "/admin/spending"); !strings.Contains(body, "january-again.csv saved: 0 payments added. 3 were already saved and were not added again.") {
		t.Errorf("the officer is not told the second import added nothing")
	}

	// The unmatched payment, assigned.
	_, body = e.get(e.admin, "/admin/spending")
	if !strings.Contains(body, `id="spend-unmatched">1<`) || !strings.Contains(body, "Unknown Supplies") {
		t.Fatalf("spending page does not list the unmatched payment")
	}
	var lineID int64
	must(t, e.db.Reader().QueryRow(`SELECT id FROM spend_lines WHERE contract_id IS NULL`).Scan(&lineID))
	assign := fmt.Sprintf("/admin/spending/payments/%d/assign", lineID)
	res, body = e.postBody(e.admin, assign, url.Values{"contract": {""}})
	if got := errorSummary(t, body)[fmt.Sprintf("contract-%d", lineID)]; res.StatusCode != http.StatusUnprocessableEntity || got != "Select the contract this payment is for" {
		t.Errorf("assigning no contract: %d %q", res.StatusCode, got)
	}
	res = e.post(e.admin, assign, url.Values{"contract": {fmt.Sprint(waste.ID)}})
	var unmatched int
	must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM spend_lines WHERE contract_id IS NULL`).Scan(&unmatched))
	if res.StatusCode != http.StatusSeeOther || unmatched != 0 {
		t.Errorf("assign: %d, %d still unmatched", res.StatusCode, unmatched)
	}
	// The contract shows what it has been paid, by quarter, on its page and in JSON.
	_, body = e.get(e.anon, fmt.Sprintf("/contracts/%d", waste.ID))
	for _, want := range []string{`The council has paid <strong>£13,129.50</strong> against this contract, 1% of its value of £1,250,000.50. This is the sum of 3 payments`,
		`<th scope="row" class="govuk-table__header">January to March 2027</th><td class="govuk-table__cell govuk-table__cell--numeric">£12,149.50</td><td class="govuk-table__cell govuk-table__cell--numeric">£12,149.50</td>`,
		`<th scope="row" class="govuk-table__header">April to June 2027</th><td class="govuk-table__cell govuk-table__cell--numeric">£980</td><td class="govuk-table__cell govuk-table__cell--numeric">£13,129.50</td>`,
		`role="img" aria-labelledby="spend-caption"`} {
		if !strings.Contains(body, want) {
			t.Errorf("contract page lacks %q", want)
		}
	}
	type spendJSON struct {
		SpendPence     int64 `json:"spend_pence"`
		SpendByQuarter []struct {
			Quarter    string `json:"quarter"`
			From       string `json:"from"`
			SpendPence int64  `json:"spend_pence"`
			ToDate     int64  `json:"to_date_pence"`
		} `json:"spend_by_quarter"`
	}
	var got spendJSON
	_, body = e.get(e.anon, fmt.Sprintf("/api/contracts/%d", waste.ID))
	must(t, json.Unmarshal([]byte(body), &got))
	if q := got.SpendByQuarter; got.SpendPence != 1312950 || len(q) != 2 || q[0].Quarter != "2027-Q1" || q[0].From != "2027-01-01" ||
		q[0].SpendPence != 1214950 || q[0].ToDate != 1214950 || q[1].Quarter != "2027-Q2" || q[1].ToDate != 1312950 {
		t.Errorf("contract JSON spend %+v", got)
	}
	_, body = e.get(e.anon, "/api/contracts/2")
	if !strings.Contains(body, `"spend_by_quarter": []`) || json.Unmarshal([]byte(body), &got) != nil || got.SpendPence != 0 {
		t.Errorf("a contract with no spend: %s", body)
	}
	for _, want := range []string{"spending.import admin@council.test", "spending.assign admin@council.test"} {
		if !strings.Contains(e.auditActions(), want) {
			t.Errorf("audit lacks %q", want)
		}
	}
}

// TestAdminSpending_LargeFile: a spending file over the 1 MB bound of other
// forms (a year of a large council's payments) is accepted.
func TestAdminSpending_LargeFile(t *testing.T) {
	e := newEnv(t)
	var b strings.Builder
	b.WriteString("Date,Transaction Number,Amount,Supplier\n")
	for i := 0; b.Len() < 3<<20/2; i++ {
		fmt.Fprintf(&b, "05/01/2027,T%07d,%d.00,Supplier number %d of the council's many suppliers\n", i, 500+i%1000, i%300)
	}
	res, body := e.uploadSpending(e.admin, "year.csv", []byte(b.String()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a %d-byte file: %d %v", b.Len(), res.StatusCode, errorSummary(t, body))
	}
	// None matches a contract: the list of unmatched payments is paged.
	e.post(e.admin, res.Header.Get("Location")+"/save", url.Values{})
	var n int
	must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM spend_lines`).Scan(&n))
	_, body = e.get(e.admin, "/admin/spending?page=2")
	for _, want := range []string{fmt.Sprintf("Showing 51 to 100 of %s payments", groupDigits(n)),
		`href="/admin/spending?page=1#unmatched" rel="prev"`, `href="/admin/spending?page=3#unmatched" rel="next"`, "T0000050"} {
		if !strings.Contains(body, want) {
			t.Errorf("page 2 of %d unmatched payments lacks %q", n, want)
		}
	}
	if _, body = e.get(e.admin, "/admin/spending?page=99999"); !strings.Contains(body, fmt.Sprintf("of %s payments", groupDigits(n))) || strings.Contains(body, `rel="next"`) {
		t.Errorf("a page past the end does not show the last page")
	}
}

// groupDigits writes n with commas, as the pages do.
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
