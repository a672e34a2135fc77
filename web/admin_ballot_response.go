package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/oursay/oursay/ballot"
)

// The council's response to a recall ballot's result: what it did about
// the contract's break clause. It is recorded once, after confirming, on
// the ballot's staff page; the rules are the domain's
// (ballot.CouncilResponse.Validate, ballot.Ballot.CanRespond).

var responseFieldOrder = []string{"form", "count", "exercised", "break_on", "reason"}

// readCouncilResponse reads the response form, noting what it cannot read.
func readCouncilResponse(form url.Values) (*ballot.CouncilResponse, *formReader) {
	f := newFormReader(form)
	r := &ballot.CouncilResponse{Reason: f.text("reason")}
	r.Exercised = f.yesNo("exercised", "Say whether the council exercised the break clause")
	r.BreakOn = f.formDate("break_on", "The date the break takes effect", time.UTC)
	return r, f
}

// responseFields is every message for the form, or nil when it may be saved.
func (s *Server) responseFields(r *http.Request, b *ballot.Ballot) (*ballot.CouncilResponse, map[string]string, error) {
	resp, f := readCouncilResponse(r.PostForm)
	c, err := s.cfg.Stores.Contracts.Contract(r.Context(), b.ContractID)
	if err != nil {
		return nil, nil, err
	}
	return resp, f.result(resp.Validate(c)), nil
}

func (s *Server) adminBallotResponse(w http.ResponseWriter, r *http.Request) {
	b, err := s.pathBallot(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp, fields, err := s.responseFields(r, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if fields == nil {
		err = s.cfg.Stores.Ballots.RecordResponse(r.Context(), b.ID, resp, s.actor(r))
		var ve *ballot.ValidationError
		switch {
		case errors.As(err, &ve):
			fields = ve.Fields
		case errors.Is(err, ballot.ErrBadTransition):
			fields = map[string]string{"form": "The council's response can be recorded once, after the ballot is closed."}
		case err != nil:
			s.fail(w, r, err)
			return
		}
	}
	if fields != nil {
		s.renderAdminBallotFields(w, r, http.StatusUnprocessableEntity, fields, responseFieldOrder)
		return
	}
	s.flash(r, "The council's response is recorded and published on the ballot, petition and contract pages.")
	http.Redirect(w, r, ballotAdminURL(b), http.StatusSeeOther)
}

func (s *Server) describeBallotResponse(r *http.Request) (*confirmation, error) {
	b, err := s.pathBallot(r)
	if err != nil {
		return nil, err
	}
	resp, fields, err := s.responseFields(r, b)
	if err != nil || fields != nil || b.CanRespond() != nil {
		return nil, err // refused by the handler
	}
	what := "Not exercised"
	if resp.Exercised {
		what = "Exercised: the contract ends on " + formatDate(resp.BreakOn)
	}
	shown := []shownField{{"The break clause", what}}
	if resp.Reason != "" {
		shown = append(shown, shownField{"The council's reason", resp.Reason})
	}
	told := noMail
	if b.PetitionID != 0 {
		told = "The campaigner of the petition that led to the ballot is emailed the response."
	}
	return &confirmation{
		Caption: ballotCaption(b), Heading: "Record the council's response?",
		Warning: "The response is published and cannot be changed afterwards.",
		Happens: []string{
			"The response is shown on the ballot's page, the petition's page and the contract's page.",
			"The audit log records it.",
		},
		Shown: shown, Told: told,
		Button: "Yes, record the response", Back: ballotAdminURL(b),
	}, nil
}
