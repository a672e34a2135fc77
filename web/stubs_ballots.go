package web

import "net/http"

// registerBallotsRoutes is filled in by the ballots work.
func (s *Server) registerBallotsRoutes(mux *http.ServeMux) {}
