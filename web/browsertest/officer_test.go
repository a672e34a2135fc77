//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// waitFor polls a JavaScript condition until it holds or d passes.
func waitFor(t *testing.T, tb *tab, what, cond string, d time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(d); !eval[bool](tb, cond); {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v (on %s)", what, d, tb.path())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// mailedLink is the path of the link to pattern in the mail to addr whose
// subject holds subject.
func mailedLink(t *testing.T, srv *server, addr, subject, pattern string) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		for _, m := range srv.Mail.Mails() {
			if len(m.To) == 1 && strings.EqualFold(m.To[0], addr) && strings.Contains(m.Subject, subject) {
				u, err := smtptest.Link(m.Body, pattern)
				if err != nil {
					t.Fatalf("mail %q: %v", m.Subject, err)
				}
				return u.RequestURI()
			}
		}
	}
	t.Fatalf("no mail %q to %s", subject, addr)
	return ""
}

// setPassword follows a set-password link and sets pw.
func setPassword(t *testing.T, tb *tab, link, pw string) {
	t.Helper()
	tb.open(link)
	if h := tb.text("h1"); h != "Set your password" {
		t.Fatalf("the link opens %q", h)
	}
	tb.checkPage("set password")
	tb.typeInto("#password", pw)
	tb.typeInto("#password_again", pw)
	tb.clickAndLoad(`form[action="/admin/set-password"] button[type=submit]`)
}

// TestOfficerDashboardAndStaffAccounts: an admin works from the task
// list, invites a colleague who sets a password from the mailed link,
// disables and re-enables them; the colleague changes their password and
// later resets a forgotten one.
func TestOfficerDashboardAndStaffAccounts(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)
	admin := b.newTab("admin")
	signIn(t, admin, demoAdmin, srv.Password)
	if !admin.exists(".govuk-task-list, #tasks-moderation + p") || admin.text("h2") != "What needs doing" {
		t.Fatalf("the dashboard has no task list")
	}
	admin.checkPage("dashboard task list")
	// Every task link opens the page where it is done.
	for _, href := range eval[[]string](admin, `[...document.querySelectorAll(".govuk-task-list__link")].map(a => a.getAttribute("href"))`) {
		admin.open(href)
		if h := admin.text("h1"); strings.Contains(h, "not found") || strings.Contains(h, "permission") || strings.HasPrefix(admin.path(), "/admin/signin") {
			t.Errorf("task link %s opens %q at %s", href, h, admin.path())
		}
	}
	admin.open("/admin/")

	admin.clickAndLoad(`a[href="/admin/staff"]`)
	admin.checkPage("staff accounts")
	admin.clickAndLoad(`a[href="/admin/staff/new"]`)
	admin.clickAndLoad(`form[action="/admin/staff"] button[type=submit]`)
	if !admin.exists(".govuk-error-summary") {
		t.Errorf("an empty invitation shows no error summary")
	}
	admin.checkPage("invite with errors")
	const colleague = "sam.officer@demo.oursay.test"
	admin.typeInto("#email", colleague)
	admin.click(`input[name=role][value=moderator]`)
	admin.clickAndLoad(`form[action="/admin/staff"] button[type=submit]`)
	if !strings.Contains(admin.text(".govuk-notification-banner"), "Invitation sent") {
		t.Fatalf("no confirmation of the invitation on %s", admin.path())
	}

	sam := newBrowser(t, srv).newTab("colleague") // cookies of their own
	setPassword(t, sam, mailedLink(t, srv, colleague, "invited", "/admin/set-password"), "sam's first long password")
	signIn(t, sam, colleague, "sam's first long password")
	if strings.Contains(sam.text("main"), "Set up a recall ballot") || !sam.exists("#tasks-moderation") {
		t.Errorf("the moderator's dashboard shows admin tasks, or not the petition queue")
	}
	sam.clickAndLoad(`a[href="/admin/account"]`)
	sam.typeInto("#current_password", "sam's first long password")
	sam.typeInto("#password", "sam's second long password")
	sam.typeInto("#password_again", "sam's second long password")
	sam.clickAndLoad(`form[action="/admin/account/password"] button[type=submit]`)
	if !strings.Contains(sam.text(".govuk-notification-banner"), "password has been changed") {
		t.Errorf("no confirmation of the password change on %s", sam.path())
	}

	// Disabled, the colleague's next page is the sign-in page.
	admin.open("/admin/staff")
	samRow := "#" + eval[string](admin, fmt.Sprintf(`[...document.querySelectorAll("tbody tr")].find(r => r.textContent.includes(%q)).id`, colleague))
	admin.clickAndLoad(samRow + ` form[action$="/disable"] button`)
	if !strings.Contains(admin.text(".govuk-notification-banner"), "is disabled") {
		t.Fatalf("no confirmation of disabling")
	}
	sam.open("/admin/")
	if !strings.HasPrefix(sam.path(), "/admin/signin") {
		t.Errorf("a disabled colleague still reaches %s", sam.path())
	}
	admin.clickAndLoad(samRow + ` form[action$="/enable"] button`)
	admin.checkPage("staff with a re-enabled account")

	// A forgotten password, reset from the sign-in page.
	sam.open("/admin/signin")
	sam.clickAndLoad(`a[href="/admin/forgot-password"]`)
	sam.checkPage("forgotten password")
	sam.typeInto("#email", colleague)
	sam.clickAndLoad(`form[action="/admin/forgot-password"] button[type=submit]`)
	if h := sam.text("h1"); h != "Check your email" {
		t.Fatalf("after asking for a reset: %q", h)
	}
	setPassword(t, sam, mailedLink(t, srv, colleague, "Reset", "/admin/set-password"), "sam's third long password")
	signIn(t, sam, colleague, "sam's third long password")
}

