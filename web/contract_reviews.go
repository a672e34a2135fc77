package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// Contract reviews: staff open one at an end point (the lead-time sweep
// opens most; a termination is opened here by hand), fill it in as a
// draft and publish it. The public see published reviews on the contract
// page, each on a page of its own, and in the contract's JSON.

var reviewFieldOrder = append(append([]string{"point", "point_on"}, atRiskFieldOrder...),
	"public_interest_case", "in_house_cost", "in_house_quality", "in_house_workforce", "in_house_risk", "route", "form")

// reviewView is a review with its contract, for its pages.
type reviewView struct {
	R   *ballot.ContractReview
	C   *ballot.Contract
	Now time.Time
	// Objections counts the confirmed objections, on the public page;
	// ObjectionList is them, for staff.
	Objections    int
	ObjectionList []*ballot.Objection
}

// InHouseTestApplies, AtRisk and Exemption let the atrisk-rows partial
// read a review as it reads a consultation's record.
func (v *reviewView) InHouseTestApplies() bool          { return v.R.InHouseTestApplies() }
func (v *reviewView) AtRisk() consult.AtRiskTest        { return v.R.AtRisk }
func (v *reviewView) Exemption() consult.ExemptionClaim { return v.R.Exemption }

// Cost is the in-house option's cost in pounds.
func (v *reviewView) Cost() string { return formatPence(v.R.InHouse.CostPence) }

// URL is the public page; AdminURL the staff page.
func (v *reviewView) URL() string      { return reviewURL(v.R) }
func (v *reviewView) AdminURL() string { return reviewAdminURL(v.R) }

// Heading names the review by its end point.
func (v *reviewView) Heading() string { return reviewHeading(v.R) }

// ChallengeOpen reports whether residents may still challenge a
// good-reason exemption; LastChallengeDay is the last day they may.
func (v *reviewView) ChallengeOpen() bool         { return v.R.ChallengeOpen(v.Now) }
func (v *reviewView) LastChallengeDay() time.Time { return v.R.ChallengeEnds.Add(-time.Second) }

// PetitionURL starts a recall petition against the contract.
func (v *reviewView) PetitionURL() string {
	return "/petitions/new?contract=" + strconv.FormatInt(v.C.ID, 10)
}

// GoodReason reports whether the exemption claimed is good reason.
func (v *reviewView) GoodReason() bool { return v.R.Exemption.Kind == consult.ExemptionGoodReason }

// sweepActor is how the audit log and the store name the lead-time sweep
// (db.SweepActor; web does not import db).
const sweepActor = "oursay"

func reviewURL(r *ballot.ContractReview) string {
	return "/contracts/" + strconv.FormatInt(r.ContractID, 10) + "/reviews/" + strconv.FormatInt(r.ID, 10)
}

func reviewAdminURL(r *ballot.ContractReview) string {
	return "/admin/contracts/" + strconv.FormatInt(r.ContractID, 10) + "/reviews/" + strconv.FormatInt(r.ID, 10)
}

func reviewHeading(r *ballot.ContractReview) string {
	return "Review at the " + lowerFirst(r.Point.Kind.Label()) + ", " + formatDate(r.Point.On)
}

func reviewRouteChoices() []choice {
	cs := make([]choice, 0, len(ballot.ReviewRoutes))
	for _, r := range ballot.ReviewRoutes {
		cs = append(cs, choice{string(r), r.Label()})
	}
	return cs
}

func reviewPointChoices() []choice {
	var cs []choice
	for _, k := range []ballot.PointKind{ballot.PointTermination, ballot.PointEnd, ballot.PointBreak, ballot.PointReviewDate} {
		cs = append(cs, choice{string(k), k.Label()})
	}
	return cs
}

