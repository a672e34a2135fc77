package web

import "net/http"

// registerContractRoutes is filled in by the contracts work.
func (s *Server) registerContractRoutes(mux *http.ServeMux) {}
