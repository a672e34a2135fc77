package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/oursay/oursay/ballot"
)

// requestJSON is the stable public JSON of an information request. It
// names the asker but never carries their email.
type requestJSON struct {
	ID          int64                `json:"id"`
	URL         string               `json:"url"`
	ContractID  int64                `json:"contract_id"`
	ContractURL string               `json:"contract_url"`
	Title       string               `json:"title"`
	Body        string               `json:"body"`
	AskedBy     string               `json:"asked_by"`
	Status      ballot.RequestStatus `json:"status"`
	ReceivedAt  *time.Time           `json:"received_at"`
	DueOn       *string              `json:"due_on"` // YYYY-MM-DD, or null beyond the holiday list
	AnsweredAt  *time.Time           `json:"answered_at"`
	Answer      *string              `json:"answer"`
	Exemption   *exemptionJSON       `json:"exemption"`
	Refusal     *string              `json:"refusal"`
	// Documents released with the answer; only in /api/requests/{id}.
	Documents []documentJSON `json:"documents,omitempty"`
}

type exemptionJSON struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

func (s *Server) requestJSON(req *ballot.InfoRequest, now time.Time) requestJSON {
	out := requestJSON{ID: req.ID, URL: s.cfg.BaseURL + requestPath(req.ID), ContractID: req.ContractID,
		ContractURL: s.cfg.BaseURL + contractPath(req.ContractID), Title: req.Title, Body: req.Body, AskedBy: req.Name,
		Status: req.Status(now), ReceivedAt: timePtr(req.ReceivedAt), AnsweredAt: timePtr(req.AnsweredAt)}
	if !req.DueOn.IsZero() {
		d := req.DueOn.Format(time.DateOnly)
		out.DueOn = &d
	}
	switch req.State {
	case ballot.RequestAnswered:
		out.Answer = &req.Answer
	case ballot.RequestRefused:
		out.Exemption = &exemptionJSON{req.Exemption, ballot.ExemptionLabel(req.Exemption)}
		out.Refusal = &req.Refusal
	}
	return out
}

// apiRequests lists published requests, with /requests's filters
// (status, contract, page) and paging.
func (s *Server) apiRequests(w http.ResponseWriter, r *http.Request) {
	f, pg := s.requestFilter(r)
	list, total, err := s.cfg.Stores.Requests.PublicRequests(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]requestJSON, 0, len(list))
	for _, req := range list {
		out = append(out, s.requestJSON(req, f.Now))
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": out, "total": total, "page": pg, "per_page": requestsPerPage})
}

func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request) {
	req, err := s.publicRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &requestView{R: req}
	if err := s.withDocs(r, v); err != nil {
		s.fail(w, r, err)
		return
	}
	out := s.requestJSON(req, s.cfg.Now())
	out.Documents = documentsToJSON(v.Docs, s.cfg.BaseURL)
	writeJSON(w, http.StatusOK, out)
}

// apiAsk takes a request as JSON: 202 until the asker confirms by mail.
func (s *Server) apiAsk(w http.ResponseWriter, r *http.Request) {
	id, err := requestID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var f requestForm
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || !errors.Is(dec.Decode(&struct{}{}), io.EOF) {
		writeJSONError(w, http.StatusBadRequest, `The body must be a JSON object with "title", "body", "name" and "email"`, nil)
		return
	}
	fields, err := s.ask(r, f.request(id))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if fields != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, "There is a problem with the request", fields)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"status": "pending",
		"message": "Check your email: the council receives the request once you open the link we sent and press Confirm."})
}

// requestCountsJSON is a contract's information requests in its JSON.
type requestCountsJSON struct {
	URL      string `json:"url"` // its requests as JSON
	OnTime   int    `json:"answered_on_time"`
	Late     int    `json:"answered_late"`
	Refused  int    `json:"refused"`
	Awaiting int    `json:"awaiting_response"` // not yet overdue
	Overdue  int    `json:"overdue"`
}

func requestCountsToJSON(v *contractRequests, base string) *requestCountsJSON {
	if v == nil {
		return nil
	}
	t := v.Tally
	return &requestCountsJSON{URL: base + "/api/requests?contract=" + itoa64(v.ContractID), OnTime: t.OnTime, Late: t.Late,
		Refused: t.Refused, Awaiting: t.Awaiting, Overdue: t.Overdue}
}
