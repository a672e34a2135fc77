//go:build browser

package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOfficerImportsSpending: an admin uploads a Transparency Code
// spending file, checks how its columns were read, saves it and assigns
// the payment no rule matched to a contract; at 320px and 1280px each page
// passes the accessibility and reflow checks.
func TestOfficerImportsSpending(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("admin")
	signIn(t, tb, demoAdmin, srv.Password)
	file := filepath.Join(t.TempDir(), "spending-january-2027.csv")
	csv := "Body Name,Payment Date,Transaction No.,Net Amount,Supplier Name,Expense Type\n" +
		"Demo Borough Council,05/01/2027,T1001,\"12,400.00\",CleanCo Services Limited,Contract payments\n" +
		"Demo Borough Council,21/04/2027,T1003,980.00,Waste Transfer Partners,Haulage\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.open("/admin")
	tb.clickAndLoad(`a[href="/admin/spending"]`)
	tb.checkPage("spending page, nothing imported")
	tb.run("choose the file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
	tb.clickAndLoad(`form[action="/admin/spending"] button[type=submit]`)
	if !strings.HasPrefix(tb.path(), "/admin/spending/imports/") {
		t.Fatalf("after uploading: on %s, want the check page", tb.path())
	}
	if got := tb.text("#import-lines"); got != "2" {
		t.Errorf("the check page counts %q payments, want 2", got)
	}
	if got := tb.text("#import-unmatched"); !strings.HasPrefix(got, "1") {
		t.Errorf("the check page says %q unmatched, want 1", got)
	}
	tb.checkPage("spending file check page")
	narrow(tb)
	tb.clickAndLoad(`form[action$="/save"] button[type=submit]`)
	if got := tb.text(".govuk-notification-banner, .oursay-flash, [role=alert], [role=status]"); !strings.Contains(got, "2 payments added") {
		t.Errorf("after saving the page says %q", got)
	}
	if got := tb.text("#spend-unmatched"); got != "1" {
		t.Errorf("%s payments unmatched, want 1", got)
	}
	tb.checkPage("spending page with an unmatched payment")
	sel := `#unmatched ~ div select`
	tb.run("choose the contract", chromedp.SetValue(chromedp.CSS(sel), "1"))
	tb.clickAndLoad(`form[action$="/assign"] button[type=submit]`)
	if got := tb.text("#spend-unmatched"); got != "0" {
		t.Errorf("%s payments unmatched after assigning, want 0", got)
	}
	// Residents see what the contract has been paid, by quarter.
	tb.open("/contracts/1")
	if got := tb.text("#spend-to-date"); !strings.Contains(got, "£13,380") {
		t.Errorf("the contract page says %q", got)
	}
	tb.checkPage("contract page with its spend")
}
