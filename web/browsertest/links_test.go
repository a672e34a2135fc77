//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// narrow sets the tab to a 320 CSS pixel phone, as these journeys are
// walked (checkPage puts the viewport back to 1024 when it ends).
func narrow(tb *tab) {
	tb.t.Helper()
	tb.run("narrow", chromedp.EmulateViewport(320, 640))
}

// recordClipboardJS stands in for the clipboard, whose permission a
// headless browser context does not grant: it keeps what the page writes.
const recordClipboardJS = `(() => {
	if (!navigator.clipboard) return;
	navigator.clipboard.writeText = async (text) => { window.__oursayCopied = text; };
})()`

// TestResidentFollowsLinks walks the demo at 320px: the home page lists
// the open consultations, the petitions taking signatures with their
// counts and the open ballot; the petition that met its threshold names
// its campaigner, offers its share links and leads to its ballot, which
// leads back; the contract page lists its petitions and ballots.
func TestResidentFollowsLinks(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("resident")
	tb.run("record the clipboard", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordClipboardJS})
		return err
	}))
	narrow(tb)

	tb.open("/")
	lists := eval[map[string][]string](tb, `Object.fromEntries(["open-consultations", "open-petitions", "open-ballots"].map(id =>
		[id, [...document.querySelectorAll("ul[aria-labelledby=" + id + "] > li > a")].map(a => a.getAttribute("href"))]))`)
	if got := strings.Join(lists["open-consultations"], " "); !strings.Contains(got, "/consultations/parks-maintenance") || strings.Contains(got, "waste-collection") {
		t.Errorf("home page consultations %v, want the open ones only", lists["open-consultations"])
	}
	if got := lists["open-petitions"]; len(got) != 2 {
		t.Errorf("home page petitions %v, want the demo's 2 taking signatures", got)
	}
	if got := lists["open-ballots"]; len(got) != 1 || got[0] != "/ballots/1" {
		t.Errorf("home page ballots %v, want /ballots/1", got)
	}
	counts := eval[[]string](tb, `[...document.querySelectorAll('[data-live-topic^="petition:"] [data-live="signature_count"]')].map(e => e.textContent.trim())`)
	if len(counts) != 2 || digitsOnly(counts[0]) <= 0 {
		t.Errorf("home page petition counts %v, want a live count for each", counts)
	}
	tb.checkPage("home page")
	narrow(tb)

	// From the home page to the petition that led to the ballot.
	tb.clickAndLoad(`ul[aria-labelledby=open-petitions] a[href="/petitions/2"]`)
	if got := tb.text("#creator"); !strings.HasPrefix(got, "Started by ") || len(got) <= len("Started by ") {
		t.Errorf("petition says %q, want who started it", got)
	}
	if got := eval[string](tb, `document.getElementById("share-email").getAttribute("href")`); !strings.HasPrefix(got, "mailto:?subject=") ||
		!strings.Contains(got, "&body=") || !strings.Contains(got, "%2Fpetitions%2F2") || strings.Contains(got, "+") {
		t.Errorf("email share link %q, want a mailto with subject and a body holding the link", got)
	}
	if !tb.exists(`#share-poster[href="/petitions/2/poster"]`) || !tb.exists(`a[href="/petitions/2/qr.png"]`) {
		t.Errorf("no poster or QR code among the share links")
	}
	for deadline := time.Now().Add(10 * time.Second); !tb.exists("[data-copy] button"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no Copy link button beside the share link")
		}
	}
	tb.click(`[data-copy] button`)
	want := srv.URL + "/petitions/2"
	if got := eval[string](tb, `window.__oursayCopied || ""`); got != want {
		t.Errorf("Copy the link copied %q, want %q", got, want)
	}
	if got := tb.text("[data-copy] [role=status]"); got != "Link copied" {
		t.Errorf("after copying the page says %q", got)
	}
	tb.checkPage("petition with share links")
	narrow(tb)

	// The petition leads to its ballot, and the ballot back.
	tb.clickAndLoad(`#ballot a[href="/ballots/1"]`)
	if tb.path() != "/ballots/1" {
		t.Fatalf("the petition's ballot link led to %s", tb.path())
	}
	if !tb.exists(`a[href="/petitions/2"]`) || !tb.exists(`a[href="/contracts/2"]`) {
		t.Errorf("the ballot does not link back to its petition and contract")
	}
	tb.clickAndLoad(`a[href="/contracts/2"]`)
	for _, sel := range []string{`ul[aria-labelledby=petitions] a[href="/petitions/2"]`, `ul[aria-labelledby=ballots] a[href="/ballots/1"]`} {
		if !tb.exists(sel) {
			t.Errorf("contract page lacks %s", sel)
		}
	}
	tb.checkPage("contract with its petitions and ballots")
	narrow(tb)

	// The waste contract lists its consultation, held after it was let
	// (about its renewal), apart from any held before it.
	tb.open("/contracts/1")
	if !tb.exists(`ul[aria-labelledby=later-consultations] a[href="/consultations/waste-collection"]`) {
		t.Errorf("the waste contract does not list its consultation")
	}
	tb.clickAndLoad(`ul[aria-labelledby=later-consultations] a[href="/consultations/waste-collection"]`)
	if !tb.exists(`#contract a[href="/contracts/1"]`) {
		t.Errorf("the waste consultation does not link back to its contract")
	}
}

