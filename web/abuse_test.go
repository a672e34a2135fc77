package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/web"
)

// mailToken reads the first link token of the newest mail to addr from the
// outbox table, as the person would from the email.
func (e *petitionEnv) mailToken(addr string) string {
	e.t.Helper()
	return e.mailLink(addr, "/*/confirm").Query().Get("token")
}

// openInStore opens a petition with five sponsors through the store, not
// the forms, so servers with the form-timing check on can be tested.
func (e *petitionEnv) openInStore() int64 {
	e.t.Helper()
	ctx := context.Background()
	ps := e.st.Petitions
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam", CampaignerEmail: "sam@example.org", CountPolicy: ballot.CountLive}
	must(e.t, ps.CreatePetition(ctx, p, testBase))
	_, _, err := ps.ConfirmCampaigner(ctx, e.mailToken("sam@example.org"))
	must(e.t, err)
	share, err := ps.ShareToken(ctx, p.ID)
	must(e.t, err)
	for i := range 5 {
		addr := fmt.Sprintf("sponsor%d@example.org", i)
		s := &ballot.Signature{Name: fmt.Sprintf("Sponsor %d", i), Email: addr, Postcode: "AB1 2CD", Resident: true}
		must(e.t, ps.Sign(ctx, p.ID, s, share, testBase))
		_, err := ps.Confirm(ctx, e.mailToken(addr))
		must(e.t, err)
	}
	must(e.t, ps.Publish(ctx, p.ID, e.contract.Recall, ballot.Electorate{}, "test"))
	return p.ID
}

func (e *petitionEnv) count(id int64) int {
	e.t.Helper()
	p, err := e.st.Petitions.Petition(context.Background(), id)
	must(e.t, err)
	return p.SignatureCount
}

var startedRE = regexp.MustCompile(`name="started" value="([^"]+)"`)

