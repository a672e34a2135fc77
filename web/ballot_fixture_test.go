package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// ballotEnv is a server with a contract and a petition that met its
// threshold, set up through the stores (the petition journey has its own
// tests), ready for a recall ballot.
type ballotEnv struct {
	*testEnv
	contract *ballot.Contract
	petition *ballot.Petition
}

func newBallotEnv(t *testing.T) *ballotEnv {
	t.Helper()
	e := &ballotEnv{testEnv: newEnv(t)}
	ctx := context.Background()
	c := wasteContract()
	c.Recall = ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 6, SigningDays: 42}
	e.contract = e.addContract(c)
	if err := e.st.Council.ImportPostcodes(ctx, []ballot.PostcodeEntry{{Postcode: "AB1 2CD", Ward: ballot.Ward{Name: "Riverside", Code: "E05000001"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	ps := e.st.Petitions
	p := &ballot.Petition{ContractID: c.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam", CampaignerEmail: "sam@example.org", CountPolicy: ballot.CountLive}
	must(t, ps.CreatePetition(ctx, p, testBase))
	_, _, err := ps.ConfirmCampaigner(ctx, e.outboxToken("sam@example.org"))
	must(t, err)
	share, err := ps.ShareToken(ctx, p.ID)
	must(t, err)
	for i := range 5 {
		addr := fmt.Sprintf("sponsor%d@example.org", i)
		must(t, ps.Sign(ctx, p.ID, &ballot.Signature{Name: fmt.Sprintf("Sponsor %d", i), Email: addr, Postcode: "AB1 2CD", Resident: true}, share, testBase))
		_, err := ps.Confirm(ctx, e.outboxToken(addr))
		must(t, err)
	}
	must(t, ps.Publish(ctx, p.ID, c.Recall, ballot.Electorate{}, "test"))
	must(t, ps.AddPaperSignature(ctx, p.ID, &ballot.Signature{Name: "Paper Person", Postcode: "AB1 2CD", Sheet: "S1", Line: 1, Resident: true}, "test"))
	if e.petition, err = ps.Petition(ctx, p.ID); err != nil || e.petition.ThresholdMetAt.IsZero() {
		t.Fatalf("fixture petition did not meet its threshold: %v", err)
	}
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (e *ballotEnv) outboxToken(addr string) string {
	e.t.Helper()
	return e.mailLink(addr, "/*/confirm").Query().Get("token")
}

// ballotForm is the admin set-up form for the petition, voting open from
// an hour ago for a week.
func (e *ballotEnv) ballotForm() url.Values {
	london, _ := time.LoadLocation("Europe/London")
	now := time.Now().In(london)
	form := url.Values{"petition_id": {itoa(e.petition.ID)}, "question": {"Should the council end its contract with CleanCo?"},
		"options": {"Yes\r\nNo"}, "quorum": {"25"}}
	// As the form sends them: a GOV.UK date input and a time box each.
	for k, at := range map[string]time.Time{"opens_at": now.Add(-time.Hour), "closes_at": now.Add(7 * 24 * time.Hour)} {
		form.Set(k+"-day", fmt.Sprint(at.Day()))
		form.Set(k+"-month", fmt.Sprint(int(at.Month())))
		form.Set(k+"-year", fmt.Sprint(at.Year()))
		form.Set(k+"_time", at.Format("15:04"))
	}
	return form
}

// createBallot sets up the ballot as an admin and returns its id.
func (e *ballotEnv) createBallot() int64 {
	e.t.Helper()
	res := e.post(e.admin, "/admin/ballots", e.ballotForm())
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/admin/ballots/%d", &id); res.StatusCode != http.StatusSeeOther || err != nil {
		e.t.Fatalf("create ballot: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	return id
}

// codes generates n codes as an admin and returns them as printed in the CSV.
func (e *ballotEnv) codes(id int64, n int) []string {
	e.t.Helper()
	res, body := e.postBody(e.admin, fmt.Sprintf("/admin/ballots/%d/codes", id), confirmed(url.Values{"count": {fmt.Sprint(n)}}))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		e.t.Fatalf("codes: got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != n+1 || strings.Join(rows[0], ",") != "ballot,code,url" {
		e.t.Fatalf("codes CSV: %d rows, %v", len(rows), err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[1])
	}
	return out
}

// openBallotWith creates a ballot with the options given (one a line),
// generates n codes and opens it; it returns its id and the codes.
func (e *ballotEnv) openBallotWith(options string, n int) (int64, []string) {
	e.t.Helper()
	f := e.ballotForm()
	f.Set("options", options)
	res := e.post(e.admin, "/admin/ballots", f)
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/admin/ballots/%d", &id); err != nil {
		e.t.Fatalf("create: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	codes := e.codes(id, n)
	if res := e.post(e.admin, fmt.Sprintf("/admin/ballots/%d/open", id), confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("open: got %d", res.StatusCode)
	}
	return id, codes
}

// openBallot creates, codes and opens a ballot; it returns the ballot as
// the public JSON gives it and n codes.
func (e *ballotEnv) openBallot(n int) (ballotDoc, []string) {
	e.t.Helper()
	id := e.createBallot()
	codes := e.codes(id, n)
	if res := e.post(e.admin, fmt.Sprintf("/admin/ballots/%d/open", id), confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("open: got %d", res.StatusCode)
	}
	return e.ballotJSON(id), codes
}

// ballotDoc is /api/ballots/{id} as a client reads it.
type ballotDoc struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"`
	Options []struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
	} `json:"options"`
	Turnout struct {
		VotesCast   int `json:"votes_cast"`
		CodesIssued int `json:"codes_issued"`
		BasisPoints int `json:"basis_points"`
	} `json:"turnout"`
	Results *struct {
		Counts []struct {
			Label string `json:"label"`
			Votes int    `json:"votes"`
		} `json:"counts"`
		VotesCast int    `json:"votes_cast"`
		QuorumMet bool   `json:"quorum_met"`
		Outcome   string `json:"outcome"`
	} `json:"results"`
	raw string
}

func (e *ballotEnv) ballotJSON(id int64) ballotDoc {
	e.t.Helper()
	res, body := e.get(e.anon, fmt.Sprintf("/api/ballots/%d", id))
	var d ballotDoc
	if err := json.Unmarshal([]byte(body), &d); res.StatusCode != http.StatusOK || err != nil {
		e.t.Fatalf("GET /api/ballots/%d: %d %v", id, res.StatusCode, err)
	}
	d.raw = body
	return d
}

// vote posts a JSON vote and returns the status and the receipt, if any.
func (e *ballotEnv) vote(c *http.Client, id int64, code string, option any) (int, string) {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"code": code, "option": option})
	res, body := e.postJSON(c, fmt.Sprintf("/api/ballots/%d/votes", id), string(b))
	var out struct {
		Receipt string `json:"receipt"`
	}
	must(e.t, json.Unmarshal([]byte(body), &out))
	return res.StatusCode, out.Receipt
}

// assertNoCodeInDB reads the database file and its write-ahead log as
// bytes and fails if any code appears, grouped or not: the database holds
// only keyed hashes.
func assertNoCodeInDB(t *testing.T, d *sql.DB, codes []string) {
	t.Helper()
	var seq int
	var name, path string
	if err := d.QueryRow(`PRAGMA database_list`).Scan(&seq, &name, &path); err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	for _, c := range codes {
		canon := strings.ReplaceAll(c, "-", "")
		if bytes.Contains(all, []byte(canon)) || bytes.Contains(all, []byte(dashed(canon))) {
			t.Fatalf("code %s is in the database file", c)
		}
	}
}

// dashed writes a 16-symbol voter code as letters print it, in groups of
// four: "ABCD-EFGH-JKLM-NPQR". Tests use it rather than ballot.GroupCode,
// whose output they check.
func dashed(code string) string {
	return code[:4] + "-" + code[4:8] + "-" + code[8:12] + "-" + code[12:]
}

// openVoteLink opens a letter's link (/vote?code=…) as a browser would:
// the answer must be a 303 to /vote with nothing of the code in it, which
// it then follows with the same cookies.
func (e *ballotEnv) openVoteLink(c *http.Client, link string) (*http.Response, string) {
	e.t.Helper()
	res, _ := e.get(c, link)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/vote" {
		e.t.Fatalf("GET %s: got %d to %q, want 303 to /vote", link, res.StatusCode, res.Header.Get("Location"))
	}
	return e.get(c, "/vote")
}

// voteForm votes through the HTML forms as a person does: the ballot form
// (303 to the check step), the check step's Cast your vote (303 to the
// receipt), and the receipt page. It returns the last answer: a refusal,
// or the receipt page.
func (e *ballotEnv) voteForm(c *http.Client, id int64, code, option string) (*http.Response, string) {
	e.t.Helper()
	res, body := e.postBody(c, fmt.Sprintf("/ballots/%d/votes", id), url.Values{"code": {code}, "option": {option}})
	if res.StatusCode != http.StatusSeeOther {
		return res, body
	}
	if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/ballots/%d/check", id) {
		e.t.Fatalf("ballot form: 303 to %q, want the check step", loc)
	}
	_, check := e.get(c, res.Header.Get("Location"))
	cast := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z]+)" value="([^"]*)"`).FindAllStringSubmatch(check, -1) {
		cast.Set(m[1], m[2])
	}
	if cast.Get("cast") != "yes" {
		e.t.Fatalf("the check step has no Cast your vote form: %s", check)
	}
	res, body = e.postBody(c, fmt.Sprintf("/ballots/%d/votes", id), cast)
	if res.StatusCode != http.StatusSeeOther {
		return res, body
	}
	if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/ballots/%d/voted", id) {
		e.t.Fatalf("cast: 303 to %q, want the receipt page", loc)
	}
	return e.get(c, res.Header.Get("Location"))
}

// TestBallotForm_DateAndTime: the new-ballot form offers tomorrow at 9am
// in date boxes and a time box, and a time it cannot read is named.
func TestBallotForm_DateAndTime(t *testing.T) {
	e := newBallotEnv(t)
	_, page := e.get(e.admin, "/admin/ballots/new?petition="+itoa(e.petition.ID))
	for _, want := range []string{`id="opens_at-day"`, `id="opens_at_time" name="opens_at_time" type="text" value="09:00"`, `id="closes_at-year"`} {
		if !strings.Contains(page, want) {
			t.Errorf("new ballot form lacks %s", want)
		}
	}
	form := e.ballotForm()
	form.Set("opens_at_time", "soonish")
	form.Set("closes_at-month", "13")
	res, body := e.postBody(e.admin, "/admin/ballots", form)
	got := errorSummary(t, body)
	if res.StatusCode != http.StatusUnprocessableEntity || got["opens_at_time"] != "Enter the time voting opens, like 09:00" ||
		got["closes_at"] != "Date voting closes must be a real date" {
		t.Errorf("got %d %v", res.StatusCode, got)
	}
	if !strings.Contains(body, `<a href="#closes_at-month">`) {
		t.Error("the summary should link to the month box")
	}
}
