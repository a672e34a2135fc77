package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// statusFor maps a domain error to an HTTP status and the plain message a
// person sees. Unknown errors are 500s whose detail only the log gets. The
// errors both domains share are consult's (ballot aliases them), so each is
// tested once here.
func statusFor(err error) (int, string) {
	var ve *consult.ValidationError
	switch {
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "There is a problem with what you entered"
	case errors.Is(err, consult.ErrNotFound):
		return http.StatusNotFound, "Page not found"
	case errors.Is(err, consult.ErrNotOpen):
		return http.StatusConflict, "This consultation is not open for responses. It may have closed, or not opened yet."
	case errors.Is(err, consult.ErrAlreadyResponded):
		return http.StatusConflict, "A response has already been given with this email address."
	case errors.Is(err, consult.ErrDuplicate):
		return http.StatusConflict, "That has already been entered."
	case errors.Is(err, consult.ErrNotDraft):
		return http.StatusConflict, "This consultation is published, so its questions and options cannot change: every answer must be to the same questions. Its closing date and wording can still be corrected from its page."
	case errors.Is(err, consult.ErrDecisionGate):
		return http.StatusConflict, consult.ErrDecisionGate.Error()
	case errors.Is(err, consult.ErrBadTransition):
		return http.StatusConflict, "That step is not allowed at this stage."
	case errors.Is(err, ballot.ErrNotOpen):
		return http.StatusConflict, ballot.ErrNotOpen.Error()
	case errors.Is(err, ballot.ErrTokenInvalid):
		return http.StatusNotFound, ballot.ErrTokenInvalid.Error()
	case errors.Is(err, consult.ErrBadCredentials):
		return http.StatusUnauthorized, "Email address or password is not right."
	}
	return http.StatusInternalServerError, "Sorry, something went wrong. Please try again later."
}

// fail shows err as a page (or JSON under /api/).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusFor(err)
	if status >= 500 {
		s.log.Error("request failed", "err", err, "method", r.Method, "path", r.URL.Path)
	}
	if wantsJSON(r) {
		var ve *consult.ValidationError
		var fields map[string]string
		if errors.As(err, &ve) {
			fields = ve.Fields
		}
		writeJSONError(w, status, msg, fields)
		return
	}
	s.render(w, r, status, "error", &page{Title: msg, Data: msg})
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("server error", "err", err, "method", r.Method, "path", r.URL.Path)
	http.Error(w, "Sorry, something went wrong. Please try again later.", http.StatusInternalServerError)
}

// apiError is the JSON error shape of DESIGN.md.
type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

func writeJSONError(w http.ResponseWriter, status int, msg string, fields map[string]string) {
	writeJSON(w, status, apiError{Error: msg, Fields: fields})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func sortStrings(s []string) { sort.Strings(s) }
