package web

import "net/http"

// registerPetitionRoutes is filled in by the petitions work.
func (s *Server) registerPetitionRoutes(mux *http.ServeMux) {}
