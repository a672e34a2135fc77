package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// scorecardDoc is /api/accountability as a client reads it.
type scorecardDoc struct {
	GeneratedAt time.Time                      `json:"generated_at"`
	Principles  []struct{ Code, Label string } `json:"principles"`
	Council     struct {
		Contracts  int `json:"contracts"`
		Principles []struct {
			Code           string `json:"code"`
			Met            int    `json:"met"`
			NotMet         int    `json:"not_met"`
			NotYetRecorded int    `json:"not_yet_recorded"`
			Summary        string `json:"summary"`
		} `json:"principles"`
		Requests map[string]int `json:"information_requests"`
	} `json:"council"`
	Contracts []struct {
		ID       int64  `json:"id"`
		Title    string `json:"title"`
		Provider string `json:"provider"`
		URL      string `json:"url"`
		Met      int    `json:"met"`
		Scores   []struct {
			Code      string `json:"code"`
			Status    string `json:"status"`
			Detail    string `json:"detail"`
			RecordURL string `json:"record_url"`
		} `json:"scores"`
		Requests map[string]int `json:"information_requests"`
	} `json:"contracts"`
}

func (e *testEnv) scorecard() scorecardDoc {
	e.t.Helper()
	res, body := e.get(e.anon, "/api/accountability")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		e.t.Fatalf("GET /api/accountability: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var d scorecardDoc
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		e.t.Fatalf("scorecard JSON: %v\n%s", err, body)
	}
	return d
}

// score is one contract's status and record for a principle.
func (d scorecardDoc) score(contract int64, code string) (status, record string) {
	for _, c := range d.Contracts {
		if c.ID == contract {
			for _, s := range c.Scores {
				if s.Code == code {
					return s.Status, s.RecordURL
				}
			}
		}
	}
	return "", ""
}

func (d scorecardDoc) council(code string) string {
	for _, p := range d.Council.Principles {
		if p.Code == code {
			return fmt.Sprintf("%d/%d/%d %s", p.Met, p.NotMet, p.NotYetRecorded, p.Summary)
		}
	}
	return ""
}