// contractReviews returns the reviews of one contract, soonest end point first.
func (s *Server) contractReviews(r *http.Request, contractID int64) ([]*ballot.ContractReview, error) {
	if s.cfg.Stores.Reviews == nil {
		return nil, nil
	}
	all, err := s.cfg.Stores.Reviews.Reviews(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*ballot.ContractReview
	for _, rv := range all {
		if rv.ContractID == contractID {
			out = append(out, rv)
		}
	}
	return out, nil
}

// loadReview loads the review the path names, with its contract; a
// review of another contract is not found.
func (s *Server) loadReview(r *http.Request) (*reviewView, error) {
	v, err := s.loadContract(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "rid")
	if err != nil {
		return nil, err
	}
	rv, err := s.cfg.Stores.Reviews.Review(r.Context(), id)
	if err != nil {
		return nil, contractFailure(err)
	}
	if rv.ContractID != v.C.ID {
		return nil, consult.ErrNotFound
	}
	return &reviewView{R: rv, C: v.C, Now: s.cfg.Now()}, nil
}

// adminReviews lists a contract's reviews and offers to open one.
func (s *Server) adminReviews(w http.ResponseWriter, r *http.Request) {
	s.renderAdminReviews(w, r, http.StatusOK, url.Values{"point": {string(ballot.PointTermination)}}, nil)
}

func (s *Server) renderAdminReviews(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	v, err := s.loadContract(r)
	var list []*ballot.ContractReview
	if err == nil {
		list, err = s.contractReviews(r, v.C.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views := make([]*reviewView, len(list))
	for i, rv := range list {
		views[i] = &reviewView{R: rv, C: v.C, Now: s.cfg.Now()}
	}
	p := &page{Title: "Reviews of " + v.C.Title, Form: form,
		Data: struct {
			C       *ballot.Contract
			Reviews []*reviewView
			Points  []ballot.EndPoint
		}{v.C, views, v.C.EndPoints(s.cfg.Now())}}
	p.setErrors(fields, reviewFieldOrder)
	s.render(w, r, status, "admin_reviews", p)
}

// adminOpenReview opens a draft review at the end point chosen: most
// often a termination, which opens one at once.
func (s *Server) adminOpenReview(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	v, err := s.loadContract(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newFormReader(r.PostForm)
	rv := &ballot.ContractReview{ContractID: v.C.ID, Point: ballot.EndPoint{Kind: ballot.PointKind(f.text("point")),
		On: f.date("point_on", "2006-01-02", time.UTC, "Enter the date as year-month-day, like 2027-03-31")}}
	fields := f.result(nil)
	if fields == nil {
		err = s.cfg.Stores.Reviews.OpenReview(r.Context(), rv, s.actor(r))
		if errors.Is(err, ballot.ErrDuplicate) {
			err = &consult.ValidationError{Fields: map[string]string{"point_on": "This contract already has a review at that end point on that date"}}
		}
		fields = s.contractStoreFields(err)
	}
	if fields != nil {
		s.renderAdminReviews(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	s.flash(r, "Review opened as a draft.")
	http.Redirect(w, r, reviewAdminURL(rv), http.StatusSeeOther)
}

// adminReview shows a draft's form, or a published review's summary.
func (s *Server) adminReview(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadReview(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := reviewFormValues(v.R)
	if v.R.SavedAt.IsZero() {
		// A new draft starts from the register's answers, where recorded.
		for k, a := range map[string]ballot.YesNo{"at_risk_contact": v.C.AtRiskContact, "rights_threat": v.C.RightsThreat} {
			if a != ballot.NotRecorded {
				form.Set(k, string(a))
			}
		}
	}
	if v.R.Status == ballot.ReviewPublished {
		if v.ObjectionList, err = s.cfg.Stores.Reviews.Objections(r.Context(), v.R.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "admin_review", &page{Title: v.Heading(), Data: v, Form: form})
}

// reviewFormValues fills the form from a saved review; a draft no one has
// saved leaves the questions unanswered.
func reviewFormValues(rv *ballot.ContractReview) url.Values {
	v := url.Values{}
	if rv.SavedAt.IsZero() {
		return v
	}
	setAtRisk(v, rv.AtRisk, rv.Exemption)
	v.Set("public_interest_case", rv.PublicInterestCase)
	v.Set("in_house_cost", inputPence(rv.InHouse.CostPence))
	v.Set("in_house_quality", rv.InHouse.Quality)
	v.Set("in_house_workforce", rv.InHouse.Workforce)
	v.Set("in_house_risk", rv.InHouse.Risk)
	v.Set("route", string(rv.Route))
	return v
}

// adminSaveReview saves a draft's answers, or shows what is wrong and
// saves nothing.
func (s *Server) adminSaveReview(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	v, err := s.loadReview(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newFormReader(r.PostForm)
	rv := &ballot.ContractReview{ID: v.R.ID, PublicInterestCase: f.text("public_interest_case"),
		Route: ballot.ReviewRoute(f.text("route"))}
	rv.AtRisk, rv.Exemption = readAtRisk(f)
	rv.InHouse = ballot.Appraisal{CostPence: f.pounds("in_house_cost", "Enter the in-house option's cost in pounds, like 1,200,000"),
		Quality: f.text("in_house_quality"), Workforce: f.text("in_house_workforce"), Risk: f.text("in_house_risk")}
	// The domain's verdict on what could be read, then the store's.
	check := *rv
	check.Point, check.Status = v.R.Point, v.R.Status
	fields := f.result(check.Validate())
	if fields == nil {
		fields = s.contractStoreFields(s.cfg.Stores.Reviews.SaveReview(r.Context(), rv, s.actor(r)))
	}
	if fields != nil {
		p := &page{Title: v.Heading(), Data: v, Form: r.PostForm}
		p.setErrors(fields, reviewFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_review", p)
		return
	}
	s.flash(r, "Review saved as a draft. Publish it when it is ready.")
	http.Redirect(w, r, reviewAdminURL(v.R), http.StatusSeeOther)
}

// adminPublishReview publishes a saved draft, once confirmed.
func (s *Server) adminPublishReview(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadReview(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.cfg.Stores.Reviews.PublishReview(r.Context(), v.R.ID, s.challengeDays(), s.actor(r))
	var ve *consult.ValidationError
	if errors.As(err, &ve) {
		p := &page{Title: v.Heading(), Data: v, Form: reviewFormValues(v.R)}
		fields := map[string]string{"form": "Save every part of the review before publishing it"}
		for k, m := range ve.Fields {
			fields[k] = m
		}
		p.setErrors(fields, reviewFieldOrder)
		s.render(w, r, http.StatusUnprocessableEntity, "admin_review", p)
		return
	}
	if err != nil {
		s.fail(w, r, contractFailure(err))
		return
	}
	s.flash(r, "Review published.")
	http.Redirect(w, r, reviewAdminURL(v.R), http.StatusSeeOther)
}

func (s *Server) describePublishReview(r *http.Request) (*confirmation, error) {
	v, err := s.loadReview(r)
	if err != nil || v.R.CanPublish() != nil {
		return nil, err // refused by the handler
	}
	happens := []string{
		"The review is published at " + reviewURL(v.R) + " and on the contract's page, and in its open data.",
		"Proposed route: " + v.R.Route.Label() + ".",
	}
	if v.GoodReason() {
		happens = append(happens, "Residents have "+strconv.Itoa(s.challengeDays())+" days to challenge the good-reason exemption: by objecting, or by starting a petition.")
	}
	return &confirmation{
		Caption: "Contract: " + v.C.Title, Heading: "Publish this review?",
		Warning: "A published review cannot be changed.",
		Happens: happens,
		Shown:   []shownField{{"End point", v.R.Point.Kind.Label() + ", " + formatDate(v.R.Point.On)}, {"Public interest case", v.R.PublicInterestCase}},
		Told:    noMail + " Anyone can read it on the public site.",
		Button:  "Yes, publish the review", Back: reviewAdminURL(v.R),
	}, nil
}

// challengeDays is how long residents may challenge a good-reason exemption.
func (s *Server) challengeDays() int {
	if d := s.settings().Reviews.ChallengeDays; d > 0 {
		return d
	}
	return ballot.DefaultChallengeDays
}

// reviewPage is a published review's public page.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadReview(r)
	if err == nil && v.R.Status != ballot.ReviewPublished {
		err = consult.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderReviewPage(w, r, v, http.StatusOK, nil, nil)
}

// reviewJSON is a review in the contract's JSON: a draft shows only its
// end point and status; a published review, everything.
type reviewJSON struct {
	ID                 int64          `json:"id"`
	URL                string         `json:"url,omitempty"`
	Point              string         `json:"end_point"`
	PointOn            string         `json:"end_point_on"`
	Status             string         `json:"status"`
	PublishedAt        *time.Time     `json:"published_at,omitempty"`
	AtRisk             *atRiskJSON    `json:"at_risk,omitempty"`
	PublicInterestCase string         `json:"public_interest_case,omitempty"`
	InHouse            *appraisalJSON `json:"in_house_appraisal,omitempty"`
	Route              string         `json:"proposed_route,omitempty"`
	ChallengeEndsAt    *time.Time     `json:"challenge_ends_at,omitempty"`
}

type appraisalJSON struct {
	CostPence int64  `json:"cost_pence"`
	Quality   string `json:"quality"`
	Workforce string `json:"workforce"`
	Risk      string `json:"risk"`
}

func reviewsToJSON(list []*ballot.ContractReview, base string) []reviewJSON {
	out := make([]reviewJSON, 0, len(list))
	for _, rv := range list {
		j := reviewJSON{ID: rv.ID, Point: string(rv.Point.Kind), PointOn: isoDate(rv.Point.On), Status: string(rv.Status)}
		if rv.Status == ballot.ReviewPublished {
			at := toAtRiskJSON(rv.AtRisk, rv.Exemption)
			pub := rv.PublishedAt.UTC()
			j.URL, j.PublishedAt, j.AtRisk = base+reviewURL(rv), &pub, &at
			j.PublicInterestCase, j.Route = rv.PublicInterestCase, string(rv.Route)
			j.InHouse = &appraisalJSON{rv.InHouse.CostPence, rv.InHouse.Quality, rv.InHouse.Workforce, rv.InHouse.Risk}
			if !rv.ChallengeEnds.IsZero() {
				ends := rv.ChallengeEnds.UTC()
				j.ChallengeEndsAt = &ends
			}
		}
		out = append(out, j)
	}
	return out
}

// StartConsultation reports whether the review leads into a consultation:
// it is published and proposes to keep the service outside the council.
func (v *reviewView) StartConsultation() bool {
	return v.R.Status == ballot.ReviewPublished && v.R.Route.Outsources()
}

// adminReviewConsultation creates the draft consultation a review that
// outsources again leads into, prefilled from it, and opens its form.
func (s *Server) adminReviewConsultation(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadReview(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := v.R.StartConsultation(v.C)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.cfg.Stores.Consult.CreateConsultation(r.Context(), c, s.actor(r))
	switch {
	case errors.Is(err, consult.ErrDuplicate):
		s.flash(r, "A consultation was already started from this review.")
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		s.flash(r, "Draft consultation created from the review. Check it, add questions, then publish it.")
	}
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/edit", http.StatusSeeOther)
}
