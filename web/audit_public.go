package web

import (
	"net/http"
)

// auditHead is the newest entry of the audit log: how many entries there
// are and the last one's hash, which chains to every entry before it.
// Someone who keeps a head can later check, with the council's
// `oursay audit verify --head COUNT:HASH`, that the log still extends it,
// so an entry cut or rewritten after it was published shows.
type auditHead struct {
	Count int64  `json:"count"`
	Hash  string `json:"hash"`
}

func (s *Server) currentAuditHead(r *http.Request) (auditHead, error) {
	es, err := s.cfg.Stores.Audit.AuditEntries(r.Context(), 1)
	if err != nil || len(es) == 0 {
		return auditHead{}, err
	}
	return auditHead{Count: es[0].ID, Hash: es[0].Hash}, nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	h, err := s.currentAuditHead(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	s.render(w, r, http.StatusOK, "audit", &page{Title: "Audit log head", Data: h})
}

func (s *Server) apiAuditHead(w http.ResponseWriter, r *http.Request) {
	h, err := s.currentAuditHead(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, h)
}
