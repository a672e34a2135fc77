package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/oursay/oursay/consult"
)

// consultationJSON is the stable public JSON of a consultation.
type consultationJSON struct {
	Slug     string           `json:"slug"`
	URL      string           `json:"url"`
	Title    string           `json:"title"`
	Summary  string           `json:"summary"`
	Status   consult.Status   `json:"status"`
	Audience consult.Audience `json:"audience"`
	OpensAt  *time.Time       `json:"opens_at"`
	ClosesAt *time.Time       `json:"closes_at"`
	// ClosedAt is when it really closed (early, by hand, or at closes_at);
	// Closing says it as the page does.
	ClosedAt      *time.Time `json:"closed_at"`
	Closing       string     `json:"closing,omitempty"`
	ResponseCount int        `json:"response_count"`
	LiveResults   bool       `json:"live_results"`
	ResultsPublic bool       `json:"results_public"`
	// PaperResponseCount is how many responses came in on paper forms;
	// present once results are public.
	PaperResponseCount *int           `json:"paper_response_count,omitempty"`
	Record             *recordJSON    `json:"outsourcing,omitempty"`
	Questions          []questionJSON `json:"questions,omitempty"`
	Outcome            *outcomeJSON   `json:"outcome,omitempty"`
	Decision           *decisionJSON  `json:"decision,omitempty"`
	// ContractID is the contract it is about, or null.
	ContractID  *int64  `json:"contract_id"`
	ContractURL *string `json:"contract_url"`
	// Corrections are the changes made since it was published (closing
	// date, title, summary), oldest first; its questions never change.
	Corrections []correctionJSON `json:"corrections,omitempty"`
}

type correctionJSON struct {
	At    time.Time `json:"at"`
	Field string    `json:"field"`
	Old   string    `json:"old"`
	New   string    `json:"new"`
	By    string    `json:"by"`
}

type recordJSON struct {
	Service            string           `json:"service"`
	Proposal           consult.Proposal `json:"proposal"`
	PublicInterestCase string           `json:"public_interest_case"`
	InHouseBid         string           `json:"in_house_bid"`
	NoInHouseReason    string           `json:"no_in_house_reason"`
	SocialValueWeight  int              `json:"social_value_weight_percent"`
	// AtRiskGroups is the at-risk test's verdict (either limb), as
	// before the test had two limbs; the limbs and any exemption with
	// its evidence are in at_risk.
	AtRiskGroups    bool              `json:"at_risk_groups"`
	Exemption       consult.Exemption `json:"exemption"`
	ExemptionReason string            `json:"exemption_reason"`
	AtRisk          atRiskJSON        `json:"at_risk"`
}

type questionJSON struct {
	ID       int64        `json:"id"`
	Kind     consult.Kind `json:"kind"`
	Prompt   string       `json:"prompt"`
	Hint     string       `json:"hint,omitempty"`
	Required bool         `json:"required"`
	Options  []optionJSON `json:"options"`
	// Tally is present only once results are public.
	Tally *tallyJSON `json:"tally,omitempty"`
	// Themes, for a free-text question once the outcome is published, are
	// the themes officers tagged its answers with and how many carry each,
	// most first.
	Themes []themeCountJSON `json:"themes,omitempty"`
}

type themeCountJSON struct {
	Theme   string `json:"theme"`
	Answers int    `json:"answers"`
}

type optionJSON struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

type tallyJSON struct {
	Answered int `json:"answered"`
	// Counts maps an option id (choice) or scale point 1..5 to its count.
	Counts map[string]int `json:"counts"`
	// Percents maps the same keys to the share of those who answered, in
	// whole per cent, as the results page shows it (consult.Question.Shares:
	// single-choice and scale shares add up to 100).
	Percents map[string]int `json:"percents"`
}

type outcomeJSON struct {
	WeAsked     string    `json:"we_asked"`
	YouSaid     string    `json:"you_said"`
	WeDid       string    `json:"we_did"`
	PublishedAt time.Time `json:"published_at"`
	// Revisions are the changes since it was first published, oldest
	// first, each with the version it replaced; empty when never revised.
	Revisions []outcomeRevisionJSON `json:"revisions"`
}

type outcomeRevisionJSON struct {
	RevisedAt time.Time   `json:"revised_at"`
	Note      string      `json:"note"`
	Previous  outcomeText `json:"previous"`
}

// outcomeText is one version of an outcome, with when it went up.
type outcomeText struct {
	WeAsked     string    `json:"we_asked"`
	YouSaid     string    `json:"you_said"`
	WeDid       string    `json:"we_did"`
	PublishedAt time.Time `json:"published_at"`
}

type decisionJSON struct {
	Decision          consult.Proposal `json:"decision"`
	Summary           string           `json:"summary"`
	InHouseComparison string           `json:"in_house_comparison"`
	RecordedAt        time.Time        `json:"recorded_at"`
	// Revisions are as the outcome's.
	Revisions []decisionRevisionJSON `json:"revisions"`
}

type decisionRevisionJSON struct {
	RevisedAt time.Time    `json:"revised_at"`
	Note      string       `json:"note"`
	Previous  decisionText `json:"previous"`
}

// decisionText is one version of a decision, with when it went up.
type decisionText struct {
	Decision          consult.Proposal `json:"decision"`
	Summary           string           `json:"summary"`
	InHouseComparison string           `json:"in_house_comparison"`
	RecordedAt        time.Time        `json:"recorded_at"`
}

