//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// formQuestions describes the questions of the response form on the page:
// for each, its field name, kind (text, checkbox, radio) and the id of its
// first control.
type formQuestion struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	FirstID string `json:"firstId"`
	Count   int    `json:"count"`
}

const responseFormSel = `form[action$="/responses"]`

func formQuestions(tb *tab) []formQuestion {
	tb.t.Helper()
	return eval[[]formQuestion](tb, `(() => {
		const form = document.querySelector('`+responseFormSel+`'), seen = new Map();
		for (const e of form.querySelectorAll("input[name^=q], textarea[name^=q]")) {
			if (!/^q[0-9]+$/.test(e.name)) continue;
			const q = seen.get(e.name);
			if (q) { q.count++; continue; }
			seen.set(e.name, {name: e.name, kind: e.tagName === "TEXTAREA" ? "text" : e.type, firstId: e.id, count: 1});
		}
		return [...seen.values()];
	})()`)
}

// TestResidentAnswersConsultation: a resident opens the open demo
// consultation, sends it with the required questions blank, reads the error
// summary, follows each of its links to the field it names, corrects the
// answers and gets a receipt.
func TestResidentAnswersConsultation(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("resident")
	tb.open("/consultations/parks-maintenance")
	qs := formQuestions(tb)
	if len(qs) != 4 {
		t.Fatalf("the form has %d questions, want the demo's 4: %+v", len(qs), qs)
	}
	var text, multi formQuestion
	for _, q := range qs {
		switch q.Kind {
		case "text":
			text = q
		case "checkbox":
			multi = q
		}
	}
	if text.Name == "" || multi.Name == "" {
		t.Fatalf("want a free-text and a multiple-choice question: %+v", qs)
	}

	// Wrong first: only the optional questions answered.
	const comment = "Keep the park keepers; they know every bench."
	tb.typeInto("#"+text.FirstID, comment)
	tb.click("label[for='" + multi.FirstID + "']")
	tb.clickAndLoad(responseFormSel + " button[type=submit]")

	if got := tb.path(); got != "/consultations/parks-maintenance/responses" && got != "/consultations/parks-maintenance" {
		t.Errorf("after a wrong answer the resident is on %s", got)
	}
	if title := get(tb, "title", chromedp.Title()); !strings.HasPrefix(title, "Error: ") {
		t.Errorf("page title %q does not start with \"Error: \"", title)
	}
	// GOV.UK Frontend moves focus to the error summary, so a screen reader
	// announces it first.
	if !eval[bool](tb, `document.activeElement === document.querySelector(".govuk-error-summary")`) {
		t.Errorf("focus is on %q, not on the error summary", tb.activeElement())
	}
	links := eval[[]string](tb, `[...document.querySelectorAll(".govuk-error-summary__list a")].map(a => a.getAttribute("href"))`)
	if len(links) != 2 {
		t.Errorf("error summary links %v, want one for each of the 2 required questions", links)
	}
	tb.checkPage("consultation form with errors")
	for _, href := range links {
		// Activate the link as the browser does for a tap or Enter: a click
		// event on the link itself. A pointer click at computed coordinates
		// could land beside it while the page is still scrolling to the
		// summary, which made this check flaky under load.
		eval[bool](tb, fmt.Sprintf(`(document.querySelector('.govuk-error-summary__list a[href=%q]').click(), true)`, href))
		if got := waitFocus(tb, strings.TrimPrefix(href, "#")); "#"+got != href {
			// Say whether GOV.UK Frontend had set the summary up.
			state := eval[string](tb, `(document.body.className) + " | summary: " +
				(document.querySelector(".govuk-error-summary") || {outerHTML: "none"}).outerHTML.slice(0, 160)`)
			t.Errorf("error link %s moved focus to %s (%s)", href, got, state)
			tb.saveArtifacts("error-link-focus")
		}
		id := strings.TrimPrefix(href, "#")
		if !eval[bool](tb, fmt.Sprintf(`document.getElementById(%q).closest(".govuk-form-group").classList.contains("govuk-form-group--error")`, id)) {
			t.Errorf("the field %s that %s names is not marked as in error", id, href)
		}
	}
	// Nothing typed was lost.
	if got := get(tb, "comment", chromedp.Value(chromedp.CSS("#"+text.FirstID))); got != comment {
		t.Errorf("free text after the error = %q, want %q", got, comment)
	}
	if !eval[bool](tb, fmt.Sprintf(`document.getElementById(%q).checked`, multi.FirstID)) {
		t.Errorf("the ticked box %s was lost after the error", multi.FirstID)
	}

	// Correct it: answer each required question the error summary named.
	for _, href := range links {
		id := strings.TrimPrefix(href, "#")
		tb.click("label[for='" + id + "']")
	}
	tb.clickAndLoad(responseFormSel + " button[type=submit]")
	if got := tb.path(); got != "/consultations/parks-maintenance/thanks" {
		t.Fatalf("after correcting, the resident is on %s, want the thanks page", got)
	}
	if h := tb.text(".govuk-panel--confirmation .govuk-panel__title"); h != "Response received" {
		t.Errorf("panel title %q", h)
	}
	receipt := tb.text(".govuk-panel--confirmation strong")
	if len(receipt) < 6 {
		t.Errorf("receipt code %q looks too short", receipt)
	}
	tb.checkPage("thanks")
	t.Logf("receipt %s", receipt)
}

