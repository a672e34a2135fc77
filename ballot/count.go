package ballot

import (
	"fmt"
	"time"
)

// Effects is what counting one change to a petition's signatures means:
// the counters to move, the stage reached and what to record and send.
// Petition.Count decides it; db applies every part in the transaction
// that made the change, and decides nothing itself.
type Effects struct {
	// Signatures is added to the signature counter and to the ward's.
	Signatures int
	// Sponsors is added to the confirmed-sponsor counter.
	Sponsors int
	// Status, when not empty, is the petition's new stored stage:
	// moderation, once its sponsors are complete.
	Status Status
	// Milestone, when not 0, is the new highest milestone reached.
	Milestone int
	// ThresholdMet is true when this count met the threshold: the moment
	// is recorded once (never over an earlier one) as now.
	ThresholdMet bool
	// Audit are the system's audit entries, in order.
	Audit []AuditNote
	// Mail is the mail to council staff, in order.
	Mail []Notice
	// Campaigner is the mail to the petition's campaigner, in order: one
	// for each stage the count reached (sponsors complete, threshold met).
	// Each stage is reached once, in the transaction that reached it, so
	// each mail is queued once.
	Campaigner []Notice
}

// AuditNote is one audit entry made by the system about the petition.
type AuditNote struct {
	Action, Detail string
}

// Notice is a mail the domain decided to send: to every council staff
// member (Effects.Mail) or to the campaigner (Effects.Campaigner). It is
// held until SendAfter when that is set.
type Notice struct {
	Subject, Body string
	SendAfter     time.Time
}

// Count counts delta confirmed signatures at now (a sponsor's if sponsor,
// which also counts towards the sponsors, or, withdrawn, no longer does),
// updates p to match and returns
// the effects to store. Confirmation, a moderator's approval, paper entry,
// withdrawal and invalidation all come here, so milestones and the
// threshold moment follow one path.
//
// Once the sponsors are complete the petition moves to moderation and
// staff and the campaigner are told. On the way up the highest milestone (25, 50, 75, 100 per
// cent of the threshold) is recorded, each below 100 with an audit entry;
// the first count that meets the threshold records the moment, an audit
// entry and mail to staff and the campaigner. For a sealed petition that mail waits until
// signing closes, so it publishes no forecast. On the way down nothing is
// unrecorded.
func (p *Petition) Count(now time.Time, sponsor bool, delta int, links Links) Effects {
	var e Effects
	if sponsor && delta > 0 {
		p.countSponsor(&e, links)
	} else if sponsor && delta < 0 {
		// A withdrawn sponsor no longer counts towards the sponsors; a
		// petition already past sponsoring stays where it is.
		p.SponsorCount--
		e.Sponsors = -1
	}
	e.Signatures = delta
	p.SignatureCount += delta
	// Only a count going up reaches a milestone or the threshold.
	if delta <= 0 || p.Threshold <= 0 {
		return e
	}
	if m := MilestoneFor(p.SignatureCount, p.Threshold); m > p.Milestone {
		p.Milestone, e.Milestone = m, m
		if m < 100 {
			e.Audit = append(e.Audit, AuditNote{"petition.milestone",
				fmt.Sprintf("%d%% of the threshold of %d reached", m, p.Threshold)})
		}
	}
	if !p.ThresholdMetAt.IsZero() || p.SignatureCount < p.Threshold {
		return e
	}
	p.ThresholdMetAt, e.ThresholdMet = now, true
	e.Audit = append(e.Audit, AuditNote{"petition.threshold_met", fmt.Sprintf("threshold %d met", p.Threshold)})
	m := Notice{}
	if p.CountPolicy == CountSealed {
		m.SendAfter = p.ClosesAt
	}
	c := m
	m.Subject, m.Body = ThresholdMail(p, now, links.Petition(p.ID))
	e.Mail = append(e.Mail, m)
	c.Subject, c.Body = CampaignerThresholdMail(p, links)
	e.Campaigner = append(e.Campaigner, c)
	return e
}

// countSponsor counts a confirmed sponsor and, once there are enough,
// moves the petition to moderation and tells staff and the campaigner.
func (p *Petition) countSponsor(e *Effects, links Links) {
	p.SponsorCount++
	e.Sponsors = 1
	if p.Status != StatusSponsoring || p.SponsorCount < p.SponsorsNeeded {
		return
	}
	p.Status, e.Status = StatusModeration, StatusModeration
	m := Notice{}
	m.Subject, m.Body = ModerationMail(p, links.AdminPetition(p.ID))
	e.Mail = append(e.Mail, m)
	c := Notice{}
	c.Subject, c.Body = SponsorsCompleteMail(p)
	e.Campaigner = append(e.Campaigner, c)
}
