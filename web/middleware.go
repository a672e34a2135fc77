package web

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// csp forbids inline script: every script is a file served from /static.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// middleware wraps mux in, from the outside: panic recovery, the client
// behind a trusted proxy, request log, security headers, body limit,
// cross-origin protection, sessions and per-client rate limits.
// GET /live leaves after the security headers (see withLive).
func (s *Server) middleware(mux http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	h := s.sessions.LoadAndSave(s.rateLimit(mux))
	h = cop.Handler(h)
	h = limitBody(h)
	h = s.withLive(h)
	h = securityHeaders(h)
	h = s.logRequests(h)
	h = s.realClient(h)
	return s.recoverPanic(h)
}

func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	msg := "This request came from another website, so it was refused. Go back to the form on this site and try again."
	if wantsJSON(r) {
		writeJSONError(w, http.StatusForbidden, msg, nil)
		return
	}
	http.Error(w, msg, http.StatusForbidden)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if r.URL.Path == "/admin" || strings.HasPrefix(r.URL.Path, "/admin/") {
			// Staff pages and exports show personal data: no browser
			// history, disk cache or shared proxy may keep a copy.
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := int64(maxBody)
			if r.Method == http.MethodPost && r.URL.Path == "/admin/spending" {
				// A year of a large council's spending is several MB.
				limit = ballot.MaxSpendFile
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack lets the live websocket take the connection over: gorilla's
// upgrader asks for an http.Hijacker directly, not through Unwrap.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}

// logRequests logs method, path (never the query, which may hold a voter
// code or token), status and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Duration("took", time.Since(start)))
	})
}

func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "err", v, "path", r.URL.Path, "stack", string(debug.Stack()))
				w.Header().Set("Connection", "close")
				http.Error(w, "Sorry, something went wrong. Please try again later.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// wantsJSON reports whether the client should get JSON errors.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") ||
		strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
}
