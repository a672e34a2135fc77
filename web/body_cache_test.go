package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestPetitionAPI_CachedBody shows that the cached JSON of a petition never
// lags a committed change: each paper signature (a commit the store
// announces) is in the very next read.
func TestPetitionAPI_CachedBody(t *testing.T) {
	e := newLiveEnv(t)
	e.web.Live().CacheBodies()
	p := e.openPetition(ballot.CountLive, 100)
	count := func() int {
		t.Helper()
		resp, err := http.Get(e.url + "/api/petitions/" + itoa(p.ID))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct {
			SignatureCount int `json:"signature_count"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET: %s, %v", resp.Status, err)
		}
		return got.SignatureCount
	}
	for i := 1; i <= 3; i++ {
		before := count()
		if again := count(); again != before {
			t.Fatalf("read twice with no change: got %d then %d", before, again)
		}
		e.paper(p.ID, i)
		if got := count(); got != before+1 {
			t.Errorf("after paper signature %d: got %d, want %d", i, got, before+1)
		}
	}
	resp, err := http.Get(e.url + "/api/petitions/999")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown petition: got %d, want 404", resp.StatusCode)
	}
}

// TestPetitionPage_Shared shows the petition page served from the hub's
// cache: each commit the store announces is on the very next page, a change
// nobody announced is not (the page was not rendered again), every page
// carries a stamp of its own for the sign form, and a visitor with a
// session gets a page rendered afresh.
func TestPetitionPage_Shared(t *testing.T) {
	e := newLiveEnv(t)
	p := e.openPetition(ballot.CountLive, 100)
	countRe := regexp.MustCompile(`data-live="signature_count">([0-9,]+)<`)
	stampRe := regexp.MustCompile(`name="started" value="([^"]+)"`)
	page := func(cookie string) (count, stamp string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, e.url+"/petitions/"+itoa(p.ID), nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body := string(b)
		c, s := countRe.FindStringSubmatch(body), stampRe.FindStringSubmatch(body)
		if resp.StatusCode != http.StatusOK || c == nil || s == nil || strings.Contains(body, "oursay-stamp") {
			t.Fatalf("GET: %s, count %q, stamp %q", resp.Status, c, s)
		}
		// Sent whole with its length, not in chunks (a write each).
		if cookie == "" && (resp.ContentLength != int64(len(b)) || len(resp.TransferEncoding) > 0) {
			t.Errorf("shared page: Content-Length %d, transfer encoding %q, for %d bytes", resp.ContentLength, resp.TransferEncoding, len(b))
		}
		return c[1], s[1]
	}
	seen := map[string]bool{}
	for i := 1; i <= 3; i++ {
		before, stamp := page("")
		again, stamp2 := page("")
		if again != before {
			t.Fatalf("read twice with no change: %s then %s", before, again)
		}
		if stamp == stamp2 || seen[stamp] || seen[stamp2] {
			t.Fatalf("two pages share the stamp %q / %q: a stamp is good for one submission", stamp, stamp2)
		}
		seen[stamp], seen[stamp2] = true, true
		e.paper(p.ID, i)
		if got, _ := page(""); got != itoa(int64(i+5)) { // five sponsors, then the paper signatures
			t.Errorf("after paper signature %d: page shows %s, want %d", i, got, i+5)
		}
	}

	// A change the store did not announce: the cached page stands (unless
	// more than the cache's second passed on a slow machine).
	start := time.Now()
	cached, _ := page("")
	if _, err := e.d.Writer().Exec(`UPDATE petitions SET signature_count = 4242 WHERE id = ?`, p.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := page(""); got != cached && time.Since(start) < 900*time.Millisecond {
		t.Errorf("unannounced change: page shows %s at once, want the cached %s", got, cached)
	}
	for _, cookie := range []string{"oursay_session=x", "some_other=y"} {
		if got, _ := page(cookie); got != "4,242" {
			t.Errorf("with cookie %s: page shows %s, want it rendered afresh (4,242)", cookie, got)
		}
	}
}

// TestSignatureConfirmed_Shared: the page a signer sees after pressing
// Confirm is shared like the petition page: each confirmation's commit is
// on the very next page (the signer's own signature is in the count), a
// change nobody announced is not, and each way a confirmation can end has
// its own page.
func TestSignatureConfirmed_Shared(t *testing.T) {
	e, p, tokens := twoPendingSigners(t)
	countRe := regexp.MustCompile(`data-live="signature_count">([0-9,]+)<`)
	var lastBody string
	confirm := func(who string) (heading, count string) {
		t.Helper()
		resp, err := http.PostForm(e.url+"/signatures/confirm", url.Values{"token": {tokens[who]}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		lastBody = string(b)
		h := regexp.MustCompile(`<h1[^>]*>\s*([^<]+?)\s*<`).FindStringSubmatch(string(b))
		c := countRe.FindStringSubmatch(string(b))
		if resp.StatusCode != http.StatusOK || h == nil || c == nil {
			t.Fatalf("confirm %s: %s, heading %q, count %q", who, resp.Status, h, c)
		}
		return h[1], c[1]
	}
	// Five sponsors, then each signer's own signature.
	shellStart := time.Now()
	if h, c := confirm("ann"); h != "Signature confirmed" || c != "6" {
		t.Errorf("ann confirms: %q, count %s; want Signature confirmed, 6", h, c)
	}
	// The count is the part each commit changes; the rest of the page is
	// kept for a second however many commits there are, so a title
	// changed behind it is not on bob's page, while his count is.
	if _, err := e.d.Writer().Exec(`UPDATE petitions SET title = 'Renamed behind the cache' WHERE id = ?`, p.ID); err != nil {
		t.Fatal(err)
	}
	if h, c := confirm("bob"); h != "Signature confirmed" || c != "7" {
		t.Errorf("bob confirms: %q, count %s; want Signature confirmed, 7", h, c)
	}
	if body := lastBody; strings.Contains(body, "Renamed behind the cache") && time.Since(shellStart) < 900*time.Millisecond {
		t.Error("the page around the count was rebuilt after a commit, not kept for a second")
	}
	if h, c := confirm("ann"); h != "Your signature was already confirmed" || c != "7" {
		t.Errorf("ann again: %q, count %s; want already confirmed, 7", h, c)
	}
	// The page put together from its kept parts is the page rendered whole
	// (as it is for a visitor with a cookie), byte for byte.
	shared := lastBody
	req, _ := http.NewRequest(http.MethodPost, e.url+"/signatures/confirm", strings.NewReader(url.Values{"token": {tokens["ann"]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "some_other=y")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(whole) != shared {
		t.Errorf("the shared page differs from the page rendered whole:\nshared: %.300s\nwhole:  %.300s", shared, whole)
	}
	start := time.Now()
	if _, err := e.d.Writer().Exec(`UPDATE petitions SET signature_count = 4242 WHERE id = ?`, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, c := confirm("bob"); c != "7" && time.Since(start) < 900*time.Millisecond {
		t.Errorf("unannounced change: the page shows %s at once, want the shared page's 7", c)
	}
}

// TestSignatureConfirmLink_Shared: the page a confirmation link opens is
// rendered once per petition and carries each visitor's own token; a
// visitor with a cookie gets it rendered afresh.
func TestSignatureConfirmLink_Shared(t *testing.T) {
	e, p, tokens := twoPendingSigners(t)
	open := func(who, cookie string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, e.url+"/signatures/confirm?token="+url.QueryEscape(tokens[who]), nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("open %s's link: %s", who, resp.Status)
		}
		return string(b)
	}
	start := time.Now()
	ann := open("ann", "")
	if _, err := e.d.Writer().Exec(`UPDATE petitions SET title = 'Renamed behind the cache' WHERE id = ?`, p.ID); err != nil {
		t.Fatal(err)
	}
	// ann's confirmation is a commit the store announces: the page shows
	// no count, so it is not rebuilt for it.
	if _, err := e.ps.Confirm(context.Background(), tokens["ann"]); err != nil {
		t.Fatal(err)
	}
	bob := open("bob", "")
	for who, page := range map[string]string{"ann": ann, "bob": bob} {
		other := map[string]string{"ann": "bob", "bob": "ann"}[who]
		if !strings.Contains(page, `name="token" value="`+tokens[who]+`"`) || strings.Contains(page, tokens[other]) || strings.Contains(page, "oursay-token") {
			t.Errorf("%s's page does not carry exactly %s's token", who, who)
		}
	}
	if strings.Contains(bob, "Renamed behind the cache") && time.Since(start) < 900*time.Millisecond {
		t.Error("bob's page was rendered afresh, not shared")
	}
	if page := open("bob", "oursay_session=x"); !strings.Contains(page, "Renamed behind the cache") {
		t.Error("with a cookie the page should be rendered afresh")
	}
}

// twoPendingSigners opens a live petition with cached bodies and two
// pending online signatures, ann's and bob's, returning their links' tokens.
func twoPendingSigners(t *testing.T) (*liveEnv, *ballot.Petition, map[string]string) {
	e := newLiveEnv(t)
	e.web.Live().CacheBodies()
	p := e.openPetition(ballot.CountLive, 100)
	tokens := map[string]string{}
	for _, who := range []string{"ann", "bob"} {
		addr := who + "@example.org"
		sig := &ballot.Signature{Name: who + " Signer", Email: addr, Postcode: "AB1 2CD", Resident: true}
		if err := e.ps.Sign(context.Background(), p.ID, sig, "", liveBase); err != nil {
			t.Fatal(err)
		}
		tokens[who] = e.token(addr)
	}
	return e, p, tokens
}
