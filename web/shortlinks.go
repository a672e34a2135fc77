package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/oursay/oursay/consult"
)

// shortRedirect sends /x/{id} to prefix+id; the page itself decides
// whether the public may see it.
func (s *Server) shortRedirect(prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			s.fail(w, r, consult.ErrNotFound)
			return
		}
		http.Redirect(w, r, prefix+strconv.FormatInt(id, 10), http.StatusFound)
	}
}

// shortConsultation finds a published consultation by its number. Councils
// run tens of consultations, not millions, so the public list is read.
func (s *Server) shortConsultation(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	list, err := s.cfg.Stores.Consult.Consultations(r.Context(), consult.Filter{Public: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range list {
		if c.ID == id {
			http.Redirect(w, r, "/consultations/"+c.Slug, http.StatusFound)
			return
		}
	}
	s.fail(w, r, consult.ErrNotFound)
}

// shortLink is the short link of a page, as typed: host and path, no scheme.
func (s *Server) shortLink(r *http.Request, kind string, id int64) string {
	u := s.absURL(r, "/"+kind+"/"+strconv.FormatInt(id, 10))
	return strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
}
