package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// TestAdminBallotLetters: an admin can download the codes as ready-to-print
// letters, one page per code, each QR opening the voting page with its code.
func TestAdminBallotLetters(t *testing.T) {
	e := newBallotEnv(t)
	id := e.createBallot()
	path := fmt.Sprintf("/admin/ballots/%d/codes", id)
	res, body := e.postBody(e.admin, path, url.Values{"count": {"3"}, "format": {"letters"}})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasSuffix(res.Header.Get("Content-Disposition"), `.pdf"`) {
		t.Fatalf("got %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	pdf := []byte(body)
	if n := pageCount(pdf); n != 3 {
		t.Errorf("pages: got %d, want 3", n)
	}
	content := pdfContent(t, pdf)
	qrs := qrBlocks(t, content)
	if len(qrs) != 3 {
		t.Fatalf("QR codes: got %d, want 3", len(qrs))
	}
	for i, img := range qrs {
		u := decodeQR(t, img)
		code, err := ballot.ParseCode(strings.TrimPrefix(u, testBase+"/vote?code="))
		if err != nil || !bytes.Contains(content, []byte(ballot.GroupCode(code))) {
			t.Errorf("letter %d: QR %q does not carry a code printed on the letters", i+1, u)
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