// TestAccountability: the scorecard scores every contract from its
// records, in HTML and JSON, each score linking to the record that meets
// it or the place it would be; it changes as records are added, and an
// unanswered recall fails the contract after 28 days.
func TestAccountability(t *testing.T) {
	e := newBallotEnv(t)
	ctx := context.Background()
	waste := e.contract
	leisure := e.addContract(leisureContract())
	street := wasteContract()
	street.Title, street.Provider, street.StartsOn, street.BreakClauses = "Street cleaning", "Sweepers Ltd", today().AddDate(0, 2, 0), nil
	e.addContract(street)
	e.decidedConsultation("street-cleaning", street.ID)

	d := e.scorecard()
	if len(d.Principles) != len(ballot.Principles) || d.Council.Contracts != 3 || len(d.Contracts) != 3 {
		t.Fatalf("scorecard: %d principles, %d contracts (%d cards), want %d and 3", len(d.Principles), d.Council.Contracts, len(d.Contracts), len(ballot.Principles))
	}
	if got := d.council("contract_published"); got != "0/3/0 0 of 3 contracts" {
		t.Errorf("council contract_published before any document: %q", got)
	}
	if st, rec := d.score(waste.ID, "contract_published"); st != "not_met" || rec != fmt.Sprintf("%s/contracts/%d#documents", testBase, waste.ID) {
		t.Errorf("waste contract_published: %s %s", st, rec)
	}
	if st, rec := d.score(street.ID, "consulted_before_letting"); st != "met" || rec != testBase+"/consultations/street-cleaning" {
		t.Errorf("street consulted_before_letting: %s %s", st, rec)
	}
	if st, _ := d.score(leisure.ID, "consulted_before_letting"); st != "not_met" {
		t.Errorf("leisure consulted_before_letting: %s", st)
	}
	if st, rec := d.score(street.ID, "public_interest_case"); st != "met" || rec != testBase+"/consultations/street-cleaning" {
		t.Errorf("street public_interest_case: %s %s", st, rec)
	}
	if st, _ := d.score(street.ID, "financial_data_published"); st != "not_yet_recorded" {
		t.Errorf("street (not started) financial data: %s, want not_yet_recorded", st)
	}
	if got := d.council("at_risk_review"); got != "0/0/3 0 of 3 contracts" {
		t.Errorf("at-risk review, which OurSay cannot record yet: %q", got)
	}

	// The contract document, a spending file and two requests change it.
	doc := &ballot.Document{ContractID: waste.ID, Kind: ballot.DocContract, Title: "The contract", Dated: waste.StartsOn,
		Filename: "contract.pdf", ContentType: ballot.TypePDF, Data: testPDF, Redacted: true, Reason: "Commercial interests (section 43)"}
	must(t, e.st.Documents.AddDocument(ctx, doc, 1<<20, "test"))
	imp, err := e.st.Spending.StageSpending(ctx, "jan.csv", []byte(januarySpend), "test")
	must(t, err)
	_, err = e.st.Spending.SaveSpending(ctx, imp, "test")
	must(t, err)
	answered, refused := e.receivedRequest(waste.ID, true), e.receivedRequest(waste.ID, true)
	must(t, e.st.Requests.AnswerRequest(ctx, answered.ID, "Twelve", "test"))
	must(t, e.st.Requests.RefuseRequest(ctx, refused.ID, ballot.FOIExemptions[0].Code, "Too costly to find", "test"))
	e.receivedRequest(leisure.ID, true)

	d = e.scorecard()
	if st, rec := d.score(waste.ID, "contract_published"); st != "met" || rec != fmt.Sprintf("%s/contracts/%d/documents/%d", testBase, waste.ID, doc.ID) {
		t.Errorf("waste contract_published after the document: %s %s", st, rec)
	}
	if got := d.council("contract_published"); got != "1/2/0 1 of 3 contracts" {
		t.Errorf("council contract_published: %q", got)
	}
	if st, rec := d.score(waste.ID, "financial_data_published"); st != "met" || rec != fmt.Sprintf("%s/contracts/%d#spend", testBase, waste.ID) {
		t.Errorf("waste financial data after the import: %s %s", st, rec)
	}
	if st, _ := d.score(leisure.ID, "financial_data_published"); st != "not_met" {
		t.Errorf("leisure financial data, nothing matched: %s", st)
	}
	wantReq := map[string]int{"answered_on_time": 1, "answered_late": 0, "refused": 1, "awaiting_response": 0, "overdue": 0}
	for _, c := range d.Contracts {
		if c.ID == waste.ID && fmt.Sprint(c.Requests) != fmt.Sprint(wantReq) {
			t.Errorf("waste requests %v, want %v", c.Requests, wantReq)
		}
	}
	wantReq["awaiting_response"] = 1
	if fmt.Sprint(d.Council.Requests) != fmt.Sprint(wantReq) {
		t.Errorf("council requests %v, want %v", d.Council.Requests, wantReq)
	}

	// A recall result unanswered for 28 days fails the break clause; the
	// council's response puts it right.
	id := e.closeRecall()
	if st, _ := e.scorecard().score(waste.ID, "break_clause_with_recall"); st != "met" {
		t.Errorf("break clause on the day of a recall result: %s, want met", st)
	}
	if _, err := e.db.Writer().Exec(`UPDATE ballots SET closed_at = ? WHERE id = ?`,
		time.Now().UTC().Add(-29*24*time.Hour).Format(time.RFC3339Nano), id); err != nil {
		t.Fatal(err)
	}
	if st, rec := e.scorecard().score(waste.ID, "break_clause_with_recall"); st != "not_met" || rec != fmt.Sprintf("%s/ballots/%d", testBase, id) {
		t.Errorf("break clause 29 days after an unanswered recall: %s %s, want not_met and the ballot", st, rec)
	}

	res, page := e.get(e.anon, "/accountability")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /accountability: %d", res.StatusCode)
	}
	card := page[strings.Index(page, fmt.Sprintf(`id="contract-%d"`, waste.ID)):]
	card = card[:strings.Index(card, "</dl>")]
	for _, want := range []string{
		fmt.Sprintf(`href="/contracts/%d/documents/%d"`, waste.ID, doc.ID),
		fmt.Sprintf(`href="/ballots/%d"`, id),
		"recorded no response after 28 days",
		`<strong class="govuk-tag govuk-tag--green">Met</strong>`,
		`<strong class="govuk-tag govuk-tag--red">Not met</strong>`,
		`<strong class="govuk-tag govuk-tag--grey">Not yet recorded</strong>`,
		"Answered on time: 1. Answered late: 0. Refused: 1.",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("waste contract's card lacks %s", want)
		}
	}
	council := page[strings.Index(page, `id="council-scores"`):]
	if !strings.Contains(council[:strings.Index(council, "</dl>")], "<strong>1 of 3 contracts</strong> meet this.") {
		t.Errorf("council-wide row lacks the count of contracts published")
	}

	must(t, e.st.Ballots.RecordResponse(ctx, id, &ballot.CouncilResponse{Reason: "Service improved"}, "test"))
	if st, rec := e.scorecard().score(waste.ID, "break_clause_with_recall"); st != "met" || rec != fmt.Sprintf("%s/ballots/%d", testBase, id) {
		t.Errorf("break clause once the council responded: %s %s", st, rec)
	}

	// The contract pages lead to it.
	_, list := e.get(e.anon, "/contracts")
	_, one := e.get(e.anon, fmt.Sprintf("/contracts/%d", waste.ID))
	if !strings.Contains(list, `href="/accountability"`) || !strings.Contains(one, fmt.Sprintf(`href="/accountability#contract-%d"`, waste.ID)) {
		t.Errorf("the contract list or page does not link to the scorecard")
	}
}

// With no contracts the scorecard says so, and its JSON has empty lists.
func TestAccountability_Empty(t *testing.T) {
	e := newEnv(t)
	res, page := e.get(e.anon, "/accountability")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "The council has not published any contracts yet.") {
		t.Errorf("empty scorecard: %d", res.StatusCode)
	}
	_, js := e.get(e.anon, "/api/accountability")
	if c := compactJSON(t, js); !strings.Contains(c, `"contracts":[]`) || !strings.Contains(c, `"council":{"contracts":0,`) {
		t.Errorf("empty scorecard JSON: %s", c)
	}
}
