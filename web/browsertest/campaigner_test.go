//go:build browser

package browsertest

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

var (
	startedRE   = regexp.MustCompile(`name="started" value="([^"]+)"`)
	tokenFormRE = regexp.MustCompile(`name="token" value="([^"]+)"`)
)

// waitMail returns the mail to addr whose subject starts with prefix.
func waitMail(t *testing.T, srv *server, addr, prefix string) smtptest.Mail {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, m := range srv.Mail.Mails() {
			if strings.HasPrefix(m.Subject, prefix) && len(m.To) == 1 && strings.EqualFold(m.To[0], addr) {
				return m
			}
		}
	}
	t.Fatalf("no mail %q to %s within 30s", prefix, addr)
	return smtptest.Mail{}
}

// pressMailedLink opens the link to path in m and presses the button on
// the page it opens, which posts to path; it returns the link.
func pressMailedLink(tb *tab, m smtptest.Mail, path string) *url.URL {
	tb.t.Helper()
	link, err := smtptest.Link(m.Body, path)
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.run("open the link to "+path, chromedp.Navigate(link.String()))
	tb.clickAndLoad(`form[action="` + path + `"] button[type=submit]`)
	return link
}

// httpDo sends one request to the server as a program would (no browser
// headers) and returns the status and body.
func httpDo(t *testing.T, method, u string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// sponsorsSign signs the petition through the sponsor link as n sponsors
// would, after a person's time on the form, and confirms each by its mail.
func sponsorsSign(t *testing.T, srv *server, sponsorURL string, n int) {
	t.Helper()
	u, err := url.Parse(sponsorURL)
	if err != nil {
		t.Fatal(err)
	}
	// Each sponsor has the form a page of their own: a form's stamp counts once.
	stamps := make([]string, n)
	for i := range stamps {
		_, page := httpDo(t, http.MethodGet, sponsorURL, nil)
		m := startedRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the sponsor page has no sign form")
		}
		stamps[i] = html.UnescapeString(m[1])
	}
	time.Sleep(personFillTime)
	for i := range n {
		addr := fmt.Sprintf("sponsor%d@example.org", i)
		f := url.Values{"name": {fmt.Sprintf("Sponsor Number%d", i)}, "email": {addr}, "postcode": {"AB1 2CD"}, "resident": {"yes"},
			"share_token": {u.Query().Get("token")}, "started": {stamps[i]}}
		if st, _ := httpDo(t, http.MethodPost, srv.URL+strings.TrimSuffix(u.Path, "/sponsor")+"/signatures", f); st != http.StatusSeeOther {
			t.Fatalf("sponsor %d: got %d", i, st)
		}
		link, err := smtptest.Link(waitMail(t, srv, addr, "Confirm your signature").Body, "/signatures/confirm")
		if err != nil {
			t.Fatal(err)
		}
		_, page := httpDo(t, http.MethodGet, link.String(), nil)
		tok := tokenFormRE.FindStringSubmatch(page)
		if tok == nil {
			t.Fatalf("sponsor %d: no Confirm button", i)
		}
		if st, _ := httpDo(t, http.MethodPost, srv.URL+"/signatures/confirm", url.Values{"token": {html.UnescapeString(tok[1])}}); st != http.StatusOK {
			t.Fatalf("sponsor %d: confirm got %d", i, st)
		}
	}
}