// TestKeyboardOnlyConsultation answers the consultation with the keyboard
// alone: Tab reaches every control of the form (each checkbox, the text
// box, the email field, the button, and each radio group, whose arrows
// then move within it), Space ticks, and Enter sends. A control hidden
// until it applies (the outcome mail, until an email is typed) is not
// expected.
func TestKeyboardOnlyConsultation(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("keyboard")
	tb.open("/consultations/library-opening-hours")
	qs := formQuestions(tb)
	// The outcome-mail box is hidden by script until an email is typed:
	// wait for that, then expect Tab to reach every control shown.
	for i := 0; i < 40 && !eval[bool](tb, `(() => { const g = document.querySelector("[data-needs-email]"); return !g || g.hidden; })()`); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	controls := eval[[]string](tb, `[...document.querySelector('`+responseFormSel+`').querySelectorAll("input:not([type=hidden]), textarea, select, button")].filter(e => !e.closest("[hidden]")).map(e => e.id || e.type)`)
	kinds := map[string]string{} // id → radio, checkbox, text
	groupOf := map[string]string{}
	for _, q := range qs {
		for i := 0; i < q.Count; i++ {
			id := q.FirstID
			if i > 0 {
				id = fmt.Sprintf("%s-%d", q.FirstID, i)
			}
			kinds[id] = q.Kind
			groupOf[id] = q.Name
		}
	}

	// Start from the top of the page, as a keyboard user does.
	tb.run("focus the top", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`))
	reached := map[string]bool{}
	answered := map[string]bool{}
	submitted := false
	for i := 0; i < 200 && !submitted; i++ {
		tb.run("Tab", chromedp.KeyEvent(kb.Tab))
		inForm := eval[bool](tb, `!!document.activeElement.closest('`+responseFormSel+`')`)
		if !inForm {
			continue
		}
		el := tb.activeElement()
		reached[el] = true
		name := groupOf[el]
		if !answered[name] {
			switch kinds[el] {
			case "radio":
				// Arrow keys move within a group and select as they go:
				// down once, so the answer is the second option.
				tb.run("arrow down", chromedp.KeyEvent(kb.ArrowDown))
				answered[name] = true
				reached[tb.activeElement()] = true
			case "checkbox":
				tb.run("space", chromedp.KeyEvent(" "))
				answered[name] = true
			case "text":
				tb.run("type", chromedp.KeyEvent("Longer hours on Saturdays, please."))
				answered[name] = true
			}
		}
		if eval[bool](tb, `document.activeElement.matches("button[type=submit]")`) {
			tb.markPage()
			tb.run("Enter", chromedp.KeyEvent(kb.Enter))
			tb.waitNewPage("after pressing Enter on the submit button")
			submitted = true
		}
	}
	if !submitted {
		t.Fatalf("200 presses of Tab never reached the submit button; reached %v", keys(reached))
	}
	// Every control but radios must take focus itself; a radio group is
	// reached once by Tab (its other options by the arrow keys).
	for _, id := range controls {
		if kinds[id] == "radio" {
			continue
		}
		if id != "submit" && !reached[id] {
			t.Errorf("Tab never reached %s; reached %v", id, keys(reached))
		}
	}
	for _, q := range qs {
		if q.Kind == "radio" && !answered[q.Name] {
			t.Errorf("Tab never reached the radio group %s", q.Name)
		}
	}
	if got := tb.path(); got != "/consultations/library-opening-hours/thanks" {
		t.Fatalf("keyboard journey ended on %s, want the thanks page", got)
	}
}

// waitFocus gives focus up to two seconds to reach the element with id,
// and returns what has it then.
func waitFocus(tb *tab, id string) string {
	tb.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		got := tb.activeElement()
		if got == id || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// personFillTime is longer than serve's default --min-fill-time (3s).
const personFillTime = 3500 * time.Millisecond

// recordCountsJS runs before a page's own scripts and keeps, in order,
// each distinct text of its signature count, and counts the live messages
// the page has handled.
const recordCountsJS = `(() => {
	window.__oursayCounts = [];
	const note = () => {
		const el = document.querySelector('[data-live="signature_count"]');
		const v = el && el.textContent.trim();
		const all = window.__oursayCounts;
		if (v && all[all.length - 1] !== v) all.push(v);
	};
	new MutationObserver(note).observe(document, {childList: true, subtree: true, characterData: true});
	document.addEventListener("DOMContentLoaded", note);
	// Count live messages once the page's own handler has applied them.
	window.__oursayLiveMsgs = 0;
	const WS = window.WebSocket;
	window.WebSocket = Object.assign(function (...args) {
		const ws = new WS(...args);
		ws.addEventListener("message", () => setTimeout(() => window.__oursayLiveMsgs++, 0));
		return ws;
	}, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3, prototype: WS.prototype});
})()`

func digitsOnly(s string) int {
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil {
		return -1
	}
	return n
}

// count reads the signature count shown on a petition page.
func count(tb *tab) int {
	tb.t.Helper()
	s := strings.ReplaceAll(tb.text(`[data-live="signature_count"]`), ",", "")
	n, err := strconv.Atoi(s)
	if err != nil {
		tb.t.Fatalf("%s: signature count %q is not a number", tb.name, s)
	}
	return n
}

// TestResidentSignsPetition: a resident signs the open demo petition, reads
// the confirmation email (from the in-process SMTP server the binary sends
// to), opens its link, and sees the signature counted; a second tab left
// open on the petition shows the new count without being reloaded.
func TestResidentSignsPetition(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)
	signer := b.newTab("signer")
	watcher := b.newTab("watcher")

	watcher.open("/petitions/1")
	before := count(watcher)
	// Marks this document: a reload would lose it.
	watcher.run("mark", chromedp.Evaluate[chromedp.Void](`window.__oursayNotReloaded = true`))

	signer.open("/petitions/1")
	shown := time.Now()
	if got := count(signer); got != before {
		t.Fatalf("two tabs show %d and %d", before, got)
	}
	const email = "sam.signer@example.org"
	signer.typeInto("#name", "Sam Signer")
	signer.typeInto("#email", email)
	signer.typeInto("#postcode", "AB1 2CD")
	signer.click("label[for=resident]")
	// A form sent back sooner than a person could fill it is held for a
	// moderator (serve --min-fill-time, 3s by default): take a person's time.
	time.Sleep(time.Until(shown.Add(personFillTime)))
	signer.clickAndLoad(`form[action="/petitions/1/signatures"] button[type=submit]`)
	if h := signer.text("h1"); !strings.Contains(h, "Check your email") {
		t.Fatalf("after signing: heading %q on %s", h, signer.path())
	}
	signer.checkPage("check your email")

	m := srv.Mail.Wait(t, email, 30*time.Second)
	u, err := smtptest.Link(m.Body, "/signatures/confirm")
	if err != nil {
		t.Fatalf("mail %q: %v", m.Subject, err)
	}
	link := u.String()
	if !strings.HasPrefix(link, srv.URL+"/") {
		t.Fatalf("confirmation link %s is not on %s", link, srv.URL)
	}
	// Record every number the confirmation page shows, from the one the
	// server rendered to whatever the live script sets later.
	signer.run("record counts", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordCountsJS})
		return err
	}))
	// Opening the link changes nothing (mail scanners open links; the web
	// tests check the count): its page has a Confirm button.
	signer.run("open the link", chromedp.Navigate(link))
	if h := signer.text("h1"); h != "Confirm your signature" {
		t.Fatalf("after opening the link: heading %q, want the Confirm page", h)
	}
	signer.checkPage("confirm your signature")
	signer.clickAndLoad(`form[action="/signatures/confirm"] button[type=submit]`)
	if h := signer.text("h1"); h != "Signature confirmed" {
		t.Fatalf("after pressing Confirm: heading %q", h)
	}
	// Wait for the live greeting to be applied: it is what could set the
	// count back.
	for deadline := time.Now().Add(10 * time.Second); eval[int](signer, `window.__oursayLiveMsgs`) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the confirmation page got no live message within 10 s")
		}
	}
	seen := eval[[]string](signer, `window.__oursayCounts || []`)
	if len(seen) == 0 || digitsOnly(seen[0]) != before+1 {
		t.Errorf("confirmation page was rendered with %v signatures, want %d first", seen, before+1)
	}
	if got := count(signer); got != before+1 {
		t.Errorf("confirmation page shows %d signatures, want %d", got, before+1)
	}
	for i, v := range seen {
		if i > 0 && digitsOnly(v) < digitsOnly(seen[i-1]) {
			// As when the live hub greeted a new page with a snapshot
			// cached from before the change it was rendered after.
			t.Errorf("the confirmation page's count went back to %s (shown in order: %v)", v, seen)
			break
		}
	}
	signer.checkPage("signature confirmed")

	// The live count. live.js is the script that updates counts in place.
	status, err := srv.get(t.Context(), "/static/js/live.js")
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK {
		t.Fatalf("/static/js/live.js answered %d: the second tab's count cannot update live", status)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if got := count(watcher); got == before+1 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the second tab still shows %d signatures 15s after the confirmation, want %d without a reload", got, before+1)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !eval[bool](watcher, `window.__oursayNotReloaded === true`) {
		t.Errorf("the second tab reloaded to show the count; it should update in place")
	}
}

// TestOfficerRunsConsultation: a council officer signs in (after one wrong
// password), creates a consultation with a question of each of the four
// kinds, edits it, publishes it, closes it and publishes the outcome; the
// public page then shows "We asked, you said, we did".
func TestOfficerRunsConsultation(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("officer")

	tb.open("/admin/signin")
	tb.typeInto("#email", demoAdmin)
	tb.typeInto("#password", "not-the-password")
	tb.clickAndLoad("form[action='/admin/signin'] button[type=submit]")
	if !tb.exists(".govuk-error-summary") {
		t.Errorf("a wrong password shows no error summary (on %s)", tb.path())
	}
	tb.checkPage("sign-in with an error")
	signIn(t, tb, demoAdmin, srv.Password)
	tb.checkPage("dashboard")

	// Creating it is a task list: About the consultation first.
	tb.clickAndLoad(`a[href="/admin/consultations/new"]`)
	tb.checkPage("new consultation: about")
	tb.typeInto("#title", "Street lighting maintenance")
	tb.typeInto("#slug", "street-lighting")
	tb.typeInto("#summary", "The street lighting contract ends in March. Tell us how it should be run.")
	tb.clickAndLoad(`form[action="/admin/consultations"] button[type=submit]`)
	const admin = "/admin/consultations/street-lighting"
	errs := func() []string {
		return eval[[]string](tb, `[...document.querySelectorAll(".govuk-error-message")].map(e => e.textContent.trim())`)
	}
	if got := tb.path(); got != admin+"/tasks" {
		t.Fatalf("after saving About the officer is on %s (errors: %v)", got, errs())
	}
	taskStatus := func(section string) string { return tb.text("#task-" + section + "-status") }
	if taskStatus("about") != "Completed" || taskStatus("record") != "Incomplete" || taskStatus("publish") != "Cannot start yet" {
		t.Errorf("task list after About: %q %q %q", taskStatus("about"), taskStatus("record"), taskStatus("publish"))
	}
	tb.checkPage("task list")
	tb.clickAndLoad(`a[href="` + admin + `/section/record"]`)
	tb.checkPage("outsourcing record section")
	tb.typeInto("#service", "Street lighting")
	tb.click(`input[name=proposal][value=in_house]`)
	// "Was there an in-house bid?" reveals only the chosen answer's box.
	visible := func(sel string) bool {
		return eval[bool](tb, `document.querySelector("`+sel+`").offsetParent !== null`)
	}
	if visible("#in_house_bid") || visible("#no_in_house_reason") {
		t.Error("the in-house bid boxes show before the question is answered")
	}
	tb.click(`input[name=has_in_house_bid][value=yes]`)
	if !visible("#in_house_bid") || visible("#no_in_house_reason") {
		t.Error("choosing yes should reveal the bid alone")
	}
	tb.typeInto("#in_house_bid", "The highways team will run it with six electricians.")
	if got := tb.text("#in_house_bid-info"); !strings.Contains(got, "characters") {
		t.Errorf("the character count says %q", got)
	}
	tb.typeInto("#social_value_weight", "25")
	tb.click(`input[name=at_risk_contact][value=no]`)
	tb.click(`input[name=rights_threat][value=no]`)
	tb.click(`input[name=exemption_claimed][value=no]`)
	tb.clickAndLoad(`form[action="` + admin + `/section/record"] button[type=submit]`)
	if got := tb.path(); got != admin+"/tasks" || taskStatus("record") != "Completed" {
		t.Fatalf("after the record the officer is on %s, record %q (errors: %v)", got, taskStatus("record"), errs())
	}
	tb.clickAndLoad(`a[href="` + admin + `/section/audience"]`)
	tb.click(`input[name=audience][value=anyone]`)
	tb.checkPage("audience and dates section")
	tb.clickAndLoad(`form[action="` + admin + `/section/audience"] button[type=submit]`)
	if taskStatus("audience") != "Completed" {
		t.Errorf("audience: %q (errors: %v)", taskStatus("audience"), errs())
	}
	tb.clickAndLoad(`a[href="` + admin + `#add-question"]`)
	tb.checkPage("draft")

	tb.clickAndLoad(`a[href="` + admin + `/edit"]`)
	tb.checkPage("edit")
	tb.typeInto("#summary", " Results are published when it closes.")
	tb.clickAndLoad(`form[action="` + admin + `/edit"] button[type=submit]`)
	if got := tb.path(); got != admin {
		t.Fatalf("after editing the officer is on %s", got)
	}

	questions := []struct {
		kind, prompt, options string
		required              bool
	}{
		{"single", "Who should maintain the street lights?", "The council\nA contractor\nNo preference", true},
		{"multiple", "What matters most?", "Cost\nReliability\nEnergy use", false},
		{"scale", "Street lighting is good where I live.", "", true},
		{"text", "Anything else?", "", false},
	}
	for i, q := range questions {
		tb.click(fmt.Sprintf(`input[name=kind][value=%s]`, q.kind))
		tb.typeInto("#prompt", q.prompt)
		if q.options != "" {
			tb.typeInto("#options", q.options)
		}
		if q.required {
			tb.click("label[for=required]")
		}
		tb.clickAndLoad(`form[action="` + admin + `/questions"] button[type=submit]`)
		if n := eval[int](tb, `document.querySelectorAll(".oursay-question").length`); n != i+1 {
			t.Fatalf("after adding the %s question the page lists %d questions (errors: %v)", q.kind, n,
				eval[[]string](tb, `[...document.querySelectorAll(".govuk-error-message")].map(e => e.textContent.trim())`))
		}
	}
	tb.checkPage("draft with questions")

	// A fifth question, added by mistake, is removed after confirming.
	tb.click(`input[name=kind][value=text]`)
	tb.typeInto("#prompt", "A question added by mistake")
	tb.clickAndLoad(`form[action="` + admin + `/questions"] button[type=submit]`)
	last := eval[string](tb, `[...document.querySelectorAll(".oursay-question form[action$='/delete']")].pop().getAttribute("action")`)
	tb.clickAndLoad(`form[action="` + last + `"] button`)
	if !strings.Contains(tb.text("main"), "‘A question added by mistake’ is removed") {
		t.Errorf("the confirmation does not say which question is removed")
	}
	confirmStep(t, tb, "confirm removing a question")
	if n := eval[int](tb, `document.querySelectorAll(".oursay-question").length`); n != len(questions) {
		t.Fatalf("after removing the fifth question the page lists %d", n)
	}

	// Staff preview the draft at its public address; the public get 404.
	tb.open("/consultations/street-lighting")
	if !strings.Contains(tb.text("#preview-banner"), "Preview: not published") {
		t.Errorf("no preview banner on the draft's public page")
	}
	tb.checkPage("draft preview")
	if code, err := srv.get(tb.ctx, "/consultations/street-lighting"); err != nil || code != 404 {
		t.Errorf("the public get %d %v for the draft, want 404", code, err)
	}
	// Check and publish: every answer, then the usual confirmation.
	tb.open(admin + "/tasks")
	if got := taskStatus("publish"); got != "Incomplete" {
		t.Errorf("check and publish once the rest is done: %q", got)
	}
	tb.clickAndLoad(`a[href="` + admin + `/check"]`)
	if got := tb.text("main"); !strings.Contains(got, "The highways team will run it with six electricians.") || !strings.Contains(got, "Who should maintain the street lights?") {
		t.Errorf("check answers lacks the record or the questions: %q", got)
	}
	tb.checkPage("check answers")
	tb.clickAndLoad(`form[action="` + admin + `/open"] button`)
	confirmStep(t, tb, "confirm opening")
	if tag := tb.text(".oursay-status .govuk-tag"); !strings.EqualFold(tag, "open") {
		t.Fatalf("after publishing, the state is %q", tag)
	}
	tb.checkPage("open")
	tb.clickAndLoad(`a[href="` + admin + `/paper"]`)
	tb.checkPage("paper response")

	// The public sees it with its four questions.
	tb.open("/consultations/street-lighting")
	kinds := map[string]int{}
	for _, q := range formQuestions(tb) {
		kinds[q.Kind]++
	}
	if kinds["radio"] != 2 || kinds["checkbox"] != 1 || kinds["text"] != 1 {
		t.Errorf("the public form has question kinds %v, want 2 radio groups (single and scale), 1 checkbox group, 1 text", kinds)
	}
	tb.checkPage("new consultation, public")

	tb.open(admin)
	tb.clickAndLoad(`form[action="` + admin + `/close"] button`)
	confirmStep(t, tb, "confirm closing")
	if tag := tb.text(".oursay-status .govuk-tag"); !strings.EqualFold(tag, "closed") {
		t.Fatalf("after closing, the state is %q", tag)
	}
	tb.checkPage("closed")

	tb.clickAndLoad(`a[href="` + admin + `/outcome"]`)
	tb.checkPage("outcome form")
	tb.typeInto("#we_asked", "How street lighting should be maintained.")
	tb.typeInto("#you_said", "Most of you wanted the council to keep it.")
	tb.typeInto("#we_did", "The highways team keeps the work.")
	tb.clickAndLoad(`form[action="` + admin + `/outcome"] button[type=submit]`)
	confirmStep(t, tb, "confirm the outcome")
	if got := tb.path(); got != admin {
		t.Fatalf("after publishing the outcome the officer is on %s", got)
	}
	tb.clickAndLoad(`a[href="` + admin + `/decision"]`)
	tb.checkPage("decision form")

	tb.open("/consultations/street-lighting")
	if h := eval[string](tb, `[...document.querySelectorAll("h2")].map(h => h.textContent).join("|")`); !strings.Contains(h, "We asked, you said, we did") {
		t.Errorf("the public page has no outcome; headings: %s", h)
	}
	tb.checkPage("outcome published, public")

	// The officer revises the outcome: without a note it is refused, then
	// with one; the public page shows the note and the earlier version.
	tb.open(admin)
	tb.clickAndLoad(`a[href="` + admin + `/outcome/revise"]`)
	tb.checkPage("revise the outcome")
	tb.replace("#you_said", "Nine in ten of you wanted the council to keep it.")
	tb.clickAndLoad(`form[action="` + admin + `/outcome/revise"] button[type=submit]`)
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "Enter a revision note") {
		t.Errorf("a revision without a note: the error summary says %q", got)
	}
	tb.checkPage("revise the outcome without a note")
	tb.typeInto("#revision_note", "We added the share who wanted the council to keep it.")
	tb.clickAndLoad(`form[action="` + admin + `/outcome/revise"] button[type=submit]`)
	confirmStep(t, tb, "confirm the revision")
	tb.open("/consultations/street-lighting")
	if got := tb.text("#outcome-revised"); !strings.HasPrefix(got, "Revised on ") || !strings.HasSuffix(got, ": We added the share who wanted the council to keep it.") {
		t.Errorf("the public page says %q about the revision", got)
	}
	tb.click("#outcome-versions summary")
	if got := tb.text("#outcome-versions"); !strings.Contains(got, "Most of you wanted the council to keep it.") {
		t.Errorf("the earlier version is not readable: %q", got)
	}
	tb.checkPage("revised outcome, public")
}

// confirmStep is on an irreversible action's confirmation page: it checks
// the page warns and says who will be told, then confirms.
func confirmStep(t *testing.T, tb *tab, label string) {
	t.Helper()
	if !tb.exists(".govuk-warning-text") || !strings.Contains(tb.text("main"), "Who will be told") {
		t.Fatalf("%s: no confirmation page at %s", label, tb.path())
	}
	tb.checkPage(label)
	tb.clickAndLoad(`button[name=confirm][value=yes]`)
}
