package paper_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/web/paper"
	"github.com/oursay/oursay/web/paper/papertest"
)

const testBase = "http://oursay.test"

func TestWriteVoterLetters(t *testing.T) {
	b := &ballot.Ballot{ID: 7, Question: "Should the council end its contract with CleanCo (waste)?", Options: ballot.DefaultOptions(),
		OpensAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), ClosesAt: time.Date(2026, 3, 22, 22, 0, 0, 0, time.UTC)}
	t.Run("OK", func(t *testing.T) {
		// As a CSV or a person gives them: plain, grouped, lower case.
		typed := []string{"ABCDEFGHJKLMNPQR", "2345-6789-STUV-WXYZ", "qrstuvwxyz234567"}
		printed := []string{"(ABCD-EFGH-JKLM-NPQR)", "(2345-6789-STUV-WXYZ)", "(QRST-UVWX-YZ23-4567)"}
		qrURLs := []string{testBase + "/vote?code=ABCDEFGHJKLMNPQR", testBase + "/vote?code=23456789STUVWXYZ",
			testBase + "/vote?code=QRSTUVWXYZ234567"}
		var buf bytes.Buffer
		council := paper.Council{Name: "Demo Borough Council", Phone: "01632 960 002"}
		if err := paper.WriteVoterLetters(&buf, b, testBase+"/", typed, council); err != nil {
			t.Fatal(err)
		}
		pdf := buf.Bytes()
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || papertest.PageCount(pdf) != 3 {
			t.Fatalf("got %d pages, want 3", papertest.PageCount(pdf))
		}
		papertest.CheckXref(t, pdf)
		content := papertest.Content(t, pdf)
		qrs := papertest.QRBlocks(t, content)
		if len(qrs) != 3 {
			t.Fatalf("QR codes: got %d, want 3", len(qrs))
		}
		for i := range typed {
			if !bytes.Contains(content, []byte(printed[i])) {
				t.Errorf("letter %d does not print %s", i+1, printed[i])
			}
			// The letter's QR opens the voting page with that code.
			if got, want := papertest.DecodeQR(t, qrs[i]), qrURLs[i]; got != want {
				t.Errorf("letter %d QR: got %q, want %q", i+1, got, want)
			}
		}
		if !bytes.Contains(content, []byte(`CleanCo \(waste\)?`)) {
			t.Errorf("the question is not printed")
		}
		// The letter names the council, and a phone number for questions.
		for _, want := range []string{"DEMO BOROUGH COUNCIL: RECALL BALLOT", "phone 01632"} {
			if !bytes.Contains(content, []byte(want)) {
				t.Errorf("the letters do not print %q", want)
			}
		}
	})
	for name, codes := range map[string][]string{
		"NoCodes": nil, "Short": {"ABCD"}, "SecondBad": {ballot.NewCode(), "O0O0O0O0O0O0O0O0"},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := paper.WriteVoterLetters(&buf, b, testBase, codes, paper.Council{}); err == nil || buf.Len() != 0 {
				t.Errorf("got %v with %d bytes written, want an error and nothing", err, buf.Len())
			}
		})
	}
}
