package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// campaignerMail returns the subjects of the mail queued to the
// campaigner, in order, and the body of the newest.
func (e *petitionEnv) campaignerMail() (subjects []string, last string) {
	e.t.Helper()
	rows, err := e.d.Reader().Query(`SELECT subject, body FROM outbox WHERE to_addr = 'sam@example.org' ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s, &last); err != nil {
			e.t.Fatal(err)
		}
		subjects = append(subjects, strings.TrimSuffix(s, ": End the CleanCo contract"))
	}
	return subjects, last
}

// wantCampaignerMail checks the campaigner's mail so far: each stage once.
func (e *petitionEnv) wantCampaignerMail(want ...string) string {
	e.t.Helper()
	got, last := e.campaignerMail()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		e.t.Fatalf("campaigner mail:\n got %q\nwant %q", got, want)
	}
	return last
}

// TestCampaignerMail_EachStageOnce follows a petition from its start to
// its ballot's result: the campaigner is mailed once at each stage, in the
// transaction that reached it, and never again when the step is repeated
// or a later change passes the same stage.
func TestCampaignerMail_EachStageOnce(t *testing.T) {
	ctx := context.Background()
	be := newBallotEnv(t) // threshold 6: the five sponsors and a paper signature
	e, p := be.petitionEnv, be.petition
	be.bs.BaseURL = testBase
	body := e.wantCampaignerMail("Confirm your petition", "Share your petition with sponsors",
		"Your petition is waiting for the council's check", "Your petition is published", "Your petition has met its threshold")
	if !strings.Contains(body, testBase+"/petitions/"+itoa(p.ID)+"\n") {
		t.Errorf("threshold mail does not link the petition: %q", body)
	}
	_, published := e.mailWithSubject("Your petition is published")
	for _, link := range []string{"/petitions/" + itoa(p.ID) + "\n", "/petitions/" + itoa(p.ID) + "/qr.png\n", "/petitions/" + itoa(p.ID) + "/poster\n"} {
		if !strings.Contains(published, testBase+link) {
			t.Errorf("published mail lacks %s: %q", link, published)
		}
	}
	_, share := e.mailWithSubject("Share your petition with sponsors")
	token, _ := e.ps.ShareToken(ctx, p.ID)
	if !strings.Contains(share, testBase+"/petitions/"+itoa(p.ID)+"/sponsor?token="+token+"\n") {
		t.Errorf("sponsor link not mailed: %q", share)
	}

	// A second press of the campaigner's link, and a signature past the
	// threshold, mail nothing new.
	confirm := e.campaignerToken()
	if _, already, err := e.ps.ConfirmCampaigner(ctx, confirm); err != nil || !already {
		t.Fatalf("second confirm: already %v, %v", already, err)
	}
	if err := e.ps.AddPaperSignature(ctx, p.ID, &ballot.Signature{Name: "Another Person", Postcode: "AB2 4GH", Sheet: "S1", Line: 2, Resident: true}, officer); err != nil {
		t.Fatal(err)
	}
	e.wantCampaignerMail("Confirm your petition", "Share your petition with sponsors",
		"Your petition is waiting for the council's check", "Your petition is published", "Your petition has met its threshold")

	// Signing closes: the sweep mails the final count once, however often
	// it runs; before the close it mails nothing.
	if n, err := e.ps.MailClosed(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before close: %d, %v", n, err)
	}
	e.d.Now = func() time.Time { return p.ClosesAt.Add(time.Second) }
	for i := range 3 {
		n, err := e.ps.MailClosed(ctx)
		if err != nil || n != map[int]int{0: 1}[i] {
			t.Fatalf("sweep %d after close: mailed %d, %v", i, n, err)
		}
	}
	e.d.Now = nil
	body = e.wantCampaignerMail("Confirm your petition", "Share your petition with sponsors",
		"Your petition is waiting for the council's check", "Your petition is published", "Your petition has met its threshold",
		"Signing has closed")
	if !strings.Contains(body, "Final count: 7 confirmed signatures. It met its threshold of 6") {
		t.Errorf("closing mail lacks the final count: %q", body)
	}

	// The ballot: opened, then closed with its result.
	b, codes := be.open(4)
	if _, err := be.vote(b, codes[0], 0); err != nil {
		t.Fatal(err)
	}
	if err := be.bs.Open(ctx, b.ID, officer); err == nil {
		t.Fatal("opened twice")
	}
	if _, err := be.bs.Close(ctx, b.ID, officer); err != nil {
		t.Fatal(err)
	}
	if _, err := be.bs.Close(ctx, b.ID, officer); err == nil {
		t.Fatal("closed twice")
	}
	body = e.wantCampaignerMail("Confirm your petition", "Share your petition with sponsors",
		"Your petition is waiting for the council's check", "Your petition is published", "Your petition has met its threshold",
		"Signing has closed", "A recall ballot is open", "Recall ballot result")
	for _, want := range []string{"Yes: 1 votes", "No: 0 votes", "Turnout: 1 of 4 voters (25%), quorum of 25% reached.",
		"The outcome: the contract is to be recalled.", testBase + "/ballots/" + itoa(b.ID) + "\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("result mail lacks %q: %q", want, body)
		}
	}
}

// TestCampaignerMail_Rejected: a rejection mails the reason once.
func TestCampaignerMail_Rejected(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 10)
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam Campaigner", CampaignerEmail: "sam@example.org", CountPolicy: ballot.CountLive, SponsorsNeeded: -1}
	if err := e.ps.CreatePetition(ctx, p, testBase); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.ps.ConfirmCampaigner(ctx, e.campaignerToken()); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Reject(ctx, p.ID, "It names no contract.", officer); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Reject(ctx, p.ID, "Again.", officer); err == nil {
		t.Fatal("rejected twice")
	}
	body := e.wantCampaignerMail("Confirm your petition", "Your petition is waiting for the council's check", "Your petition was not published")
	if !strings.Contains(body, "It names no contract.") {
		t.Errorf("rejection mail lacks the reason: %q", body)
	}
}

// TestMailClosed_SealedAndNotMet: the closing sweep mails a sealed
// petition's count (public once closed) and says a threshold was not met.
func TestMailClosed_SealedAndNotMet(t *testing.T) {
	ctx := context.Background()
	e := newPetitionEnv(t, 100)
	p := e.openPetition(ballot.CountSealed)
	e.d.Now = func() time.Time { return p.ClosesAt }
	if n, err := e.ps.MailClosed(ctx); err != nil || n != 1 {
		t.Fatalf("sweep at the close: %d, %v", n, err)
	}
	_, body := e.campaignerMail()
	if !strings.Contains(body, "Final count: 5 confirmed signatures. It did not meet its threshold of 100.") {
		t.Errorf("closing mail: %q", body)
	}
	// Another store on the same database (a second process) finds nothing.
	other := db.NewPetitionStore(e.d)
	if n, err := other.MailClosed(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep: %d, %v", n, err)
	}
}

// campaignerToken reads the campaigner's confirmation token from the first
// mail they were sent.
func (e *petitionEnv) campaignerToken() string {
	e.t.Helper()
	_, body := e.mailWithSubject("Confirm your petition")
	i := strings.Index(body, "confirm?token=")
	if i < 0 {
		e.t.Fatalf("no token in %q", body)
	}
	tok, _, _ := strings.Cut(body[i+len("confirm?token="):], "\n")
	return tok
}

// mailWithSubject returns the first campaigner mail whose subject starts so.
func (e *petitionEnv) mailWithSubject(prefix string) (subject, body string) {
	e.t.Helper()
	err := e.d.Reader().QueryRow(`SELECT subject, body FROM outbox WHERE to_addr = 'sam@example.org'
		AND subject LIKE ? || '%' ORDER BY id LIMIT 1`, prefix).Scan(&subject, &body)
	if err != nil {
		e.t.Fatalf("no mail %q: %v", prefix, err)
	}
	return subject, body
}
