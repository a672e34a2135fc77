package ballot_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// The mails are written out in full: a mail that named a count, dropped a
// link or greeted the wrong person would fail here.
func TestMails(t *testing.T) {
	p := &ballot.Petition{Title: "End the CleanCo contract", CampaignerName: "Jo Bloggs", SponsorsNeeded: 5,
		Threshold: 4822, SignatureCount: 4900, RejectionReason: "It names no contract."}
	s := &ballot.Signature{Name: "Sam Smith"}
	at := time.Date(2026, 5, 1, 13, 4, 5, 0, time.FixedZone("BST", 3600))
	for _, tc := range []struct {
		name          string
		subject, body string
		wantSubject   string
		wantBody      string
	}{
		{"campaigner", "", "", "Confirm your petition: End the CleanCo contract",
			"Dear Jo Bloggs,\n\nYou started a recall petition on OurSay:\n  End the CleanCo contract\n\n" +
				"Confirm your email address to continue. Open this link:\nhttps://x.test/c\n\n" +
				"Then share the sponsor link you will be given. Once 5 sponsors have signed,\n" +
				"the council checks the petition and publishes it.\n\nIf you did not start this petition, ignore this email.\n"},
		{"signature", "", "", "Confirm your signature: End the CleanCo contract",
			"Dear Sam Smith,\n\nThank you for signing the petition:\n  End the CleanCo contract\n\n" +
				"Your signature counts only once you confirm it. Open this link:\nhttps://x.test/c\n\n" +
				"If you change your mind while the petition is open, you can withdraw your signature here:\nhttps://x.test/w\n\n" +
				"If you did not sign this petition, ignore this email and nothing will be counted.\n"},
		{"moderation", "", "", "Petition waiting for moderation: End the CleanCo contract",
			"A recall petition has gathered its sponsors and is waiting for the council to check it:\n" +
				"  End the CleanCo contract\n\nPublish it, or reject it with a reason, here:\nhttps://x.test/a\n"},
		{"threshold", "", "", "Recall threshold met: End the CleanCo contract",
			"The recall petition below has met its threshold of 4822 confirmed signatures.\n  End the CleanCo contract\n\n" +
				"Threshold met at 1 May 2026 12:04:05 (UTC).\n\n" +
				"Under the contract's recall rule the council must now act: a recall ballot can be set up\n" +
				"from the council dashboard.\nhttps://x.test/p\n"},
		{"rejection", "", "", "Your petition was not published: End the CleanCo contract",
			"Dear Jo Bloggs,\n\nThe council has checked your petition and has not published it. The reason given:\n\n" +
				"It names no contract.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			switch tc.name {
			case "campaigner":
				tc.subject, tc.body = ballot.CampaignerMail(p, "https://x.test/c")
			case "signature":
				tc.subject, tc.body = ballot.SignatureMail(p, s, "https://x.test/c", "https://x.test/w")
			case "moderation":
				tc.subject, tc.body = ballot.ModerationMail(p, "https://x.test/a")
			case "threshold":
				tc.subject, tc.body = ballot.ThresholdMail(p, at, "https://x.test/p")
			case "rejection":
				tc.subject, tc.body = ballot.RejectionMail(p)
			}
			if tc.subject != tc.wantSubject {
				t.Errorf("subject %q, want %q", tc.subject, tc.wantSubject)
			}
			if tc.body != tc.wantBody {
				t.Errorf("body:\n%s\nwant:\n%s", tc.body, tc.wantBody)
			}
		})
	}
}
