//go:build browser

package browsertest

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// closingLineRE is a closing line as every page writes one.
var closingLineRE = regexp.MustCompile(`^(Closes at \d{1,2}:\d{2}(am|pm) on \d{1,2} [A-Z][a-z]+ \d{4}|Closed on \d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}:\d{2}(am|pm))$`)

// TestResidentSeesClosingTimesAndAutofill walks the demo as a resident at
// 320px: closing lines read "Closes at …" or "Closed on …" (never 12:00am),
// the waste results agree with its outcome, the signing form's personal
// fields say what they are to the browser, and the demo's mail links to
// the site itself.
func TestResidentSeesClosingTimesAndAutofill(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("resident")
	tb.run("narrow", chromedp.EmulateViewport(320, 640))

	tb.open("/consultations")
	cells := eval[[]string](tb, `[...document.querySelectorAll("tbody tr td:last-child")].map(td => td.textContent.trim())`)
	if len(cells) != 4 {
		t.Fatalf("consultation list closing cells %q, want the demo's 4", cells)
	}
	for _, c := range cells {
		if !closingLineRE.MatchString(c) || strings.Contains(c, "12:00am") {
			t.Errorf("consultation list shows %q", c)
		}
	}
	tb.checkPage("consultation list")

	tb.open("/consultations/waste-collection")
	if got := tb.text("#closing"); !strings.HasPrefix(got, "This consultation closed on ") {
		t.Errorf("closed consultation says %q", got)
	}
	if got := tb.text("#main-content"); !strings.Contains(got, "Most of you (65%) wanted the service back in house") {
		t.Errorf("waste outcome no longer says 65%% in house")
	}
	firstRow := eval[string](tb, `[...document.querySelector("table tbody tr").cells].slice(0, 3).map(c => c.textContent.trim()).join("|")`)
	if firstRow != "The council, in house|26|65%" {
		t.Errorf("waste results first row %q, want 26 responses, 65%% in house", firstRow)
	}

	tb.open("/petitions/1")
	got := eval[map[string]string](tb, `Object.fromEntries(["name", "email", "postcode"].map(id => {
		const i = document.getElementById(id);
		return [id, [i.type, i.autocomplete, String(i.spellcheck), i.autocapitalize].join(" ")];
	}))`)
	for id, want := range map[string]string{
		"name":     "text name ",
		"email":    "email email false none",
		"postcode": "text postal-code ",
	} {
		if !strings.HasPrefix(got[id], want) {
			t.Errorf("#%s: type, autocomplete, spellcheck, autocapitalize = %q, want %q…", id, got[id], want)
		}
	}
	tb.checkPage("petition with its signing form")

	// The demo campaigner is mailed at each stage, in no fixed order of
	// arrival: take the confirmation.
	m := waitMail(t, srv, "alex@demo.invalid", "Confirm your petition")
	if !strings.Contains(m.Body, srv.URL+"/petitions/confirm?token=") || strings.Contains(m.Body, "http://demo.invalid") {
		t.Errorf("the demo campaigner's mail does not link to %s:\n%s", srv.URL, m.Body)
	}
}
