package web

import (
	"errors"
	"net/http"

	"github.com/oursay/oursay/consult"
)

// preview reports whether a public page the public may not see (err is
// ErrNotFound: a draft, a petition awaiting moderation) should be shown
// anyway as a preview: only to signed-in staff, never stored by a cache
// or indexed. The public still gets 404.
func (s *Server) preview(w http.ResponseWriter, r *http.Request, err error, p *page) bool {
	if !errors.Is(err, consult.ErrNotFound) {
		return false
	}
	u := s.currentUser(r)
	if u == nil {
		return false
	}
	p.User = u
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	return true
}
