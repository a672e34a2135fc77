//go:build browser

package browsertest

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// voterCodeRE matches a voter code as printed: four groups of four from
// ballot.CodeAlphabet (no 0, 1, I or O).
var voterCodeRE = regexp.MustCompile(`\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b`)

// demoVoterCodes returns the unused voter codes the demo hands out: printed
// by serve, or written to a file beside the database (codes are stored only
// as keyed hashes, so the demo's printout is the only place to read them).
func demoVoterCodes(t *testing.T, srv *server) []string {
	t.Helper()
	seen := map[string]bool{}
	var codes []string
	add := func(text string) {
		for _, c := range voterCodeRE.FindAllString(text, -1) {
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	add(srv.Stdout())
	err := filepath.WalkDir(srv.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "oursay.db") {
			return err
		}
		info, err := d.Info()
		if err != nil || info.Size() >= 1<<20 {
			return err
		}
		b, err := os.ReadFile(p)
		add(string(b))
		return err
	})
	if err != nil {
		t.Fatalf("reading the demo's files: %v", err)
	}
	return codes
}

// TestVoterVotesWithCode: at 320 px a voter opens the link on their letter
// (/vote?code=…), which leaves no code in the address bar or the history;
// chooses, checks the vote, changes it, casts it and gets a receipt that
// reload and Back show again; the same code is then refused, with what to
// do if it was not them.
func TestVoterVotesWithCode(t *testing.T) {
	srv := startServer(t)
	codes := demoVoterCodes(t, srv)
	if len(codes) == 0 {
		codes = generateCodes(t, srv)
	}
	if len(codes) == 0 {
		t.Fatal("serve --demo printed no voter code (ABCD-EFGH-JKLM-NPQR), wrote none beside the database, and `oursay codes generate --ballot 1` made none")
	}
	code := codes[len(codes)-1]
	tb := newBrowser(t, srv).newTab("voter")
	tb.run("phone width", chromedp.EmulateViewport(320, 640))

	tb.open("/vote?code=" + code)
	if p := tb.path(); p != "/vote" {
		t.Errorf("after the letter's link the address is %s, want /vote", p)
	}
	tb.assertNoCodeInHistory(code)
	if !tb.exists(`input[name=option]`) {
		t.Fatalf("/vote?code=… shows no ballot to vote on (heading %q)", tb.text("h1"))
	}
	if got := get(tb, "code box", chromedp.Value(chromedp.CSS("#code"))); got != code {
		t.Errorf("the code box holds %q, want %q", got, code)
	}
	tb.checkPage("ballot, with the voter's code")
	tb.click(`label[for=option]`)
	tb.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
	if h, choice := tb.text("h1"), tb.text("#choice"); h != "Check your vote" || choice != "Yes" {
		t.Fatalf("after Continue: heading %q, choice %q on %s, want the check step with Yes", h, choice, tb.path())
	}
	tb.checkPage("check your vote")

	// Change: back to the ballot with the choice kept; choose the other.
	tb.clickAndLoad(`a[href="/vote#option"]`)
	if !eval[bool](tb, `document.getElementById("option").checked`) {
		t.Errorf("Change lost the choice")
	}
	tb.click(`label[for=option-1]`)
	tb.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
	if choice := tb.text("#choice"); choice != "No" {
		t.Fatalf("after changing: the check step says %q, want No", choice)
	}
	tb.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
	if h := tb.text(".govuk-panel__title"); !strings.Contains(h, "counted") {
		t.Fatalf("after Cast your vote: panel %q on %s", h, tb.path())
	}
	receipt := tb.text("#receipt")
	if len(receipt) < 6 {
		t.Errorf("receipt %q looks too short", receipt)
	}
	if strings.Contains(tb.path(), "receipt") || strings.Contains(tb.path(), receipt) {
		t.Errorf("the receipt page's address %s names the receipt", tb.path())
	}
	tb.checkPage("vote counted")

	// Reload: the receipt again, not "already used".
	tb.run("reload", chromedp.Reload())
	if got := tb.text("#receipt"); got != receipt || tb.exists(".govuk-error-summary") {
		t.Errorf("after reload: receipt %q, error summary %v; want %s and no error", got, tb.exists(".govuk-error-summary"), receipt)
	}
	// Back: a page of the site (the receipt), not "Confirm form resubmission".
	tb.goBack()
	if got := tb.text("#receipt"); got != receipt {
		t.Errorf("after Back: %q on %s, want the receipt %s", tb.text("h1"), tb.path(), receipt)
	}
	tb.checkPage("back after voting")
	tb.assertNoCodeInHistory(code)

	// The same code again: refused, with the reason and what to do.
	tb.open("/vote?code=" + code)
	if !tb.exists(".govuk-error-summary") || !tb.exists("#code-error") {
		t.Fatalf("a used code is not refused with an error (heading %q)", tb.text("h1"))
	}
	if msg := tb.text("#code-error"); !strings.Contains(msg, "already") {
		t.Errorf("a used code's error says %q", msg)
	}
	if help := tb.text("#code-used"); !strings.Contains(help, "contact Demo Borough Council on 01632 960 001 or at oursay@demo-borough.gov.uk") {
		t.Errorf("a used code does not say what to do if it was not the voter: %q", help)
	}
	tb.checkPage("used code refused")
	// Voting again through the form is refused too, and counts nothing.
	if tb.exists(`input[name=option]`) {
		tb.click(`label[for=option]`)
		tb.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
		if tb.exists(".govuk-panel--confirmation") || tb.exists("#choice") {
			t.Fatalf("a used code went on to vote a second time")
		}
		if !tb.exists(".govuk-error-summary") {
			t.Errorf("voting again with a used code shows no error")
		}
	}
	t.Logf("voted with %s, receipt %s", code, receipt)
}

// assertNoCodeInHistory fails if the address bar or any history entry
// holds the voter code, grouped or not.
func (tb *tab) assertNoCodeInHistory(code string) {
	tb.t.Helper()
	h := get(tb, "history", chromedp.NavigationEntries())
	for _, e := range h.Entries {
		for _, form := range []string{code, strings.ReplaceAll(code, "-", "")} {
			if strings.Contains(e.URL, form) {
				tb.t.Errorf("history entry %s holds the voter code", e.URL)
			}
		}
	}
	if loc := tb.location(); strings.Contains(loc, code[:4]) {
		tb.t.Errorf("the address bar holds the voter code: %s", loc)
	}
}

// generateCodes makes two voter codes for the demo's ballot 1 the way a
// council does, with `oursay codes generate` on the live database.
func generateCodes(t *testing.T, srv *server) []string {
	t.Helper()
	out := filepath.Join(srv.Dir, "codes.csv")
	cmd := exec.Command(binPath, "codes", "generate", "--db", filepath.Join(srv.Dir, "oursay.db"),
		"--ballot", "1", "--count", "2", "--out", out)
	cmd.Dir = srv.Dir
	cmd.Env = cleanEnv()
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oursay codes generate: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("codes file: %v", err)
	}
	return voterCodeRE.FindAllString(string(b), -1)
}
