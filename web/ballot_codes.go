package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/web/paper"
)

// MaxCodesPerRequest caps one download of codes from the admin page; the
// command line has no cap.
const MaxCodesPerRequest = 200_000

// adminBallotCodes generates voter codes, stores their hashes, and sends the
// codes once, as the response: they exist nowhere else afterwards. If the
// download is lost, the codes are lost with it and more can be generated;
// the lost ones still count in the electorate (codes issued).
func (s *Server) adminBallotCodes(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r)
		return
	}
	id, err := ballotID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, ok := codeCount(r)
	if !ok {
		s.renderAdminBallot(w, r, http.StatusUnprocessableEntity, map[string]string{
			"count": fmt.Sprintf("Enter how many codes to generate, from 1 to %s", groupThousands(MaxCodesPerRequest))})
		return
	}
	if len(s.cfg.CodeKey) == 0 {
		s.fail(w, r, errNoCodeKey)
		return
	}
	letters := r.PostForm.Get("format") == "letters"
	if letters && n > MaxLettersPerRequest {
		s.renderAdminBallot(w, r, http.StatusUnprocessableEntity, map[string]string{
			"count": fmt.Sprintf("Letters can be downloaded %s at a time; use the command oursay codes generate --letters for more", groupThousands(MaxLettersPerRequest))})
		return
	}
	b, err := s.cfg.Stores.Ballots.Ballot(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !b.AcceptsCodes(s.cfg.Now()) {
		s.renderAdminBallot(w, r, http.StatusConflict, map[string]string{"form": errCodesTooLate})
		return
	}
	codes, hashes := ballot.GenerateCodes(s.cfg.CodeKey, id, n)
	var buf bytes.Buffer // written before the hashes are stored, so a failure sends a page, not half a file
	ctype, ext := "text/csv; charset=utf-8", "csv"
	if letters {
		ctype, ext = "application/pdf", "pdf"
		err = paper.WriteVoterLetters(&buf, b, s.cfg.BaseURL, codes, paper.CouncilOf(s.settings()))
	} else {
		err = paper.WriteCodesCSV(&buf, id, codes, s.cfg.BaseURL)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Stores.Ballots.AddCodes(r.Context(), id, hashes, s.actor(r)); err != nil {
		if errors.Is(err, ballot.ErrBadTransition) { // voting started while the file was built
			s.renderAdminBallot(w, r, http.StatusConflict, map[string]string{"form": errCodesTooLate})
			return
		}
		s.afterBallotAction(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ballot-%d-codes-%s.%s"`, id, s.cfg.Now().UTC().Format("20060102T150405Z"), ext))
	noStore(w)
	buf.WriteTo(w)
}

// errCodesTooLate says why codes are refused once voting has started.
const errCodesTooLate = "Voting has started, so no more voter codes can be added: new codes would change the turnout and the quorum. " +
	"Add every voter's code before the ballot's opening time."

// MaxLettersPerRequest caps one download of voter letters from the admin
// page: the PDF is built in memory before the codes are stored.
const MaxLettersPerRequest = 20_000
