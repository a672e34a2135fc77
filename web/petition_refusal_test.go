package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestPetitionRefused_NoFutureBreak: a contract with no break clause, one
// whose break clauses have all passed, and one that has ended each say on
// their page why no recall petition can be started, offer no link to start
// one, and are not offered on the start form; asked for by name, the form
// says why; posted anyway, nothing is saved. A contract with a break
// ahead says when it is and links to the form.
func TestPetitionRefused_NoFutureBreak(t *testing.T) {
	e := newEnv(t)
	now := today()
	running := e.addContract(wasteContract())
	noBreak := leisureContract()
	noBreak.BreakClauses = nil
	e.addContract(noBreak)
	passed := wasteContract()
	passed.Title, passed.Provider, passed.BreakClauses = "Parks", "GreenCo", []time.Time{now.AddDate(-1, 0, 0)}
	e.addContract(passed)
	ended := wasteContract()
	ended.Title, ended.Provider = "Libraries", "BookCo"
	ended.StartsOn, ended.EndsOn, ended.BreakClauses = now.AddDate(-5, 0, 0), now.AddDate(0, 0, -1), []time.Time{now.AddDate(-3, 0, 0)}
	e.addContract(ended)

	for _, tc := range []struct {
		id   int64
		why  string
		name string
	}{
		{noBreak.ID, "This contract has no break clause, so a recall petition cannot be started against it.", "ActiveLife Trust"},
		{passed.ID, "All of this contract&#39;s break clause dates have passed, so a recall petition cannot be started against it.", "GreenCo"},
		{ended.ID, "This contract ended on " + ended.EndsOn.Format("2 January 2006") + ", so a recall petition cannot be started against it.", "BookCo"},
	} {
		_, page := e.get(e.anon, fmt.Sprintf("/contracts/%d", tc.id))
		if !strings.Contains(page, tc.why) || strings.Contains(page, "/petitions/new?contract=") || strings.Contains(page, "This contract has a break clause") {
			t.Errorf("contract %s page: want %q and no link to start a petition", tc.name, tc.why)
		}
		_, form := e.get(e.anon, fmt.Sprintf("/petitions/new?contract=%d", tc.id))
		if !strings.Contains(form, `id="petition-refused"`) || !strings.Contains(form, tc.why) || strings.Contains(form, `value="`+itoa(tc.id)+`"`) {
			t.Errorf("start form for %s: want the reason and no option for it", tc.name)
		}
		_, js := e.get(e.anon, fmt.Sprintf("/api/contracts/%d", tc.id))
		if c := compactJSON(t, js); !strings.Contains(c, `"petition_allowed":false,"petition_refusal":"`) {
			t.Errorf("contract %s JSON: no refusal: %s", tc.name, c)
		}
		before := e.rowCounts([]string{"petitions", "outbox"})
		res, body := e.postBody(e.anon, "/petitions", url.Values{"contract": {itoa(tc.id)}, "title": {"End it"}, "reasons": {"Poor service"},
			"count_policy": {"live"}, "name": {"Sam"}, "email": {"sam@example.org"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="contract-error"`) {
			t.Errorf("petition against %s: got %d without a message on the contract", tc.name, res.StatusCode)
		}
		if after := e.rowCounts([]string{"petitions", "outbox"}); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("petition against %s saved something: %v to %v", tc.name, before, after)
		}
	}

	_, page := e.get(e.anon, fmt.Sprintf("/contracts/%d", running.ID))
	next := running.BreakClauses[1].Format("2 January 2006")
	if !strings.Contains(page, "This contract has a break clause on <strong>"+next+"</strong>") ||
		!strings.Contains(page, fmt.Sprintf("/petitions/new?contract=%d", running.ID)) || strings.Contains(page, `id="no-petition"`) {
		t.Errorf("running contract: want its next break %s and the link to start a petition", next)
	}
	_, form := e.get(e.anon, "/petitions/new")
	if !strings.Contains(form, `value="`+itoa(running.ID)+`"`) || strings.Contains(form, `id="petition-refused"`) {
		t.Errorf("start form does not offer the running contract")
	}
}
