package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// mailSubject waits for the mail to addr whose subject starts with prefix
// and returns it.
func (e *petitionEnv) mailSubject(addr, prefix string) smtptest.Mail {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range e.smtp.Mails() {
			if strings.HasPrefix(m.Subject, prefix) && len(m.To) == 1 && strings.EqualFold(m.To[0], addr) {
				return m
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.t.Fatalf("no mail %q to %s within 10s", prefix, addr)
	return smtptest.Mail{}
}

// TestCampaigner_SponsorLinkFollowsThePetition is the campaigner's journey
// by HTTP and real mail: the sponsor link is mailed as well as shown; it
// opens the sponsor form, then says the council is checking, then leads
// to the published petition with its form and count. The campaigner's own
// link shows the petition as it now stands, and each stage is mailed.
func TestCampaigner_SponsorLinkFollowsThePetition(t *testing.T) {
	e := newPetitionEnv(t, 10)
	form := url.Values{"contract": {fmt.Sprint(e.contract.ID)}, "title": {"End the CleanCo contract"},
		"reasons": {"Bins missed every week"}, "name": {"Sam"}, "email": {"sam@example.org"}, "count_policy": {"live"}}
	if res := e.post(e.anon, "/petitions", form); res.StatusCode != http.StatusOK {
		t.Fatalf("create: got %d", res.StatusCode)
	}
	own := e.link("sam@example.org", "/petitions/confirm")
	_, page := e.follow(e.anon, own)
	share, err := smtptest.Link(page, "/petitions/*/sponsor")
	if err != nil {
		t.Fatalf("no sponsor link on the page: %v", err)
	}
	if !strings.Contains(page, "data-copy") || !strings.Contains(page, "0 of 5 have signed") {
		t.Errorf("the confirmed page lacks the copy box or the sponsors so far")
	}
	mailed, err := smtptest.Link(e.mailSubject("sam@example.org", "Share your petition with sponsors").Body, "/petitions/*/sponsor")
	if err != nil || mailed.String() != share.String() {
		t.Fatalf("sponsor link mailed %v (%v), shown %v", mailed, err, share)
	}
	sponsorPath := share.RequestURI()
	id := strings.Split(share.Path, "/")[2]

	if res, body := e.get(e.anon, sponsorPath); res.StatusCode != 200 || !strings.Contains(body, "Signing here makes you a sponsor") || !strings.Contains(body, `name="share_token"`) {
		t.Fatalf("sponsor link while gathering: got %d without the sponsor form", res.StatusCode)
	}
	for i := range 5 {
		addr := fmt.Sprintf("sponsor%d@example.org", i)
		f := url.Values{"name": {fmt.Sprintf("Sponsor %d", i)}, "email": {addr}, "postcode": {"AB1 2CD"}, "resident": {"yes"}, "share_token": {share.Query().Get("token")}}
		if res := e.post(e.client(), "/petitions/"+id+"/signatures", f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sponsor %d: got %d", i, res.StatusCode)
		}
		e.follow(e.anon, e.link(addr, "/signatures/confirm"))
	}
	e.mailSubject("sam@example.org", "Your petition is waiting for the council's check")
	if res, body := e.get(e.anon, sponsorPath); res.StatusCode != 200 || !strings.Contains(body, "waiting for the council to check it") || strings.Contains(body, "<form method=\"post\" action=\"/petitions/") {
		t.Errorf("sponsor link in moderation: got %d, want the council's check and no form", res.StatusCode)
	}
	if _, body := e.get(e.anon, own); !strings.Contains(body, "The council is checking it") || strings.Contains(body, "needs 5 sponsors") {
		t.Errorf("campaigner's link in moderation does not say the council is checking it")
	}

	if res := e.post(e.mod, "/admin/petitions/"+id+"/publish", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: got %d", res.StatusCode)
	}
	res, _ := e.get(e.anon, sponsorPath)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/petitions/"+id {
		t.Fatalf("sponsor link after publishing: got %d to %q, want 303 to the petition", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := e.get(e.anon, res.Header.Get("Location")); !strings.Contains(body, "Sign the petition") || !strings.Contains(body, `data-live="signature_count">5<`) {
		t.Errorf("the petition the sponsor link leads to lacks its form or count")
	}
	_, body := e.get(e.anon, own)
	for _, want := range []string{"Your petition is published", testBase + "/petitions/" + id + "<", "/petitions/" + id + "/poster", "/petitions/" + id + "/qr.png"} {
		if !strings.Contains(body, want) {
			t.Errorf("campaigner's link after publishing lacks %q", want)
		}
	}
	if strings.Contains(body, "needs 5 sponsors") || strings.Contains(body, "/sponsor?token=") {
		t.Errorf("campaigner's link after publishing still asks for sponsors")
	}
	published := e.mailSubject("sam@example.org", "Your petition is published").Body
	for _, want := range []string{testBase + "/petitions/" + id + "\n", testBase + "/petitions/" + id + "/qr.png", testBase + "/petitions/" + id + "/poster"} {
		if !strings.Contains(strings.ReplaceAll(published, "\r\n", "\n"), want) {
			t.Errorf("published mail lacks %q", want)
		}
	}
}
