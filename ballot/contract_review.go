package ballot

import (
	"context"
	"sort"
	"time"

	"github.com/oursay/oursay/consult"
)

// A contract review is held at each of a contract's end points (its end,
// a break clause, its review date, or a termination): the council tests
// whether the service involves significant contact with at-risk groups or
// threatens people's rights, and if so brings it back in house unless an
// exemption holds (consult.InHouseOnly, the rule consultations share).

// PointKind is the kind of end point a review is held at.
type PointKind string

// End points.
const (
	PointEnd         PointKind = "end"
	PointBreak       PointKind = "break"
	PointReviewDate  PointKind = "review"
	PointTermination PointKind = "termination"
)

// Label names the end point as pages say it.
func (k PointKind) Label() string {
	switch k {
	case PointEnd:
		return "Contract ends"
	case PointBreak:
		return "Break clause"
	case PointReviewDate:
		return "Review date"
	case PointTermination:
		return "Termination"
	}
	return string(k)
}

// EndPoint is one date at which a contract may end or is reviewed.
type EndPoint struct {
	Kind PointKind
	On   time.Time // a date, midnight UTC
}

// EndPoints lists the contract's end points on or after today (the date of
// now in UTC), soonest first: its break clauses, review date and end, none
// after a termination's last day.
func (c *Contract) EndPoints(now time.Time) []EndPoint {
	today := now.UTC().Truncate(24 * time.Hour)
	var ps []EndPoint
	add := func(k PointKind, d time.Time) {
		// A terminated contract has no end point after its last day: its
		// termination review was opened when the termination was recorded.
		if !d.IsZero() && !d.Before(today) && (!c.Terminated() || !d.After(c.TerminatedOn)) {
			ps = append(ps, EndPoint{k, d})
		}
	}
	for _, b := range c.BreakClauses {
		add(PointBreak, b)
	}
	add(PointReviewDate, c.ReviewOn)
	add(PointEnd, c.EndsOn)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].On.Before(ps[j].On) })
	return ps
}

// PipelineMonths is how far ahead the pipeline page looks.
const PipelineMonths = 18

// NextEndPoint is the contract's soonest end point within months of now,
// and false when it has none in that time.
func (c *Contract) NextEndPoint(now time.Time, months int) (EndPoint, bool) {
	ps := c.EndPoints(now)
	if len(ps) == 0 || ps[0].On.After(now.AddDate(0, months, 0)) {
		return EndPoint{}, false
	}
	return ps[0], true
}

// DueEndPoints are the end points within the lead time (months) of now,
// for which a draft review should be open.
func (c *Contract) DueEndPoints(now time.Time, leadMonths int) []EndPoint {
	var due []EndPoint
	for _, p := range c.EndPoints(now) {
		if !p.On.After(now.AddDate(0, leadMonths, 0)) {
			due = append(due, p)
		}
	}
	return due
}

// ReviewRoute is what a review proposes for the service.
type ReviewRoute string

// Routes a review may propose.
const (
	RouteInHouse ReviewRoute = "in_house"
	RouteReLet   ReviewRoute = "re_let"
	RouteExtend  ReviewRoute = "extend"
	RouteLapse   ReviewRoute = "lapse"
)

// ReviewRoutes lists the routes in form order.
var ReviewRoutes = []ReviewRoute{RouteInHouse, RouteReLet, RouteExtend, RouteLapse}

// Label names the route.
func (r ReviewRoute) Label() string {
	switch r {
	case RouteInHouse:
		return "Bring the service in house"
	case RouteReLet:
		return "Re-let the contract"
	case RouteExtend:
		return "Extend the contract"
	case RouteLapse:
		return "Let the contract lapse"
	}
	return string(r)
}

// Outsources reports whether the route keeps the service with an outside
// provider, which is when a consultation must come before any decision.
func (r ReviewRoute) Outsources() bool { return r == RouteReLet || r == RouteExtend }

// ReviewStatus is where a review is in its life: a draft, then published.
type ReviewStatus string

// Review statuses.
const (
	ReviewDraft     ReviewStatus = "draft"
	ReviewPublished ReviewStatus = "published"
)

// Label is the status as pages say it.
func (s ReviewStatus) Label() string {
	switch s {
	case ReviewDraft:
		return "In progress"
	case ReviewPublished:
		return "Published"
	}
	return "Not started"
}

// Appraisal is the in-house option, appraised: its cost and, as text, the
// quality of service, the workforce and the risks.
type Appraisal struct {
	CostPence int64
	Quality   string
	Workforce string
	Risk      string
}

// ContractReview is the review held at one end point of one contract.
type ContractReview struct {
	ID         int64
	ContractID int64
	Point      EndPoint
	Status     ReviewStatus
	// AtRisk and Exemption are the test and any exemption, with evidence,
	// as consultations record them.
	AtRisk             consult.AtRiskTest
	Exemption          consult.ExemptionClaim
	PublicInterestCase string
	InHouse            Appraisal
	Route              ReviewRoute
	CreatedAt          time.Time
	CreatedBy          string    // the staff member, or "oursay" for the lead-time sweep
	SavedAt            time.Time // when an officer last saved it; zero for a draft no one has filled in
	PublishedAt        time.Time
	// ChallengeEnds is the end of the day until which residents may
	// object to a good-reason exemption; zero for any other review.
	ChallengeEnds time.Time
}

