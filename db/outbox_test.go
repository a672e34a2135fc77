package db_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestOutbox_Enqueue(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	ob := db.NewOutbox(d)

	t.Run("OK", func(t *testing.T) {
		m := consult.Mail{To: " ann@example.org ", Subject: "Confirm\r\nBcc: evil@example.org", Body: "Line 1\nLine 2\n"}
		if err := d.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		got := mustRecent(t, ob)[0]
		if got.To != "ann@example.org" || got.Body != m.Body+consult.DefaultSettings().MailFooter() {
			t.Errorf("got to %q body %q, want trimmed address and the body as given, then the council's footer", got.To, got.Body)
		}
		// A line break in the subject must not start a new header.
		if got.Subject != "Confirm Bcc: evil@example.org" {
			t.Errorf("subject = %q, want line breaks folded to spaces", got.Subject)
		}
		if !got.CreatedAt.Equal(t0) || !got.SendAfter.Equal(t0) || !got.SentAt.IsZero() || got.Attempts != 0 {
			t.Errorf("got created %v after %v sent %v attempts %d, want due now, unsent, untried",
				got.CreatedAt, got.SendAfter, got.SentAt, got.Attempts)
		}
	})
	t.Run("BadRecipient", func(t *testing.T) {
		for _, to := range []string{"", "  ", "a@example.org\nb@example.org"} {
			var ve *consult.ValidationError
			if err := d.EnqueueMail(ctx, consult.Mail{To: to, Subject: "s"}); !errors.As(err, &ve) {
				t.Errorf("to %q: got %v, want a validation error", to, err)
			}
		}
		if n := len(mustRecent(t, ob)); n != 1 {
			t.Errorf("%d mails queued, want only the good one", n)
		}
	})
}

