package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// consultCodeHash is the keyed hash stored for a consultation code. The
// "consultation:" prefix keeps it apart from ballot code hashes made with
// the same key.
func consultCodeHash(key []byte, consultationID int64, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("consultation:" + strconv.FormatInt(consultationID, 10) + ":" + code))
	return m.Sum(nil)
}

// applyCode reads the code a respondent typed for a consultation open only
// to holders of a code, and puts its hash on resp; a malformed code is a
// field message. Other consultations ignore it.
func (s *Server) applyCode(c *consult.Consultation, resp *consult.Response, typed string, fields map[string]string) {
	if c.Audience != consult.AudienceCode || resp.Channel == consult.ChannelPaper {
		return
	}
	if strings.TrimSpace(typed) == "" {
		return // ValidateResponse says it is missing
	}
	code, err := ballot.ParseCode(typed)
	if err != nil {
		fields["code"] = "Enter the code as printed on your letter, such as ABCD-EFGH-JKLM-NPQR"
		return
	}
	resp.CodeHash = consultCodeHash(s.cfg.CodeKey, c.ID, code)
}

// adminConsultationCodes generates codes for a consultation open to holders
// of a code and sends them once, as CSV for the letter printer; only their
// keyed hashes are kept.
func (s *Server) adminConsultationCodes(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, ok := codeCount(r)
	if !ok {
		s.renderManage(w, r, http.StatusUnprocessableEntity, nil, map[string]string{
			"count": fmt.Sprintf("Enter how many codes to generate, from 1 to %s", groupThousands(MaxCodesPerRequest))})
		return
	}
	if len(s.cfg.CodeKey) == 0 {
		s.fail(w, r, errNoCodeKey)
		return
	}
	codes, hashes := make([]string, n), make([][]byte, n)
	for i := range codes {
		codes[i] = ballot.NewCode()
		hashes[i] = consultCodeHash(s.cfg.CodeKey, c.ID, codes[i])
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	cw.Write([]string{"consultation", "code", "url"})
	for _, code := range codes {
		cw.Write([]string{c.Slug, ballot.GroupCode(code), s.absURL(r, "/consultations/"+c.Slug)})
	}
	cw.Flush()
	if err := s.cfg.Stores.Consult.AddCodes(r.Context(), c.Slug, hashes, s.actor(r)); err != nil {
		s.afterAction(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-codes.csv"`, c.Slug))
	noStore(w)
	buf.WriteTo(w)
}
