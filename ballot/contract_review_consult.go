package ballot

import (
	"fmt"
	"strings"

	"github.com/oursay/oursay/consult"
)

// A review that proposes to keep the service outside the council (re-let
// or extend) leads into a public consultation before any decision. The
// draft consultation carries the review's answers, so residents are asked
// about what the review found, and the consultation's decision gate
// applies the same at-risk rule.

// StartConsultation returns the draft consultation, prefilled from the
// review of c: the service, the proposal to outsource, the public interest
// case, the in-house option as appraised, the social value weighting, the
// at-risk answers and any exemption with its evidence, and the link to the
// contract. It returns ErrBadTransition unless the review is published and
// proposes re-letting or extending.
func (r *ContractReview) StartConsultation(c *Contract) (*consult.Consultation, error) {
	if r.Status != ReviewPublished || !r.Route.Outsources() {
		return nil, ErrBadTransition
	}
	verb := "re-let"
	if r.Route == RouteExtend {
		verb = "extend"
	}
	title := fmt.Sprintf("Should the council %s its %s contract?", verb, strings.ToLower(c.Service))
	a := r.InHouse
	return &consult.Consultation{
		Slug:  consult.Slugify(fmt.Sprintf("%s %s review %d", verb, c.Service, r.ID)),
		Title: title,
		Summary: fmt.Sprintf("The council's review of the %s contract with %s, at its %s on %s, proposes to %s it. "+
			"Before any decision, tell us what you think.", strings.ToLower(c.Service), c.Provider,
			strings.ToLower(r.Point.Kind.Label()), r.Point.On.Format("2 January 2006"), verb),
		Record: consult.Record{
			Service: c.Service, Proposal: consult.ProposalOutsource, PublicInterestCase: r.PublicInterestCase,
			InHouseBid: fmt.Sprintf("The in-house option was appraised at %s. Quality: %s Workforce: %s Risk: %s",
				consult.Pounds(a.CostPence), sentence(a.Quality), sentence(a.Workforce), sentence(a.Risk)),
			SocialValueWeight: c.SocialValueBP / 100,
			AtRisk:            r.AtRisk, Exemption: r.Exemption,
		},
		ContractID: c.ID,
		Audience:   consult.AudienceAnyone,
		Status:     consult.StatusDraft,
	}, nil
}

// sentence ends s with a full stop if it has none.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}
