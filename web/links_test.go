package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// TestLinks_BothWays: a contract, the consultation an officer links to it,
// the petition against it that met its threshold and the ballot it led to
// each link to the others, on their pages and in their JSON; the home page
// lists what is open now, the petition with its live count.
func TestLinks_BothWays(t *testing.T) {
	e := newBallotEnv(t)
	ctx := context.Background()
	cid, pid := e.contract.ID, e.petition.ID

	// The officer links a consultation to the contract on its form; an
	// unknown contract is refused with a message naming the question.
	form := url.Values{"title": {"Waste services review"}, "summary": {"Should waste collection come back in house?"},
		"service": {"Waste"}, "proposal": {"in_house"}, "in_house_bid": {"The depot team"}, "social_value_weight": {"25"},
		"at_risk_contact": {"no"}, "rights_threat": {"no"}, "audience": {"anyone"}, "contract": {itoa(cid + 99)}}
	if res, body := e.postBody(e.admin, "/admin/consultations", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#contract"`) {
		t.Errorf("unknown contract: got %d, want 422 naming the contract question", res.StatusCode)
	}
	form.Set("contract", itoa(cid))
	if res := e.post(e.admin, "/admin/consultations", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create consultation: got %d", res.StatusCode)
	}
	if _, body := e.get(e.admin, "/admin/consultations/waste-services-review/edit"); !strings.Contains(body, `value="`+itoa(cid)+`" selected`) {
		t.Errorf("edit form does not show the contract chosen")
	}
	must(t, e.store.AddQuestion(ctx, "waste-services-review", &consult.Question{Kind: consult.KindScale, Prompt: "Bins work", Required: true}, "test"))
	must(t, e.store.Open(ctx, "waste-services-review", "test"))
	b, _ := e.openBallot(3)

	pages := map[string][]string{
		fmt.Sprintf("/contracts/%d", cid):      {`href="/consultations/waste-services-review"`, fmt.Sprintf(`href="/petitions/%d"`, pid), fmt.Sprintf(`href="/ballots/%d"`, b.ID)},
		"/consultations/waste-services-review": {fmt.Sprintf(`href="/contracts/%d"`, cid)},
		fmt.Sprintf("/petitions/%d", pid):      {fmt.Sprintf(`href="/ballots/%d"`, b.ID), fmt.Sprintf(`href="/contracts/%d"`, cid)},
		fmt.Sprintf("/ballots/%d", b.ID):       {fmt.Sprintf(`href="/petitions/%d"`, pid), fmt.Sprintf(`href="/contracts/%d"`, cid)},
		"/": {`href="/consultations/waste-services-review"`, fmt.Sprintf(`href="/petitions/%d"`, pid), fmt.Sprintf(`href="/ballots/%d"`, b.ID),
			fmt.Sprintf(`data-live-topic="petition:%d"><span data-live="signature_count">6</span>`, pid), fmt.Sprintf(`data-live-topic="ballot:%d"`, b.ID)},
	}
	for path, wants := range pages {
		res, body := e.get(e.anon, path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, res.StatusCode)
			continue
		}
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s lacks %s", path, want)
			}
		}
	}

	base := "http://oursay.test"
	_, contract := e.getJSON(fmt.Sprintf("/api/contracts/%d", cid))
	for list, want := range map[string]string{"consultations": base + "/consultations/waste-services-review",
		"petitions": fmt.Sprintf("%s/petitions/%d", base, pid), "ballots": fmt.Sprintf("%s/ballots/%d", base, b.ID)} {
		items, _ := contract[list].([]any)
		if len(items) != 1 || items[0].(map[string]any)["url"] != want {
			t.Errorf("contract JSON %s = %v, want one linking to %s", list, contract[list], want)
		}
	}
	jsonWants := map[string]map[string]any{
		"/api/consultations/waste-services-review": {"contract_id": json.Number(itoa(cid)), "contract_url": fmt.Sprintf("%s/contracts/%d", base, cid)},
		fmt.Sprintf("/api/petitions/%d", pid): {"ballot_id": json.Number(itoa(b.ID)), "ballot_url": fmt.Sprintf("%s/ballots/%d", base, b.ID),
			"contract_url": fmt.Sprintf("%s/contracts/%d", base, cid), "creator_name": "Sam"},
		fmt.Sprintf("/api/ballots/%d", b.ID): {"petition_url": fmt.Sprintf("%s/petitions/%d", base, pid), "contract_url": fmt.Sprintf("%s/contracts/%d", base, cid)},
	}
	for path, wants := range jsonWants {
		_, doc := e.getJSON(path)
		for k, want := range wants {
			if doc[k] != want {
				t.Errorf("%s %s = %v, want %v", path, k, doc[k], want)
			}
		}
	}
}

// TestLinks_PetitionSharing: a petition page names who started it and
// offers the link to copy, an email carrying it, and the poster with its
// QR code.
func TestLinks_PetitionSharing(t *testing.T) {
	e := newBallotEnv(t)
	path := fmt.Sprintf("/petitions/%d", e.petition.ID)
	_, body := e.get(e.anon, path)
	subject := strings.ReplaceAll(url.QueryEscape(e.petition.Title), "+", "%20")
	for _, want := range []string{
		`id="creator">Started by Sam<`,
		`data-copy-text>http://oursay.test` + path + `<`,
		`href="mailto:?subject=` + subject + `&amp;body=`,
		url.QueryEscape("http://oursay.test" + path),
		`href="` + path + `/poster"`,
		`href="` + path + `/qr.png"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("petition page lacks %s", want)
		}
	}
	if strings.Contains(body, "mailto:?subject=End+") {
		t.Errorf("the email subject has + for spaces, which mail shows as plus signs")
	}
}