// TestCampaignerWarnedOfOpenPetition: at 320px, starting a petition
// against a contract that already has one open warns and links to it.
func TestCampaignerWarnedOfOpenPetition(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("campaigner")
	narrow(tb)
	tb.open("/contracts/1")
	tb.clickAndLoad(`a[href="/petitions/new?contract=1"]`)
	if !tb.exists(`#existing-petition a[href="/petitions/1"]`) {
		t.Fatalf("the start form does not warn of the open petition /petitions/1")
	}
	if got := tb.text(`form[action="/petitions"] button[type=submit]`); got != "Create another petition" {
		t.Errorf("the button says %q", got)
	}
	tb.checkPage("start form warning of an open petition")
	narrow(tb)
	tb.clickAndLoad(`#existing-petition a`)
	if tb.path() != "/petitions/1" {
		t.Errorf("the warning's link led to %s", tb.path())
	}
}

// TestSignerSeesAllErrorsAtOnce: at 320px, a signer who leaves the
// declaration unticked and gives a postcode outside the area is told both
// at once, each message linked to its field.
func TestSignerSeesAllErrorsAtOnce(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("signer")
	narrow(tb)
	tb.open("/petitions/1")
	tb.typeInto("#name", "Pat Outsider")
	tb.typeInto("#email", "pat@example.org")
	tb.typeInto("#postcode", "ZZ9 9ZZ")
	tb.clickAndLoad(`form[action="/petitions/1/signatures"] button[type=submit]`)
	links := eval[[]string](tb, `[...document.querySelectorAll(".govuk-error-summary__list a")].map(a => a.getAttribute("href") + " " + a.textContent.trim())`)
	var postcode, resident bool
	for _, l := range links {
		postcode = postcode || strings.HasPrefix(l, "#postcode This postcode is not in the council's area")
		resident = resident || strings.HasPrefix(l, "#resident ")
	}
	if !postcode || !resident || len(links) != 2 {
		t.Errorf("error summary %q, want the postcode and the declaration together", links)
	}
	if got := eval[string](tb, `document.getElementById("postcode").value`); got != "ZZ9 9ZZ" {
		t.Errorf("postcode after the error = %q", got)
	}
	tb.checkPage("signing form with every error")
}

// TestBallotResultBarsAt320: once the demo ballot is closed, its results
// table shows whole-per-cent shares adding up to 100, each with its bar on
// the same line as the share at 320px.
func TestBallotResultBarsAt320(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("admin")
	signIn(t, tb, demoAdmin, srv.Password)
	tb.open("/admin/ballots/1")
	tb.clickAndLoad(`form[action="/admin/ballots/1/close"] button[type=submit]`)
	tb.clickAndLoad(`button[name=confirm][value=yes]`) // closing asks first
	narrow(tb)
	tb.open("/ballots/1")
	type row struct {
		Share      string `json:"share"`
		ShareTop   int    `json:"shareTop"`
		ShareLines int    `json:"shareLines"`
		HasBar     bool   `json:"hasBar"`
	}
	rows := eval[[]row](tb, `[...document.querySelectorAll("table.oursay-tally tbody tr")].map(tr => {
		const share = tr.cells[2], r = share.getBoundingClientRect(), lh = parseFloat(getComputedStyle(share).lineHeight);
		return {share: share.textContent.trim(), shareTop: Math.round(r.top),
			shareLines: Math.round((r.height - parseFloat(getComputedStyle(share).paddingTop) - parseFloat(getComputedStyle(share).paddingBottom)) / lh),
			hasBar: !!tr.querySelector(".oursay-progress__bar .oursay-progress__fill")};
	})`)
	if len(rows) != 2 {
		t.Fatalf("results rows %+v, want Yes and No", rows)
	}
	sum := 0
	for _, r := range rows {
		var n int
		if _, err := fmt.Sscanf(r.Share, "%d%%", &n); err != nil || fmt.Sprintf("%d%%", n) != r.Share {
			t.Errorf("share %q is not a whole per cent", r.Share)
		}
		sum += n
		if !r.HasBar {
			t.Errorf("share %s has no bar", r.Share)
		}
		if r.ShareLines != 1 {
			t.Errorf("share %s takes %d lines at 320px, want 1", r.Share, r.ShareLines)
		}
	}
	if sum != 100 {
		t.Errorf("shares add up to %d%%", sum)
	}
	tb.checkPage("ballot result at 320px")
}
