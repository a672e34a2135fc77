package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// TestBallot_Journey is the "done when": an admin sets up the
// ballot from the petition, generates codes and opens it; a voter opens a
// letter's link, votes and gets a receipt, and is refused the second time;
// the admin closes the ballot; the result is public and the receipt is in
// the list.
func TestBallot_Journey(t *testing.T) {
	e := newBallotEnv(t)
	_, body := e.get(e.admin, "/admin/ballots")
	if !strings.Contains(body, fmt.Sprintf("/admin/ballots/new?petition=%d", e.petition.ID)) {
		t.Fatal("the petition that met its threshold is not offered a ballot")
	}
	_, body = e.get(e.admin, fmt.Sprintf("/admin/ballots/new?petition=%d", e.petition.ID))
	// wasteContract's break clauses are a year ago, in a year and in two:
	// the next is the one in a year, whatever NextBreak says.
	next := today().AddDate(1, 0, 0).Format("2 January 2006")
	if !strings.Contains(body, "Should the council end its contract with CleanCo Services Ltd for Waste and recycling at the break point on "+next+"?") {
		t.Errorf("the set-up form does not prefill the recall question for the break point on %s", next)
	}
	b, codes := e.openBallot(3)
	if b.Status != "open" || b.Turnout.CodesIssued != 3 || len(b.Options) != 2 || b.Options[0].Label != "Yes" {
		t.Fatalf("opened ballot: %+v", b)
	}

	voter := e.client()
	res, body := e.openVoteLink(voter, "/vote?code="+url.QueryEscape(strings.ToLower(codes[0])))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="`+codes[0]+`"`) || !strings.Contains(body, `name="option"`) {
		t.Fatalf("/vote?code=…: got %d, want the ballot with the code filled in", res.StatusCode)
	}
	if res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("/vote headers: Cache-Control %q, Referrer-Policy %q", res.Header.Get("Cache-Control"), res.Header.Get("Referrer-Policy"))
	}
	res, body = e.voteForm(voter, b.ID, codes[0], itoa(b.Options[0].ID))
	receipt := between(body, `id="receipt">`, "<")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your vote has been counted") || len(receipt) != 14 {
		t.Fatalf("vote: got %d, receipt %q", res.StatusCode, receipt)
	}
	res, body = e.voteForm(voter, b.ID, codes[0], itoa(b.Options[0].ID))
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "already been used") {
		t.Errorf("second vote: got %d, want 409 saying the code was used", res.StatusCode)
	}
	if res, _ := e.openVoteLink(voter, "/vote?code="+codes[0]); res.StatusCode != http.StatusConflict {
		t.Errorf("/vote with a used code: got %d, want 409", res.StatusCode)
	}
	if st, _ := e.vote(e.anon, b.ID, codes[1], "No"); st != http.StatusCreated {
		t.Fatalf("JSON vote: got %d", st)
	}

	if res := e.post(e.admin, fmt.Sprintf("/admin/ballots/%d/close", b.ID), confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: got %d", res.StatusCode)
	}
	d := e.ballotJSON(b.ID)
	if d.Status != "closed" || d.Results == nil || d.Results.VotesCast != 2 || d.Results.Counts[0].Votes != 1 ||
		d.Results.Counts[1].Votes != 1 || !d.Results.QuorumMet || d.Results.Outcome != "no_recall" {
		t.Errorf("closed ballot JSON: %s", d.raw)
	}
	_, body = e.get(e.anon, fmt.Sprintf("/ballots/%d", b.ID))
	if !strings.Contains(body, "No recall") {
		t.Errorf("the result is not on the ballot page")
	}
	_, body = e.get(e.anon, fmt.Sprintf("/ballots/%d/receipts?receipt=%s", b.ID, url.QueryEscape(strings.ToLower(strings.ReplaceAll(receipt, "-", " ")))))
	if !strings.Contains(body, "<code>"+receipt+"</code>") || !strings.Contains(body, "is in the list") {
		t.Errorf("the receipt %s is not in the public list, or the lookup missed it", receipt)
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

// TestBallot_ResultsHiddenUntilClose checks the page, the admin page and
// the JSON while voting goes on: turnout, and no count per option.
func TestBallot_ResultsHiddenUntilClose(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.openBallot(10)
	for i, opt := range []string{"Yes", "Yes", "Yes", "No"} {
		if st, _ := e.vote(e.anon, b.ID, codes[i], opt); st != http.StatusCreated {
			t.Fatalf("vote %d: %d", i, st)
		}
	}
	d := e.ballotJSON(b.ID)
	if d.Results != nil || !strings.Contains(d.raw, `"results": null`) || strings.Contains(d.raw, "counts") {
		t.Errorf("JSON before close carries results: %s", d.raw)
	}
	if d.Turnout.VotesCast != 4 || d.Turnout.BasisPoints != 4000 {
		t.Errorf("turnout: %+v, want 4 votes, 40%%", d.Turnout)
	}
	_, list := e.get(e.anon, "/api/ballots")
	if strings.Contains(list, `"counts"`) {
		t.Errorf("/api/ballots before close carries counts")
	}
	_, page := e.get(e.anon, fmt.Sprintf("/ballots/%d", b.ID))
	if !strings.Contains(page, `data-live-topic="ballot:`+itoa(b.ID)+`"`) || !strings.Contains(page, `data-live="votes_cast">4<`) {
		t.Errorf("the page does not show live-ready turnout")
	}
	_, admin := e.get(e.admin, fmt.Sprintf("/admin/ballots/%d", b.ID))
	for name, body := range map[string]string{"public page": page, "admin page": admin} {
		for _, leak := range []string{">3<", "75%", "Result", "Recall:", "No recall"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s before close contains %q", name, leak)
			}
		}
	}
	for _, p := range []string{"/ballots/%d/receipts", "/api/ballots/%d/receipts"} {
		if res, _ := e.get(e.anon, fmt.Sprintf(p, b.ID)); res.StatusCode != http.StatusConflict {
			t.Errorf("GET %s before close: got %d, want 409", fmt.Sprintf(p, b.ID), res.StatusCode)
		}
	}
}

func TestBallot_APIVote(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.openBallot(5)
	path := fmt.Sprintf("/api/ballots/%d/votes", b.ID)
	cases := []struct {
		name, body string
		want       int
		field      string
	}{
		{"bad JSON", `{"code":`, http.StatusBadRequest, ""},
		{"unknown field", `{"code":"` + codes[0] + `","option":"Yes","name":"x"}`, http.StatusBadRequest, ""},
		{"malformed code", `{"code":"ABCD-0000","option":"Yes"}`, http.StatusUnprocessableEntity, "code"},
		{"no option", `{"code":"` + codes[0] + `"}`, http.StatusUnprocessableEntity, "option"},
		{"option not on the ballot", `{"code":"` + codes[0] + `","option":999999}`, http.StatusUnprocessableEntity, "option"},
		{"unknown code", `{"code":"` + ballot.NewCode() + `","option":"Yes"}`, http.StatusUnprocessableEntity, "code"},
		{"OK by id", `{"code":"` + codes[0] + `","option":` + itoa(b.Options[1].ID) + `}`, http.StatusCreated, ""},
		{"used code", `{"code":"` + strings.ToLower(codes[0]) + `","option":"yes"}`, http.StatusConflict, "code"},
		{"OK by label, spaced", `{"code":"` + strings.ReplaceAll(codes[1], "-", " ") + `","option":"yes"}`, http.StatusCreated, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.postJSON(e.anon, path, tc.body)
			if res.StatusCode != tc.want || tc.field != "" && !strings.Contains(body, `"`+tc.field+`":`) {
				t.Errorf("got %d %s, want %d with a message for %q", res.StatusCode, body, tc.want, tc.field)
			}
			if tc.want == http.StatusCreated && !strings.Contains(body, `"receipt"`) {
				t.Errorf("no receipt in %s", body)
			}
		})
	}
	if res, _ := e.postJSON(e.anon, "/api/ballots/999/votes", `{"code":"`+codes[2]+`","option":"Yes"}`); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown ballot: got %d, want 404", res.StatusCode)
	}
	if d := e.ballotJSON(b.ID); d.Turnout.VotesCast != 2 {
		t.Errorf("votes cast %d, want 2", d.Turnout.VotesCast)
	}
}

// TestBallot_ClosedWhileKept: a vote just before the ballot is closed
// keeps the ballot in the web layer's second-long memory (votingOn), yet a
// vote straight after the close is refused, by the API and the form, and
// nothing more is counted: the store checks again as it records a vote.
func TestBallot_ClosedWhileKept(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.openBallot(3)
	if status, receipt := e.vote(e.anon, b.ID, codes[0], "Yes"); status != http.StatusCreated || receipt == "" {
		t.Fatalf("first vote: %d", status)
	}
	if _, err := e.st.Ballots.Close(context.Background(), b.ID, "test"); err != nil {
		t.Fatal(err)
	}
	res, body := e.postJSON(e.anon, fmt.Sprintf("/api/ballots/%d/votes", b.ID), `{"code":"`+codes[1]+`","option":"Yes"}`)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "not open") {
		t.Errorf("JSON straight after the close: got %d %s, want 409 not open", res.StatusCode, body)
	}
	form := url.Values{"code": {codes[2]}, "option": {itoa(b.Options[0].ID)}, "cast": {"yes"}}
	if res, body := e.postBody(e.anon, fmt.Sprintf("/ballots/%d/votes", b.ID), form); res.StatusCode == http.StatusSeeOther || !strings.Contains(body, "not open") {
		t.Errorf("form straight after the close: got %d, want a refusal saying voting is not open", res.StatusCode)
	}
	if d := e.ballotJSON(b.ID); d.Turnout.VotesCast != 1 {
		t.Errorf("votes cast %d, want only the one before the close", d.Turnout.VotesCast)
	}
}

// TestBallot_ConcurrentVotesHTTP sends one code 1,000 times at once over
// HTTP: one 201, and 999 told the code is used.
func TestBallot_ConcurrentVotesHTTP(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.openBallot(2)
	const n = 1000
	tr := &http.Transport{MaxConnsPerHost: 100, MaxIdleConnsPerHost: 100}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+fmt.Sprintf("/api/ballots/%d/votes", b.ID),
				strings.NewReader(`{"code":"`+codes[0]+`","option":"Yes"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", e.srv.URL)
			res, err := c.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	got := map[int]int{}
	for _, s := range statuses {
		got[s]++
	}
	if got[http.StatusCreated] != 1 || got[http.StatusConflict] != n-1 {
		t.Errorf("statuses %v, want one 201 and %d 409", got, n-1)
	}
	if d := e.ballotJSON(b.ID); d.Turnout.VotesCast != 1 {
		t.Errorf("votes cast %d, want 1", d.Turnout.VotesCast)
	}
}

// TestBallot_WrongCodeRateLimit: after ten wrong codes a client is refused
// with 429 and a clear message, even with a good code; others are not.
func TestBallot_WrongCodeRateLimit(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.openBallot(2)
	for i := range 10 {
		if st, _ := e.vote(e.anon, b.ID, ballot.NewCode(), "Yes"); st != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: got %d, want 422", i+1, st)
		}
	}
	res, body := e.postJSON(e.anon, fmt.Sprintf("/api/ballots/%d/votes", b.ID), `{"code":"`+codes[0]+`","option":"Yes"}`)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many wrong voter codes") || res.Header.Get("Retry-After") == "" {
		t.Errorf("11th attempt: got %d %s (Retry-After %q), want 429 with a message", res.StatusCode, body, res.Header.Get("Retry-After"))
	}
	res, body = e.postBody(e.anon, fmt.Sprintf("/ballots/%d/votes", b.ID), url.Values{"code": {codes[0]}, "option": {"Yes"}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many wrong voter codes") {
		t.Errorf("form: got %d, want 429 with the message", res.StatusCode)
	}
	if res, _ := e.openVoteLink(e.client(), "/vote?code="+codes[0]); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("/vote: got %d, want 429", res.StatusCode)
	}
	if d := e.ballotJSON(b.ID); d.Turnout.VotesCast != 0 {
		t.Errorf("a rate-limited vote counted")
	}
}

