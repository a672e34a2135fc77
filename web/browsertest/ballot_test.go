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

// TestVoterVotesWithCode: a voter opens the link on their letter
// (/vote?code=…), votes, and gets a receipt; the same code is refused the
// second time.
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

	tb.open("/vote?code=" + code)
	if !tb.exists(`input[name=option]`) {
		t.Fatalf("/vote?code=… shows no ballot to vote on (heading %q)", tb.text("h1"))
	}
	tb.checkPage("ballot, with the voter's code")
	tb.click(`label[for=option]`)
	tb.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
	if h := tb.text(".govuk-panel__title"); !strings.Contains(h, "counted") {
		t.Fatalf("after voting: panel %q on %s", h, tb.path())
	}
	receipt := tb.text("#receipt")
	if len(receipt) < 6 {
		t.Errorf("receipt %q looks too short", receipt)
	}
	tb.checkPage("vote counted")

	// The same code again: refused, with the reason next to the field.
	tb.open("/vote?code=" + code)
	if !tb.exists(".govuk-error-summary") || !tb.exists("#code-error") {
		t.Fatalf("a used code is not refused with an error (heading %q)", tb.text("h1"))
	}
	if msg := tb.text("#code-error"); !strings.Contains(msg, "already") {
		t.Errorf("a used code's error says %q", msg)
	}
	tb.checkPage("used code refused")
	// Voting again through the form is refused too, and counts nothing.
	if tb.exists(`input[name=option]`) {
		tb.click(`label[for=option]`)
		tb.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
		if tb.exists(".govuk-panel--confirmation") {
			t.Fatalf("a used code voted a second time")
		}
		if !tb.exists(".govuk-error-summary") {
			t.Errorf("voting again with a used code shows no error")
		}
	}
	t.Logf("voted with %s, receipt %s", code, receipt)
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
