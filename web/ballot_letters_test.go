package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/paper/papertest"
)

var printedCodeRE = regexp.MustCompile(`\(([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\)`)

// TestAdminBallotLetters: an admin can download the codes as ready-to-print
// letters, one page per code, each QR opening the voting page with its code.
func TestAdminBallotLetters(t *testing.T) {
	e := newBallotEnv(t)
	id := e.createBallot()
	path := fmt.Sprintf("/admin/ballots/%d/codes", id)
	res, body := e.postBody(e.admin, path, confirmed(url.Values{"count": {"3"}, "format": {"letters"}}))
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasSuffix(res.Header.Get("Content-Disposition"), `.pdf"`) {
		t.Fatalf("got %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	pdf := []byte(body)
	if n := papertest.PageCount(pdf); n != 3 {
		t.Errorf("pages: got %d, want 3", n)
	}
	content := papertest.Content(t, pdf)
	qrs := papertest.QRBlocks(t, content)
	if len(qrs) != 3 {
		t.Fatalf("QR codes: got %d, want 3", len(qrs))
	}
	// Each letter prints its code in groups of four, "(ABCD-EFGH-JKLM-NPQR)",
	// and its QR opens the voting page with the same code.
	var printed []string
	for _, m := range printedCodeRE.FindAllSubmatch(content, -1) {
		printed = append(printed, strings.ReplaceAll(string(m[1]), "-", ""))
	}
	if len(printed) != 3 {
		t.Fatalf("printed codes: got %q, want 3", printed)
	}
	for i, img := range qrs {
		u := papertest.DecodeQR(t, img)
		if want := testBase + "/vote?code=" + printed[i]; u != want {
			t.Errorf("letter %d: QR %q, want %q", i+1, u, want)
		}
	}
	if b, err := db.NewBallotStore(e.db).Ballot(context.Background(), id); err != nil || b.CodesIssued != 3 {
		t.Errorf("codes issued: got %v, %v; want 3", b, err)
	}
	res, _ = e.postBody(e.admin, path, url.Values{"count": {"20001"}, "format": {"letters"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("too many letters: got %d, want 422", res.StatusCode)
	}
}