// TestBallot_AdminAccess: anonymous staff pages send to sign-in (or 401 for
// a POST); a moderator can look but not set up, generate, open or close.
func TestBallot_AdminAccess(t *testing.T) {
	e := newBallotEnv(t)
	id := itoa(e.createBallot())
	routes := []struct {
		method, path string
		adminOnly    bool
	}{
		{"GET", "/admin/ballots", false},
		{"GET", "/admin/ballots/" + id, false},
		{"GET", "/admin/ballots/new?petition=" + itoa(e.petition.ID), true},
		{"POST", "/admin/ballots", true},
		{"POST", "/admin/ballots/" + id + "/codes", true},
		{"POST", "/admin/ballots/" + id + "/open", true},
		{"POST", "/admin/ballots/" + id + "/close", true},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			res, _ := e.do(e.anon, rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader("count=5"))
			if rt.method == "GET" && (res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin")) {
				t.Errorf("anonymous: got %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
			}
			if rt.method == "POST" && res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous: got %d, want 401", res.StatusCode)
			}
			res, _ = e.do(e.mod, rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader("count=5"))
			if rt.adminOnly && res.StatusCode != http.StatusForbidden {
				t.Errorf("moderator: got %d, want 403", res.StatusCode)
			}
			if !rt.adminOnly && res.StatusCode != http.StatusOK {
				t.Errorf("moderator: got %d, want 200", res.StatusCode)
			}
		})
	}
	var n int
	must(t, e.db.Reader().QueryRow(`SELECT codes_issued FROM ballots WHERE id = ?`, id).Scan(&n))
	if n != 0 {
		t.Errorf("refused requests issued %d codes", n)
	}
}

