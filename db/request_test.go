package db_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

var requestTokenRE = regexp.MustCompile(`/requests/(?:follow/)?confirm\?token=([A-Z2-7]+)`)

// lastMailTo returns the newest mail body to addr.
func lastMailTo(t *testing.T, d *db.DB, addr string) (subject, body string) {
	t.Helper()
	if err := d.Reader().QueryRow(`SELECT subject, body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, addr).Scan(&subject, &body); err != nil {
		t.Fatalf("mail to %s: %v", addr, err)
	}
	return subject, body
}

func requestToken(t *testing.T, d *db.DB, addr string) string {
	t.Helper()
	_, body := lastMailTo(t, d, addr)
	m := requestTokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link in mail to %s: %q", addr, body)
	}
	return m[1]
}

func TestRequestStore(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	// A Friday in December: the answer is due after Christmas and New Year.
	now := fixedClock(d, time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	c := newContract("Waste collection")
	if err := db.NewContractStore(d).CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	if err := db.NewUserStore(d).CreateUser(ctx, staffUser(), "test"); err != nil {
		t.Fatal(err)
	}
	s := db.NewRequestStore(d)
	s.BaseURL = "http://x"
	ask := func(title string) *ballot.InfoRequest {
		r := &ballot.InfoRequest{ContractID: c.ID, Title: title, Body: "How many bins were missed?", Name: "Ann Asker", Email: "ann@example.org"}
		if err := s.Ask(ctx, r, "http://x"); err != nil {
			t.Fatal(err)
		}
		return r
	}

	t.Run("AskValidatesAndChecksContract", func(t *testing.T) {
		var ve *ballot.ValidationError
		if err := s.Ask(ctx, &ballot.InfoRequest{ContractID: c.ID}, "http://x"); !errors.As(err, &ve) || ve.Fields["title"] == "" {
			t.Fatalf("got %v, want a ValidationError on title", err)
		}
		r := &ballot.InfoRequest{ContractID: 999, Title: "T", Body: "B", Name: "N", Email: "n@example.org"}
		if err := s.Ask(ctx, r, "http://x"); !errors.Is(err, ballot.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})

	r := ask("Missed bins")
	token := requestToken(t, d, "ann@example.org")
	t.Run("UnconfirmedIsNotPublic", func(t *testing.T) {
		list, n, err := s.PublicRequests(ctx, ballot.RequestFilter{Now: *now})
		if err != nil || n != 0 || len(list) != 0 {
			t.Fatalf("got %d, %v; want none", n, err)
		}
		if _, _, err := s.ConfirmRequest(ctx, "WRONG"); err == nil {
			t.Fatal("a wrong token confirmed")
		}
	})
	t.Run("Confirm", func(t *testing.T) {
		got, err := s.RequestLink(ctx, token)
		if err != nil || got.State != ballot.RequestUnconfirmed {
			t.Fatalf("link: %v, %v", got, err)
		}
		got, already, err := s.ConfirmRequest(ctx, token)
		if err != nil || already || got.State != ballot.RequestModeration {
			t.Fatalf("confirm: %v %v %v", got, already, err)
		}
		stored, err := s.Request(ctx, r.ID)
		if err != nil || !stored.ReceivedAt.Equal(*now) || !stored.DueOn.Equal(day(2027, 1, 6)) {
			t.Fatalf("stored: received %v due %v, %v", stored.ReceivedAt, stored.DueOn, err)
		}
		if _, already, err := s.ConfirmRequest(ctx, token); err != nil || !already {
			t.Fatalf("second confirm: %v %v", already, err)
		}
		if subj, _ := lastMailTo(t, d, staffUser().Email); !strings.Contains(subj, "waiting for moderation") {
			t.Fatalf("staff mail: %q", subj)
		}
		staff, err := s.StaffRequests(ctx)
		if err != nil || len(staff) != 1 {
			t.Fatalf("staff list: %d, %v", len(staff), err)
		}
	})
	t.Run("FollowOnlyPublished", func(t *testing.T) {
		if err := s.Follow(ctx, r.ID, "fran@example.org", "http://x"); !errors.Is(err, ballot.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})
	t.Run("PublishFollowAnswer", func(t *testing.T) {
		if err := s.AnswerRequest(ctx, r.ID, "Too soon", officer); !errors.Is(err, ballot.ErrBadTransition) {
			t.Fatalf("answer in moderation: got %v", err)
		}
		if err := s.PublishRequest(ctx, r.ID, officer); err != nil {
			t.Fatal(err)
		}
		if subj, _ := lastMailTo(t, d, "ann@example.org"); !strings.Contains(subj, "published") {
			t.Fatalf("asker mail: %q", subj)
		}
		if err := s.Follow(ctx, r.ID, "fran@example.org", "http://x"); err != nil {
			t.Fatal(err)
		}
		f, err := s.ConfirmFollow(ctx, requestToken(t, d, "fran@example.org"))
		if err != nil || f.Already || f.Request.ID != r.ID {
			t.Fatalf("confirm follow: %+v, %v", f, err)
		}
		// Someone who asked to follow but never confirmed is not mailed,
		// nor is someone who confirmed and then stopped.
		if err := s.Follow(ctx, r.ID, "gil@example.org", "http://x"); err != nil {
			t.Fatal(err)
		}
		must(t, s.Follow(ctx, r.ID, "hal@example.org", "http://x"))
		_, hal := lastMailTo(t, d, "hal@example.org")
		_, err = s.ConfirmFollow(ctx, requestToken(t, d, "hal@example.org"))
		must(t, err)
		stop := regexp.MustCompile(`/requests/follow/stop\?token=([A-Z2-7]+)`).FindStringSubmatch(hal)
		if stop == nil {
			t.Fatalf("no stop link in %q", hal)
		}
		if _, err := s.StopFollowing(ctx, stop[1]); err != nil {
			t.Fatal(err)
		}
		*now = time.Date(2027, 1, 7, 10, 0, 0, 0, time.UTC) // a day late
		if list, n, err := s.PublicRequests(ctx, ballot.RequestFilter{Status: ballot.StatusOverdue, Now: *now}); err != nil || n != 1 || list[0].ID != r.ID {
			t.Fatalf("overdue: %d, %v", n, err)
		}
		docs := db.NewDocumentStore(d)
		release := func(contractID int64) (*ballot.Document, error) {
			doc := &ballot.Document{ContractID: contractID, RequestID: r.ID, Kind: ballot.DocAnswer, Title: "Missed bins by month",
				Dated: time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC), Filename: "bins.csv", ContentType: ballot.TypeCSV, Data: []byte("month,missed\n")}
			return doc, docs.AddDocument(ctx, doc, 1<<20, officer)
		}
		if _, err := release(c.ID); !errors.Is(err, ballot.ErrBadTransition) {
			t.Fatalf("a document released before the answer: %v, want ErrBadTransition", err)
		}
		if err := s.AnswerRequest(ctx, r.ID, "1,204 bins", officer); err != nil {
			t.Fatal(err)
		}
		other := newContract("Parks")
		if err := db.NewContractStore(d).CreateContract(ctx, other, officer); err != nil {
			t.Fatal(err)
		}
		if _, err := release(other.ID); !errors.Is(err, ballot.ErrNotFound) {
			t.Fatalf("a document released through another contract: %v, want ErrNotFound", err)
		}
		doc, err := release(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if list, err := docs.Documents(ctx, c.ID); err != nil || len(list) != 1 || list[0].RequestID != r.ID || list[0].ID != doc.ID {
			t.Fatalf("documents after release: %+v, %v", list, err)
		}
		for _, addr := range []string{"ann@example.org", "fran@example.org"} {
			if subj, _ := lastMailTo(t, d, addr); !strings.Contains(subj, "answered") {
				t.Errorf("mail to %s: %q", addr, subj)
			}
		}
		for _, addr := range []string{"gil@example.org", "hal@example.org"} {
			if subj, _ := lastMailTo(t, d, addr); strings.Contains(subj, "answered") {
				t.Errorf("%s, unconfirmed or stopped, was mailed the answer", addr)
			}
		}
		if err := s.Follow(ctx, r.ID, "ivy@example.org", "http://x"); !errors.Is(err, ballot.ErrBadTransition) {
			t.Fatalf("follow an answered request: got %v, want ErrBadTransition", err)
		}
		got, _ := s.Request(ctx, r.ID)
		if got.State != ballot.RequestAnswered || !got.Late() || got.Answer != "1,204 bins" {
			t.Fatalf("answered: %+v", got)
		}
		if acts := auditActions(t, d); !contains(acts, "request.answer request:"+itoa(r.ID)) {
			t.Fatalf("audit: %v", acts)
		}
	})
	t.Run("RejectAndRefuse", func(t *testing.T) {
		rej := ask("Spam")
		_, _, err := s.ConfirmRequest(ctx, requestToken(t, d, "ann@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		var ve *ballot.ValidationError
		if err := s.RejectRequest(ctx, rej.ID, "", officer); !errors.As(err, &ve) {
			t.Fatalf("reject without reason: %v", err)
		}
		if err := s.RejectRequest(ctx, rej.ID, "Not about this contract", officer); err != nil {
			t.Fatal(err)
		}
		ref := ask("Prices")
		if _, _, err := s.ConfirmRequest(ctx, requestToken(t, d, "ann@example.org")); err != nil {
			t.Fatal(err)
		}
		must(t, s.PublishRequest(ctx, ref.ID, officer))
		must(t, s.RefuseRequest(ctx, ref.ID, "s43", "Prices are commercially sensitive", officer))
		list, n, err := s.PublicRequests(ctx, ballot.RequestFilter{Now: *now, ContractID: c.ID})
		if err != nil || n != 2 || len(list) != 2 {
			t.Fatalf("public: %d, %v; want the answered and refused ones", n, err)
		}
		if _, n, _ := s.PublicRequests(ctx, ballot.RequestFilter{Now: *now, Status: ballot.StatusRefused, Limit: 1}); n != 1 {
			t.Fatalf("refused: %d, want 1", n)
		}
	})
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func staffUser() *consult.User {
	return &consult.User{Email: "moderator@council.gov.uk", Role: consult.RoleModerator, PasswordHash: "x"}
}
