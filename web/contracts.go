package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// contractView is what the contract pages show: the contract as it stands
// today, and its recall threshold against the latest register snapshot.
type contractView struct {
	C         *ballot.Contract
	Now       time.Time
	NextBreak time.Time
	// Electorate is the snapshot a share rule counts against; nil for a
	// fixed rule or when the council has recorded none.
	Electorate *ballot.Electorate
	// Threshold is the signatures needed, 0 when it cannot be worked out yet.
	Threshold int
	// Refusal says why no recall petition may be started against it now,
	// or is "" when one may (ballot.Contract.PetitionRefusal).
	Refusal string
	// Links are its public consultations, petitions and ballots; nil
	// until withLinks fills them, for the public page and JSON.
	Links *contractLinks
	// Spend is what has been paid against it and Docs the documents
	// published about it; both empty until withTransparency.
	Spend *contractSpend
	Docs  []*ballot.Document
	// Requests are its published information requests, for its page.
	Requests *contractRequests
	// Reviews are its reviews at end points, filled by withReviews.
	Reviews []*ballot.ContractReview
	// Prior are its public consultations held before it was let (see
	// ballot.ConsultedBefore); Later, the rest. Filled with Links.
	Prior, Later []consultView
}

// Unpublished reports whether the contract is worth enough that the law
// requires it published, and it is not.
func (v *contractView) Unpublished() bool { return ballot.ContractUnpublished(v.C, v.Docs) }

// withLinks fills each view's Links.
func (s *Server) withLinks(r *http.Request, views ...*contractView) error {
	m, err := s.contractLinksFor(r)
	if err != nil {
		return err
	}
	for _, v := range views {
		if v.Links = m[v.C.ID]; v.Links == nil {
			v.Links = &contractLinks{}
		}
		for _, cv := range v.Links.Consultations {
			if ballot.ConsultedBefore(v.C, cv.C) {
				v.Prior = append(v.Prior, cv)
			} else {
				v.Later = append(v.Later, cv)
			}
		}
	}
	return nil
}

func newContractView(c *ballot.Contract, e *ballot.Electorate, now time.Time) *contractView {
	v := &contractView{C: c, Now: now, NextBreak: c.NextBreak(startOfDay(now)), Refusal: c.PetitionRefusal(now)}
	switch {
	case c.Recall.Kind == ballot.RuleFixed:
		v.Threshold = c.Recall.Threshold(ballot.Electorate{})
	case e != nil:
		v.Electorate, v.Threshold = e, c.Recall.Threshold(*e)
	}
	return v
}

// startOfDay is midnight UTC of now's day, so a break clause today still
// counts as the next one.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// VAT is the irrecoverable VAT in pounds.
func (v *contractView) VAT() string { return formatPence(v.C.IrrecoverableVATPence) }

// SocialValuePercent is the social value weighting as a percentage: "10", "7.5".
func (v *contractView) SocialValuePercent() string { return formatPercent(v.C.SocialValueBP) }

// SchemeLabel names the register the supplier's number is from.
func (v *contractView) SchemeLabel() string { return ballot.SchemeLabel(v.C.SupplierScheme) }

// Value is the contract's value in pounds, as people write it.
func (v *contractView) Value() string { return formatPence(v.C.ValuePence) }

// IsNextBreak reports whether t is the next break clause.
func (v *contractView) IsNextBreak(t time.Time) bool {
	return !v.NextBreak.IsZero() && t.Equal(v.NextBreak)
}

// SigningDays is the signing window in days, the default filled in.
func (v *contractView) SigningDays() int { return int(v.C.Recall.Window() / (24 * time.Hour)) }

// Status is where the contract is in its term: not_started, active or ended.
func (v *contractView) Status() string { return contractStatus(v.C, v.Now) }

// ThresholdText is the threshold with thousands separators.
func (v *contractView) ThresholdText() string { return groupThousands(int64(v.Threshold)) }

// ElectorateText is the snapshot's count with thousands separators.
func (v *contractView) ElectorateText() string {
	if v.Electorate == nil {
		return ""
	}
	return groupThousands(int64(v.Electorate.Count))
}

func contractStatus(c *ballot.Contract, now time.Time) string {
	switch {
	case now.Before(c.StartsOn):
		return "not_started"
	case !now.Before(c.LastDay().AddDate(0, 0, 1)): // the end (or termination) date is the contract's last day
		return "ended"
	}
	return "active"
}

// latestElectorate returns the latest register snapshot, or nil if the
// council has recorded none.
func (s *Server) latestElectorate(ctx context.Context) (*ballot.Electorate, error) {
	if s.cfg.Stores.Council == nil {
		return nil, nil
	}
	e, err := s.cfg.Stores.Council.Electorate(ctx)
	if errors.Is(err, ballot.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// loadContract loads the contract named in the path with its threshold. An
// id that is not a number is not found, like an unknown one.
func (s *Server) loadContract(r *http.Request) (*contractView, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, consult.ErrNotFound
	}
	c, err := s.cfg.Stores.Contracts.Contract(r.Context(), id)
	if err != nil {
		return nil, contractFailure(err)
	}
	e, err := s.latestElectorate(r.Context())
	if err != nil {
		return nil, err
	}
	return newContractView(c, e, s.cfg.Now()), nil
}

// loadContracts loads the whole register with thresholds.
func (s *Server) loadContracts(ctx context.Context) ([]*contractView, error) {
	list, err := s.cfg.Stores.Contracts.Contracts(ctx)
	if err != nil {
		return nil, err
	}
	e, err := s.latestElectorate(ctx)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	views := make([]*contractView, len(list))
	for i, c := range list {
		views[i] = newContractView(c, e, now)
	}
	return views, nil
}

// contractFailure lets the shared error page treat a missing contract as
// any missing page.
func contractFailure(err error) error {
	if errors.Is(err, ballot.ErrNotFound) {
		return consult.ErrNotFound
	}
	return err
}

func (s *Server) contractList(w http.ResponseWriter, r *http.Request) {
	views, err := s.loadContracts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	statuses := []choice{{"not_started", "Not started"}, {"active", "Running"}, {"ended", "Ended"}}
	v, form, fields := filterList(r, "/contracts", "contracts", views,
		func(c *contractView) string { return c.C.Title + " " + c.C.Provider }, (*contractView).Status, statuses, contractEnds)
	s.renderList(w, r, "contracts", &page{Title: "Council contracts", Data: v, Form: form}, fields)
}

func (s *Server) contractPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadContract(r)
	if err == nil {
		err = s.withLinks(r, v)
	}
	if err == nil {
		err = s.withTransparency(r, v)
	}
	if err == nil {
		v.Reviews, err = s.contractReviews(r, v.C.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "contract", &page{Title: v.C.Title, Data: v})
}

// baseURL is the configured public address, or else the address this
// request came to, so that links in open data are always absolute.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
