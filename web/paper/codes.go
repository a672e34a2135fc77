package paper

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/oursay/oursay/ballot"
)

// WriteCodesCSV writes voter codes as RFC 4180 CSV for a letter printer:
// the ballot, the code in groups of four, and the link its QR code opens
// (VoteURL). baseURL may be empty, leaving the link relative.
func WriteCodesCSV(w io.Writer, ballotID int64, codes []string, baseURL string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"ballot", "code", "url"})
	id := strconv.FormatInt(ballotID, 10)
	for _, c := range codes {
		g := ballot.GroupCode(c)
		cw.Write([]string{id, g, VoteURL(baseURL, g)})
	}
	cw.Flush()
	return cw.Error()
}
