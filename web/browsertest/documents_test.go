//go:build browser

package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOfficerPublishesRedactedContract: the demo's £18m waste contract is
// flagged as unpublished; an admin first picks a file that is not a PDF
// (refused, naming the field), then publishes the redacted contract, which
// the public page lists with its reason, and the flag goes. Each page
// passes the accessibility and reflow checks.
func TestOfficerPublishesRedactedContract(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("admin")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "waste-contract-redacted.pdf")
	fake := filepath.Join(dir, "not-really.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fake, []byte("<html>not a pdf</html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.open("/contracts/1")
	if !tb.exists("#unpublished") {
		t.Errorf("the £18m contract is not flagged as unpublished")
	}
	signIn(t, tb, demoAdmin, srv.Password)
	tb.open("/admin/contracts")
	tb.clickAndLoad(`a[href="/admin/contracts/1/documents"]`)
	tb.checkPage("contract documents, none yet")
	upload := func(file string) {
		tb.run("choose the file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
		tb.clickAndLoad(`form[enctype="multipart/form-data"] button[type=submit]`)
	}
	tb.click(`#kind`)
	tb.typeInto("#title", "Waste collection contract")
	tb.typeInto("#dated-day", "1")
	tb.typeInto("#dated-month", "12")
	tb.typeInto("#dated-year", "2023")
	tb.click(`input[name=redacted][value=yes]`)
	tb.typeInto("#reason", "Commercial interests (Freedom of Information Act 2000, section 43)")
	upload(fake)
	if got := tb.text(`.govuk-error-summary a[href="#file"]`); got != "The selected file must be a PDF" {
		t.Errorf("a fake PDF: the error summary says %q", got)
	}
	// What was typed is kept; only the file must be chosen again.
	if got := eval[string](tb, `document.getElementById("reason").value`); !strings.HasPrefix(got, "Commercial interests") {
		t.Errorf("the reason after the refusal is %q", got)
	}
	tb.checkPage("contract documents, a fake PDF refused")
	upload(pdf)
	if !tb.exists("#document-1") {
		t.Fatalf("the document is not listed after publishing")
	}
	narrow(tb)
	tb.open("/contracts/1")
	if tb.exists("#unpublished") {
		t.Errorf("the contract is still flagged after its contract was published")
	}
	if got := tb.text("#document-list"); !strings.Contains(got, "Redacted: Commercial interests") {
		t.Errorf("the public list says %q", got)
	}
	tb.checkPage("contract page with a redacted contract")
}
