package web

import (
	"net/http"
	"strconv"

	"github.com/oursay/oursay/ballot"
)

// The pipeline: every contract's next end, break or review date within
// ballot.PipelineMonths, soonest first, with the state of its review, as
// a page and as JSON.

func (s *Server) pipeline(r *http.Request) ([]ballot.PipelineEntry, error) {
	contracts, err := s.cfg.Stores.Contracts.Contracts(r.Context())
	if err != nil {
		return nil, err
	}
	var reviews []*ballot.ContractReview
	if s.cfg.Stores.Reviews != nil {
		if reviews, err = s.cfg.Stores.Reviews.Reviews(r.Context()); err != nil {
			return nil, err
		}
	}
	return ballot.Pipeline(contracts, reviews, s.cfg.Now(), ballot.PipelineMonths), nil
}

func (s *Server) pipelinePage(w http.ResponseWriter, r *http.Request) {
	entries, err := s.pipeline(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "contracts_pipeline", &page{Title: "Contracts coming to an end point", Data: entries})
}

type pipelineJSON struct {
	ContractID   int64  `json:"contract_id"`
	ContractURL  string `json:"contract_url"`
	Title        string `json:"title"`
	Provider     string `json:"provider"`
	EndPoint     string `json:"end_point"`
	EndPointOn   string `json:"end_point_on"`
	ReviewStatus string `json:"review_status"` // "not_started", "draft" or "published"
	ReviewURL    string `json:"review_url,omitempty"`
}

func (s *Server) apiPipeline(w http.ResponseWriter, r *http.Request) {
	entries, err := s.pipeline(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.baseURL(r)
	out := make([]pipelineJSON, 0, len(entries))
	for _, e := range entries {
		j := pipelineJSON{ContractID: e.Contract.ID, ContractURL: base + "/contracts/" + strconv.FormatInt(e.Contract.ID, 10),
			Title: e.Contract.Title, Provider: e.Contract.Provider, EndPoint: string(e.Point.Kind),
			EndPointOn: isoDate(e.Point.On), ReviewStatus: "not_started"}
		if e.Review != nil {
			j.ReviewStatus = string(e.Review.Status)
			if e.Review.Status == ballot.ReviewPublished {
				j.ReviewURL = base + reviewURL(e.Review)
			}
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"months": ballot.PipelineMonths, "pipeline": out})
}
