package web

import "net/http"

// registerQrRoutes is filled in by the qr work.
func (s *Server) registerQrRoutes(mux *http.ServeMux) {}