// TestOutbox_EnqueueInTx proves the point of enqueueing inside the caller's
// transaction: a change that rolls back leaves no mail behind.
func TestOutbox_EnqueueInTx(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	ob := db.NewOutbox(d)
	boom := errors.New("boom")
	err := db.WithTxForTest(d, ctx, func(tx *sql.Tx, now time.Time) error {
		if err := db.EnqueueMailForTest(ctx, tx, now, consult.Mail{To: "a@example.org", Subject: "s", Body: "b"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	if ms, err := ob.RecentMail(ctx, 10); err != nil || len(ms) != 0 {
		t.Errorf("%d mails after rollback, %v; want 0", len(ms), err)
	}
}

func TestOutbox_DueMail(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	now := fixedClock(d, t0)
	ob := db.NewOutbox(d)
	enqueue := func(to string, after time.Duration) {
		t.Helper()
		m := consult.Mail{To: to, Subject: "s", Body: "b"}
		if after != 0 {
			m.SendAfter = t0.Add(after)
		}
		if err := d.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	enqueue("first@example.org", 0)
	enqueue("later@example.org", time.Hour) // e.g. a sealed notice that waits
	*now = t0.Add(time.Second)
	enqueue("second@example.org", 0)

	t.Run("OldestFirst", func(t *testing.T) {
		assertTo(t, mustDue(t, ob, t0.Add(time.Minute), 10), "first@example.org", "second@example.org")
	})
	t.Run("Limit", func(t *testing.T) {
		assertTo(t, mustDue(t, ob, t0.Add(time.Minute), 1), "first@example.org")
	})
	t.Run("SendAfterRespected", func(t *testing.T) {
		assertTo(t, mustDue(t, ob, t0, 10), "first@example.org")
		assertTo(t, mustDue(t, ob, t0.Add(time.Hour), 10), "first@example.org", "second@example.org", "later@example.org")
	})
}

func TestOutbox_Mark(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	ob := db.NewOutbox(d)
	for _, to := range []string{"a@example.org", "b@example.org"} {
		if err := d.EnqueueMail(ctx, consult.Mail{To: to, Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	due := mustDue(t, ob, t0, 10)
	a, b := due[0], due[1]

	t.Run("Failed", func(t *testing.T) {
		retry := t0.Add(30 * time.Second)
		if err := ob.MarkFailed(ctx, a.ID, "dial tcp: connection refused", retry); err != nil {
			t.Fatal(err)
		}
		// Not due again until its retry time, and then still there.
		assertTo(t, mustDue(t, ob, t0.Add(29*time.Second), 10), "b@example.org")
		assertTo(t, mustDue(t, ob, retry, 10), "b@example.org", "a@example.org")
		got := mustDue(t, ob, retry, 10)[1]
		if got.Attempts != 1 || got.LastError != "dial tcp: connection refused" || !got.SendAfter.Equal(retry) {
			t.Errorf("got attempts %d error %q after %v, want 1, the reason, %v", got.Attempts, got.LastError, got.SendAfter, retry)
		}
	})
	t.Run("LongReasonCut", func(t *testing.T) {
		if err := ob.MarkFailed(ctx, a.ID, strings.Repeat("é", 1000), t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		got := mustRecent(t, ob)[1]
		if len(got.LastError) > 1000 || !strings.HasPrefix(got.LastError, "éé") || strings.ContainsRune(got.LastError, '\uFFFD') {
			t.Errorf("stored reason is %d bytes, want at most 1000 whole characters", len(got.LastError))
		}
	})
	t.Run("Sent", func(t *testing.T) {
		at := t0.Add(2 * time.Minute)
		if err := ob.MarkSent(ctx, a.ID, at); err != nil {
			t.Fatal(err)
		}
		if err := ob.MarkSent(ctx, a.ID, at.Add(time.Hour)); err != nil {
			t.Fatalf("second mark: %v", err)
		}
		// A late failure report for a sent mail changes nothing.
		if err := ob.MarkFailed(ctx, a.ID, "late", at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		assertTo(t, mustDue(t, ob, t0.Add(48*time.Hour), 10), "b@example.org")
		got := mustRecent(t, ob)[1]
		if !got.SentAt.Equal(at) || got.Attempts != 3 || got.To != "a@example.org" {
			t.Errorf("got sent %v attempts %d, want %v and 3 (two failures, one success)", got.SentAt, got.Attempts, at)
		}
		if !b.SentAt.IsZero() {
			t.Error("the other mail is marked too")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if err := ob.MarkSent(ctx, 999, t0); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("MarkSent: got %v, want ErrNotFound", err)
		}
		if err := ob.MarkFailed(ctx, 999, "x", t0); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("MarkFailed: got %v, want ErrNotFound", err)
		}
	})
	t.Run("RecentNewestFirst", func(t *testing.T) {
		assertTo(t, mustRecent(t, ob), "b@example.org", "a@example.org")
	})
}

func mustDue(tb testing.TB, ob *db.Outbox, now time.Time, limit int) []consult.Mail {
	tb.Helper()
	ms, err := ob.DueMail(context.Background(), now, limit)
	if err != nil {
		tb.Fatal(err)
	}
	return ms
}

func mustRecent(tb testing.TB, ob *db.Outbox) []consult.Mail {
	tb.Helper()
	ms, err := ob.RecentMail(context.Background(), 100)
	if err != nil {
		tb.Fatal(err)
	}
	return ms
}

func assertTo(tb testing.TB, ms []consult.Mail, want ...string) {
	tb.Helper()
	var got []string
	for _, m := range ms {
		got = append(got, m.To)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		tb.Errorf("got %v, want %v", got, want)
	}
}

// TestOutbox_MarkSentAll marks many mails in one go, keeps the first sent
// time of a mail sent before, and marks none when any id is unknown.
func TestOutbox_MarkSentAll(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	ob := db.NewOutbox(d)
	for _, to := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		if err := d.EnqueueMail(ctx, consult.Mail{To: to, Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	due := mustDue(t, ob, t0, 10)
	a, b, c := due[0].ID, due[1].ID, due[2].ID
	if err := ob.MarkSent(ctx, a, t0); err != nil {
		t.Fatal(err)
	}
	if err := ob.MarkSentAll(ctx, []int64{c, 999}, t0.Add(time.Hour)); !errors.Is(err, consult.ErrNotFound) {
		t.Fatalf("unknown id: got %v, want ErrNotFound", err)
	}
	assertTo(t, mustDue(t, ob, t0, 10), "b@example.org", "c@example.org")
	if err := ob.MarkSentAll(ctx, []int64{a, b, c}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := len(mustDue(t, ob, t0.Add(48*time.Hour), 10)); n != 0 {
		t.Errorf("%d mails still due, want none", n)
	}
	for _, m := range mustRecent(t, ob) {
		want, attempts := t0.Add(time.Hour), 1
		if m.ID == a {
			want = t0
		}
		if !m.SentAt.Equal(want) || m.Attempts != attempts {
			t.Errorf("mail %d: sent %v attempts %d, want %v and %d", m.ID, m.SentAt, m.Attempts, want, attempts)
		}
	}
	if err := ob.MarkSentAll(ctx, nil, t0); err != nil {
		t.Errorf("no ids: %v", err)
	}
}

// TestOutbox_OnQueued: the hook a mailer is woken by runs once a change
// that queued mail has committed, by the time the change returns, through
// either writer; a change that queued none, or that rolled back, does not
// call it.
func TestOutbox_OnQueued(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	ob := db.NewOutbox(d)
	var calls atomic.Int32
	ob.OnQueued(func() { calls.Add(1) })
	mail := consult.Mail{To: "a@example.org", Subject: "s", Body: "b"}
	want := func(step string, n int32) {
		t.Helper()
		if got := calls.Load(); got != n {
			t.Fatalf("%s: hook called %d times, want %d", step, got, n)
		}
	}

	boom := errors.New("boom")
	err := db.WithTxForTest(d, ctx, func(tx *sql.Tx, now time.Time) error {
		if err := db.EnqueueMailForTest(ctx, tx, now, mail); err != nil {
			return err
		}
		want("inside the transaction", 0)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	want("rolled back", 0)
	if err := db.WithTxForTest(d, ctx, func(*sql.Tx, time.Time) error { return nil }); err != nil {
		t.Fatal(err)
	}
	want("no mail queued", 0)
	if err := d.EnqueueMail(ctx, mail); err != nil {
		t.Fatal(err)
	}
	want("committed", 1)

	err = d.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		return db.EnqueueMailForTest(ctx, tx, now, mail)
	})
	if err != nil {
		t.Fatal(err)
	}
	want("group committed", 2)
	var inside int32 // read on the writer goroutine, checked on this one
	err = d.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := db.EnqueueMailForTest(ctx, tx, now, mail); err != nil {
			return err
		}
		inside = calls.Load()
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("group: got %v, want boom", err)
	}
	if inside != 2 {
		t.Errorf("inside the group's transaction: hook called %d times, want 2", inside)
	}
	want("group rolled back", 2)
	if ms, err := ob.RecentMail(ctx, 10); err != nil || len(ms) != 2 {
		t.Errorf("%d mails queued, %v; want the two committed", len(ms), err)
	}
}