// TestBallot_AdminForms checks the refusals a council officer can meet.
func TestBallot_AdminForms(t *testing.T) {
	e := newBallotEnv(t)
	f := e.ballotForm()
	f.Set("quorum", "120")
	f.Set("question", "")
	res, body := e.postBody(e.admin, "/admin/ballots", f)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") ||
		!strings.Contains(body, `href="#quorum"`) || !strings.Contains(body, `href="#question"`) {
		t.Errorf("bad form: got %d, want 422 with messages for quorum and question", res.StatusCode)
	}
	id := e.createBallot()
	path := fmt.Sprintf("/admin/ballots/%d", id)
	if res, body := e.postBody(e.admin, path+"/open", confirmed(nil)); res.StatusCode != http.StatusConflict || !strings.Contains(body, "Generate voter codes") {
		t.Errorf("open without codes: got %d", res.StatusCode)
	}
	if res, _ := e.postBody(e.admin, path+"/codes", confirmed(url.Values{"count": {"0"}})); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("0 codes: got %d, want 422", res.StatusCode)
	}
	if res, _ := e.postBody(e.admin, path+"/close", confirmed(nil)); res.StatusCode != http.StatusConflict {
		t.Errorf("close a draft: got %d, want 409", res.StatusCode)
	}
	if res := e.post(e.admin, "/admin/ballots", e.ballotForm()); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a second ballot for the petition: got %d, want 422", res.StatusCode)
	}
	if res, _ := e.get(e.anon, path); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a draft's admin page for anonymous: got %d", res.StatusCode)
	}
	if res, _ := e.get(e.anon, fmt.Sprintf("/ballots/%d", id)); res.StatusCode != http.StatusNotFound {
		t.Errorf("a draft's public page: got %d, want 404", res.StatusCode)
	}
}

