package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// passwordLink is the set-password link in the last mail to addr.
func (e *testEnv) passwordLink(addr string) string {
	e.t.Helper()
	return e.mailLink(addr, "/admin/set-password").RequestURI()
}

func (e *testEnv) auditActions() string {
	e.t.Helper()
	var s string
	if err := e.db.Reader().QueryRow(`SELECT group_concat(action || ' ' || actor, '|') FROM audit_log`).Scan(&s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *testEnv) userID(email string) string {
	e.t.Helper()
	var id int64
	if err := e.db.Reader().QueryRow(`SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return itoa(id)
}

func (e *testEnv) signinStatus(email, pw string) int {
	e.t.Helper()
	return e.post(e.client(), "/admin/signin", url.Values{"email": {email}, "password": {pw}}).StatusCode
}

// TestStaff_InviteSetPasswordOnce: an admin invites a staff member by
// email; the mailed link sets a password once, and only a valid one.
func TestStaff_InviteSetPasswordOnce(t *testing.T) {
	e := newEnv(t)
	res, body := e.postBody(e.admin, "/admin/staff", url.Values{"email": {"not an email"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter an email address in the correct format") ||
		!strings.Contains(body, "Select the staff member&#39;s role") {
		t.Errorf("bad invite: got %d", res.StatusCode)
	}
	if res := e.post(e.admin, "/admin/staff", url.Values{"email": {"New.Person@Council.test"}, "role": {"moderator"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: got %d", res.StatusCode)
	}
	if res, body := e.postBody(e.admin, "/admin/staff", url.Values{"email": {"new.person@council.test"}, "role": {"admin"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "already a staff account") {
		t.Errorf("second invite: got %d", res.StatusCode)
	}
	if _, page := e.get(e.admin, "/admin/staff"); !strings.Contains(page, "new.person@council.test") || !strings.Contains(page, ">Invited<") {
		t.Errorf("the staff page does not show the invitation")
	}
	if got := e.signinStatus("new.person@council.test", ""); got == http.StatusSeeOther {
		t.Errorf("an invited account signed in with no password")
	}
	link := e.passwordLink("new.person@council.test")
	if res, body := e.get(e.anon, link); res.StatusCode != http.StatusOK || !strings.Contains(body, "Set your password") {
		t.Fatalf("link: got %d", res.StatusCode)
	}
	token := strings.TrimPrefix(link, "/admin/set-password?token=")
	for _, tc := range []struct{ pw, again, msg string }{
		{"short", "short", "12 characters or more"},
		{"a long enough password", "another one entirely", "do not match"},
	} {
		res, body := e.postBody(e.anon, "/admin/set-password", url.Values{"token": {token}, "password": {tc.pw}, "password_again": {tc.again}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.msg) || strings.Contains(body, tc.pw) {
			t.Errorf("password %q: got %d, want %q and the password not echoed", tc.pw, res.StatusCode, tc.msg)
		}
	}
	const pw = "a long enough password"
	if res := e.post(e.anon, "/admin/set-password", url.Values{"token": {token}, "password": {pw}, "password_again": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: got %d", res.StatusCode)
	}
	if got := e.signinStatus("new.person@council.test", pw); got != http.StatusSeeOther {
		t.Errorf("sign in with the new password: got %d", got)
	}
	if res, body := e.get(e.anon, link); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "expired or been used") {
		t.Errorf("the link used again: got %d", res.StatusCode)
	}
	if res := e.post(e.anon, "/admin/set-password", url.Values{"token": {token}, "password": {"yet another password"}, "password_again": {"yet another password"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("the link posted again: got %d", res.StatusCode)
	}
	if a := e.auditActions(); !strings.Contains(a, "user.invite admin@council.test") || !strings.Contains(a, "user.password_set new.person@council.test") {
		t.Errorf("audit: %s", a)
	}
}

// TestStaff_RoleDisableEnable: an admin changes a role, disables an
// account (its session ends at once and it cannot sign in) and re-enables
// it, each audited; nobody may demote or disable themselves.
func TestStaff_RoleDisableEnable(t *testing.T) {
	e := newEnv(t)
	mod, me := e.userID("mod@council.test"), e.userID("admin@council.test")
	if res := e.post(e.admin, "/admin/staff/"+mod+"/role", url.Values{"role": {"admin"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role: got %d", res.StatusCode)
	}
	if res, _ := e.get(e.mod, "/admin/audit"); res.StatusCode != http.StatusOK {
		t.Errorf("the new admin cannot see the audit log: got %d", res.StatusCode)
	}
	if res := e.post(e.admin, "/admin/staff/"+mod+"/disable", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: got %d", res.StatusCode)
	}
	if res, _ := e.get(e.mod, "/admin/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin") {
		t.Errorf("a disabled account's session still works: got %d", res.StatusCode)
	}
	if got := e.signinStatus("mod@council.test", testPassword); got == http.StatusSeeOther {
		t.Errorf("a disabled account signed in")
	}
	if _, page := e.get(e.admin, "/admin/staff"); !strings.Contains(page, ">Disabled<") {
		t.Errorf("the staff page does not show the disabled account")
	}
	if res := e.post(e.admin, "/admin/staff/"+mod+"/enable", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: got %d", res.StatusCode)
	}
	if got := e.signinStatus("mod@council.test", testPassword); got != http.StatusSeeOther {
		t.Errorf("a re-enabled account cannot sign in: got %d", got)
	}
	if res, _ := e.get(e.mod, "/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("re-enabling revived the session from before it was disabled: got %d", res.StatusCode)
	}
	for _, action := range []string{"disable", "role"} {
		e.post(e.admin, "/admin/staff/"+me+"/"+action, url.Values{"role": {"moderator"}})
		if res, _ := e.get(e.admin, "/admin/audit"); res.StatusCode != http.StatusOK {
			t.Errorf("the admin %s themselves: got %d on the audit log", action, res.StatusCode)
		}
	}
	if a := e.auditActions(); !strings.Contains(a, "user.role admin@council.test") || !strings.Contains(a, "user.disable admin@council.test") ||
		!strings.Contains(a, "user.enable admin@council.test") {
		t.Errorf("audit: %s", a)
	}
}

// TestStaff_ForgottenPassword: the reset form says the same for any
// address, mails a single-use link to a real account only, and the link
// lasts an hour.
func TestStaff_ForgottenPassword(t *testing.T) {
	e := newEnv(t)
	_, unknown := e.postBody(e.anon, "/admin/forgot-password", url.Values{"email": {"nobody@council.test"}})
	_, known := e.postBody(e.anon, "/admin/forgot-password", url.Values{"email": {"mod@council.test"}})
	if strings.ReplaceAll(unknown, "nobody", "mod") != known || !strings.Contains(known, "Check your email") {
		t.Errorf("the page differs between a known and an unknown address")
	}
	var mails int
	e.db.Reader().QueryRow(`SELECT COUNT(*) FROM outbox WHERE to_addr = 'nobody@council.test'`).Scan(&mails)
	if mails != 0 {
		t.Errorf("mail sent to an address with no account")
	}
	var life float64
	e.db.Reader().QueryRow(`SELECT (julianday(expires_at) - julianday(created_at)) * 24 FROM password_tokens`).Scan(&life)
	if life < 0.99 || life > 1.01 {
		t.Errorf("the reset link lasts %.2f hours, want 1", life)
	}
	// A second request within minutes sends nothing more.
	e.post(e.anon, "/admin/forgot-password", url.Values{"email": {"mod@council.test"}})
	e.db.Reader().QueryRow(`SELECT COUNT(*) FROM outbox WHERE to_addr = 'mod@council.test'`).Scan(&mails)
	if mails != 1 {
		t.Errorf("reset mails: got %d, want 1", mails)
	}
	link := e.passwordLink("mod@council.test")
	token := strings.TrimPrefix(link, "/admin/set-password?token=")
	// An hour on, the link is dead.
	if _, err := e.db.Writer().Exec(`UPDATE password_tokens SET expires_at = ?`, time.Now().UTC().Add(-time.Second).Format("2006-01-02T15:04:05.000000000Z07:00")); err != nil {
		t.Fatal(err)
	}
	if res, _ := e.get(e.anon, link); res.StatusCode != http.StatusNotFound {
		t.Errorf("an expired link: got %d", res.StatusCode)
	}
	if _, err := e.db.Writer().Exec(`UPDATE password_tokens SET expires_at = ?`, time.Now().UTC().Add(time.Hour).Format("2006-01-02T15:04:05.000000000Z07:00")); err != nil {
		t.Fatal(err)
	}
	const pw = "my brand new password"
	if res := e.post(e.anon, "/admin/set-password", url.Values{"token": {token}, "password": {pw}, "password_again": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: got %d", res.StatusCode)
	}
	if e.signinStatus("mod@council.test", testPassword) == http.StatusSeeOther || e.signinStatus("mod@council.test", pw) != http.StatusSeeOther {
		t.Errorf("the old password still works or the new one does not")
	}
	if a := e.auditActions(); !strings.Contains(a, "user.reset_request mod@council.test") || !strings.Contains(a, "user.password_set mod@council.test") {
		t.Errorf("audit: %s", a)
	}
}

// TestStaff_ChangeOwnPassword: each person changes their own password,
// giving the current one.
func TestStaff_ChangeOwnPassword(t *testing.T) {
	e := newEnv(t)
	const pw = "a new moderator password"
	res, body := e.postBody(e.mod, "/admin/account/password", url.Values{"current_password": {"wrong"}, "password": {pw}, "password_again": {pw}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Your current password is not right") {
		t.Errorf("wrong current password: got %d", res.StatusCode)
	}
	if res := e.post(e.mod, "/admin/account/password", url.Values{"current_password": {testPassword}, "password": {pw}, "password_again": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: got %d", res.StatusCode)
	}
	if e.signinStatus("mod@council.test", pw) != http.StatusSeeOther {
		t.Errorf("the new password does not work")
	}
	if res, _ := e.get(e.mod, "/admin/"); res.StatusCode != http.StatusOK {
		t.Errorf("changing the password ended the session that changed it: got %d", res.StatusCode)
	}
	if a := e.auditActions(); !strings.Contains(a, "user.password_change mod@council.test") {
		t.Errorf("audit: %s", a)
	}
}

// TestStaff_LockedShownAndUnlocked: an account locked by failed sign-ins
// is shown as locked, and an admin's unlock (audited) lets it in again.
func TestStaff_LockedShownAndUnlocked(t *testing.T) {
	e := newEnv(t)
	for range 5 {
		e.signinStatus("mod@council.test", "wrong password")
	}
	if e.signinStatus("mod@council.test", testPassword) != http.StatusTooManyRequests {
		t.Fatalf("the account is not locked")
	}
	_, page := e.get(e.admin, "/admin/staff")
	if !strings.Contains(page, ">Locked<") || !strings.Contains(page, `/unlock"`) {
		t.Errorf("the staff page does not show the lock")
	}
	if res := e.post(e.admin, "/admin/staff/"+e.userID("mod@council.test")+"/unlock", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: got %d", res.StatusCode)
	}
	if got := e.signinStatus("mod@council.test", testPassword); got != http.StatusSeeOther {
		t.Errorf("after unlocking: got %d", got)
	}
	if a := e.auditActions(); !strings.Contains(a, "user.unlock admin@council.test") {
		t.Errorf("audit: %s", a)
	}
}
