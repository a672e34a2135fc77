package ballot

import (
	"fmt"
	"strings"
	"time"
)

// Email texts. They never carry a signature count, so a sealed petition
// leaks nothing through the outbox. Each opens with fixed council wording;
// what people typed (names, titles: one line each, see oneLine) is quoted
// after it, never used as the greeting, so it cannot pass for the
// council's own words.

// councilSite opens every mail to the public.
const councilSite = "This is the council's petitions site, OurSay."

// quote puts typed text in double quotes.
func quote(s string) string { return "\"" + s + "\"" }

// CampaignerMail asks a campaigner to confirm their email address.
func CampaignerMail(p *Petition, confirmURL string) (subject, body string) {
	return "Confirm your petition: " + p.Title, lines(
		councilSite+" A recall petition was started with this email address:",
		"  "+quote(p.Title),
		"Name given: "+quote(p.CampaignerName),
		"",
		"Confirm your email address to continue: open this link, then press the Confirm button on the page.",
		confirmURL,
		"",
		"Then share the sponsor link you will be given. Once "+itoa(p.SponsorsNeeded)+" sponsors have signed,",
		"the council checks the petition and publishes it.",
		"",
		"If you did not start this petition, ignore this email.")
}

// SignatureMail asks a signer to confirm, and tells them how to withdraw.
func SignatureMail(p *Petition, s *Signature, confirmURL, withdrawURL string) (subject, body string) {
	return "Confirm your signature: " + p.Title, lines(
		councilSite+" This email address was used to sign the recall petition:",
		"  "+quote(p.Title),
		"Name given: "+quote(s.Name),
		"",
		"Your signature counts only once you confirm it: open this link, then press the Confirm button on the page.",
		confirmURL,
		"",
		"If you change your mind while the petition is open, you can withdraw your signature here:",
		withdrawURL,
		"",
		"If you did not sign this petition, ignore this email and nothing will be counted.")
}

// AlreadySignedMail tells the address typed on a sign form that the
// petition has already been signed with the details given, so nothing was
// saved. The form's answer is the same as for a new signature, so only the
// owner of the address learns this; the mail names nobody and repeats
// nothing beyond the petition's title.
func AlreadySignedMail(p *Petition) (subject, body string) {
	return "Petition already signed: " + p.Title, lines(
		councilSite+" This email address was used again to sign the recall petition:",
		"  "+quote(p.Title),
		"",
		"This petition has already been signed with the details given, so nothing new was recorded.",
		"Each person can sign a petition once, and the first signature still counts.",
		"",
		"If this was not you, you do not need to do anything.")
}

// ModerationMail tells council staff a petition awaits moderation.
func ModerationMail(p *Petition, adminURL string) (subject, body string) {
	return "Petition waiting for moderation: " + p.Title, lines(
		"A recall petition has gathered its sponsors and is waiting for the council to check it:",
		"  "+p.Title,
		"",
		"Publish it, or reject it with a reason, here:",
		adminURL)
}

// ThresholdMail tells the council a petition met its threshold. It states
// the threshold (public from the rule) but no running count.
func ThresholdMail(p *Petition, at time.Time, pageURL string) (subject, body string) {
	return "Recall threshold met: " + p.Title, lines(
		"The recall petition below has met its threshold of "+itoa(p.Threshold)+" confirmed signatures.",
		"  "+p.Title,
		"",
		fmt.Sprintf("Threshold met at %s (UTC).", at.UTC().Format("2 January 2006 15:04:05")),
		"",
		"Under the contract's recall rule the council must now act: a recall ballot can be set up",
		"from the council dashboard.",
		pageURL)
}

// RejectionMail tells a campaigner why their petition was rejected.
func RejectionMail(p *Petition) (subject, body string) {
	return "Your petition was not published: " + p.Title, lines(
		councilSite+" The council has checked your recall petition and has not published it:",
		"  "+quote(p.Title),
		"",
		"The reason given:",
		"",
		p.RejectionReason)
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }
