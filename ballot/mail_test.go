package ballot_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// The mails are written out in full: a mail that named a count, dropped a
// link or greeted the wrong person would fail here. Each opens with fixed
// council wording and quotes what people typed (names, titles), never as
// a greeting (issue 16 item 5).
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
			"This is the council's petitions site, OurSay. A recall petition was started with this email address:\n" +
				"  \"End the CleanCo contract\"\nName given: \"Jo Bloggs\"\n\n" +
				"Confirm your email address to continue: open this link, then press the Confirm button on the page.\nhttps://x.test/c\n\n" +
				"Then share the sponsor link you will be given. Once 5 sponsors have signed,\n" +
				"the council checks the petition and publishes it.\n\nIf you did not start this petition, ignore this email.\n"},
		{"signature", "", "", "Confirm your signature: End the CleanCo contract",
			"This is the council's petitions site, OurSay. This email address was used to sign the recall petition:\n" +
				"  \"End the CleanCo contract\"\nName given: \"Sam Smith\"\n\n" +
				"Your signature counts only once you confirm it: open this link, then press the Confirm button on the page.\nhttps://x.test/c\n\n" +
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
			"This is the council's petitions site, OurSay. The council has checked your recall petition and has not published it:\n" +
				"  \"End the CleanCo contract\"\n\nThe reason given:\n\n" +
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

// TestValidate_OneLine: names and titles are one line of printable text;
// a line break or control character is refused with a message naming the
// field (issue 16 item 5).
func TestValidate_OneLine(t *testing.T) {
	bad := []string{"Jane\nDear customer, your council tax", "Jane\r\nX", "Jane\tDoe", "Jane\x00", "Jane\u2028Doe",
		"Jane \u202eeoD", "Jane\x7f"}
	for _, name := range bad {
		s := &ballot.Signature{Name: name, Email: "j@example.org", Postcode: "AB1 2CD", Resident: true}
		err := s.Validate()
		ve, ok := err.(*ballot.ValidationError)
		if !ok || ve.Fields["name"] != "Full name must be one line of text, without line breaks or control characters" {
			t.Errorf("signature name %q: got %v", name, err)
		}
		p := &ballot.Petition{ContractID: 1, Title: name, Reasons: "Line one\nline two", CampaignerName: name,
			CampaignerEmail: "c@example.org", CountPolicy: ballot.CountLive}
		err = p.Validate()
		ve, ok = err.(*ballot.ValidationError)
		if !ok || ve.Fields["title"] != "Title must be one line of text, without line breaks or control characters" ||
			ve.Fields["name"] != "Your name must be one line of text, without line breaks or control characters" || ve.Fields["reasons"] != "" {
			t.Errorf("petition title and name %q: got %v", name, err)
		}
	}
	for _, name := range []string{"Zoë O'Brien-Smith", "محمد\u200cرضا", "李小龍"} {
		s := &ballot.Signature{Name: name, Email: "j@example.org", Postcode: "AB1 2CD", Resident: true}
		if err := s.Validate(); err != nil {
			t.Errorf("name %q: %v", name, err)
		}
	}
}