// TestSignature_BotSignalsHoldForReview: a filled honeypot, a form sent
// too soon, and a missing or altered form stamp each save the signature
// held: the signer sees the usual pages until confirming, is then told the
// signature is received and counts once checked (never why), the count
// waits for a moderator, and approval counts it. A form sent after the minimum time, and JSON, are
// not held.
func TestSignature_BotSignalsHoldForReview(t *testing.T) {
	var skew atomic.Int64 // moves the web clock forward
	e := newPetitionEnvWith(t, 100, func(c *web.Config) {
		c.MinFillTime = 3 * time.Second
		c.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(skew.Load())) }
	})
	id := e.openInStore()
	path := fmt.Sprintf("/petitions/%d", id)
	stamp := func() string {
		_, page := e.get(e.anon, path)
		m := startedRE.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, `name="website"`) || !strings.Contains(page, `tabindex="-1"`) {
			t.Fatal("the sign form has no stamp or no honeypot")
		}
		return m[1]
	}
	sign := func(who string, extra url.Values, held bool) {
		t.Helper()
		f := url.Values{"name": {"Person " + who}, "email": {who + "@example.org"}, "postcode": {"AB1 2CD"}, "resident": {"yes"}}
		for k, v := range extra {
			f[k] = v
		}
		cl := e.client()
		res := e.post(cl, path+"/signatures", f)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: got %d, want 303", who, res.StatusCode)
		}
		if _, body := e.get(cl, res.Header.Get("Location")); !strings.Contains(body, "Check your email") {
			t.Errorf("%s: the signer was not shown the usual check-your-email page", who)
		}
		// The signer is told honestly that the signature is received and
		// counts once checked (never why it is held).
		res, body := e.follow(e.anon, "/signatures/confirm?token="+e.mailToken(who+"@example.org"))
		want, not := "Signature confirmed", "Signature received"
		if held {
			want, not = not, want
		}
		if res.StatusCode != 200 || !strings.Contains(body, want) || strings.Contains(body, not) ||
			held != strings.Contains(body, "will count once it has been checked") {
			t.Errorf("%s confirm: got %d, want %q (held %v)", who, res.StatusCode, want, held)
		}
	}
	sign("honey", url.Values{"website": {"http://spam.example"}, "started": {stamp()}}, true)
	sign("quick", url.Values{"started": {stamp()}}, true)
	sign("nostamp", nil, true)
	sign("forged", url.Values{"started": {"1." + strings.SplitN(stamp(), ".", 2)[1]}}, true)
	if got := e.count(id); got != 5 {
		t.Fatalf("held signatures counted: got %d, want 5", got)
	}
	// The JSON answer says the same as the page.
	form := url.Values{"token": {e.mailToken("honey@example.org")}}
	res, body := e.do(e.anon, http.MethodPost, "/signatures/confirm", "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()), "Accept", "application/json")
	var answer struct {
		Status  string `json:"status"`
		Already bool   `json:"already_confirmed"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &answer); err != nil || res.StatusCode != 200 || answer.Status != "held" ||
		!answer.Already || !strings.Contains(answer.Message, "will count once it has been checked") {
		t.Errorf("held confirmation in JSON: got %d %s", res.StatusCode, body)
	}
	early := stamp()
	skew.Store(int64(4 * time.Second))
	sign("human", url.Values{"started": {early}}, false)
	res, _ = e.postJSON(e.anon, "/api"+path+"/signatures", `{"name":"Kiosk User","email":"kiosk@example.org","postcode":"AB1 2CD","resident":true}`)
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("JSON: got %d", res.StatusCode)
	}
	e.follow(e.anon, "/signatures/confirm?token="+e.mailToken("kiosk@example.org"))
	if got := e.count(id); got != 7 {
		t.Fatalf("a person after 4s and a JSON signature: count %d, want 7", got)
	}

	_, admin := e.get(e.mod, fmt.Sprintf("/admin/petitions/%d", id))
	for _, want := range []string{"Held for review (4)", "honey@example.org", "Filled in the hidden field", "Sent within seconds", "timing check was missing or altered"} {
		if !strings.Contains(admin, want) {
			t.Errorf("admin page lacks %q", want)
		}
	}
	held, err := e.st.Petitions.HeldSignatures(context.Background(), id)
	if err != nil || len(held) != 4 {
		t.Fatalf("held: %d, %v", len(held), err)
	}
	approve := fmt.Sprintf("/admin/petitions/%d/signatures/%d/approve", id, held[1].ID)
	if res := e.post(e.mod, approve, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: got %d", res.StatusCode)
	}
	if res := e.post(e.mod, fmt.Sprintf("/admin/petitions/%d/signatures/%d/reject", id, held[0].ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: got %d", res.StatusCode)
	}
	e.post(e.mod, approve, nil) // a second click changes nothing
	if got := e.count(id); got != 8 {
		t.Errorf("after one approval: count %d, want 8", got)
	}
	if _, admin = e.get(e.mod, fmt.Sprintf("/admin/petitions/%d", id)); !strings.Contains(admin, "Held for review (2)") {
		t.Errorf("the review list did not shrink to 2")
	}
}

// TestBlockedDomains: an admin blocks a domain; signatures from it and its
// subdomains are refused with a message naming it, in HTML and JSON; the
// change is audited; after unblocking they are taken again.
func TestBlockedDomains(t *testing.T) {
	e := newPetitionEnv(t, 100)
	id := e.openInStore()
	if res, _ := e.get(e.mod, "/admin/blocked-domains"); res.StatusCode != http.StatusForbidden {
		t.Errorf("moderator: got %d, want 403", res.StatusCode)
	}
	if res, body := e.postBody(e.admin, "/admin/blocked-domains", url.Values{"domain": {"not a domain"}}); res.StatusCode != 422 || !strings.Contains(body, "Enter an email domain") {
		t.Errorf("bad domain: got %d", res.StatusCode)
	}
	if res := e.post(e.admin, "/admin/blocked-domains", url.Values{"domain": {"@Spam.Example"}, "reason": {"Throwaway addresses"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("block: got %d", res.StatusCode)
	}
	if _, page := e.get(e.admin, "/admin/blocked-domains"); !strings.Contains(page, "spam.example") || !strings.Contains(page, "Throwaway addresses") {
		t.Errorf("the list does not show the domain")
	}
	f := url.Values{"name": {"Bot"}, "email": {"bot@mx.spam.example"}, "postcode": {"AB1 2CD"}, "resident": {"yes"}}
	res, body := e.postBody(e.anon, fmt.Sprintf("/petitions/%d/signatures", id), f)
	if res.StatusCode != 422 || !strings.Contains(body, "email addresses at mx.spam.example") {
		t.Errorf("form: got %d without the message", res.StatusCode)
	}
	res, body = e.postJSON(e.anon, fmt.Sprintf("/api/petitions/%d/signatures", id), `{"name":"Bot","email":"bot@spam.example","postcode":"AB1 2CD","resident":true}`)
	var ae struct{ Fields map[string]string }
	must(t, json.Unmarshal([]byte(body), &ae))
	if res.StatusCode != 422 || !strings.Contains(ae.Fields["email"], "spam.example") {
		t.Errorf("JSON: got %d %s", res.StatusCode, body)
	}
	if _, audit := e.get(e.admin, "/admin/audit"); !strings.Contains(audit, "blocklist.add") {
		t.Errorf("no audit entry for the block")
	}
	e.post(e.admin, "/admin/blocked-domains/remove", url.Values{"domain": {"spam.example"}})
	if res, _ := e.postBody(e.anon, fmt.Sprintf("/petitions/%d/signatures", id), f); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after unblocking: got %d, want 303", res.StatusCode)
	}
}

// TestPetitionActivity: staff see signatures per hour and the top
// postcodes; the public cannot.
func TestPetitionActivity(t *testing.T) {
	e := newPetitionEnv(t, 100)
	id := e.openInStore()
	for i := range 3 {
		e.postJSON(e.anon, fmt.Sprintf("/api/petitions/%d/signatures", id),
			fmt.Sprintf(`{"name":"Signer %d","email":"s%d@example.org","postcode":"AB1 2CD","resident":true}`, i, i))
	}
	path := fmt.Sprintf("/admin/petitions/%d/activity", id)
	if res, _ := e.get(e.anon, path); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: got %d, want 303 to sign in", res.StatusCode)
	}
	res, page := e.get(e.mod, path)
	if res.StatusCode != 200 {
		t.Fatalf("moderator: got %d", res.StatusCode)
	}
	if !strings.Contains(page, "AB1 2CD") || !strings.Contains(page, "Riverside") || strings.Count(page, `<tr class="govuk-table__row">`) < 49 {
		t.Errorf("the page lacks the postcode table or 48 hourly rows")
	}
	// Five sponsors and three signers, all online, this hour, all at AB1 2CD.
	if strings.Count(page, `numeric">8</td>`) != 2 {
		t.Errorf("the page lacks this hour's 8 online signatures or the postcode's 8")
	}
}

