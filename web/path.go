package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/oursay/oursay/consult"
)

// pathID reads the positive id the path names as {name}, or ErrNotFound.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, consult.ErrNotFound
	}
	return id, nil
}

// loadByPath loads what the path's {name} id names. When it cannot, it
// answers the request with the failure (a 404 for a bad id) and ok is false.
func loadByPath[T any](s *Server, w http.ResponseWriter, r *http.Request, name string, load func(context.Context, int64) (T, error)) (v T, ok bool) {
	id, err := pathID(r, name)
	if err == nil {
		v, err = load(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return v, false
	}
	return v, true
}