func (s *Server) apiConsultations(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Consult.Consultations(r.Context(), consult.Filter{Public: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]consultationJSON, 0, len(list))
	for _, c := range list {
		out = append(out, s.consultationSummary(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"consultations": out})
}

func (s *Server) consultationSummary(c *consult.Consultation) consultationJSON {
	now := s.cfg.Now()
	out := consultationJSON{
		Slug: c.Slug, URL: s.cfg.BaseURL + "/consultations/" + c.Slug,
		Title: c.Title, Summary: c.Summary, Status: c.State(now), Audience: c.Audience,
		OpensAt: timePtr(c.OpensAt), ClosesAt: timePtr(c.ClosesAt), ClosedAt: timePtr(c.ClosedAt(now)), Closing: c.Closing(now),
		ResponseCount: c.ResponseCount, LiveResults: c.LiveResults, ResultsPublic: c.ResultsPublic(now),
		ContractURL: optionalURL(s.cfg.BaseURL, c.ContractID, contractPath),
	}
	if c.ContractID != 0 {
		out.ContractID = &c.ContractID
	}
	return out
}

func (s *Server) apiConsultation(w http.ResponseWriter, r *http.Request) {
	v, err := s.publicConsultation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.consultationDetail(v))
}

func (s *Server) consultationDetail(v *consultView) consultationJSON {
	c := v.C
	out := s.consultationSummary(c)
	r := c.Record
	rec := recordJSON{r.Service, r.Proposal, r.PublicInterestCase, r.InHouseBid, r.NoInHouseReason, r.SocialValueWeight,
		r.AtRisk.Met(), r.Exemption.Kind, r.Exemption.Evidence(), toAtRiskJSON(r.AtRisk, r.Exemption)}
	out.Record = &rec
	if v.Tally != nil {
		n := v.Tally.PaperCount
		out.PaperResponseCount = &n
	}
	out.Questions = make([]questionJSON, 0, len(c.Questions))
	for _, q := range c.Questions {
		qj := questionJSON{ID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Hint: q.Hint, Required: q.Required, Options: []optionJSON{}}
		for _, o := range q.Options {
			qj.Options = append(qj.Options, optionJSON{o.ID, o.Label})
		}
		if v.Tally != nil {
			qt := v.Tally.Questions[q.ID]
			tj := &tallyJSON{Answered: qt.Answered, Counts: map[string]int{}, Percents: map[string]int{}}
			for k, n := range qt.Counts {
				tj.Counts[strconv.FormatInt(k, 10)] = n
			}
			for k, p := range q.Shares(qt) {
				tj.Percents[strconv.FormatInt(k, 10)] = p
			}
			qj.Tally = tj
		}
		for _, tc := range v.ThemeCounts[q.ID] {
			qj.Themes = append(qj.Themes, themeCountJSON{tc.Theme.Name, tc.Count})
		}
		out.Questions = append(out.Questions, qj)
	}
	if o := c.Outcome; o != nil {
		out.Outcome = &outcomeJSON{o.WeAsked, o.YouSaid, o.WeDid, o.PublishedAt.UTC(), []outcomeRevisionJSON{}}
		for _, rev := range c.OutcomeRevisions {
			w := rev.Was
			out.Outcome.Revisions = append(out.Outcome.Revisions, outcomeRevisionJSON{rev.At.UTC(), rev.Note,
				outcomeText{w.WeAsked, w.YouSaid, w.WeDid, w.PublishedAt.UTC()}})
		}
	}
	if d := c.Decision; d != nil {
		out.Decision = &decisionJSON{d.Proposal, d.Summary, d.InHouseComparison, d.RecordedAt.UTC(), []decisionRevisionJSON{}}
		for _, rev := range c.DecisionRevisions {
			w := rev.Was
			out.Decision.Revisions = append(out.Decision.Revisions, decisionRevisionJSON{rev.At.UTC(), rev.Note,
				decisionText{w.Proposal, w.Summary, w.InHouseComparison, w.RecordedAt.UTC()}})
		}
	}
	for _, corr := range v.Corrections {
		out.Corrections = append(out.Corrections, correctionJSON{corr.At.UTC(), corr.Field, corr.Old, corr.New, corr.Actor})
	}
	return out
}

// apiRespond takes a response as JSON: 201 with a receipt, or a JSON error
// with a message per field, and nothing saved.
func (s *Server) apiRespond(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeJSONError(w, http.StatusRequestEntityTooLarge, "The request body is too large", nil)
		return
	}
	c, err := s.respondingTo(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !c.AcceptsResponses(s.cfg.Now()) {
		s.fail(w, r, consult.ErrNotOpen)
		return
	}
	resp, fields := decodeResponseJSON(c, body)
	if resp == nil {
		writeJSONError(w, http.StatusBadRequest, fields["body"], fields)
		return
	}
	var typed struct {
		Code string `json:"code"`
	}
	json.Unmarshal(body, &typed) // the body already decoded once, so this cannot fail
	s.applyCode(c, resp, typed.Code, fields)
	status, fields := s.saveResponse(r, c, resp, fields)
	if fields != nil {
		msg := "There is a problem with the answers"
		if m, ok := fields["form"]; ok && len(fields) == 1 {
			msg, fields = m, nil
		}
		writeJSONError(w, status, msg, fields)
		return
	}
	if resp.Email != "" { // the same for a first response and a repeat
		writeJSON(w, http.StatusCreated, map[string]any{"consultation": c.Slug, "message": mailedMessage})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"receipt": resp.Receipt, "consultation": c.Slug, "created_at": resp.CreatedAt.UTC(),
	})
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