// TestRateLimits_EveryLimitedRoute: with each limit at one request, the
// second request of each kind, on any of its routes, gets 429 with a
// Retry-After header and a page (or JSON) that says when to try again.
func TestRateLimits_EveryLimitedRoute(t *testing.T) {
	one := web.Rate{N: 1, Per: time.Hour}
	e := newPetitionEnvWith(t, 100, func(c *web.Config) {
		c.RateLimits = web.RateLimits{Sign: one, Confirm: one, Respond: one, Create: one, Vote: one,
			Signin: web.Rate{N: 3, Per: time.Hour}} // the env signs in twice
	})
	id := e.openInStore()
	e.openConsultation("rl")
	type hit struct{ method, path, body string }
	sig := `{"name":"A B","email":"ab@example.org","postcode":"AB1 2CD","resident":true}`
	classes := map[string][]hit{
		"sign": {{"POST", fmt.Sprintf("/petitions/%d/signatures", id), ""}, {"POST", fmt.Sprintf("/api/petitions/%d/signatures", id), sig}},
		"confirm": {{"GET", "/signatures/confirm?token=X", ""}, {"POST", "/signatures/confirm", ""}, {"POST", "/signatures/withdraw", ""},
			{"GET", "/petitions/confirm?token=X", ""}, {"POST", "/petitions/confirm", ""},
			{"GET", "/requests/confirm?token=X", ""}, {"POST", "/requests/confirm", ""},
			{"GET", "/requests/follow/confirm?token=X", ""}, {"POST", "/requests/follow/confirm", ""},
			{"GET", "/requests/follow/stop?token=X", ""}, {"POST", "/requests/follow/stop", ""}},
		"ask":     {{"POST", "/contracts/1/requests", ""}, {"POST", "/api/contracts/1/requests", `{}`}, {"POST", "/requests/1/followers", ""}},
		"respond": {{"POST", "/consultations/rl/responses", ""}, {"POST", "/api/consultations/rl/responses", `{"answers":{}}`}},
		"create":  {{"POST", "/petitions", ""}},
		"vote":    {{"POST", "/ballots/1/votes", ""}, {"POST", "/api/ballots/1/votes", `{}`}, {"GET", "/vote?code=X", ""}},
		"signin":  {{"POST", "/admin/signin", ""}},
	}
	for name, hits := range classes {
		t.Run(name, func(t *testing.T) {
			send := func(h hit) (*http.Response, string) {
				ctype := "application/x-www-form-urlencoded"
				if strings.HasPrefix(h.path, "/api/") {
					ctype = "application/json"
				}
				return e.do(e.client(), h.method, h.path, ctype, strings.NewReader(h.body))
			}
			if res, _ := send(hits[0]); res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("first %s: got 429", hits[0].path)
			}
			for _, h := range hits {
				res, body := send(h)
				secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
				if res.StatusCode != http.StatusTooManyRequests || secs < 1 {
					t.Errorf("%s %s: got %d, Retry-After %q; want 429 with a wait", h.method, h.path, res.StatusCode, res.Header.Get("Retry-After"))
					continue
				}
				if strings.HasPrefix(h.path, "/api/") {
					var ae struct{ Error string }
					if json.Unmarshal([]byte(body), &ae) != nil || !strings.Contains(ae.Error, "Try again in") {
						t.Errorf("%s: JSON error %q", h.path, body)
					}
				} else if !strings.Contains(body, "Too many requests") || !strings.Contains(body, "Nothing was saved") {
					t.Errorf("%s: no 429 page", h.path)
				}
			}
		})
	}
	if res, _ := e.get(e.anon, fmt.Sprintf("/petitions/%d", id)); res.StatusCode != 200 {
		t.Errorf("reading a page is not limited: got %d", res.StatusCode)
	}
}

