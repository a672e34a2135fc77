package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Staff pages against scripted signing: the review list of held
// signatures (on the petition page), signing activity per hour and
// postcode, and the block list of email domains.

// heldView is one held signature on the review list.
type heldView struct {
	*ballot.Signature
	Why       string
	Confirmed bool
}

func heldViews(sigs []*ballot.Signature) []heldView {
	out := make([]heldView, len(sigs))
	for i, sg := range sigs {
		out[i] = heldView{Signature: sg, Why: sg.ReviewReason.Describe(), Confirmed: sg.Status == ballot.SignatureConfirmed}
	}
	return out
}

type reviewAction func(ctx context.Context, petitionID, signatureID int64, actor string) error

func (s *Server) adminApproveSignature(w http.ResponseWriter, r *http.Request) {
	s.reviewSignature(w, r, s.cfg.Stores.Petitions.ApproveSignature,
		"Signature approved. It counts once its email address is confirmed: at once, if it already was.")
}

func (s *Server) adminRejectSignature(w http.ResponseWriter, r *http.Request) {
	s.reviewSignature(w, r, s.cfg.Stores.Petitions.RejectSignature, "Signature rejected. It was never counted.")
}

func (s *Server) reviewSignature(w http.ResponseWriter, r *http.Request, act reviewAction, msg string) {
	id, err := petitionID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil {
		s.fail(w, r, ballot.ErrNotFound)
		return
	}
	switch err := act(r.Context(), id, sid, s.actor(r)); {
	case errors.Is(err, ballot.ErrNotFound):
		s.flash(r, "That signature is no longer waiting for review.")
	case errors.Is(err, ballot.ErrNotOpen):
		s.flash(r, "Signing has closed, so a held signature can no longer be counted. Reject it, or leave it uncounted.")
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		s.flash(r, msg)
	}
	http.Redirect(w, r, "/admin/petitions/"+strconv.FormatInt(id, 10)+"#review", http.StatusSeeOther)
}

// activityWindow is how far back the hourly counts go.
const activityWindow = 48 * time.Hour

// topPostcodes is how many postcodes the activity page lists.
const topPostcodes = 20

// activityView is the signing activity page.
type activityView struct {
	P         *ballot.Petition
	Hours     []hourRow // newest first
	Postcodes []ballot.PostcodeCount
	Held      int
	Max       int // the busiest hour, for the bars
	Bursts    int
}

type hourRow struct {
	ballot.HourCount
	Burst bool
}

func (s *Server) adminPetitionActivity(w http.ResponseWriter, r *http.Request) {
	p, err := s.pathPetition(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := p.ID
	a, err := s.cfg.Stores.Petitions.SignatureActivity(r.Context(), id, s.cfg.Now().Add(-activityWindow), topPostcodes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &activityView{P: p, Postcodes: a.Postcodes, Held: a.Held}
	bursts := markBursts(a.Hours)
	for i := len(a.Hours) - 1; i >= 0; i-- {
		v.Hours = append(v.Hours, hourRow{a.Hours[i], bursts[i]})
		v.Max = max(v.Max, a.Hours[i].Made)
		if bursts[i] {
			v.Bursts++
		}
	}
	s.render(w, r, http.StatusOK, "admin_petition_activity", &page{Title: "Signing activity: " + p.Title, Data: v})
}

// A burst is an hour with at least burstMin signatures and more than
// burstFactor times the median hour of the window.
const (
	burstMin    = 10
	burstFactor = 3
)

// markBursts reports which hours stand out from the window's usual rate.
func markBursts(hours []ballot.HourCount) []bool {
	made := make([]int, len(hours))
	for i, h := range hours {
		made[i] = h.Made
	}
	slices.Sort(made)
	median := 0
	if len(made) > 0 {
		median = made[len(made)/2]
	}
	out := make([]bool, len(hours))
	for i, h := range hours {
		out[i] = h.Made >= burstMin && h.Made > burstFactor*median
	}
	return out
}

// blockedView is the block list page.
type blockedView struct {
	Domains []ballot.BlockedDomain
}

var blockFieldOrder = []string{"domain", "reason"}

func (s *Server) adminBlockedDomains(w http.ResponseWriter, r *http.Request) {
	s.renderBlocked(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderBlocked(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	list, err := s.cfg.Stores.Petitions.BlockedDomains(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{Title: "Blocked email domains", Data: &blockedView{Domains: list}, Form: form}
	if fields != nil {
		p.setErrors(fields, blockFieldOrder)
	}
	s.render(w, r, status, "admin_blocked_domains", p)
}

func (s *Server) adminBlockDomain(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	b := &ballot.BlockedDomain{Domain: strings.TrimSpace(r.PostForm.Get("domain")), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	err := s.cfg.Stores.Petitions.BlockDomain(r.Context(), b, s.actor(r))
	var ve *ballot.ValidationError
	switch {
	case errors.As(err, &ve):
		s.renderBlocked(w, r, http.StatusUnprocessableEntity, r.PostForm, ve.Fields)
	case errors.Is(err, ballot.ErrDuplicate):
		s.renderBlocked(w, r, http.StatusConflict, r.PostForm, map[string]string{"domain": "This domain is already blocked"})
	case err != nil:
		s.fail(w, r, err)
	default:
		s.flash(r, "Signatures from "+b.Domain+" (and its subdomains) are now refused. Signatures already made are unchanged: "+
			"invalidate them on a petition's page if they should not count.")
		http.Redirect(w, r, "/admin/blocked-domains", http.StatusSeeOther)
	}
}

func (s *Server) adminUnblockDomain(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	domain := r.PostForm.Get("domain")
	switch err := s.cfg.Stores.Petitions.UnblockDomain(r.Context(), domain, s.actor(r)); {
	case errors.Is(err, ballot.ErrNotFound):
		s.flash(r, "That domain was not on the list.")
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		s.flash(r, "Signatures from "+ballot.NormaliseDomain(domain)+" are accepted again.")
	}
	http.Redirect(w, r, "/admin/blocked-domains", http.StatusSeeOther)
}
