//go:build browser

package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestResidentRespondsThenReloadsAndGoesBack: at 320 px a resident answers
// a consultation; the thanks page shows the same receipt on reload, and
// Back returns to the consultation, not to "Confirm form resubmission".
func TestResidentRespondsThenReloadsAndGoesBack(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("resident")
	tb.run("phone width", chromedp.EmulateViewport(320, 640))
	const slug = "/consultations/parks-maintenance"
	tb.open(slug)
	for _, q := range formQuestions(tb) {
		if q.Kind == "radio" {
			tb.click("label[for='" + q.FirstID + "']")
		}
	}
	tb.clickAndLoad(responseFormSel + " button[type=submit]")
	if got := tb.path(); got != slug+"/thanks" {
		t.Fatalf("after sending, the resident is on %s, want the thanks page", got)
	}
	receipt := tb.text(".govuk-panel--confirmation strong")
	if len(receipt) < 6 {
		t.Fatalf("receipt code %q looks too short", receipt)
	}
	tb.checkPage("thanks")

	tb.run("reload", chromedp.Reload())
	if got := tb.text(".govuk-panel--confirmation strong"); got != receipt || tb.path() != slug+"/thanks" {
		t.Errorf("after reload: %q on %s, want the receipt %s on the thanks page", got, tb.path(), receipt)
	}
	tb.goBack()
	if got := tb.path(); got != slug {
		t.Errorf("after Back the resident is on %s, want the consultation", got)
	}
	tb.checkPage("back after responding")
}
