package web

import "net/http"

// registerLiveRoutes is filled in by the live work.
func (s *Server) registerLiveRoutes(mux *http.ServeMux) {}
