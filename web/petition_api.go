package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
)

// petitionJSON is the stable public JSON of a petition, modelled on the UK
// Parliament petitions JSON. Counts are null while a sealed petition is open.
type petitionJSON struct {
	ID               int64              `json:"id"`
	URL              string             `json:"url"`
	Title            string             `json:"title"`
	Reasons          string             `json:"reasons"`
	ContractID       int64              `json:"contract_id"`
	Status           ballot.Status      `json:"status"`
	RejectionReason  string             `json:"rejection_reason,omitempty"`
	CountPolicy      ballot.CountPolicy `json:"count_policy"`
	SignatureCount   *int               `json:"signature_count"`
	Threshold        int                `json:"threshold"`
	Electorate       *electorateJSON    `json:"electorate"`
	ThresholdMetAt   *time.Time         `json:"threshold_met_at"`
	OpenedAt         *time.Time         `json:"opened_at"`
	ClosesAt         *time.Time         `json:"closes_at"`
	Closing          string             `json:"closing,omitempty"` // as the page says it
	SignaturesByWard []wardJSON         `json:"signatures_by_ward"`
	// CreatorName is the campaigner who started it, as the page names them.
	CreatorName string  `json:"creator_name"`
	ContractURL string  `json:"contract_url"`
	BallotID    *int64  `json:"ballot_id"`  // the recall ballot it led to, or null
	BallotURL   *string `json:"ballot_url"` // null with ballot_id
}

type electorateJSON struct {
	Count int    `json:"count"`
	AsOf  string `json:"as_of"`
}

type wardJSON struct {
	Name           string `json:"name"`
	GSSCode        string `json:"gss_code"`
	SignatureCount int    `json:"signature_count"`
}

func (s *Server) petitionJSON(v *petitionView) petitionJSON {
	p := v.P
	out := petitionJSON{ID: p.ID, URL: s.cfg.BaseURL + "/petitions/" + strconv.FormatInt(p.ID, 10),
		Title: p.Title, Reasons: p.Reasons, ContractID: p.ContractID, Status: v.State,
		RejectionReason: p.RejectionReason, CountPolicy: p.CountPolicy, Threshold: p.Threshold,
		OpenedAt: timePtr(p.OpenedAt), ClosesAt: timePtr(p.ClosesAt), Closing: p.Closing(s.cfg.Now()),
		CreatorName: p.CampaignerName, ContractURL: s.cfg.BaseURL + contractPath(p.ContractID)}
	if b := v.Ballot; b != nil {
		out.BallotID, out.BallotURL = &b.B.ID, optionalURL(s.cfg.BaseURL, b.B.ID, ballotPath)
	}
	if p.Electorate.Count > 0 {
		out.Electorate = &electorateJSON{p.Electorate.Count, p.Electorate.AsOf.UTC().Format("2006-01-02")}
	}
	if v.CountPublic {
		n := v.Count
		out.SignatureCount = &n
		out.ThresholdMetAt = timePtr(p.ThresholdMetAt)
		out.SignaturesByWard = []wardJSON{}
		for _, w := range v.Wards {
			out.SignaturesByWard = append(out.SignaturesByWard, wardJSON{w.Ward.Name, w.Ward.Code, w.Count})
		}
	}
	return out
}

func (s *Server) apiPetitions(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Petitions.Petitions(r.Context(), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]petitionJSON, 0, len(list))
	for _, p := range list {
		v, err := s.petitionView(r, p, false)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, s.petitionJSON(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"petitions": out})
}

// apiPetition serves a petition's JSON from the hub's body cache: built
// once per committed change (and at least every second), since a viral
// petition is read far more often than it is signed.
func (s *Server) apiPetition(w http.ResponseWriter, r *http.Request) {
	id, err := petitionID(r)
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	var fail func()
	body, err := s.live.Body(ballot.PetitionTopic(id), func() ([]byte, error) {
		p, err := s.publicPetition(r)
		if err != nil {
			fail = func() { s.failPetition(w, r, err) }
			return nil, err
		}
		v, err := s.petitionView(r, p, true)
		if err != nil {
			fail = func() { s.fail(w, r, err) }
			return nil, err
		}
		return encodeJSON(s.petitionJSON(v))
	})
	if err != nil {
		if fail == nil {
			fail = func() { s.fail(w, r, err) }
		}
		fail()
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// encodeJSON encodes v as writeJSON writes it.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
