package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/paper"
	"github.com/oursay/oursay/web/paper/papertest"
)

func TestQR_Ballot(t *testing.T) {
	e := newBallotEnv(t)
	id := e.createBallot()
	base := fmt.Sprintf("/ballots/%d", id)
	for _, suffix := range []string{"/qr.png", "/qr.svg", "/poster", "/poster.pdf"} {
		if res, _ := e.get(e.anon, base+suffix); res.StatusCode != http.StatusNotFound {
			t.Errorf("draft %s: got %d, want 404", suffix, res.StatusCode)
		}
	}
	codes := e.codes(id, 3)
	if res := e.post(e.admin, "/admin"+base+"/open", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: got %d", res.StatusCode)
	}
	want := testBase + base
	if got := e.getQRPNG(base+"/qr.png", 512); got != want {
		t.Errorf("PNG: got %q, want %q", got, want)
	}
	if got := e.getQRSVG(base + "/qr.svg"); got != want {
		t.Errorf("SVG: got %q, want %q", got, want)
	}
	if _, body := e.get(e.anon, base); !strings.Contains(body, `href="`+base+`/poster"`) {
		t.Errorf("the public ballot page does not link to its poster")
	}
	if _, body := e.get(e.mod, "/admin"+base); !strings.Contains(body, `href="`+base+`/poster.pdf"`) {
		t.Errorf("the staff ballot page does not link to the poster PDF")
	}
	if _, body := e.get(e.anon, base+"/poster"); !strings.Contains(body, "Recall ballot") || !strings.Contains(body, "Voting closes at ") {
		t.Errorf("poster: %s", body)
	}
	if n := papertest.PageCount(e.getPDF(e.anon, base+"/poster.pdf")); n != 1 {
		t.Errorf("poster PDF pages: got %d, want 1", n)
	}

	// A letter's QR code opens the voting page with its code.
	b, err := db.NewBallotStore(e.db).Ballot(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := paper.WriteVoterLetters(&buf, b, testBase, codes, paper.Council{}); err != nil {
		t.Fatal(err)
	}
	qrs := papertest.QRBlocks(t, papertest.Content(t, buf.Bytes()))
	if papertest.PageCount(buf.Bytes()) != len(codes) || len(qrs) != len(codes) {
		t.Fatalf("letters: %d pages and %d QR codes, want %d", papertest.PageCount(buf.Bytes()), len(qrs), len(codes))
	}
	for i, code := range codes {
		url := papertest.DecodeQR(t, qrs[i])
		canon := strings.ReplaceAll(code, "-", "")
		if url != testBase+"/vote?code="+canon {
			t.Fatalf("letter %d QR: got %q", i+1, url)
		}
		res, body := e.openVoteLink(e.client(), strings.TrimPrefix(url, testBase))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, b.Question) || !strings.Contains(body, `value="`+dashed(canon)+`"`) {
			t.Errorf("letter %d QR opens %d without the ballot and its code", i+1, res.StatusCode)
		}
	}
}
