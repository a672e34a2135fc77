package web

import "net/http"

// registerOutboxRoutes is filled in by the mail work.
func (s *Server) registerOutboxRoutes(mux *http.ServeMux) {}