// TestRateLimits_PerClient: the limit is per client. Behind a configured
// proxy the client is the one X-Forwarded-For names; from anyone else the
// header is ignored, so it cannot be used to dodge the limit.
func TestRateLimits_PerClient(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		t.Run(fmt.Sprint("trusted=", trusted), func(t *testing.T) {
			e := newEnvWith(t, func(c *web.Config) {
				c.RateLimits.Create = web.Rate{N: 1, Per: time.Hour}
				if trusted {
					c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
				}
			})
			post := func(from string) int {
				res, _ := e.do(e.anon, "POST", "/petitions", "application/x-www-form-urlencoded", strings.NewReader(""), "X-Forwarded-For", from)
				return res.StatusCode
			}
			post("203.0.113.1")
			if got := post("203.0.113.1"); got != http.StatusTooManyRequests {
				t.Errorf("same client again: got %d, want 429", got)
			}
			got := post("203.0.113.2")
			if trusted && got == http.StatusTooManyRequests || !trusted && got != http.StatusTooManyRequests {
				t.Errorf("another forwarded client: got %d", got)
			}
		})
	}
}

// TestRateLimits_IPv6Prefix: an IPv6 client is its /64, which one home or
// one server is given whole, so changing the low 64 bits dodges nothing;
// the next /64 is someone else.
func TestRateLimits_IPv6Prefix(t *testing.T) {
	e := newEnvWith(t, func(c *web.Config) {
		c.RateLimits.Create = web.Rate{N: 1, Per: time.Hour}
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	post := func(from string) int {
		t.Helper()
		res, _ := e.do(e.anon, "POST", "/petitions", "application/x-www-form-urlencoded", strings.NewReader(""), "X-Forwarded-For", from)
		return res.StatusCode
	}
	if got := post("2001:db8:1:2::1"); got == http.StatusTooManyRequests {
		t.Fatalf("first request: got %d", got)
	}
	if got := post("2001:db8:1:2:ffff:ffff:ffff:9"); got != http.StatusTooManyRequests {
		t.Errorf("same /64, other address: got %d, want 429", got)
	}
	if got := post("2001:db8:1:3::1"); got == http.StatusTooManyRequests {
		t.Errorf("the next /64: got 429, want it served")
	}
}
