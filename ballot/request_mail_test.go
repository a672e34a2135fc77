package ballot

import (
	"testing"
	"time"
)

// TestRequestLinks: every link a request's mail carries, exactly.
func TestRequestLinks(t *testing.T) {
	l := Links{Base: "https://x.test"}
	for got, want := range map[string]string{
		l.Request(42):           "https://x.test/requests/42",
		l.AdminRequest(42):      "https://x.test/admin/requests/42",
		l.ConfirmRequest("tok"): "https://x.test/requests/confirm?token=tok",
		l.ConfirmFollow("tok"):  "https://x.test/requests/follow/confirm?token=tok",
		l.StopFollowing("tok"):  "https://x.test/requests/follow/stop?token=tok",
	} {
		if got != want {
			t.Errorf("link %q, want %q", got, want)
		}
	}
}

// TestRequestMails: the confirmation, follow and moderation mails say
// what happened, quote what the asker typed after the council's words,
// and give the due date only when the clock has one.
func TestRequestMails(t *testing.T) {
	r := validRequest()
	subject, body := RequestConfirmMail(r, "Waste collection", "https://x.test/c")
	if want := "Confirm your information request: Missed bin collections"; subject != want {
		t.Errorf("confirm subject %q", subject)
	}
	want := requestSite + " This email address was used to ask the council about the contract\n" +
		"  \"Waste collection\"\nTitle of the request: \"Missed bin collections\"\nName given: \"Ann Asker\"\n\n" +
		"The council receives your request only once you confirm your email address: open this link, then press the Confirm button on the page.\n" +
		"https://x.test/c\n\nIf you did not ask this, ignore this email and nothing will be sent to the council.\n"
	if body != want {
		t.Errorf("confirm body:\n%s\nwant:\n%s", body, want)
	}

	subject, body = FollowConfirmMail(r, "https://x.test/f", "https://x.test/s")
	want = requestSite + " This email address was given to follow the information request\n  \"Missed bin collections\"\n\n" +
		"To be emailed when the council answers or refuses it, open this link, then press the Confirm button on the page.\n" +
		"https://x.test/f\n\nIf this was not you, ignore this email and you will not be emailed again.\n" +
		"To stop following later, open this link and press the button on the page:\nhttps://x.test/s\n"
	if subject != "Confirm you want to follow: Missed bin collections" || body != want {
		t.Errorf("follow mail %q:\n%s\nwant:\n%s", subject, body, want)
	}

	subject, body = RequestModerationMail(r, "https://x.test/a")
	want = "A resident has asked about a contract and confirmed their email address:\n  Missed bin collections\n\n" +
		"The council must answer within 20 working days of receiving it.\nPublish it, or reject it with a reason, here:\nhttps://x.test/a\n"
	if subject != "Information request waiting for moderation: Missed bin collections" || body != want {
		t.Errorf("moderation mail %q:\n%s\nwant:\n%s", subject, body, want)
	}
	r.DueOn = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
	if _, body = RequestModerationMail(r, "https://x.test/a"); body != "A resident has asked about a contract and confirmed their email address:\n  Missed bin collections\n\n"+
		"The council must answer by 20 January 2027 (20 working days, not counting weekends and bank holidays).\nPublish it, or reject it with a reason, here:\nhttps://x.test/a\n" {
		t.Errorf("moderation mail with a due date:\n%s", body)
	}

	subject, body = FollowerMail("S", "Body\n", "https://x.test/s")
	if subject != "S" || body != "Body\n\nYou get this email because you follow this request. To stop, open this link and press the button on the page:\nhttps://x.test/s\n" {
		t.Errorf("follower mail %q:\n%s", subject, body)
	}
}

// TestDocumentSizes: sizes as people read them, at each unit's edge.
func TestDocumentSizes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KB", 1<<20 - 1: "1023 KB", 1 << 20: "1 MB", 20 << 20: "20 MB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{1: "1 KB", 1024: "1 KB", 1025: "2 KB", 1<<20 - 1: "1024 KB", 1 << 20: "1.0 MB", 3 << 19: "1.5 MB"} {
		if got := (&Document{Size: n}).SizeText(); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
	for ct, want := range map[string]string{TypePDF: "PDF", TypeXLSX: "Excel spreadsheet", TypeODS: "OpenDocument spreadsheet", TypeCSV: "CSV", "": "file"} {
		if got := (&Document{ContentType: ct}).TypeText(); got != want {
			t.Errorf("TypeText(%q) = %q, want %q", ct, got, want)
		}
	}
}

// TestCouncilResponseMail: the campaigner is told what the council did,
// in a sentence, with its reason when it gave one, and where to read more.
func TestCouncilResponseMail(t *testing.T) {
	p := &Petition{Title: "Recall the waste contract"}
	b := &Ballot{ID: 7}
	links := Links{Base: "https://x.test"}
	exercised := &CouncilResponse{Exercised: true, BreakOn: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)}
	subject, body := CouncilResponseMail(p, b, exercised, links)
	want := councilSite + " The council has recorded what it did after the recall ballot on your petition:\n" +
		"  \"Recall the waste contract\"\n\nThe council exercised the break clause: the contract ends on 31 March 2027.\n\nhttps://x.test/ballots/7\n"
	if subject != "The council's response to the recall ballot: Recall the waste contract" || body != want {
		t.Errorf("exercised %q:\n%s\nwant:\n%s", subject, body, want)
	}
	kept := &CouncilResponse{Reason: "The break would cost more than the savings."}
	_, body = CouncilResponseMail(p, b, kept, links)
	want = councilSite + " The council has recorded what it did after the recall ballot on your petition:\n" +
		"  \"Recall the waste contract\"\n\nThe council did not exercise the break clause.\n\n" +
		"The council's reason:\nThe break would cost more than the savings.\n\nhttps://x.test/ballots/7\n"
	if body != want {
		t.Errorf("not exercised:\n%s\nwant:\n%s", body, want)
	}
	if RecallResponseDue != 28*24*time.Hour {
		t.Errorf("RecallResponseDue = %v, want 28 days", RecallResponseDue)
	}
}