// TestBallot_AdminCodes checks the download: n distinct codes the parser
// accepts, n hashes stored, and no code in the database.
func TestBallot_AdminCodes(t *testing.T) {
	e := newBallotEnv(t)
	id := e.createBallot()
	codes := e.codes(id, 50)
	seen := map[string]bool{}
	for _, c := range codes {
		canon, err := ballot.ParseCode(c)
		if err != nil || seen[canon] {
			t.Fatalf("code %q: %v (seen before: %v)", c, err, seen[canon])
		}
		seen[canon] = true
		var n int
		must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM voter_codes WHERE ballot_id = ? AND code_hash = ?`, id, ballot.HashCode(testCodeKey, id, canon)).Scan(&n))
		if n != 1 {
			t.Fatalf("code %s: its hash is stored %d times", c, n)
		}
	}
	var stored int
	must(t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM voter_codes WHERE ballot_id = ?`, id).Scan(&stored))
	if stored != 50 {
		t.Errorf("stored %d hashes, want 50", stored)
	}
	assertNoCodeInDB(t, e.db.Reader(), codes)
}

// TestBallot_AdminCodes_RefusedOnceVotingStarts: once voting has started,
// the admin page offers no codes form, and a post that adds codes is
// refused with a reason; the electorate (codes issued) does not move.
func TestBallot_AdminCodes_RefusedOnceVotingStarts(t *testing.T) {
	e := newBallotEnv(t)
	b, _ := e.openBallot(3) // voting opened an hour ago
	path := fmt.Sprintf("/admin/ballots/%d", b.ID)
	res, body := e.postBody(e.admin, path+"/codes", confirmed(url.Values{"count": {"2"}}))
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "new codes would change the turnout and the quorum") {
		t.Errorf("codes while voting: got %d, want 409 with the reason", res.StatusCode)
	}
	if got := e.ballotJSON(b.ID).Turnout.CodesIssued; got != 3 {
		t.Errorf("codes issued = %d, want 3", got)
	}
	if _, page := e.get(e.admin, path); strings.Contains(page, `action="/admin/ballots/`+itoa(b.ID)+`/codes"`) {
		t.Errorf("the admin page still offers the codes form once voting has started")
	}
}

