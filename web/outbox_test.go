package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

func TestAdminOutbox(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, m := range []consult.Mail{
		{To: "ann@example.org", Subject: "Confirm your signature: Save the library", Body: "Open <this> link:\nhttps://say.example/signatures/confirm?token=abc\n"},
		{To: "bob@example.org", Subject: "Recall threshold met", Body: "Met.\n"},
		{To: "cat@example.org", Subject: "Your petition was not published", Body: "Sorry.\n"},
		// held until a sealed petition closes: not even its presence shows
		{To: "council@example.org", Subject: "Held notice", Body: "Held.\n", SendAfter: time.Now().Add(time.Hour)},
	} {
		if err := e.db.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	ob := db.NewOutbox(e.db)
	now := time.Now().UTC()
	if err := ob.MarkFailed(ctx, 2, "dial tcp 127.0.0.1:25: connection refused", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := ob.MarkSent(ctx, 3, now); err != nil {
		t.Fatal(err)
	}

	t.Run("Anonymous", func(t *testing.T) {
		res, body := e.get(e.anon, "/admin/outbox")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin") {
			t.Errorf("got %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
		}
		if strings.Contains(body, "Save the library") {
			t.Error("anonymous response shows mail")
		}
	})
	t.Run("Moderator", func(t *testing.T) {
		res, body := e.get(e.mod, "/admin/outbox")
		if res.StatusCode != http.StatusForbidden || strings.Contains(body, "Save the library") {
			t.Errorf("got %d, want 403 without the mail", res.StatusCode)
		}
	})
	t.Run("Admin", func(t *testing.T) {
		res, body := e.get(e.admin, "/admin/outbox")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("got %d, want 200", res.StatusCode)
		}
		for _, want := range []string{"Confirm your signature: Save the library", "ann@example.org",
			"Open &lt;this&gt; link:\nhttps://say.example/signatures/confirm?token=…\n", `govuk-tag--grey">Queued<`,
			`govuk-tag--red">Failed<`, "1 attempt.", "connection refused", `govuk-tag--green">Sent<`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Index(body, "Recall threshold met") > strings.Index(body, "Save the library") ||
			strings.Index(body, "not published") > strings.Index(body, "Recall threshold met") {
			t.Error("mail not listed newest first")
		}
		if strings.Contains(body, "Held notice") || strings.Contains(body, "council@example.org") {
			t.Error("page shows mail held for a later time")
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store: the page holds confirmation links", res.Header.Get("Cache-Control"))
		}
	})
	t.Run("DashboardLinks", func(t *testing.T) {
		if _, body := e.get(e.admin, "/admin/"); !strings.Contains(body, `href="/admin/outbox"`) {
			t.Error("admin dashboard has no link to the outbox")
		}
		if _, body := e.get(e.mod, "/admin/"); strings.Contains(body, `href="/admin/outbox"`) {
			t.Error("moderator dashboard links to a page they cannot open")
		}
	})
}

// TestAdminOutbox_NoWorkingLinks: the outbox page lets an admin recognise
// a signer's mail but holds no link that works. A link copied from it
// would confirm or withdraw someone else's signature with no trace of who
// did. Every token-like string on the page is tried, as an admin would.
func TestAdminOutbox_NoWorkingLinks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.st.Council.ImportPostcodes(ctx, []ballot.PostcodeEntry{{Postcode: "AB1 2CD", Ward: ballot.Ward{Name: "Riverside", Code: "E05000001"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	ps := e.st.Petitions
	c := e.addContract(wasteContract())
	p := &ballot.Petition{ContractID: c.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam", CampaignerEmail: "sam@example.org", CountPolicy: ballot.CountLive}
	must(t, ps.CreatePetition(ctx, p, testBase))
	confirm, err := smtptest.Link(mailBodies(t, e.db), "/petitions/confirm")
	must(t, err)
	_, _, err = ps.ConfirmCampaigner(ctx, confirm.Query().Get("token"))
	must(t, err)
	share, err := ps.ShareToken(ctx, p.ID)
	must(t, err)
	// A second campaigner's link is still unused, and so are the sponsor's.
	must(t, ps.CreatePetition(ctx, &ballot.Petition{ContractID: c.ID, Title: "Bring bins back in house", Reasons: "Cost",
		CampaignerName: "Tam", CampaignerEmail: "tam@example.org", CountPolicy: ballot.CountLive}, testBase))
	must(t, ps.Sign(ctx, p.ID, &ballot.Signature{Name: "Ann Sponsor", Email: "ann@example.org", Postcode: "AB1 2CD", Resident: true}, share, testBase))

	res, body := e.get(e.admin, "/admin/outbox")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200", res.StatusCode)
	}
	for _, want := range []string{"ann@example.org", "tam@example.org", testBase + "/signatures/confirm?token=",
		testBase + "/signatures/withdraw?token=", testBase + "/petitions/confirm?token="} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q: the mail cannot be recognised", want)
		}
	}
	tried := 0
	for _, m := range regexp.MustCompile(`(/(?:signatures|petitions)/confirm)\?token=([A-Za-z0-9_-]+)`).FindAllStringSubmatch(body, -1) {
		tried++
		if res, _ := e.get(e.anon, m[1]+"?token="+m[2]); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s?token=%s from the outbox page answers %d, want 404", m[1], m[2], res.StatusCode)
		}
	}
	if tried < 3 {
		t.Fatalf("tried %d confirmation links from the page, want the 3 in the mails", tried)
	}
	// The links were refused, not used: the campaigner and the sponsor are
	// still unconfirmed.
	var confirmed int
	if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM signatures WHERE status != 'pending'`).Scan(&confirmed); err != nil {
		t.Fatal(err)
	}
	if confirmed != 0 {
		t.Errorf("%d signatures confirmed or withdrawn by links from the outbox page", confirmed)
	}
	for _, m := range regexp.MustCompile(`token=([A-Za-z0-9_-]+)`).FindAllStringSubmatch(mailBodies(t, e.db), -1) {
		if strings.Contains(body, m[1]) {
			t.Errorf("the page holds the whole token %s", m[1])
		}
	}
}

// mailBodies is every queued mail's body, as stored.
func mailBodies(t *testing.T, d *db.DB) string {
	t.Helper()
	rows, err := d.Reader().Query(`SELECT body FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var all strings.Builder
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		all.WriteString(b + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return all.String()
}

// TestAdminOutbox_FiltersAndPages: the outbox filters by status and
// address, says how many match, pages through every mail with no silent
// cap, and never counts or lists mail held for later.
func TestAdminOutbox_FiltersAndPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := 0; i < 55; i++ {
		must(t, e.db.EnqueueMail(ctx, consult.Mail{To: fmt.Sprintf("r%02d@example.org", i), Subject: fmt.Sprintf("Receipt %02d", i), Body: "Thanks.\n"}))
	}
	must(t, e.db.EnqueueMail(ctx, consult.Mail{To: "held@example.org", Subject: "Held notice", Body: "Held.\n", SendAfter: time.Now().Add(time.Hour)}))
	ob := db.NewOutbox(e.db)
	must(t, ob.MarkFailed(ctx, 1, "connection refused", time.Now().UTC().Add(time.Minute)))
	must(t, ob.MarkSent(ctx, 2, time.Now().UTC()))

	_, body := e.get(e.admin, "/admin/outbox")
	if !strings.Contains(body, "Showing 1 to 50 of 55 emails.") || !strings.Contains(body, `href="/admin/outbox?page=2" rel="next"`) ||
		strings.Contains(body, "Held notice") {
		t.Errorf("first page: count, next link, or held mail wrong")
	}
	if _, body = e.get(e.admin, "/admin/outbox?page=2"); !strings.Contains(body, "Showing 51 to 55 of 55 emails.") || !strings.Contains(body, "Receipt 00") {
		t.Errorf("the second page does not reach the oldest mail")
	}
	if _, body = e.get(e.admin, "/admin/outbox?status=failed"); !strings.Contains(body, "One email matches.") || !strings.Contains(body, "Receipt 00") {
		t.Errorf("failed filter")
	}
	// Queued (not tried), to an address containing "R1", ignoring case: r10 to r19.
	if _, body = e.get(e.admin, "/admin/outbox?status=queued&to=R1"); !strings.Contains(body, "Showing 1 to 10 of 10 emails that match.") ||
		strings.Contains(body, `rel="next"`) {
		t.Errorf("queued and address filter")
	}
	if _, body = e.get(e.admin, "/admin/outbox?to=held"); !strings.Contains(body, "No emails match these filters.") {
		t.Errorf("held mail found by its address")
	}
	res, body := e.get(e.admin, "/admin/outbox?status=lost")
	if got := errorSummary(t, body)["status"]; res.StatusCode != http.StatusUnprocessableEntity || got != "Select sent, failed or not sent yet" {
		t.Errorf("bad status: %d %q", res.StatusCode, got)
	}
}
