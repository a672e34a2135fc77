package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/paper"
)

// maxBatch bounds a print run of numbered pages (paper forms, signature
// sheets): 500 A4 pages is a ream, about two seconds of work, and a few MB.
const maxBatch = 500

// batchRange reads ?from= and ?count=, answering 400 itself when either is
// out of bounds, so no work starts on a bad request.
func batchRange(w http.ResponseWriter, r *http.Request, defCount int) (from, count int, ok bool) {
	q := r.URL.Query()
	from, count = 1, defCount
	var err error
	if v := q.Get("from"); v != "" {
		if from, err = strconv.Atoi(v); err != nil || from < 1 || from > paper.MaxSerial {
			badQuery(w, fmt.Sprintf("from must be a whole number from 1 to %d", paper.MaxSerial))
			return 0, 0, false
		}
	}
	if v := q.Get("count"); v != "" {
		if count, err = strconv.Atoi(v); err != nil || count < 1 || count > maxBatch {
			badQuery(w, fmt.Sprintf("count must be a whole number from 1 to %d", maxBatch))
			return 0, 0, false
		}
	}
	if from+count-1 > paper.MaxSerial {
		badQuery(w, fmt.Sprintf("from and count go past number %d, the highest a page can carry", paper.MaxSerial))
		return 0, 0, false
	}
	return from, count, true
}

// paperFormsPDF prints numbered paper response forms for staff to hand out.
func (s *Server) paperFormsPDF(w http.ResponseWriter, r *http.Request) {
	from, count, ok := batchRange(w, r, 20)
	if !ok {
		return
	}
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.Status == consult.StatusDraft {
		msg := "Open the consultation before printing paper forms: a draft's questions can still change."
		s.render(w, r, http.StatusConflict, "error", &page{Title: "Paper forms are not ready", Data: msg})
		return
	}
	b, err := paper.Forms(c, s.absURL(r, "/consultations/"+c.Slug), from, count, paper.CouncilOf(s.settings()))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("paper-forms-%s-%06d-%06d.pdf", c.Slug, from, from+count-1)
	s.servePDF(w, r, b, name, staffCache, "")
}

// sheetsPDF prints numbered signature sheets for a petition.
func (s *Server) sheetsPDF(w http.ResponseWriter, r *http.Request) {
	from, count, ok := batchRange(w, r, 10)
	if !ok {
		return
	}
	p, err := s.pathPetition(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var about string
	if c, err := s.cfg.Stores.Contracts.Contract(r.Context(), p.ContractID); err == nil {
		about = "About the contract with " + c.Provider + " for " + lowerFirst(c.Service) + "."
	}
	b, err := paper.Sheets(p, s.absURL(r, "/petitions/"+strconv.FormatInt(p.ID, 10)), about, from, count, paper.CouncilOf(s.settings()))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.servePDF(w, r, b, fmt.Sprintf("petition-%d-sheets-%d-%d.pdf", p.ID, from, from+count-1), staffCache, "")
}

// servePDF writes a built document out. etag may be empty (see serveBytes).
func (s *Server) servePDF(w http.ResponseWriter, r *http.Request, b []byte, filename, cache, etag string) {
	disp := "inline"
	if cache == staffCache {
		disp = "attachment"
	}
	w.Header().Set("Content-Disposition", disp+`; filename="`+filename+`"`)
	serveBytes(w, r, "application/pdf", cache, etag, b)
}
