package ballot

import (
	"time"
)

// Status is a petition's stored lifecycle stage.
type Status string

// Petition lifecycle: unconfirmed (campaigner has not clicked the email
// link) → sponsoring (gathering sponsors through the share link) →
// moderation (council review) → open | rejected. An open petition is shown
// as threshold met once ThresholdMetAt is set, and as closed once its
// window is over; State derives both.
const (
	StatusUnconfirmed  Status = "unconfirmed"
	StatusSponsoring   Status = "sponsoring"
	StatusModeration   Status = "moderation"
	StatusOpen         Status = "open"
	StatusThresholdMet Status = "threshold_met" // derived only
	StatusClosed       Status = "closed"        // derived only
	StatusRejected     Status = "rejected"
)

// CountPolicy says whether the signature count is public while signing is open.
type CountPolicy string

// Count policies.
const (
	CountLive   CountPolicy = "live"
	CountSealed CountPolicy = "sealed" // no number anywhere until the window closes
)

// Petition is a recall petition against a contract.
type Petition struct {
	ID              int64
	ContractID      int64
	Title           string
	Reasons         string
	CampaignerName  string
	CampaignerEmail string
	Status          Status
	RejectionReason string
	SponsorsNeeded  int
	SponsorCount    int // confirmed sponsors
	CountPolicy     CountPolicy
	// Threshold and the electorate snapshot are fixed when the petition opens.
	Threshold  int
	Electorate Electorate
	OpenedAt   time.Time
	ClosesAt   time.Time
	// ThresholdMetAt is set once, in the transaction whose confirmation
	// crossed the threshold, and never cleared.
	ThresholdMetAt time.Time
	// SignatureCount is the confirmed signatures, kept as a counter.
	SignatureCount int
	// Milestone is the highest of 25, 50, 75 and 100 (percent of the
	// threshold) reached so far, or 0.
	Milestone int
	CreatedAt time.Time
}

// State is the stage a person sees at now.
func (p *Petition) State(now time.Time) Status {
	if p.Status != StatusOpen {
		return p.Status
	}
	if !p.ClosesAt.IsZero() && !now.Before(p.ClosesAt) {
		if !p.ThresholdMetAt.IsZero() {
			return StatusThresholdMet
		}
		return StatusClosed
	}
	if !p.ThresholdMetAt.IsZero() {
		return StatusThresholdMet
	}
	return StatusOpen
}

// PublicState is the stage the public is shown at now: State, except that
// a sealed petition shows as open, not threshold met, until its count is
// public, since saying the threshold was met would publish a forecast.
func (p *Petition) PublicState(now time.Time) Status {
	st := p.State(now)
	if st == StatusThresholdMet && !p.CountPublic(now) {
		return StatusOpen
	}
	return st
}

// AcceptsSignatures reports whether signatures (and their confirmations)
// may be taken at now: the petition is published and its window is open.
// Signing goes on after the threshold is met, until the window closes, so
// the council sees the full strength of feeling.
func (p *Petition) AcceptsSignatures(now time.Time) bool {
	return p.Status == StatusOpen && now.Before(p.ClosesAt)
}

// AcceptsSponsors reports whether sponsors may sign through the share link.
func (p *Petition) AcceptsSponsors() bool { return p.Status == StatusSponsoring }

// AcceptsWithdrawals reports whether a signature may be withdrawn at now:
// while the petition gathers sponsors or its signing window is open, and
// never after it closes, when the count is final.
func (p *Petition) AcceptsWithdrawals(now time.Time) bool {
	return p.AcceptsSignatures(now) || p.Status == StatusSponsoring
}

// CountPublic reports whether the signature count may be shown at now:
// always for a live count, and only once the window has closed for a sealed one.
func (p *Petition) CountPublic(now time.Time) bool {
	if p.CountPolicy != CountSealed {
		return true
	}
	return p.Status == StatusOpen && !now.Before(p.ClosesAt) || p.Status == StatusRejected
}

// MilestoneFor returns the highest milestone (25, 50, 75 or 100) that count
// reaches of threshold, or 0.
func MilestoneFor(count, threshold int) int {
	if threshold <= 0 {
		return 0
	}
	for _, m := range []int{100, 75, 50, 25} {
		if count*100 >= threshold*m {
			return m
		}
	}
	return 0
}

// Validate checks a new petition as the campaigner types it.
func (p *Petition) Validate() error {
	ve := &ValidationError{}
	ve.Text("title", "Title", p.Title, "Enter what the petition asks for", 150)
	ve.Text("reasons", "Reasons", p.Reasons, "Enter the reasons for the petition", 5000)
	ve.Text("name", "Your name", p.CampaignerName, "Enter your name", 200)
	oneLine(ve, "title", "Title", p.Title)
	oneLine(ve, "name", "Your name", p.CampaignerName)
	if p.ContractID <= 0 {
		ve.Add("contract", "Select the contract this petition is about")
	}
	ve.Email("email", p.CampaignerEmail)
	if p.CountPolicy != CountLive && p.CountPolicy != CountSealed {
		ve.Add("count_policy", "Choose whether the count is shown while signing is open")
	}
	return ve.Err()
}

// CanModerate checks that the petition is waiting for the council.
func (p *Petition) CanModerate() error {
	if p.Status != StatusModeration {
		return ErrBadTransition
	}
	return nil
}

// ValidateRejection checks the reason a council gives for rejecting.
func ValidateRejection(reason string) error {
	ve := &ValidationError{}
	ve.Text("reason", "Reason", reason, "Give the reason the petition is rejected", 2000)
	return ve.Err()
}