// TestBallot_OptionMatching: a JSON number is an option id and nothing
// else, a JSON string is a label (any case), a form sends an id, and a
// label that fits two options is refused rather than guessed. The first
// ballot of a fresh database has options 1, 2 and 3, so the label "3" on
// option 1 is the trap: it equals the id of option 3.
func TestBallot_OptionMatching(t *testing.T) {
	e := newBallotEnv(t)
	id, codes := e.openBallotWith("3\r\nKeep\r\nEnd", 6)
	b := e.ballotJSON(id)
	if len(b.Options) != 3 || b.Options[0].ID != 1 || b.Options[0].Label != "3" || b.Options[2].ID != 3 {
		t.Fatalf("fixture: want options 1 \"3\", 2 Keep, 3 End; got %+v", b.Options)
	}
	if st, _ := e.vote(e.anon, id, codes[0], 3); st != http.StatusCreated {
		t.Errorf("JSON 3 (a number): got %d", st)
	}
	if st, _ := e.vote(e.anon, id, codes[1], "3"); st != http.StatusCreated {
		t.Errorf("JSON \"3\" (a label): got %d", st)
	}
	path := fmt.Sprintf("/ballots/%d/votes", id)
	if res, _ := e.voteForm(e.anon, id, codes[2], "3"); res.StatusCode != http.StatusOK {
		t.Errorf("form option=3 (an id): got %d", res.StatusCode)
	}
	if res, _ := e.postBody(e.anon, path, url.Values{"code": {codes[3]}, "option": {"End"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("form option=End (a label): got %d, want 422: the form sends ids", res.StatusCode)
	}
	if res := e.post(e.admin, fmt.Sprintf("/admin/ballots/%d/close", id), confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: got %d", res.StatusCode)
	}
	got := map[string]int{}
	for _, c := range e.ballotJSON(id).Results.Counts {
		got[c.Label] = c.Votes
	}
	if want := map[string]int{"3": 1, "Keep": 0, "End": 2}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counts: got %v, want %v", got, want)
	}

	t.Run("ambiguous label", func(t *testing.T) {
		f := e.ballotForm()
		f.Del("petition_id")
		f.Set("contract_id", itoa(e.contract.ID))
		f.Set("options", "Yes\r\nYES\r\nNo")
		res := e.post(e.admin, "/admin/ballots", f)
		var id int64
		if _, err := fmt.Sscanf(res.Header.Get("Location"), "/admin/ballots/%d", &id); err != nil {
			t.Fatalf("create: got %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		codes := e.codes(id, 1)
		if res := e.post(e.admin, fmt.Sprintf("/admin/ballots/%d/open", id), confirmed(nil)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("open: got %d", res.StatusCode)
		}
		res, body := e.postJSON(e.anon, fmt.Sprintf("/api/ballots/%d/votes", id), `{"code":"`+codes[0]+`","option":"yes"}`)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "more than one option") {
			t.Errorf("got %d %s, want 422 saying the label fits more than one option", res.StatusCode, body)
		}
		if n := e.ballotJSON(id).Turnout.VotesCast; n != 0 {
			t.Errorf("votes cast %d, want 0", n)
		}
	})
}

// TestBallot_ResultSharesAddUp: a closed ballot's shares are whole per
// cents by the largest remainder, as consultation results are, so 3, 3 and
// 2 votes of 8 show 38%, 37% and 25% (not 37.5, 37.5 and 25, nor 101% when
// each is rounded half up); each share has its designed bar, and the JSON
// gives the same shares.
func TestBallot_ResultSharesAddUp(t *testing.T) {
	e := newBallotEnv(t)
	id, codes := e.openBallotWith("Yes\r\nNo\r\nNot sure", 8)
	for i, opt := range []string{"Yes", "Yes", "Yes", "No", "No", "No", "Not sure", "Not sure"} {
		if st, _ := e.vote(e.anon, id, codes[i], opt); st != http.StatusCreated {
			t.Fatalf("vote %d: %d", i, st)
		}
	}
	if res := e.post(e.admin, fmt.Sprintf("/admin/ballots/%d/close", id), confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: got %d", res.StatusCode)
	}
	_, page := e.get(e.anon, fmt.Sprintf("/ballots/%d", id))
	for _, want := range []string{">38%<", ">37%<", ">25%<", "oursay-progress__fill--38", "oursay-progress__fill--37", "oursay-progress__fill--25", "oursay-tally"} {
		if !strings.Contains(page, want) {
			t.Errorf("ballot page lacks %q", want)
		}
	}
	if strings.Contains(page, "37.5%<") {
		t.Errorf("ballot page shows an unrounded share")
	}
	var doc struct {
		Results struct {
			Counts []struct {
				Percent int `json:"percent"`
			} `json:"counts"`
		} `json:"results"`
	}
	must(t, json.Unmarshal([]byte(e.ballotJSON(id).raw), &doc))
	var got []int
	for _, c := range doc.Results.Counts {
		got = append(got, c.Percent)
	}
	if fmt.Sprint(got) != "[38 37 25]" {
		t.Errorf("JSON shares %v, want [38 37 25]", got)
	}
}