// TestCampaignerJourney: a campaigner starts a petition, confirms their
// address, copies the sponsor link with the Copy link button and gets it
// by mail too; sponsors sign; a moderator publishes it. The sponsor link
// then opens the live petition, with its sign form and count, and the
// campaigner's own link shows it published. Every page passes axe and the
// 320 px reflow check.
func TestCampaignerJourney(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)
	camp := b.newTab("campaigner")
	const email = "cam.paigner@example.org"
	camp.open("/petitions/new")
	camp.run("choose a contract", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.querySelector("#contract");
		s.value = [...s.options].find(o => o.value !== "").value;
	})()`))
	camp.typeInto("#title", "Bring street cleaning back in house")
	camp.typeInto("#reasons", "The streets are dirtier every month.")
	camp.typeInto("#name", "Cam Paigner")
	camp.typeInto("#email", email)
	camp.clickAndLoad(`form[action="/petitions"] button[type=submit]`)
	if camp.exists("#existing-petition") {
		// The demo's contracts have petitions open: the form warns once,
		// and sending it again starts this one.
		camp.clickAndLoad(`form[action="/petitions"] button[type=submit]`)
	}
	if h := camp.text("h1"); !strings.Contains(h, "Check your email") {
		t.Fatalf("after starting: heading %q", h)
	}

	confirm := pressMailedLink(camp, waitMail(t, srv, email, "Confirm your petition"), "/petitions/confirm")
	if h := camp.text("h1"); h != "Email address confirmed" {
		t.Fatalf("after confirming: heading %q", h)
	}
	shown := camp.text("[data-copy-text]")
	mailed, err := smtptest.Link(waitMail(t, srv, email, "Share your petition with sponsors").Body, "/petitions/*/sponsor")
	if err != nil || mailed.String() != shown {
		t.Fatalf("sponsor link shown %q, mailed %v (%v)", shown, mailed, err)
	}

	for deadline := time.Now().Add(10 * time.Second); !camp.exists("[data-copy] button"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no Copy link button within 10s")
		}
	}
	camp.checkPage("campaigner confirmed")
	// The Copy link button is the script's: it copies the link and says so.
	camp.click("[data-copy] button")
	for deadline := time.Now().Add(10 * time.Second); camp.text("[data-copy] [role=status]") != "Link copied"; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after Copy link: status %q", camp.text("[data-copy] [role=status]"))
		}
	}
	sponsorsSign(t, srv, shown, 5)
	waitMail(t, srv, email, "Your petition is waiting for the council's check")
	id := strings.Split(mailed.Path, "/")[2]

	staff := b.newTab("moderator")
	signIn(t, staff, demoModerator, srv.ModeratorPassword)
	staff.open("/admin/petitions/" + id)
	staff.clickAndLoad(`form[action="/admin/petitions/` + id + `/publish"] button`)
	staff.clickAndLoad(`button[name=confirm][value=yes]`) // publishing asks first

	sponsor := newBrowser(t, srv).newTab("sponsor")
	sponsor.run("open the sponsor link", chromedp.Navigate(shown))
	if p := sponsor.path(); p != "/petitions/"+id {
		t.Fatalf("the sponsor link after publishing opened %s, want the petition", p)
	}
	if !sponsor.exists(`form[action="/petitions/`+id+`/signatures"]`) || count(sponsor) != 5 {
		t.Errorf("the petition the sponsor link leads to lacks the sign form or the count of 5")
	}
	sponsor.checkPage("sponsor link after publishing")

	camp.run("open the confirm link again", chromedp.Navigate(confirm.String()))
	if body := camp.text("main"); !strings.Contains(body, "Your petition is published") || strings.Contains(body, "sponsors before") {
		t.Errorf("the campaigner's link after publishing: %q", body)
	}
	if got := camp.text("[data-copy-text]"); got != srv.URL+"/petitions/"+id {
		t.Errorf("the link to share after publishing is %q, want the petition's page", got)
	}
	camp.checkPage("campaigner after publishing")
	waitMail(t, srv, email, "Your petition is published")
}

// TestHeldSignatureToldHonestly: a form whose hidden "leave blank" field
// was filled in (as a bot's autofill does) is held for review; its signer
// is told the signature was received and counts once checked, not
// "Signature confirmed".
func TestHeldSignatureToldHonestly(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("signer")
	tb.open("/petitions/1")
	const email = "quick.signer@example.org"
	tb.typeInto("#name", "Quick Signer")
	tb.typeInto("#email", email)
	tb.typeInto("#postcode", "AB1 2CD")
	tb.click("label[for=resident]")
	tb.run("fill the hidden field", chromedp.Evaluate[chromedp.Void](`document.querySelector("#website").value = "http://spam.example"`))
	tb.clickAndLoad(`form[action="/petitions/1/signatures"] button[type=submit]`)
	pressMailedLink(tb, waitMail(t, srv, email, "Confirm your signature"), "/signatures/confirm")
	if h := tb.text("h1"); h != "Signature received" {
		t.Fatalf("held signature: heading %q, want Signature received", h)
	}
	if msg := tb.text("#confirmed-message"); !strings.Contains(msg, "will count once it has been checked") {
		t.Errorf("held signature: message %q", msg)
	}
	tb.checkPage("held signature")
}
