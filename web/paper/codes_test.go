package paper_test

import (
	"bytes"
	"testing"

	"github.com/oursay/oursay/web/paper"
)

// TestWriteCodesCSV: a letter printer gets the ballot, the code in groups
// of four (codes come canonical, from ballot.GenerateCodes) and the link its QR code opens, in CRLF CSV.
func TestWriteCodesCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := paper.WriteCodesCSV(&buf, 7, []string{"ABCDEFGHJKLMNPQR", "23456789STUVWXYZ"}, "https://say.example.gov.uk/"); err != nil {
		t.Fatal(err)
	}
	want := "ballot,code,url\r\n" +
		"7,ABCD-EFGH-JKLM-NPQR,https://say.example.gov.uk/vote?code=ABCD-EFGH-JKLM-NPQR\r\n" +
		"7,2345-6789-STUV-WXYZ,https://say.example.gov.uk/vote?code=2345-6789-STUV-WXYZ\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%q, want\n%q", got, want)
	}
}
