package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/oursay/oursay/consult"
)

// TestConsultation_CodeAudience: a consultation for holders of a code takes
// one response per code, refuses a missing, mistyped, unknown or used code
// with a message by the field, and keeps only the codes' hashes.
func TestConsultation_CodeAudience(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := &consult.Consultation{Slug: "tenants", Title: "Tenants' services", Summary: "For council tenants", Audience: consult.AudienceCode,
		Record:    consult.Record{Service: "Housing repairs", Proposal: consult.ProposalChangeService, InHouseBid: "In house", SocialValueWeight: 10},
		Questions: []consult.Question{{Kind: consult.KindScale, Prompt: "Repairs are quick", Required: true}}}
	if err := e.store.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Open(ctx, "tenants", "test"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.store.Consultation(ctx, "tenants"); err != nil || got.Audience != consult.AudienceCode {
		t.Fatalf("audience read back as %q", got.Audience)
	}
	res, body := e.postBody(e.admin, "/admin/consultations/tenants/codes", confirmed(url.Values{"count": {"3"}}))
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if res.StatusCode != 200 || err != nil || len(rows) != 4 {
		t.Fatalf("codes: got %d, %d rows, %v", res.StatusCode, len(rows), err)
	}
	if res, _ := e.postBody(e.mod, "/admin/consultations/tenants/codes", confirmed(url.Values{"count": {"3"}})); res.StatusCode != http.StatusForbidden {
		t.Errorf("moderator generating codes: got %d, want 403", res.StatusCode)
	}
	code := rows[1][1]
	var stored int
	must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM consultation_codes`).Scan(&stored))
	if stored != 3 {
		t.Errorf("stored hashes: got %d, want 3", stored)
	}
	q := c.Questions[0].Field()
	for name, tc := range map[string]struct{ code, want string }{
		"missing":  {"", "Enter the code from your letter"},
		"mistyped": {"ABCD", "as printed on your letter"},
		"unknown":  {"ABCD-EFGH-JKLM-NPQR", "not right"},
	} {
		res, body := e.postBody(e.anon, "/consultations/tenants/responses", url.Values{q: {"4"}, "code": {tc.code}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, `href="#code"`) {
			t.Errorf("%s code: got %d without %q", name, res.StatusCode, tc.want)
		}
	}
	// The same code, many times at once (lower case, spaces): one response.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := e.postJSON(e.anon, "/api/consultations/tenants/responses",
				`{"answers":{"`+itoa(c.Questions[0].ID)+`":5},"code":"`+strings.ToLower(strings.ReplaceAll(code, "-", " "))+`"}`)
			mu.Lock()
			defer mu.Unlock()
			if res.StatusCode == http.StatusCreated {
				ok++
			} else if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("reuse: got %d, want 422", res.StatusCode)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || e.responseCount("tenants") != 1 {
		t.Errorf("got %d accepted and %d saved, want 1 and 1", ok, e.responseCount("tenants"))
	}
	res, body = e.postBody(e.anon, "/consultations/tenants/responses", url.Values{q: {"4"}, "code": {code}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already been used") {
		t.Errorf("used code: got %d", res.StatusCode)
	}
	var plain int
	must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM consultation_codes WHERE CAST(code_hash AS TEXT) LIKE ?`, "%"+strings.ReplaceAll(code, "-", "")+"%").Scan(&plain))
	if plain != 0 {
		t.Errorf("a code is stored in plain text")
	}
}
