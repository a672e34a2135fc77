package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
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
			"Open &lt;this&gt; link:\nhttps://say.example/signatures/confirm?token=abc", `govuk-tag--grey">Queued<`,
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