// InHouseTestApplies reports whether the rule keeps the service in house.
func (r *ContractReview) InHouseTestApplies() bool { return consult.InHouseOnly(r.AtRisk, r.Exemption) }

// Validate checks the review as an officer saves it: every part answered,
// the exemption's evidence, no contradiction, and the route the at-risk
// rule allows. Field names are those of the review form.
func (r *ContractReview) Validate() error {
	ve := &ValidationError{}
	switch r.Point.Kind {
	case PointEnd, PointBreak, PointReviewDate, PointTermination:
	default:
		ve.Add("point", "Choose the end point this review is for")
	}
	if r.Point.On.IsZero() {
		ve.Add("point_on", "Enter the date of the end point")
	}
	r.Exemption.Validate(ve)
	ve.Text("public_interest_case", "Public interest case", r.PublicInterestCase, "Enter the public interest case", 10000)
	a := r.InHouse
	if a.CostPence <= 0 {
		ve.Add("in_house_cost", "Enter the in-house option's cost in pounds, like 1,200,000")
	}
	ve.Text("in_house_quality", "Quality", a.Quality, "Describe the quality of service the in-house option would give", 5000)
	ve.Text("in_house_workforce", "Workforce", a.Workforce, "Describe the workforce the in-house option needs", 5000)
	ve.Text("in_house_risk", "Risk", a.Risk, "Describe the in-house option's risks", 5000)
	r.validateRoute(ve)
	return ve.Err()
}

func (r *ContractReview) validateRoute(ve *ValidationError) {
	switch {
	case r.Route == "":
		ve.Add("route", "Choose the proposed route")
	case r.Route != RouteInHouse && r.Route != RouteReLet && r.Route != RouteExtend && r.Route != RouteLapse:
		ve.Add("route", "Choose the proposed route from the list")
	case r.Route == RouteInHouse && r.Exemption.Claimed():
		ve.Add("exemption", "Choose no exemption: an exemption is needed only to keep the service outside the council, and the route is to bring it in house")
	case r.Route != RouteInHouse && r.InHouseTestApplies():
		ve.Add("route", consult.InHouseOnlyMessage)
	}
}

// CanPublish checks the step draft → published.
func (r *ContractReview) CanPublish() error {
	if r.Status != ReviewDraft {
		return ErrBadTransition
	}
	return r.Validate()
}

// DefaultChallengeDays is how long, unless the council sets otherwise,
// residents may challenge a published good-reason exemption.
const DefaultChallengeDays = 28

// DefaultLeadMonths is how long, unless the council sets otherwise, before
// an end point its draft review is opened.
const DefaultLeadMonths = 9

// ChallengeWindowEnds is when residents' chance to object to a published
// good-reason exemption ends: the end of the London day days after
// publishedAt. It is zero for a review with no good-reason exemption.
func (r *ContractReview) ChallengeWindowEnds(publishedAt time.Time, days int) time.Time {
	if r.Exemption.Kind != consult.ExemptionGoodReason {
		return time.Time{}
	}
	d := publishedAt.In(consult.London)
	return time.Date(d.Year(), d.Month(), d.Day()+days+1, 0, 0, 0, 0, consult.London).UTC()
}

// ChallengeOpen reports whether residents may still object at now.
func (r *ContractReview) ChallengeOpen(now time.Time) bool {
	return r.Status == ReviewPublished && !r.ChallengeEnds.IsZero() && now.Before(r.ChallengeEnds)
}

// ReviewStore keeps contract reviews and residents' objections to them.
// Council actions name the acting staff member (actor) and are audited in
// the same transaction.
type ReviewStore interface {
	ObjectionStore
	// OpenReview saves a new draft review of r.ContractID at r.Point and
	// sets r.ID. It returns ErrNotFound for an unknown contract,
	// ErrDuplicate when that end point already has a review, or a
	// *ValidationError for a point with no kind or date.
	OpenReview(ctx context.Context, r *ContractReview, actor string) error
	// SaveReview replaces a draft's answers after r.Validate. It returns
	// ErrNotFound, ErrBadTransition for a published review, or a
	// *ValidationError; nothing is saved then.
	SaveReview(ctx context.Context, r *ContractReview, actor string) error
	// PublishReview publishes a draft through CanPublish, opening a
	// challenge window of challengeDays for a good-reason exemption. It
	// returns ErrNotFound, ErrBadTransition or a *ValidationError.
	PublishReview(ctx context.Context, id int64, challengeDays int, actor string) (*ContractReview, error)
	// Review returns one review, or ErrNotFound.
	Review(ctx context.Context, id int64) (*ContractReview, error)
	// Reviews lists every review, by contract and end point date.
	Reviews(ctx context.Context) ([]*ContractReview, error)
	// OpenDueReviews opens a draft review for every end point within
	// leadMonths of now that has none, as actor "oursay", and returns how
	// many it opened.
	OpenDueReviews(ctx context.Context, now time.Time, leadMonths int) (int, error)
}
