package db_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestReviewStore(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	cs, rs := db.NewContractStore(d), db.NewReviewStore(d)
	c := newContract("Waste collection")
	if err := cs.CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	r := &ballot.ContractReview{ContractID: c.ID, Point: ballot.EndPoint{Kind: ballot.PointBreak, On: day(2027, 4, 1)}}
	if err := rs.OpenReview(ctx, r, officer); err != nil || r.ID == 0 {
		t.Fatalf("open: %v, id %d", err, r.ID)
	}

	t.Run("ErrDuplicate", func(t *testing.T) {
		again := &ballot.ContractReview{ContractID: c.ID, Point: r.Point}
		if err := rs.OpenReview(ctx, again, officer); !errors.Is(err, ballot.ErrDuplicate) {
			t.Fatalf("got %v, want ErrDuplicate", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		other := &ballot.ContractReview{ContractID: c.ID + 99, Point: r.Point}
		if err := rs.OpenReview(ctx, other, officer); !errors.Is(err, ballot.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})
	t.Run("PublishEmptyDraftRefused", func(t *testing.T) {
		var ve *ballot.ValidationError
		if _, err := rs.PublishReview(ctx, r.ID, 28, officer); !errors.As(err, &ve) {
			t.Fatalf("got %v, want a *ValidationError", err)
		}
	})
	t.Run("BadSaveSavesNothing", func(t *testing.T) {
		bad := &ballot.ContractReview{ID: r.ID, AtRisk: consult.AtRiskTest{Contact: true}, PublicInterestCase: "Case",
			InHouse: ballot.Appraisal{CostPence: 100, Quality: "q", Workforce: "w", Risk: "r"}, Route: ballot.RouteReLet}
		var ve *ballot.ValidationError
		if err := rs.SaveReview(ctx, bad, officer); !errors.As(err, &ve) || ve.Fields["route"] == "" {
			t.Fatalf("got %v, want the route refused", err)
		}
		got, err := rs.Review(ctx, r.ID)
		if err != nil || !got.SavedAt.IsZero() || got.Route != "" {
			t.Fatalf("got %+v, %v; want nothing saved", got, err)
		}
	})
	t.Run("SaveAndPublish", func(t *testing.T) {
		good := &ballot.ContractReview{ID: r.ID, AtRisk: consult.AtRiskTest{Contact: true},
			Exemption:          consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "No in-house fleet"},
			PublicInterestCase: "Case", InHouse: ballot.Appraisal{CostPence: 100, Quality: "q", Workforce: "w", Risk: "r"},
			Route: ballot.RouteReLet}
		if err := rs.SaveReview(ctx, good, officer); err != nil {
			t.Fatal(err)
		}
		pub, err := rs.PublishReview(ctx, r.ID, 28, officer)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rs.Review(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != ballot.ReviewPublished || got.Exemption != good.Exemption || got.InHouse != good.InHouse ||
			got.ChallengeEnds.IsZero() || !got.ChallengeEnds.Equal(pub.ChallengeEnds) || got.Point != r.Point {
			t.Fatalf("got %+v", got)
		}
		if err := rs.SaveReview(ctx, good, officer); !errors.Is(err, ballot.ErrBadTransition) {
			t.Fatalf("save after publishing: got %v, want ErrBadTransition", err)
		}
		if _, err := rs.PublishReview(ctx, r.ID, 28, officer); !errors.Is(err, ballot.ErrBadTransition) {
			t.Fatalf("publish twice: got %v, want ErrBadTransition", err)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		got := strings.Join(auditActions(t, d), ",")
		for _, a := range []string{"contract.review_open", "contract.review_save", "contract.review_publish"} {
			if !strings.Contains(got, a) {
				t.Fatalf("audit %s, want %s", got, a)
			}
		}
	})
}

func TestReviewStore_OpenDueReviews(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	cs, rs := db.NewContractStore(d), db.NewReviewStore(d)
	c := newContract("Waste collection") // breaks 2027-04-01, 2029-04-01; review 2028-10-01; ends 2031-03-31
	if err := cs.CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	n, err := rs.OpenDueReviews(ctx, now, 9)
	if err != nil || n != 1 {
		t.Fatalf("got %d, %v; want 1 opened (the 2027 break)", n, err)
	}
	if n, err := rs.OpenDueReviews(ctx, now, 9); err != nil || n != 0 {
		t.Fatalf("second sweep: got %d, %v; want 0", n, err)
	}
	all, err := rs.Reviews(ctx)
	if err != nil || len(all) != 1 || all[0].Point.On != day(2027, 4, 1) || all[0].CreatedBy != db.SweepActor {
		t.Fatalf("got %v, %v", all, err)
	}
}

func TestReviewStore_Objections(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	clock := fixedClock(d, t0)
	cs, rs := db.NewContractStore(d), db.NewReviewStore(d)
	c := newContract("Waste collection")
	if err := cs.CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	r := &ballot.ContractReview{ContractID: c.ID, Point: ballot.EndPoint{Kind: ballot.PointBreak, On: day(2027, 4, 1)}}
	if err := rs.OpenReview(ctx, r, officer); err != nil {
		t.Fatal(err)
	}
	o := &ballot.Objection{ReviewID: r.ID, Name: "Sam Jones", Email: "sam@example.org", Reason: "The council could run it"}
	if err := rs.Object(ctx, o, "http://x.test"); !errors.Is(err, ballot.ErrBadTransition) {
		t.Fatalf("draft: got %v, want ErrBadTransition", err)
	}
	r.AtRisk = consult.AtRiskTest{Rights: true}
	r.Exemption = consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "No capacity"}
	r.PublicInterestCase, r.Route = "Case", ballot.RouteReLet
	r.InHouse = ballot.Appraisal{CostPence: 1, Quality: "q", Workforce: "w", Risk: "r"}
	if err := rs.SaveReview(ctx, r, officer); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.PublishReview(ctx, r.ID, 28, officer); err != nil {
		t.Fatal(err)
	}
	var ve *ballot.ValidationError
	if err := rs.Object(ctx, &ballot.Objection{ReviewID: r.ID, Email: "nope"}, "http://x.test"); !errors.As(err, &ve) ||
		ve.Fields["name"] == "" || ve.Fields["email"] == "" || ve.Fields["reason"] == "" {
		t.Fatalf("bad objection: got %v", err)
	}
	if err := rs.Object(ctx, o, "http://x.test"); err != nil {
		t.Fatal(err)
	}
	ms, err := db.NewOutbox(d).RecentMail(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	token := ""
	for _, m := range ms {
		if m.To == "sam@example.org" {
			_, token, _ = strings.Cut(m.Body, "token=")
			token, _, _ = strings.Cut(token, "\n")
		}
	}
	if n, _ := rs.ObjectionCount(ctx, r.ID); n != 0 || token == "" {
		t.Fatalf("before confirming: %d objections, token %q", n, token)
	}
	if _, err := rs.ObjectionLink(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, already, err := rs.ConfirmObjection(ctx, token); err != nil || already {
		t.Fatalf("confirm: %v, already %v", err, already)
	}
	if _, already, err := rs.ConfirmObjection(ctx, token); err != nil || !already {
		t.Fatalf("confirm again: %v, already %v", err, already)
	}
	if n, _ := rs.ObjectionCount(ctx, r.ID); n != 1 {
		t.Fatalf("got %d confirmed objections, want 1", n)
	}
	// After the window, no more objections.
	*clock = t0.AddDate(0, 0, 30)
	if err := rs.Object(ctx, &ballot.Objection{ReviewID: r.ID, Name: "Late", Email: "late@example.org", Reason: "x"}, "http://x.test"); !errors.Is(err, ballot.ErrBadTransition) {
		t.Fatalf("after the window: got %v, want ErrBadTransition", err)
	}

	// The objector's data is found, then erased; the objection still counts.
	people := db.NewPeople(d)
	q := consult.PersonRequest{Email: "Sam@Example.org", Reason: "SAR-7"}
	pd, err := people.FindPerson(ctx, q, officer)
	if err != nil || len(pd.Objections) != 1 || pd.Objections[0].Name != "Sam Jones" || !pd.Objections[0].Confirmed {
		t.Fatalf("find: %+v, %v", pd, err)
	}
	e, err := people.ErasePerson(ctx, q, officer)
	if err != nil || e.Objections != 1 {
		t.Fatalf("erase: %+v, %v", e, err)
	}
	if pd, _ := people.FindPerson(ctx, q, officer); len(pd.Objections) != 0 {
		t.Fatal("the objection still names the address after erasure")
	}
	if n, _ := rs.ObjectionCount(ctx, r.ID); n != 1 {
		t.Fatalf("after erasure: %d confirmed objections, want 1", n)
	}
}

// TestRetain_Objections: an objector's name and email go once the
// respondents' period has passed since the challenge ended.
func TestRetain_Objections(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	cs, rs := db.NewContractStore(d), db.NewReviewStore(d)
	c := newContract("Waste collection")
	if err := cs.CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	r := &ballot.ContractReview{ContractID: c.ID, Point: ballot.EndPoint{Kind: ballot.PointBreak, On: day(2027, 4, 1)},
		AtRisk: consult.AtRiskTest{Rights: true}, PublicInterestCase: "Case", Route: ballot.RouteReLet,
		Exemption: consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "No capacity"},
		InHouse:   ballot.Appraisal{CostPence: 1, Quality: "q", Workforce: "w", Risk: "r"}}
	if err := rs.OpenReview(ctx, r, officer); err != nil {
		t.Fatal(err)
	}
	if err := rs.SaveReview(ctx, r, officer); err != nil {
		t.Fatal(err)
	}
	pub, err := rs.PublishReview(ctx, r.ID, 28, officer)
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Object(ctx, &ballot.Objection{ReviewID: r.ID, Name: "Sam", Email: "sam@example.org", Reason: "x"}, "http://x.test"); err != nil {
		t.Fatal(err)
	}
	ret := consult.Retention{SignerMonths: 6, RespondentMonths: 3, MailDays: 30}
	if rep, err := d.Retain(ctx, ret.Cutoffs(pub.ChallengeEnds.AddDate(0, 2, 0)), "test", false); err != nil || rep.Objections != 0 {
		t.Fatalf("2 months after the challenge: %+v, %v; want nothing", rep, err)
	}
	if rep, err := d.Retain(ctx, ret.Cutoffs(pub.ChallengeEnds.AddDate(0, 3, 1)), "test", false); err != nil || rep.Objections != 1 {
		t.Fatalf("3 months after the challenge: %+v, %v; want the objector anonymised", rep, err)
	}
}

// TestContractStore_TerminationOpensReview: recording a termination opens
// the termination review in the same transaction, once; saving the contract
// again, or a contract that runs to term, opens nothing.
func TestContractStore_TerminationOpensReview(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	cs, rs := db.NewContractStore(d), db.NewReviewStore(d)
	c := newContract("Waste collection")
	if err := cs.CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		t.Helper()
		list, err := rs.Reviews(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range list {
			if r.ContractID == c.ID && r.Point.Kind == ballot.PointTermination {
				n++
			}
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("%d termination reviews for a contract running to term", n)
	}
	c.TerminatedOn, c.TerminationReason = day(2027, 6, 30), "Repeatedly missed collections"
	if err := cs.UpdateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d termination reviews after the termination, want 1", n)
	}
	if err := cs.UpdateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d termination reviews after saving again, want still 1", n)
	}
	got, err := cs.Contract(ctx, c.ID)
	if err != nil || !got.TerminatedOn.Equal(day(2027, 6, 30)) || got.TerminationReason != "Repeatedly missed collections" {
		t.Fatalf("saved termination: %v %q, %v", got.TerminatedOn, got.TerminationReason, err)
	}
	if acts := auditActions(t, d); !slices.Contains(acts, "contract.review_open contract:"+strconv.FormatInt(c.ID, 10)) {
		t.Errorf("audit %v", acts)
	}
}
