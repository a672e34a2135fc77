//go:build browser

package browsertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

// TestAccountabilityChain follows one contract from its register entry
// along the accountability chain, reading its row of the public
// scorecard (/accountability) after each step:
//  1. an admin adds the contract, with a break clause passed last month,
//     one still to come and a recall rule of 3 signatures;
//  2. reviews it at the break clause just passed, the at-risk test not
//     met, proposing to re-let: the at-risk review row becomes met;
//  3. starts the consultation re-letting leads into, completes it on its
//     task list and publishes it (the public interest case row becomes
//     met); a resident answers; the admin closes it, publishes the
//     outcome and records the decision;
//  4. a resident starts a recall petition, five sponsors sign, a
//     moderator publishes it and three paper signatures take it past its
//     threshold; the admin sets up the recall ballot, a voter votes to
//     recall, the admin closes it and records the council's response,
//     the break exercised: the break clause row now cites the ballot.
//
// The rules (ballot/scorecard_rules.go) decide which rows can move: the
// at-risk review row is met only by a published review for the last end
// point already reached, so the contract has a break clause in the past;
// "consulted before letting" needs a consultation opened before the
// contract started, which a consultation about re-letting a running
// contract never is, so that row stays not met; the break clause row is
// already met for a contract with a break clause and a recall rule, and
// changes its record to the ballot once the council answers it.
func TestAccountabilityChain(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)
	tb := b.newTab("admin")
	signIn(t, tb, demoAdmin, srv.Password)

	// 1. The register entry.
	const title = "Street lighting maintenance 2024 to 2031"
	now := time.Now()
	passed := now.AddDate(0, -1, 0)
	tb.open("/admin/contracts/new")
	tb.typeInto("#title", title)
	tb.typeInto("#service", "Street lighting maintenance")
	tb.typeInto("#provider", "BrightWay Lighting Ltd")
	tb.typeInto("#value", "2,400,000")
	setDate := func(name string, d time.Time) {
		tb.replace("#"+name+"-day", d.Format("2"))
		tb.replace("#"+name+"-month", d.Format("1"))
		tb.replace("#"+name+"-year", d.Format("2006"))
	}
	setDate("starts_on", now.AddDate(-2, 0, 0))
	setDate("ends_on", now.AddDate(5, 0, 0))
	setDate("break_1", passed)
	setDate("break_2", now.AddDate(1, 0, 0))
	tb.click(`input[name=in_house_bid][value=no]`)
	tb.typeInto("#no_in_house_reason", "The council had no street lighting engineers.")
	tb.click(`input[name=at_risk][value=no]`)
	tb.click(`input[name=rights_threat][value=no]`)
	tb.click(`input[name=recall_kind][value=fixed]`)
	tb.typeInto("#recall_count", "3")
	tb.replace("#signing_days", "42")
	tb.clickAndLoad(`form[action="/admin/contracts/new"] button[type=submit]`)
	if tb.exists(".govuk-error-summary") {
		t.Fatalf("the new contract was not saved: %q", tb.text(".govuk-error-summary"))
	}

	tb.open("/accountability")
	id := eval[string](tb, `[...document.querySelectorAll("h3[id^=contract-]")].find(h => h.textContent.includes("`+title+`")).id.slice("contract-".length)`)
	if id == "" {
		t.Fatal("the scorecard has no row for the new contract")
	}
	row := func(p string) string {
		return tb.text(`#scores-` + id + ` [data-principle="` + p + `"]`)
	}
	breakRow, riskRow, consultedRow, interestRow := row("break_clause_with_recall"), row("at_risk_review"), row("consulted_before_letting"), row("public_interest_case")
	if !strings.Contains(breakRow, "2 break clauses and a recall rule") {
		t.Errorf("break clause row for a new contract: %q", breakRow)
	}
	if !strings.Contains(riskRow, "No review is published for the last end point") {
		t.Errorf("at-risk review row before the review: %q", riskRow)
	}
	if !strings.Contains(consultedRow, "No public consultation") || !strings.Contains(interestRow, "No public interest case") {
		t.Errorf("consultation rows before any consultation: %q, %q", consultedRow, interestRow)
	}
	tb.checkPage("scorecard with a new contract")

	// 2. A review at the break clause just passed: not at risk, so re-letting is allowed.
	tb.open("/admin/contracts")
	href := eval[string](tb, `[...document.querySelectorAll("a")].find(a => a.textContent.includes("Reviews of `+title+`")).getAttribute("href")`)
	tb.clickAndLoad(`a[href="` + href + `"]`)
	tb.click(`input[name=point][value=break]`)
	tb.typeInto("#point_on", passed.Format("2006-01-02"))
	tb.clickAndLoad(`form[action="` + href + `"] button[type=submit]`)
	if !strings.Contains(tb.text("h1"), "Review at the break clause") {
		t.Fatalf("opening a review leads to %q", tb.text("h1"))
	}
	admin := tb.path()
	tb.click(`input[name=at_risk_contact][value=no]`)
	tb.click(`input[name=rights_threat][value=no]`)
	tb.click(`input[name=exemption_claimed][value=no]`)
	tb.typeInto("#public_interest_case", "The provider has cut faults by a third; re-letting keeps the LED programme on track.")
	tb.typeInto("#in_house_cost", "2,700,000")
	tb.typeInto("#in_house_quality", "Slower repairs for the first two years.")
	tb.typeInto("#in_house_workforce", "About 25 staff would transfer under TUPE.")
	tb.typeInto("#in_house_risk", "The council would need to buy lifts and stores.")
	tb.click(`input[name=route][value=re_let]`)
	tb.clickAndLoad(`form[action="` + admin + `"] button[type=submit]`)
	if tb.exists(".govuk-error-summary") || !strings.Contains(tb.text(".govuk-notification-banner--success"), "Review saved") {
		t.Fatalf("the review was not saved (%s): %q", tb.path(), tb.text("main"))
	}
	tb.clickAndLoad(`form[action$="/publish"] button[type=submit]`)
	confirmStep(t, tb, "publish review confirmation")
	if !strings.Contains(tb.text(".govuk-notification-banner--success"), "Review published") {
		t.Fatalf("not published (%s)", tb.path())
	}

	tb.open("/accountability")
	if got := row("at_risk_review"); got == riskRow || !strings.Contains(got, "published its at-risk review for the end point on "+passed.Format("2 January 2006")) {
		t.Errorf("at-risk review row after the review: %q (was %q)", got, riskRow)
	} else {
		riskRow = got
	}

	// 3. Re-letting leads into a consultation, prefilled from the review.
	tb.open(admin)
	tb.clickAndLoad(`form[action="` + admin + `/consultation"] button[type=submit]`)
	if !strings.Contains(tb.text(".govuk-notification-banner--success"), "Draft consultation created from the review") {
		t.Fatalf("no consultation started from the review (%s)", tb.path())
	}
	tb.checkPage("consultation started from a chain review")
	consultationAdmin := strings.TrimSuffix(tb.path(), "/edit")
	tb.open("/accountability")
	if got := row("consulted_before_letting"); !strings.Contains(got, "No public consultation") {
		t.Errorf("consulted-before row after a consultation about re-letting: %q", got)
	}
	if got := row("public_interest_case"); got != interestRow {
		t.Errorf("a draft consultation changed the public interest case row: %q", got)
	}

	// The admin completes the draft through its task list, adds a
	// question and publishes it; a resident answers; the admin closes it,
	// publishes the outcome and records the decision.
	tb.open(consultationAdmin)
	slug := strings.TrimPrefix(consultationAdmin, "/admin/consultations/")
	cons := "/admin/consultations/" + slug
	taskStatus := func(section string) string { return tb.text("#task-" + section + "-status") }
	tb.open(cons + "/tasks")
	tb.checkPage("task list of a consultation from a review")
	if taskStatus("record") != "Completed" {
		tb.clickAndLoad(`a[href="` + cons + `/section/record"]`)
		tb.clickAndLoad(`form[action="` + cons + `/section/record"] button[type=submit]`)
		if taskStatus("record") != "Completed" {
			t.Fatalf("the record prefilled from the review is not complete: %q", tb.text("main"))
		}
	}
	if taskStatus("audience") != "Completed" {
		tb.clickAndLoad(`a[href="` + cons + `/section/audience"]`)
		tb.click(`input[name=audience][value=anyone]`)
		tb.clickAndLoad(`form[action="` + cons + `/section/audience"] button[type=submit]`)
		if taskStatus("audience") != "Completed" {
			t.Fatalf("audience not complete: %q", tb.text("main"))
		}
	}
	tb.open(cons)
	tb.click(`input[name=kind][value=text]`)
	tb.typeInto("#prompt", "What should the next street lighting contract ask for?")
	tb.clickAndLoad(`form[action="` + cons + `/questions"] button[type=submit]`)
	if n := eval[int](tb, `document.querySelectorAll(".oursay-question").length`); n != 1 {
		t.Fatalf("after adding a question the page lists %d questions: %q", n, tb.text(".govuk-error-summary"))
	}
	tb.open(cons + "/check")
	tb.clickAndLoad(`form[action="` + cons + `/open"] button`)
	confirmStep(t, tb, "confirm opening the chain consultation")
	if tag := tb.text(".oursay-status .govuk-tag"); !strings.EqualFold(tag, "open") {
		t.Fatalf("after publishing, the state is %q", tag)
	}
	tb.open("/accountability")
	if got := row("public_interest_case"); got == interestRow || !strings.Contains(got, "Published with the consultation") {
		t.Errorf("public interest case row once the consultation is published: %q (was %q)", got, interestRow)
	}
	if got := row("consulted_before_letting"); got != consultedRow {
		t.Errorf("consulted-before row after a consultation about re-letting: %q (was %q)", got, consultedRow)
	}

	res := b.newTab("resident")
	res.open("/consultations/" + slug)
	res.checkPage("consultation from a review, public")
	qs := formQuestions(res)
	if len(qs) != 1 {
		t.Fatalf("the public form has %d questions", len(qs))
	}
	res.typeInto("#"+qs[0].FirstID, "LED lamps everywhere, and faults fixed within a week.")
	res.clickAndLoad(responseFormSel + " button[type=submit]")
	if res.exists(".govuk-error-summary") {
		t.Fatalf("the response was not taken: %q", res.text(".govuk-error-summary"))
	}

	tb.open(cons)
	tb.clickAndLoad(`form[action="` + cons + `/close"] button`)
	confirmStep(t, tb, "confirm closing the chain consultation")
	tb.clickAndLoad(`a[href="` + cons + `/outcome"]`)
	tb.typeInto("#we_asked", "What the next street lighting contract should ask for.")
	tb.typeInto("#you_said", "LED lamps, and faults fixed within a week.")
	tb.typeInto("#we_did", "The new contract asks for both.")
	tb.clickAndLoad(`form[action="` + cons + `/outcome"] button[type=submit]`)
	confirmStep(t, tb, "confirm the chain outcome")
	tb.clickAndLoad(`a[href="` + cons + `/decision"]`)
	tb.click(`input[name=decision][value=outsource]`)
	tb.typeInto("#summary", "The council re-lets the contract, asking for LED lamps and faults fixed within a week.")
	tb.typeInto("#in_house_comparison", "In house would cost 2.7 million against 2.4 million, with slower repairs.")
	tb.clickAndLoad(`form[action="` + cons + `/decision"] button[type=submit]`)
	if tb.exists(`button[name=confirm][value=yes]`) {
		confirmStep(t, tb, "confirm the chain decision")
	}
	if tb.exists(".govuk-error-summary") {
		t.Fatalf("the decision was not recorded: %q", tb.text(".govuk-error-summary"))
	}
	tb.open("/consultations/" + slug)
	if got := tb.text("main"); !strings.Contains(got, "The council re-lets the contract") {
		t.Errorf("the public consultation page lacks the decision: %q", short(got))
	}
	tb.checkPage("consultation with its decision, public")

	// 4. A resident starts a recall petition against the contract; five
	// sponsors sign (more than its fixed threshold of 3); a moderator
	// publishes it.
	camp := b.newTab("campaigner")
	const email = "lumen@example.org"
	camp.open("/petitions/new?contract=" + id)
	camp.run("choose the contract", chromedp.SetValue(chromedp.CSS(`#contract`), id))
	camp.typeInto("#title", "Recall the street lighting contract")
	camp.typeInto("#reasons", "Dark streets for weeks after every fault.")
	camp.typeInto("#name", "Lu Men")
	camp.typeInto("#email", email)
	camp.clickAndLoad(`form[action="/petitions"] button[type=submit]`)
	if camp.exists("#existing-petition") {
		camp.clickAndLoad(`form[action="/petitions"] button[type=submit]`)
	}
	if h := camp.text("h1"); !strings.Contains(h, "Check your email") {
		t.Fatalf("after starting the petition: heading %q, %q", h, camp.text(".govuk-error-summary"))
	}
	pressMailedLink(camp, waitMail(t, srv, email, "Confirm your petition"), "/petitions/confirm")
	mailed, err := smtptest.Link(waitMail(t, srv, email, "Share your petition with sponsors").Body, "/petitions/*/sponsor")
	if err != nil {
		t.Fatal(err)
	}
	sponsorsSign(t, srv, mailed.String(), 5)
	pid := strings.Split(mailed.Path, "/")[2]
	tb.open("/admin/petitions/" + pid)
	tb.clickAndLoad(`form[action="/admin/petitions/` + pid + `/publish"] button`)
	tb.clickAndLoad(`button[name=confirm][value=yes]`)
	// Three paper signatures, entered by staff, take it to its threshold.
	for i, name := range []string{"Ada Paper", "Ben Paper", "Cy Paper"} {
		tb.open("/admin/petitions/" + pid)
		tb.typeInto("#sheet", "1")
		tb.typeInto("#line", strconv.Itoa(i+1))
		tb.typeInto("#name", name)
		tb.typeInto("#postcode", "AB1 2CD")
		tb.click("label[for=resident]")
		tb.clickAndLoad(`form[action="/admin/petitions/` + pid + `/paper"] button[type=submit]`)
		if tb.exists(".govuk-error-summary") {
			t.Fatalf("paper signature %d: %q", i+1, tb.text(".govuk-error-summary"))
		}
	}
	tb.open("/accountability")
	if got := row("break_clause_with_recall"); got != breakRow {
		t.Errorf("a petition alone changed the break clause row: %q (was %q)", got, breakRow)
	}

	// The council sets up the recall ballot, issues codes, opens it;
	// a voter votes to recall; the council closes it.
	tb.open("/admin/ballots/new?petition=" + pid + "&contract=" + id)
	tb.checkPage("ballot set-up for the chain petition")
	tb.replace("#question", "Should the council end the street lighting contract at its break clause?")
	open, closes := now.Add(-time.Hour), now.AddDate(0, 0, 7)
	setDate("opens_at", open)
	tb.replace("#opens_at_time", "00:00")
	setDate("closes_at", closes)
	tb.replace("#closes_at_time", "22:00")
	tb.replace("#quorum", "1")
	tb.clickAndLoad(`form[action="/admin/ballots"] button[type=submit]`)
	if tb.exists(".govuk-error-summary") {
		t.Fatalf("the ballot was not set up: %q", tb.text(".govuk-error-summary"))
	}
	bid := strings.TrimPrefix(tb.path(), "/admin/ballots/")
	// Voter codes come from `oursay codes generate`, as for large batches:
	// the staff page's codes come as a download, which Chromium would save
	// where the test cannot read it.
	out := filepath.Join(srv.Dir, "chain-codes.csv")
	cmd := exec.Command(binPath, "codes", "generate", "--db", filepath.Join(srv.Dir, "oursay.db"), "--ballot", bid, "--count", "2", "--out", out)
	cmd.Dir, cmd.Env = srv.Dir, cleanEnv()
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oursay codes generate: %v\n%s", err, msg)
	}
	csv, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	codes := voterCodeRE.FindAllString(string(csv), -1)
	if len(codes) == 0 {
		t.Fatal("no voter codes generated")
	}
	admBallot := "/admin/ballots/" + bid
	tb.open(admBallot)
	tb.clickAndLoad(`form[action="` + admBallot + `/open"] button[type=submit]`)
	tb.clickAndLoad(`button[name=confirm][value=yes]`)

	voter := b.newTab("voter")
	voter.open("/vote?code=" + codes[0])
	voter.checkPage("chain recall ballot, with the voter's code")
	voter.click(`label[for=option]`)
	voter.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
	voter.clickAndLoad(`form[action$="/votes"] button[type=submit]`)
	if h := voter.text(".govuk-panel__title"); !strings.Contains(h, "counted") {
		t.Fatalf("after Cast your vote: panel %q on %s", h, voter.path())
	}

	tb.open(admBallot)
	tb.clickAndLoad(`form[action="` + admBallot + `/close"] button[type=submit]`)
	tb.clickAndLoad(`button[name=confirm][value=yes]`)
	if !tb.exists("#record-response") {
		t.Fatalf("the closed ballot has no response form: %q", short(tb.text("main")))
	}
	tb.open("/accountability")
	// A "recall" result not yet answered fails the row only once the
	// council's time to respond (ballot.RecallResponseDue) has passed.
	if got := row("break_clause_with_recall"); got != breakRow {
		t.Errorf("break clause row just after the recall result: %q (was %q)", got, breakRow)
	}

	// The council records its response: the break is exercised.
	breakOn := now.AddDate(1, 0, 0)
	tb.open(admBallot)
	tb.click(`input[name=exercised][value=yes]`)
	setDate("break_on", breakOn)
	tb.clickAndLoad(`form[action="` + admBallot + `/response"] button[type=submit]`)
	if got := tb.text("h1"); !strings.Contains(got, "Record the council") {
		t.Fatalf("no confirmation page: %q %q", got, tb.text(".govuk-error-summary"))
	}
	tb.clickAndLoad(`button[name=confirm][value=yes]`)
	tb.open("/accountability")
	if got := row("break_clause_with_recall"); got == breakRow || !strings.Contains(got, "The council recorded its response to the recall ballot") {
		t.Errorf("break clause row after the council's response: %q (was %q)", got, breakRow)
	}
	tb.checkPage("scorecard at the end of the chain")
}
