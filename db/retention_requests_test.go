package db_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
)

// TestRetention_InformationRequests: once the respondents' period has
// passed since an answer, the asker's name and email go and the answer's
// followers are deleted; the request, its answer and dates stay. A request
// still awaiting its answer keeps its asker's details, however old.
func TestRetention_InformationRequests(t *testing.T) {
	ctx := context.Background()
	d, path := dbtest.Open(t)
	now := fixedClock(d, time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	c := newContract("Waste collection")
	must(t, db.NewContractStore(d).CreateContract(ctx, c, officer))
	must(t, db.NewUserStore(d).CreateUser(ctx, staffUser(), "test"))
	s := db.NewRequestStore(d)
	s.BaseURL = "http://x"
	ask := func(email string) *ballot.InfoRequest {
		r := &ballot.InfoRequest{ContractID: c.ID, Title: "About " + email, Body: "How many bins were missed?", Name: "Asker " + email, Email: email}
		must(t, s.Ask(ctx, r, "http://x"))
		return r
	}
	answered := ask("ann@example.org")
	_, _, err := s.ConfirmRequest(ctx, requestToken(t, d, "ann@example.org"))
	must(t, err)
	must(t, s.PublishRequest(ctx, answered.ID, officer))
	must(t, s.Follow(ctx, answered.ID, "fran@example.org", "http://x"))
	_, err = s.ConfirmFollow(ctx, requestToken(t, d, "fran@example.org"))
	must(t, err)
	waiting := ask("wes@example.org")
	_, _, err = s.ConfirmRequest(ctx, requestToken(t, d, "wes@example.org"))
	must(t, err)
	must(t, s.PublishRequest(ctx, waiting.ID, officer))
	ask("una@example.org") // never confirmed
	*now = now.AddDate(0, 1, 0)
	must(t, s.AnswerRequest(ctx, answered.ID, "1,204 bins", officer))

	// Five months after the answer (six after the unconfirmed one was
	// asked): only the unconfirmed request is due.
	rep, err := d.Retain(ctx, consult.DefaultRetention().Cutoffs(now.AddDate(0, 5, 0)), "test", false)
	if err != nil || rep.Requests != 1 || rep.Followers != 0 {
		t.Fatalf("five months on: %+v, %v; want the unconfirmed request only", rep, err)
	}
	rep, err = d.Retain(ctx, consult.DefaultRetention().Cutoffs(now.AddDate(0, 7, 0)), "test", false)
	if err != nil || rep.Requests != 1 || rep.Followers != 1 {
		t.Fatalf("seven months on: %+v, %v; want the answered request and its follower", rep, err)
	}
	got, err := s.Request(ctx, answered.ID)
	if err != nil || got.Email != "" || got.Name != "" || got.Answer != "1,204 bins" || got.State != ballot.RequestAnswered {
		t.Errorf("answered request after retention: %+v, %v", got, err)
	}
	if got, err := s.Request(ctx, waiting.ID); err != nil || got.Email != "wes@example.org" {
		t.Errorf("a request awaiting its answer lost its asker: %+v, %v", got, err)
	}
	var followers int
	must(t, d.Reader().QueryRow(`SELECT COUNT(*) FROM info_request_followers`).Scan(&followers))
	if followers != 0 {
		t.Errorf("%d followers kept", followers)
	}
	// Nothing of theirs lingers in the file's free pages.
	must(t, d.Close())
	b, err := os.ReadFile(path)
	must(t, err)
	for _, gone := range []string{"Asker ann@example.org", "Asker una@example.org"} {
		if bytes.Contains(b, []byte(gone)) {
			t.Errorf("the database file still holds %q", gone)
		}
	}
}

// TestPeople_InformationRequests: a person's data includes the requests
// they asked and follow; erasing it anonymises the one and deletes the
// other, keeping the request and its answer.
func TestPeople_InformationRequests(t *testing.T) {
	ctx := context.Background()
	d, _ := dbtest.Open(t)
	fixedClock(d, time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	c := newContract("Waste collection")
	must(t, db.NewContractStore(d).CreateContract(ctx, c, officer))
	must(t, db.NewUserStore(d).CreateUser(ctx, staffUser(), "test"))
	s := db.NewRequestStore(d)
	s.BaseURL = "http://x"
	r := &ballot.InfoRequest{ContractID: c.ID, Title: "Missed bins", Body: "How many?", Name: "Ann Asker", Email: "Ann@Example.org"}
	must(t, s.Ask(ctx, r, "http://x"))
	_, _, err := s.ConfirmRequest(ctx, requestToken(t, d, "Ann@Example.org"))
	must(t, err)
	must(t, s.PublishRequest(ctx, r.ID, officer))
	other := &ballot.InfoRequest{ContractID: c.ID, Title: "Fly-tipping", Body: "How much?", Name: "Bo", Email: "bo@example.org"}
	must(t, s.Ask(ctx, other, "http://x"))
	_, _, err = s.ConfirmRequest(ctx, requestToken(t, d, "bo@example.org"))
	must(t, err)
	must(t, s.PublishRequest(ctx, other.ID, officer))
	must(t, s.Follow(ctx, other.ID, "ann@example.org", "http://x"))

	p := db.NewPeople(d)
	q := consult.PersonRequest{Email: "ann@example.org", Reason: "SAR-7"}
	pd, err := p.FindPerson(ctx, q, officer)
	if err != nil || len(pd.Requests) != 1 || pd.Requests[0].Title != "Missed bins" || pd.Requests[0].Name != "Ann Asker" ||
		len(pd.Following) != 1 || pd.Following[0].RequestID != other.ID {
		t.Fatalf("found %+v, %v", pd, err)
	}
	e, err := p.ErasePerson(ctx, q, officer)
	if err != nil || e.Requests != 1 || e.Follows != 1 {
		t.Fatalf("erasure %+v, %v", e, err)
	}
	got, err := s.Request(ctx, r.ID)
	if err != nil || got.Email != "" || got.Name != "" || got.Title != "Missed bins" {
		t.Errorf("the request after erasure: %+v, %v", got, err)
	}
	if pd, _ := p.FindPerson(ctx, q, officer); !pd.Empty() {
		t.Errorf("still held after erasure: %+v", pd)
	}
}
