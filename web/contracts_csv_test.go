package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestContractsCSV: /contracts.csv is RFC 4180 (CRLF line ends, quoted
// fields with commas, quotes and line breaks) with the Local Government
// Transparency Code 2015's contract columns, one row per contract, blank
// where nothing is recorded, and no cell a spreadsheet would run.
func TestContractsCSV(t *testing.T) {
	e := newEnv(t)
	c := wasteContract()
	c.Reference, c.Department, c.SupplierScheme, c.SupplierID = "WAS-1", "Environment, Streets", ballot.SchemeCompaniesHouse, "01234567"
	c.SME, c.VCSE, c.Route, c.ReviewOn, c.IrrecoverableVATPence = ballot.Yes, ballot.No, ballot.RouteOpen, c.EndsOn.AddDate(0, -6, 0), 12_500_00
	c.Description = "Weekly \"kerbside\" collection.\nFortnightly recycling."
	e.addContract(c)
	other := leisureContract()
	other.Title = "=HYPERLINK(\"http://evil\")"
	e.addContract(other)

	res, body := e.get(e.anon, "/contracts.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv; charset=utf-8") {
		t.Fatalf("got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Errorf("line ends are not all CRLF")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	want := []string{"Reference", "Title", "Department", "Description", "Supplier name", "Supplier registration scheme",
		"Supplier registration number", "SME", "VCSE", "Value (GBP)", "Irrecoverable VAT (GBP)", "Start date",
		"End date", "Review date", "Procurement route", "Service", "OurSay ID", "URL"}
	if strings.Join(rows[0], "|") != strings.Join(want, "|") {
		t.Fatalf("header %q\nwant %q", rows[0], want)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want header and 2 contracts", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var waste, leisure []string
	for _, r := range rows[1:] {
		if r[col["OurSay ID"]] == "1" {
			waste = r
		} else {
			leisure = r
		}
	}
	for h, v := range map[string]string{
		"Reference": "WAS-1", "Department": "Environment, Streets", "Description": "Weekly \"kerbside\" collection.\nFortnightly recycling.",
		"Supplier name": "CleanCo Services Ltd", "Supplier registration scheme": "GB-COH", "Supplier registration number": "01234567",
		"SME": "Yes", "VCSE": "No", "Value (GBP)": "1250000.50", "Irrecoverable VAT (GBP)": "12500",
		"Start date": isoDay(c.StartsOn), "End date": isoDay(c.EndsOn), "Review date": isoDay(c.ReviewOn),
		"Procurement route": "Open procedure", "URL": "http://oursay.test/contracts/1",
	} {
		if waste[col[h]] != v {
			t.Errorf("%s = %q, want %q", h, waste[col[h]], v)
		}
	}
	for _, h := range []string{"Reference", "Department", "SME", "Review date", "Procurement route", "Irrecoverable VAT (GBP)"} {
		if leisure[col[h]] != "" {
			t.Errorf("unrecorded %s = %q, want blank", h, leisure[col[h]])
		}
	}
	if leisure[col["Title"]] != "'=HYPERLINK(\"http://evil\")" {
		t.Errorf("formula title written as %q", leisure[col["Title"]])
	}
}

func isoDay(t time.Time) string { return t.Format("2006-01-02") }
