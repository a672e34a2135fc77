package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
	"github.com/oursay/oursay/web/mailer"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

// petitionEnv adds a contract, a postcode list and a running mailer
// delivering to an in-process SMTP server.
type petitionEnv struct {
	*testEnv
	smtp     *smtptest.Server
	contract *ballot.Contract
}

func newPetitionEnv(t *testing.T, threshold int) *petitionEnv {
	t.Helper()
	return newPetitionEnvWith(t, threshold, nil)
}

// newPetitionEnvWith is newPetitionEnv on a server configured by configure.
func newPetitionEnvWith(t *testing.T, threshold int, configure func(*web.Config)) *petitionEnv {
	t.Helper()
	e := newEnvWith(t, configure)
	ctx := context.Background()
	c := &ballot.Contract{Title: "Waste", Service: "Waste collection", Provider: "CleanCo", ValuePence: 1,
		StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
		BreakClauses: []time.Time{time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)}, NoInHouseBidReason: "No in-house team", Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: threshold, SigningDays: 42}}
	if err := db.NewContractStore(e.db).CreateContract(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	if err := e.st.Council.ImportPostcodes(ctx, []ballot.PostcodeEntry{{Postcode: "AB1 2CD", Ward: ballot.Ward{Name: "Riverside", Code: "E05000001"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	sc := smtptest.Start(t)
	ob := db.NewOutbox(e.db)
	m, err := mailer.New(ob, mailer.Config{Addr: sc.Addr, From: "oursay@council.test", Poll: 10 * time.Millisecond, TLS: mailer.TLSNone}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ob.OnQueued(m.Notify) // as serve wires it
	mctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Run(mctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return &petitionEnv{testEnv: e, smtp: sc, contract: c}
}

// link returns the path and query of the first link in the mail to addr
// whose path begins with pattern (see smtptest.Link), checking that it is
// on the site's base URL.
func (e *petitionEnv) link(addr, pattern string) string {
	e.t.Helper()
	m := e.smtp.Wait(e.t, addr, 10*time.Second)
	u, err := smtptest.Link(m.Body, pattern)
	if err != nil {
		e.t.Fatalf("mail to %s: %v", addr, err)
	}
	if site := u.Scheme + "://" + u.Host; site != "http://oursay.test" {
		e.t.Fatalf("mail to %s links to %s, want the base URL http://oursay.test", addr, u)
	}
	return u.RequestURI()
}

// startPetition goes through the campaigner's, sponsors' and moderator's steps.
func (e *petitionEnv) startPetition(policy string) int64 {
	e.t.Helper()
	form := url.Values{"contract": {fmt.Sprint(e.contract.ID)}, "title": {"End the CleanCo contract"},
		"reasons": {"Bins missed every week"}, "name": {"Sam"}, "email": {"sam@example.org"}, "count_policy": {policy}}
	if res, body := e.postBody(e.anon, "/petitions", form); res.StatusCode != 200 || !strings.Contains(body, "Check your email") {
		e.t.Fatalf("create: got %d", res.StatusCode)
	}
	_, body := e.follow(e.anon, e.link("sam@example.org", "/petitions/confirm"))
	share, err := smtptest.Link(body, "/petitions/*/sponsor")
	if err != nil {
		e.t.Fatalf("no sponsor link on the confirmation page: %v", err)
	}
	id := strings.Split(share.Path, "/")[2]
	token := share.Query().Get("token")
	for i := range 5 {
		addr := fmt.Sprintf("sponsor%d@example.org", i)
		f := url.Values{"name": {fmt.Sprintf("Sponsor %d", i)}, "email": {addr}, "postcode": {"AB1 2CD"}, "resident": {"yes"}, "share_token": {token}}
		if res := e.post(e.client(), "/petitions/"+id+"/signatures", f); res.StatusCode != http.StatusSeeOther {
			e.t.Fatalf("sponsor %d: got %d", i, res.StatusCode)
		}
		if res, _ := e.follow(e.anon, e.link(addr, "/signatures/confirm")); res.StatusCode != http.StatusOK {
			e.t.Fatalf("sponsor %d: confirm got %d", i, res.StatusCode)
		}
	}
	if res := e.post(e.mod, "/admin/petitions/"+id+"/publish", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("publish: got %d", res.StatusCode)
	}
	var n int64
	fmt.Sscan(id, &n)
	return n
}

func (e *petitionEnv) apiCount(id int64) (count *int, doc map[string]any) {
	e.t.Helper()
	_, body := e.get(e.anon, fmt.Sprintf("/api/petitions/%d", id))
	var d struct {
		SignatureCount *int `json:"signature_count"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		e.t.Fatalf("%s: %v", body, err)
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		e.t.Fatal(err)
	}
	return d.SignatureCount, doc
}

// TestPetition_SignAndConfirmByEmail is the resident's journey: sign, get
// the email from a real SMTP server, follow its link, see the count go up
// by one; a second visit counts nothing.
func TestPetition_SignAndConfirmByEmail(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("live")
	before, _ := e.apiCount(id)
	if before == nil || *before != 5 {
		t.Fatalf("count after sponsors: got %v, want 5", before)
	}
	f := url.Values{"name": {"Jo Resident"}, "email": {"jo@example.org"}, "postcode": {"ab1 2cd"}, "resident": {"yes"}}
	cl := e.client()
	res := e.post(cl, fmt.Sprintf("/petitions/%d/signatures", id), f)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: got %d", res.StatusCode)
	}
	if _, body := e.get(cl, res.Header.Get("Location")); !strings.Contains(body, "jo@example.org") {
		t.Errorf("check-your-email page does not name the address")
	}
	if c, _ := e.apiCount(id); *c != 5 {
		t.Errorf("pending signature counted: got %d, want 5", *c)
	}
	confirm := e.link("jo@example.org", "/signatures/confirm")
	e.link("jo@example.org", "/signatures/withdraw")
	res, body := e.follow(e.anon, confirm)
	if res.StatusCode != 200 || !strings.Contains(body, "Signature confirmed") {
		t.Fatalf("confirm: got %d", res.StatusCode)
	}
	if c, _ := e.apiCount(id); *c != 6 {
		t.Errorf("after confirm: got %d, want 6", *c)
	}
	res, body = e.get(e.anon, confirm)
	if res.StatusCode != 200 || !strings.Contains(body, "already confirmed") {
		t.Errorf("second visit: got %d without 'already confirmed'", res.StatusCode)
	}
	if c, doc := e.apiCount(id); *c != 6 || doc["threshold"].(float64) != 10 || len(doc["signatures_by_ward"].([]any)) != 1 {
		t.Errorf("after second visit: %v", doc)
	}
	_, page := e.get(e.anon, fmt.Sprintf("/petitions/%d", id))
	if !strings.Contains(page, `Progress towards the threshold: <span data-live="percent">60</span>%`) || !strings.Contains(page, `oursay-progress__fill--60"`) || !strings.Contains(page, ">6</strong>") {
		t.Errorf("petition page lacks the count 6 and 60%% progress")
	}
}

func TestPetition_BadInput(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("live")
	path := fmt.Sprintf("/api/petitions/%d/signatures", id)
	cases := []struct {
		body, field string
		status      int
	}{
		{`{"name":"A","email":"nope","postcode":"AB1 2CD","resident":true}`, "email", 422},
		{`{"name":"A","email":"a@example.org","postcode":"12345","resident":true}`, "postcode", 422},
		{`{"name":"A","email":"a@example.org","postcode":"ZZ9 9ZZ","resident":true}`, "postcode", 422},
		{`{"name":"A","email":"a@example.org","postcode":"AB1 2CD","resident":false}`, "resident", 422},
		{`{"name":"","email":"a@example.org","postcode":"AB1 2CD","resident":true}`, "name", 422},
	}
	for _, tc := range cases {
		res, body := e.postJSON(e.anon, path, tc.body)
		var ae struct {
			Fields map[string]string `json:"fields"`
		}
		must(t, json.Unmarshal([]byte(body), &ae))
		if res.StatusCode != tc.status || ae.Fields[tc.field] == "" {
			t.Errorf("%s: got %d %s, want %d with field %s", tc.body, res.StatusCode, body, tc.status, tc.field)
		}
	}
	if res, _ := e.postJSON(e.anon, path, `{"name":"Ok Person","email":"ok@example.org","postcode":"AB1 2CD","resident":true}`); res.StatusCode != http.StatusAccepted {
		t.Errorf("good signature: got %d, want 202", res.StatusCode)
	}
	for _, tok := range []string{"", "UNKNOWN"} {
		if res, body := e.get(e.anon, "/signatures/confirm?token="+tok); res.StatusCode != 404 || !strings.Contains(body, "not valid") {
			t.Errorf("token %q: got %d", tok, res.StatusCode)
		}
	}
	if c, _ := e.apiCount(id); *c != 5 {
		t.Errorf("count: got %d, want 5", *c)
	}
	// An unpublished petition takes no signatures and has no public page.
	form := url.Values{"contract": {fmt.Sprint(e.contract.ID)}, "title": {"Another"}, "reasons": {"R"}, "name": {"N"}, "email": {"n@example.org"}, "count_policy": {"live"},
		"another": {fmt.Sprint(e.contract.ID)}}
	e.post(e.anon, "/petitions", form)
	if res, _ := e.postJSON(e.anon, fmt.Sprintf("/api/petitions/%d/signatures", id+1), `{"name":"A B","email":"ab@example.org","postcode":"AB1 2CD","resident":true}`); res.StatusCode != http.StatusConflict {
		t.Errorf("unpublished: got %d, want 409", res.StatusCode)
	}
	if res, _ := e.get(e.anon, fmt.Sprintf("/petitions/%d", id+1)); res.StatusCode != 404 {
		t.Errorf("unpublished page: got %d, want 404", res.StatusCode)
	}
}

// TestPetition_SealedLeaksNoCount: while a sealed petition is open, the
// page a signer sees on confirming is the same whether the signature was
// the sixth or the one that met the threshold, and neither the threshold
// notice nor any count goes out by mail. (Every public view of a sealed
// petition is compared byte for byte in TestSealed_PublicViewsDoNotMove.)
func TestPetition_SealedLeaksNoCount(t *testing.T) {
	e := newPetitionEnv(t, 7)
	id := e.startPetition("sealed") // five sponsors
	confirmed := func(name, addr string) string {
		t.Helper()
		res, _ := e.postJSON(e.anon, fmt.Sprintf("/api/petitions/%d/signatures", id), `{"name":"`+name+`","email":"`+addr+`","postcode":"AB1 2CD","resident":true}`)
		if res.StatusCode >= 300 {
			t.Fatalf("sign as %s: got %d", addr, res.StatusCode)
		}
		res, body := e.follow(e.anon, e.link(addr, "/signatures/confirm"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("confirm %s: got %d", addr, res.StatusCode)
		}
		return startedRE.ReplaceAllString(body, "STAMP")
	}
	sixth, seventh := confirmed("Lee Six", "six@example.org"), confirmed("Sam Seven", "seven@example.org")
	if e.count(id) != 7 {
		t.Fatalf("store count: got %d, want 7 (threshold met)", e.count(id))
	}
	if sixth != seventh {
		t.Errorf("the confirmation page differs between the sixth signature and the seventh, which met the threshold:\n%s\n---\n%s", sixth, seventh)
	}
	// A mail queued after the threshold was met arriving proves the mailer
	// has passed over anything due before it (it sends in queue order).
	e.postJSON(e.anon, fmt.Sprintf("/api/petitions/%d/signatures", id), `{"name":"Mark Later","email":"marker@example.org","postcode":"AB1 2CD","resident":true}`)
	e.smtp.Wait(t, "marker@example.org", 10*time.Second)
	for _, m := range e.smtp.Mails() {
		// The threshold is public from the rule ("its threshold of 7
		// confirmed signatures"); any other number of signatures is a count.
		body := regexp.MustCompile(`threshold of \d+`).ReplaceAllString(m.Body, "")
		if strings.Contains(strings.ToLower(m.Subject), "threshold") || regexp.MustCompile(`\b[67] (confirmed )?signatures`).MatchString(body) {
			t.Errorf("mail leaks: %q", m.Subject)
		}
	}
	_, outbox := e.get(e.admin, "/admin/outbox")
	if !strings.Contains(outbox, "marker@example.org") || strings.Contains(outbox, "Recall threshold met") {
		t.Errorf("outbox page: want the marker mail listed and no threshold notice before the close")
	}
}

// TestPetition_SignAgainLooksFresh: signing again with details that have
// already signed gets the very answer a new signer gets, on the form and
// in JSON, so nobody can learn from the site whether a person signed; the
// address typed is told by mail (issue 16 item 3).
func TestPetition_SignAgainLooksFresh(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("live")
	path := fmt.Sprintf("/petitions/%d/signatures", id)
	form := func(name, email string) url.Values {
		return url.Values{"name": {name}, "email": {email}, "postcode": {"AB1 2CD"}, "resident": {"yes"}}
	}
	signForm := func(name, email string) (int, string, string) {
		t.Helper()
		cl := e.client()
		res := e.post(cl, path, form(name, email))
		_, page := e.get(cl, res.Header.Get("Location"))
		return res.StatusCode, res.Header.Get("Location"), strings.ReplaceAll(page, email, "ADDRESS")
	}
	freshStatus, freshLoc, freshPage := signForm("Ann Fresh", "ann@example.org")
	// Sponsor 0 signed and confirmed: the same email, and the same name
	// and postcode with another email.
	for _, tc := range [][2]string{{"Someone Else", "sponsor0@example.org"}, {"Sponsor 0", "other@example.org"}} {
		status, loc, page := signForm(tc[0], tc[1])
		if status != freshStatus || loc != freshLoc || page != freshPage {
			t.Errorf("form as %v: got %d %s, want %d %s and the same page", tc, status, loc, freshStatus, freshLoc)
		}
		var mail string
		must(t, e.db.Reader().QueryRow(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, tc[1]).Scan(&mail))
		if !strings.Contains(mail, "already been signed") {
			t.Errorf("mail to %s:\n%s", tc[1], mail)
		}
	}
	api := fmt.Sprintf("/api/petitions/%d/signatures", id)
	body := func(name, email string) string {
		return fmt.Sprintf(`{"name":%q,"email":%q,"postcode":"AB1 2CD","resident":true}`, name, email)
	}
	fres, fbody := e.postJSON(e.anon, api, body("Bea Fresh", "bea@example.org"))
	dres, dbody := e.postJSON(e.anon, api, body("Sponsor 1", "sponsor1@example.org"))
	if fres.StatusCode != http.StatusAccepted || dres.StatusCode != fres.StatusCode || dbody != fbody {
		t.Errorf("JSON: fresh %d %s, repeat %d %s; want the same", fres.StatusCode, fbody, dres.StatusCode, dbody)
	}
}

// TestPetition_AllErrorsAtOnce: a signer who leaves the declaration
// unticked and gives a postcode outside the area is told both at once, on
// the page and in JSON, each message naming its field; a postcode in the
// area adds no message.
func TestPetition_AllErrorsAtOnce(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("live")
	form := url.Values{"name": {"Jo Resident"}, "email": {"jo@example.org"}, "postcode": {"ZZ9 9ZZ"}}
	res, body := e.postBody(e.anon, fmt.Sprintf("/petitions/%d/signatures", id), form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("sign: got %d, want 422", res.StatusCode)
	}
	for _, href := range []string{`href="#postcode"`, `href="#resident"`} {
		if !strings.Contains(body, href) {
			t.Errorf("error summary lacks %s", href)
		}
	}
	if !strings.Contains(body, "This postcode is not in the council&#39;s area") {
		t.Errorf("page does not say the postcode is outside the area")
	}
	_, body = e.postJSON(e.anon, fmt.Sprintf("/api/petitions/%d/signatures", id), `{"name":"","email":"jo@example.org","postcode":"ZZ9 9ZZ","resident":true}`)
	var ae struct {
		Fields map[string]string `json:"fields"`
	}
	must(t, json.Unmarshal([]byte(body), &ae))
	if ae.Fields["name"] == "" || !strings.Contains(ae.Fields["postcode"], "not in the council's area") {
		t.Errorf("JSON fields %v, want name and postcode", ae.Fields)
	}
	_, body = e.postJSON(e.anon, fmt.Sprintf("/api/petitions/%d/signatures", id), `{"name":"","email":"jo@example.org","postcode":"AB1 2CD","resident":true}`)
	ae.Fields = nil
	must(t, json.Unmarshal([]byte(body), &ae))
	if len(ae.Fields) != 1 || ae.Fields["name"] == "" {
		t.Errorf("JSON fields %v, want name only for a postcode in the area", ae.Fields)
	}
}

// TestPetition_SecondPetitionWarns: starting a petition against a contract
// that already has one open for signatures warns and links to it, on the
// start form opened from the contract and when the form is sent without
// having seen the warning; nothing is saved until the campaigner sends the
// warned form again, and then the second petition is created.
func TestPetition_SecondPetitionWarns(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("live")
	link := fmt.Sprintf(`href="/petitions/%d"`, id)
	_, body := e.get(e.anon, fmt.Sprintf("/petitions/new?contract=%d", e.contract.ID))
	if !strings.Contains(body, `id="existing-petition"`) || !strings.Contains(body, link) {
		t.Errorf("start form for the contract does not warn of petition %d", id)
	}
	form := url.Values{"contract": {fmt.Sprint(e.contract.ID)}, "title": {"Another"}, "reasons": {"R"}, "name": {"Nia"},
		"email": {"nia@example.org"}, "count_policy": {"live"}}
	res, body := e.postBody(e.anon, "/petitions", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="existing-petition"`) || !strings.Contains(body, link) ||
		!strings.Contains(body, `name="another" value="`+fmt.Sprint(e.contract.ID)+`"`) || !strings.Contains(body, `value="Another"`) {
		t.Fatalf("unwarned second petition: got %d without the warning, its link and what was typed", res.StatusCode)
	}
	var n int
	must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM petitions`).Scan(&n))
	if n != 1 {
		t.Errorf("%d petitions saved before the campaigner went on, want 1", n)
	}
	form.Set("another", fmt.Sprint(e.contract.ID))
	if res, body := e.postBody(e.anon, "/petitions", form); res.StatusCode != http.StatusOK || !strings.Contains(body, "Check your email") {
		t.Errorf("warned second petition: got %d, want the check-your-email page", res.StatusCode)
	}
	must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM petitions`).Scan(&n))
	if n != 2 {
		t.Errorf("%d petitions after going on, want 2", n)
	}
}
