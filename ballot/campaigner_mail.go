package ballot

import (
	"fmt"
	"time"

	"github.com/oursay/oursay/consult"
)

// The campaigner's mail: one at each stage of their petition, so they
// never have to come back to find out what happened. Each is queued in the
// transaction that reached its stage (see PetitionStore), so each goes
// once. Like every mail to the public they open with the council's fixed
// wording and quote the title. Only the closing mail carries a count, and
// it is sent once signing has closed, when every count is public.

// CampaignerConfirmedMail goes to a campaigner who has just confirmed their
// address: the sponsor link to share while the petition gathers sponsors,
// or, for a petition that needs none, word that the council checks it next.
func CampaignerConfirmedMail(p *Petition, sponsorURL string) (subject, body string) {
	if p.Status != StatusSponsoring {
		return SponsorsCompleteMail(p)
	}
	return "Share your petition with sponsors: " + p.Title, lines(
		councilSite+" You have confirmed your email address for the recall petition:",
		"  "+quote(p.Title),
		"",
		"It needs "+itoa(p.SponsorsNeeded)+" sponsors: people who live in the council's area and support it.",
		"Share this link with them:",
		sponsorURL,
		"",
		"Once they have signed and confirmed, the council checks the petition and publishes it.",
		"The same link then leads to the published petition, so you can keep sharing it.",
		"We will email you at each stage.")
}

// SponsorsCompleteMail tells the campaigner their petition has its
// sponsors and waits for the council's check.
func SponsorsCompleteMail(p *Petition) (subject, body string) {
	return "Your petition is waiting for the council's check: " + p.Title, lines(
		councilSite+" Your recall petition has all the sponsors it needs:",
		"  "+quote(p.Title),
		"",
		"The council now checks it. It then publishes it, or tells you why not.",
		"We will email you either way.")
}

// PublishedMail tells the campaigner their petition is open for signing,
// with its page, its QR code and its poster.
func PublishedMail(p *Petition, now time.Time, links Links) (subject, body string) {
	return "Your petition is published: " + p.Title, lines(
		councilSite+" The council has published your recall petition, and anyone who lives in the area can sign it:",
		"  "+quote(p.Title),
		"",
		"It needs to meet its threshold of "+consult.GroupDigits(p.Threshold)+" confirmed signatures. Signing "+lowerFirst(p.Closing(now))+".",
		"",
		"The petition's page, to share:",
		links.Petition(p.ID),
		"",
		"Its QR code, which opens the page, for leaflets and posts:",
		links.PetitionQR(p.ID),
		"",
		"A poster with the QR code, to print:",
		links.PetitionPoster(p.ID))
}

// CampaignerThresholdMail tells the campaigner their petition met its
// threshold. It states the threshold, not the count; for a sealed petition
// it is held until signing closes, as the council's is.
func CampaignerThresholdMail(p *Petition, links Links) (subject, body string) {
	return "Your petition has met its threshold: " + p.Title, lines(
		councilSite+" Your recall petition has met its threshold of "+consult.GroupDigits(p.Threshold)+" confirmed signatures:",
		"  "+quote(p.Title),
		"",
		"The council must now act under the contract's recall rule, which can mean a recall ballot.",
		"Signing stays open until the petition closes. We will email you when it does.",
		links.Petition(p.ID))
}

// SignCloseDue reports whether signing has closed at now on a published
// petition: the moment its campaigner is sent the final count.
func (p *Petition) SignCloseDue(now time.Time) bool {
	return p.Status == StatusOpen && !p.ClosesAt.IsZero() && !now.Before(p.ClosesAt)
}

// ClosedMail tells the campaigner signing has closed, with the final count
// (public now for every count policy) and whether it met the threshold.
func ClosedMail(p *Petition, links Links) (subject, body string) {
	met := "It did not meet its threshold of " + consult.GroupDigits(p.Threshold) + "."
	if !p.ThresholdMetAt.IsZero() {
		met = "It met its threshold of " + consult.GroupDigits(p.Threshold) + ", so the council must act under the contract's recall rule."
	}
	return "Signing has closed: " + p.Title, lines(
		councilSite+" Signing has closed on your recall petition:",
		"  "+quote(p.Title),
		"",
		"Final count: "+consult.GroupDigits(p.SignatureCount)+" confirmed signatures. "+met,
		links.Petition(p.ID))
}

// BallotOpenedMail tells the campaigner a recall ballot on their petition
// was opened at now: voters are sent their codes by letter.
func BallotOpenedMail(p *Petition, b *Ballot, now time.Time, links Links) (subject, body string) {
	when := "Voting " + lowerFirst(b.Closing(now)) + "."
	if now.Before(b.OpensAt) {
		when = "Voting starts at " + b.OpensAt.In(consult.London).Format("3:04pm on 2 January 2006") +
			" and " + lowerFirst(b.Closing(now)) + "."
	}
	return "A recall ballot is open: " + p.Title, lines(
		councilSite+" The council has opened a recall ballot after your petition:",
		"  "+quote(p.Title),
		"",
		"The question: "+quote(b.Question),
		when+" Each voter gets a letter with a voter code.",
		"We will email you the result when the council closes the ballot.",
		links.Ballot(b.ID))
}

// BallotResultMail tells the campaigner the result of the recall ballot on
// their petition: the votes for each option, the turnout and the outcome.
func BallotResultMail(p *Petition, b *Ballot, r Result, links Links) (subject, body string) {
	ls := []string{
		councilSite + " The council has closed the recall ballot after your petition:",
		"  " + quote(p.Title),
		"",
		"The question: " + quote(b.Question),
	}
	for _, o := range b.Options {
		ls = append(ls, fmt.Sprintf("%s: %s votes", o.Label, consult.GroupDigits(r.Counts[o.ID])))
	}
	quorum := "reached"
	if !r.QuorumMet {
		quorum = "not reached"
	}
	outcome := "The outcome: no recall."
	if r.Recall {
		outcome = "The outcome: the contract is to be recalled."
	}
	ls = append(ls, fmt.Sprintf("Turnout: %s of %s voters (%s), quorum of %s %s.", consult.GroupDigits(r.VotesCast), consult.GroupDigits(b.CodesIssued),
		percentText(r.Turnout), percentText(b.QuorumBasisPoints), quorum), outcome, links.Ballot(b.ID))
	return "Recall ballot result: " + p.Title, lines(ls...)
}

// percentText prints basis points as a percentage: 2500 is "25%", 3333 is
// "33.33%".
func percentText(bp int) string {
	if bp%100 == 0 {
		return itoa(bp/100) + "%"
	}
	return fmt.Sprintf("%d.%02d%%", bp/100, bp%100)
}

// lowerFirst lowers a closing line's first letter to follow "Signing" or
// "Voting": "Closes at …" reads "closes at …".
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
