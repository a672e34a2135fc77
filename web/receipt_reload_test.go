package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestVote_LinkLeavesNoCodeInURL: a letter's link answers with a redirect
// to /vote whose address, and whose cookie, carry nothing of the code, so
// the address bar and history never keep it.
func TestVote_LinkLeavesNoCodeInURL(t *testing.T) {
	e := newBallotEnv(t)
	_, codes := e.openBallot(1)
	res, _ := e.get(e.client(), "/vote?code="+codes[0])
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/vote" {
		t.Fatalf("got %d to %q, want 303 to /vote", res.StatusCode, res.Header.Get("Location"))
	}
	if cc, rp := res.Header.Get("Cache-Control"), res.Header.Get("Referrer-Policy"); cc != "no-store" || rp != "no-referrer" {
		t.Errorf("Cache-Control %q, Referrer-Policy %q, want no-store and no-referrer", cc, rp)
	}
	for _, ck := range res.Cookies() {
		for _, form := range []string{codes[0], strings.ReplaceAll(codes[0], "-", ""), codes[0][:4]} {
			if strings.Contains(ck.Value, form) {
				t.Errorf("cookie %s holds the code in the clear", ck.Name)
			}
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge <= 0 || ck.MaxAge > 3600 {
			t.Errorf("cookie %s: HttpOnly %v SameSite %v Path %q MaxAge %d", ck.Name, ck.HttpOnly, ck.SameSite, ck.Path, ck.MaxAge)
		}
	}
}

// TestVote_CheckStepThenReceiptSurvivesReload walks the HTML vote: the
// ballot form leads to the check step and counts nothing; Cast your vote
// leads to the receipt page, which shows the receipt again on reload and
// on Back to the check step, never the choice, and nothing to anyone who
// has only its address.
func TestVote_CheckStepThenReceiptSurvivesReload(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.openBallot(2)
	voter := e.client()
	path := fmt.Sprintf("/ballots/%d", b.ID)
	res, _ := e.postBody(voter, path+"/votes", url.Values{"code": {codes[0]}, "option": {itoa(b.Options[1].ID)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"/check" {
		t.Fatalf("ballot form: got %d to %q, want 303 to the check step", res.StatusCode, res.Header.Get("Location"))
	}
	res, check := e.get(voter, path+"/check")
	if res.StatusCode != http.StatusOK || !strings.Contains(check, `id="choice">No<`) || !strings.Contains(check, codes[0]) ||
		!strings.Contains(check, `href="/vote#option">Change`) || !strings.Contains(check, "Cast your vote") {
		t.Fatalf("check step: got %d, want the choice No, the code, Change and Cast your vote", res.StatusCode)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("check step: Cache-Control %q, want no-store", res.Header.Get("Cache-Control"))
	}
	if d := e.ballotJSON(b.ID); d.Turnout.VotesCast != 0 {
		t.Fatalf("the check step cast a vote: %d cast", d.Turnout.VotesCast)
	}
	// Change: the ballot form again, with the code and the choice kept.
	_, change := e.get(voter, "/vote")
	if !strings.Contains(change, `value="`+codes[0]+`"`) || !strings.Contains(change, `value="`+itoa(b.Options[1].ID)+`" checked`) {
		t.Errorf("Change does not keep the code and the choice")
	}

	res, receiptPage := e.voteForm(voter, b.ID, codes[0], itoa(b.Options[1].ID))
	receipt := between(receiptPage, `id="receipt">`, "<")
	if res.StatusCode != http.StatusOK || len(receipt) != 14 {
		t.Fatalf("vote: got %d, receipt %q", res.StatusCode, receipt)
	}
	if d := e.ballotJSON(b.ID); d.Turnout.VotesCast != 1 {
		t.Fatalf("votes cast %d, want 1", d.Turnout.VotesCast)
	}
	for i := range 2 {
		res, body := e.get(voter, path+"/voted") // reload
		if res.StatusCode != http.StatusOK || !strings.Contains(body, receipt) || strings.Contains(body, "already") {
			t.Errorf("reload %d: got %d, want the receipt %s again", i+1, res.StatusCode, receipt)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("receipt page: Cache-Control %q, want no-store", res.Header.Get("Cache-Control"))
		}
		if strings.Contains(body, ">No<") || strings.Contains(body, "You are voting") {
			t.Errorf("the receipt page shows how the voter voted")
		}
	}
	// Back from the receipt lands on the check step: it shows the receipt.
	if res, _ := e.get(voter, path+"/check"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"/voted" {
		t.Errorf("Back to the check step: got %d to %q, want 303 to the receipt", res.StatusCode, res.Header.Get("Location"))
	}
	if d := e.ballotJSON(b.ID); d.Turnout.VotesCast != 1 {
		t.Errorf("reloads changed the count: %d cast", d.Turnout.VotesCast)
	}
	// Someone with only the address sees no receipt, and nothing to cast.
	other := e.client()
	if _, body := e.get(other, path+"/voted"); strings.Contains(body, receipt) || !strings.Contains(body, "No receipt to show") {
		t.Errorf("the receipt page shows the receipt to a browser that did not vote")
	}
	if _, body := e.get(other, path+"/check"); strings.Contains(body, "Cast your vote") || !strings.Contains(body, "no vote to check") {
		t.Errorf("the check step offers a vote to a browser that has none waiting")
	}
}

// TestVote_UsedCodeSaysWhatToDo: a used code is refused with the reason
// and what to do if it was not the voter, on the letter's link and on the
// ballot form.
func TestVote_UsedCodeSaysWhatToDo(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.openBallot(1)
	if st, _ := e.vote(e.anon, b.ID, codes[0], "Yes"); st != http.StatusCreated {
		t.Fatalf("vote: got %d", st)
	}
	const help = "If you did not vote with this code yourself, someone else may have used your letter: contact Demo Borough Council on 01632 960 001 or at oursay@demo-borough.gov.uk."
	res, body := e.openVoteLink(e.client(), "/vote?code="+codes[0])
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "already been used") || !strings.Contains(body, help) {
		t.Errorf("letter's link: got %d, want 409 with the reason and what to do", res.StatusCode)
	}
	res, body = e.voteForm(e.client(), b.ID, codes[0], itoa(b.Options[0].ID))
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, help) {
		t.Errorf("ballot form: got %d, want 409 with what to do", res.StatusCode)
	}
}

// TestRespond_ThanksSurvivesReload: the thanks page shows the receipt on
// every reload, to the browser that responded only, with no-store.
func TestRespond_ThanksSurvivesReload(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("parks")
	cl := e.client()
	if res, _ := e.postBody(cl, "/consultations/parks/responses", validForm(c)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("respond: got %d, want 303", res.StatusCode)
	}
	var receipt string
	must(t, e.db.Reader().QueryRow(`SELECT receipt FROM responses ORDER BY id DESC LIMIT 1`).Scan(&receipt))
	for i := range 3 {
		res, body := e.get(cl, "/consultations/parks/thanks")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, receipt) {
			t.Fatalf("thanks, visit %d: got %d, want the receipt %s", i+1, res.StatusCode, receipt)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("thanks: Cache-Control %q, want no-store", res.Header.Get("Cache-Control"))
		}
	}
	if n := e.responseCount("parks"); n != 1 {
		t.Errorf("responses: got %d, want 1", n)
	}
	if res, body := e.get(e.client(), "/consultations/parks/thanks"); res.StatusCode != http.StatusSeeOther || strings.Contains(body, receipt) {
		t.Errorf("another browser at the thanks page: got %d, want 303 to the consultation", res.StatusCode)
	}
}