// TestOfficerSessionTimesOut: on a short session, the warning appears
// before it ends and "Stay signed in" keeps it; once it has ended, a form
// sent leads to the sign-in page and then back to what was typed.
func TestOfficerSessionTimesOut(t *testing.T) {
	srv := startServer(t, "--session-idle", "40s") // warned at 20s
	tb := newBrowser(t, srv).newTab("officer")
	signIn(t, tb, demoAdmin, srv.Password)
	tb.open("/admin/staff/new")
	const open = `!!document.querySelector("dialog.oursay-timeout[open]")`
	waitFor(t, tb, "the timeout warning", open, 30*time.Second)
	if h := tb.text("#timeout-heading"); !strings.Contains(h, "about to be signed out") {
		t.Errorf("warning heading %q", h)
	}
	tb.checkPage("timeout warning")
	tb.click("#timeout-stay")
	waitFor(t, tb, "the warning to close", `!document.querySelector("dialog.oursay-timeout[open]")`, 5*time.Second)
	// Stayed: the warning comes back, then the session ends.
	waitFor(t, tb, "the signed-out notice", `(document.querySelector("#timeout-heading")||{}).textContent === "You have been signed out"`, 50*time.Second)
	tb.checkPage("signed out")
	tb.click("#timeout-close")
	tb.typeInto("#email", "kept.colleague@demo.oursay.test")
	tb.click(`input[name=role][value=admin]`)
	tb.clickAndLoad(`form[action="/admin/staff"] button[type=submit]`)
	if got := tb.text("main"); !strings.Contains(got, "You have been signed out") || strings.Contains(got, "Sign in to do that") {
		t.Fatalf("after sending the form: %q", short(got))
	}
	tb.checkPage("sign in after timeout")
	tb.typeInto("#email", demoAdmin)
	tb.typeInto("#password", srv.Password)
	tb.clickAndLoad("form[action='/admin/signin'] button[type=submit]")
	if tb.path() != "/admin/resume" || !strings.Contains(tb.text("main"), "kept.colleague@demo.oursay.test") {
		t.Fatalf("after signing in: %s", tb.path())
	}
	tb.checkPage("send what you typed")
	tb.clickAndLoad(`main form button[type=submit]`)
	if !strings.Contains(tb.text(".govuk-notification-banner"), "Invitation sent") || !strings.Contains(tb.text("main"), "kept.colleague@demo.oursay.test") {
		t.Errorf("the kept form was not sent (on %s)", tb.path())
	}
}
