package ballot

import (
	"strconv"
	"time"
)

// RuleKind says how a recall threshold is set.
type RuleKind string

// Rule kinds.
const (
	// RuleShare: a share of the area's electorate, counted against a
	// register snapshot (the Recall of MPs Act model: 10%).
	RuleShare RuleKind = "share"
	// RuleFixed: a fixed number of confirmed signatures.
	RuleFixed RuleKind = "fixed"
)

// DefaultSigningDays is the Recall of MPs Act's six-week signing window.
const DefaultSigningDays = 42

// DefaultSponsors is how many sponsors a petition needs before moderation.
const DefaultSponsors = 5

// RecallRule is a contract's pre-agreed recall threshold and signing window.
type RecallRule struct {
	Kind RuleKind
	// ShareBasisPoints is the share of the electorate in hundredths of a
	// percent: 1000 is 10%.
	ShareBasisPoints int
	// FixedCount is the threshold for RuleFixed.
	FixedCount  int
	SigningDays int
}

// Electorate is a register snapshot: how many electors, counted when.
type Electorate struct {
	Count int
	AsOf  time.Time
}

// Threshold returns the confirmed signatures needed. For a share it is the
// share of the snapshot's count rounded up, and never less than 1.
func (r RecallRule) Threshold(e Electorate) int {
	if r.Kind == RuleFixed {
		return r.FixedCount
	}
	return max((e.Count*r.ShareBasisPoints+9999)/10000, 1)
}

// Window returns the signing window.
func (r RecallRule) Window() time.Duration {
	days := r.SigningDays
	if days <= 0 {
		days = DefaultSigningDays
	}
	return time.Duration(days) * 24 * time.Hour
}

// Describe says the rule in words, e.g. "10% of the electorate".
func (r RecallRule) Describe() string {
	if r.Kind == RuleFixed {
		return strconv.Itoa(r.FixedCount) + " signatures"
	}
	pct := strconv.FormatFloat(float64(r.ShareBasisPoints)/100, 'f', -1, 64)
	return pct + "% of the electorate"
}

func (r RecallRule) validate(ve *ValidationError) {
	switch r.Kind {
	case RuleShare:
		if r.ShareBasisPoints < 1 || r.ShareBasisPoints > 10000 {
			ve.Add("recall_share", "Enter a share of the electorate from 0.01% to 100%")
		}
	case RuleFixed:
		if r.FixedCount < 1 {
			ve.Add("recall_count", "Enter the number of signatures needed, 1 or more")
		}
	default:
		ve.Add("recall_kind", "Choose how the recall threshold is set")
	}
	if r.SigningDays < 0 || r.SigningDays > 366 {
		ve.Add("signing_days", "Signing window must be from 1 to 366 days")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
