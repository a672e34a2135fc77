package db_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

func TestBallotStore_CreateBallot(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		e := newBallotEnv(t)
		b := e.draft()
		got, err := e.bs.Ballot(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != ballot.BallotDraft || got.ContractID != e.contract.ID || len(got.Options) != 2 ||
			got.Options[0].Label != "Yes" || got.Options[1].Label != "No" || got.QuorumBasisPoints != 2500 {
			t.Errorf("got %+v", got)
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'ballot.create' AND subject = ?`, "ballot:"+itoa(b.ID)); n != 1 {
			t.Errorf("create audited %d times, want 1", n)
		}
	})
	t.Run("ErrBadTransition before the threshold", func(t *testing.T) {
		pe := newPetitionEnv(t, 100)
		p := pe.openPetition(ballot.CountLive)
		b := &ballot.Ballot{PetitionID: p.ID, Question: "Q?", OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour)}
		if err := db.NewBallotStore(pe.d).CreateBallot(ctx, b, officer); !errors.Is(err, ballot.ErrBadTransition) {
			t.Errorf("got %v, want ErrBadTransition", err)
		}
	})
	t.Run("for a contract directly", func(t *testing.T) {
		pe := newPetitionEnv(t, 100)
		b := &ballot.Ballot{ContractID: pe.contract.ID, Question: "Q?", OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour)}
		if err := db.NewBallotStore(pe.d).CreateBallot(ctx, b, officer); err != nil || b.ID == 0 {
			t.Errorf("got %v, id %d", err, b.ID)
		}
	})
	t.Run("one ballot per petition", func(t *testing.T) {
		e := newBallotEnv(t)
		e.draft()
		b := &ballot.Ballot{PetitionID: e.petition.ID, Question: "Again?", OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour)}
		if err := e.bs.CreateBallot(ctx, b, officer); !errors.Is(err, ballot.ErrDuplicate) {
			t.Errorf("got %v, want ErrDuplicate", err)
		}
	})
	t.Run("ValidationError", func(t *testing.T) {
		e := newBallotEnv(t)
		b := &ballot.Ballot{PetitionID: e.petition.ID, OpensAt: time.Now(), ClosesAt: time.Now().Add(-time.Hour)}
		var ve *ballot.ValidationError
		if err := e.bs.CreateBallot(ctx, b, officer); !errors.As(err, &ve) || ve.Fields["question"] == "" || ve.Fields["closes_at"] == "" {
			t.Errorf("got %v, want messages for question and closes_at", err)
		}
	})
}

func TestBallotStore_Open(t *testing.T) {
	ctx := context.Background()
	e := newBallotEnv(t)
	b := e.draft()
	if err := e.bs.Open(ctx, b.ID, officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("open without codes: got %v, want ErrBadTransition", err)
	}
	_, hashes := ballot.GenerateCodes(testKey, b.ID, 3)
	if err := e.bs.AddCodes(ctx, b.ID, hashes, officer); err != nil {
		t.Fatal(err)
	}
	if err := e.bs.AddCodes(ctx, b.ID, hashes[:1], officer); !errors.Is(err, ballot.ErrDuplicate) {
		t.Errorf("same hash twice: got %v, want ErrDuplicate", err)
	}
	if err := e.bs.Open(ctx, b.ID, officer); err != nil {
		t.Fatal(err)
	}
	if err := e.bs.Open(ctx, b.ID, officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("open twice: got %v, want ErrBadTransition", err)
	}
	if got, err := e.bs.Ballot(ctx, b.ID); err != nil {
		t.Fatal(err)
	} else if got.CodesIssued != 3 || got.Status != ballot.BallotOpen {
		t.Errorf("got %d codes, status %s", got.CodesIssued, got.Status)
	}
}

func TestBallotStore_Vote(t *testing.T) {
	ctx := context.Background()
	e := newBallotEnv(t)
	b, codes := e.open(5)
	t.Run("OK", func(t *testing.T) {
		receipt, err := e.vote(b, codes[0], 0)
		if err != nil || len(receipt) != 14 {
			t.Fatalf("got %q, %v", receipt, err)
		}
		if used, err := e.bs.CodeUsed(ctx, b.ID, ballot.HashCode(testKey, b.ID, codes[0])); !used || err != nil {
			t.Errorf("CodeUsed: got %v, %v", used, err)
		}
	})
	t.Run("ErrCodeUsed", func(t *testing.T) {
		if _, err := e.vote(b, codes[0], 1); !errors.Is(err, ballot.ErrCodeUsed) {
			t.Errorf("got %v, want ErrCodeUsed", err)
		}
	})
	t.Run("ErrCodeUnknown", func(t *testing.T) {
		if _, err := e.vote(b, ballot.NewCode(), 1); !errors.Is(err, ballot.ErrCodeUnknown) {
			t.Errorf("got %v, want ErrCodeUnknown", err)
		}
		if _, err := e.bs.CodeUsed(ctx, b.ID, ballot.HashCode(testKey, b.ID, ballot.NewCode())); !errors.Is(err, ballot.ErrCodeUnknown) {
			t.Errorf("CodeUsed: got %v, want ErrCodeUnknown", err)
		}
	})
	t.Run("ValidationError for an unknown option", func(t *testing.T) {
		_, err := e.bs.Vote(ctx, b.ID, ballot.HashCode(testKey, b.ID, codes[1]), b.Options[1].ID+100)
		var ve *ballot.ValidationError
		if !errors.As(err, &ve) || ve.Fields["option"] == "" {
			t.Errorf("got %v, want a message for option", err)
		}
		if used, err := e.bs.CodeUsed(ctx, b.ID, ballot.HashCode(testKey, b.ID, codes[1])); used || err != nil {
			t.Errorf("CodeUsed = %v, %v; want false, nil: a refused vote used its code", used, err)
		}
	})
	t.Run("ErrNotOpen after close", func(t *testing.T) {
		if _, err := e.bs.Close(ctx, b.ID, officer); err != nil {
			t.Fatal(err)
		}
		if _, err := e.vote(b, codes[2], 0); !errors.Is(err, ballot.ErrNotOpen) {
			t.Errorf("got %v, want ErrNotOpen", err)
		}
	})
	if n := e.count(`SELECT votes_cast FROM ballots WHERE id = ?`, b.ID); n != 1 {
		t.Errorf("votes_cast = %d, want 1", n)
	}
}

func TestBallotStore_Vote_NotYetOpen(t *testing.T) {
	e := newBallotEnv(t)
	b := e.draft()
	codes, hashes := ballot.GenerateCodes(testKey, b.ID, 1)
	if err := e.bs.AddCodes(context.Background(), b.ID, hashes, officer); err != nil {
		t.Fatal(err)
	}
	if _, err := e.vote(b, codes[0], 0); !errors.Is(err, ballot.ErrNotOpen) {
		t.Errorf("draft: got %v, want ErrNotOpen", err)
	}
}

// TestBallotStore_Vote_Concurrent sends one code 1,000 times at once: it
// must count exactly once, and every other caller must hear it was used.
func TestBallotStore_Vote_Concurrent(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.open(10)
	const n = 1000
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.vote(b, codes[0], i%2)
		}()
	}
	close(start)
	wg.Wait()
	ok, used := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ballot.ErrCodeUsed):
			used++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || used != n-1 {
		t.Errorf("got %d votes and %d told used, want 1 and %d", ok, used, n-1)
	}
	if v, r, c := e.count(`SELECT COUNT(*) FROM ballot_votes`), e.count(`SELECT COUNT(*) FROM ballot_receipts`),
		e.count(`SELECT votes_cast FROM ballots WHERE id = ?`, b.ID); v != 1 || r != 1 || c != 1 {
		t.Errorf("vote rows %d, receipts %d, votes_cast %d; want 1 each", v, r, c)
	}
	if s := e.count(`SELECT SUM(votes) FROM ballot_options WHERE ballot_id = ?`, b.ID); s != 1 {
		t.Errorf("option counters sum to %d, want 1", s)
	}
}

// TestBallotStore_Close checks that counts, the outcome and receipts stay
// hidden until close, and that the audit log records open, close and result.
func TestBallotStore_Close(t *testing.T) {
	ctx := context.Background()
	e := newBallotEnv(t)
	b, codes := e.open(8)
	var receipts []string
	for i, opt := range []int{0, 0, 0, 1} { // 4 of 8 voted: 50% turnout, Yes 75%
		r, err := e.vote(b, codes[i], opt)
		if err != nil {
			t.Fatal(err)
		}
		receipts = append(receipts, r)
	}
	if _, err := e.bs.Result(ctx, b.ID); !errors.Is(err, ballot.ErrNotOpen) {
		t.Errorf("Result before close: got %v, want ErrNotOpen", err)
	}
	if _, err := e.bs.Receipts(ctx, b.ID); !errors.Is(err, ballot.ErrNotOpen) {
		t.Errorf("Receipts before close: got %v, want ErrNotOpen", err)
	}
	res, err := e.bs.Close(ctx, b.ID, officer)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts[b.Options[0].ID] != 3 || res.Counts[b.Options[1].ID] != 1 || res.Turnout != 5000 || !res.QuorumMet || !res.Recall {
		t.Errorf("got %+v", res)
	}
	if again, err := e.bs.Result(ctx, b.ID); err != nil || again.VotesCast != 4 || !again.Recall {
		t.Errorf("Result after close: got %+v, %v", again, err)
	}
	got, err := e.bs.Receipts(ctx, b.ID)
	if err != nil || len(got) != 4 {
		t.Fatalf("Receipts: got %v, %v", got, err)
	}
	for _, r := range receipts {
		if !strings.Contains(strings.Join(got, " "), r) {
			t.Errorf("receipt %s missing from the list", r)
		}
	}
	if _, err := e.bs.Close(ctx, b.ID, officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("close twice: got %v, want ErrBadTransition", err)
	}
	for _, action := range []string{"ballot.create", "ballot.codes", "ballot.open", "ballot.close", "ballot.result"} {
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND subject = ?`, action, "ballot:"+itoa(b.ID)); n != 1 {
			t.Errorf("%s audited %d times, want 1", action, n)
		}
	}
	var detail string
	mustScan(t, e.d.Reader().QueryRow(`SELECT detail FROM audit_log WHERE action = 'ballot.result'`), &detail)
	for _, want := range []string{`"Yes" 3`, `"No" 1`, "turnout 50.00%", "quorum 25.00% met", "outcome: recall"} {
		if !strings.Contains(detail, want) {
			t.Errorf("result entry %q lacks %q", detail, want)
		}
	}
	if broken, _, err := db.NewAuditLog(e.d).VerifyAudit(ctx); broken != 0 || err != nil {
		t.Errorf("audit chain broken at %d: %v", broken, err)
	}
}

// TestBallotStore_AddCodes_100k measures storing 100,000 code hashes, the
// step that `oursay codes generate` and the admin page take.
func TestBallotStore_AddCodes_100k(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	e := newBallotEnv(t)
	b := e.draft()
	start := time.Now()
	_, hashes := ballot.GenerateCodes(testKey, b.ID, 100_000)
	gen := time.Since(start)
	if err := e.bs.AddCodes(context.Background(), b.ID, hashes, officer); err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	t.Logf("100,000 codes: generated and hashed in %v, stored in %v, %v in all", gen, total-gen, total)
	if n := e.count(`SELECT COUNT(*) FROM voter_codes WHERE ballot_id = ?`, b.ID); n != 100_000 {
		t.Errorf("stored %d hashes, want 100,000", n)
	}
	if total > 20*time.Second {
		t.Errorf("took %v: 100,000 codes must take seconds", total)
	}
}

func BenchmarkAddCodes(b *testing.B) {
	e := newBallotEnv(b)
	bl := e.draft()
	for b.Loop() {
		_, hashes := ballot.GenerateCodes(testKey, bl.ID, 10_000)
		if err := e.bs.AddCodes(context.Background(), bl.ID, hashes, officer); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBallotStore_Close_TruncatesWAL checks that closing a ballot empties
// the write-ahead log, which holds recent pages in the order they were
// committed.
func TestBallotStore_Close_TruncatesWAL(t *testing.T) {
	e := newBallotEnv(t)
	b, codes := e.open(4)
	for i := range 3 {
		if _, err := e.vote(b, codes[i], i%2); err != nil {
			t.Fatal(err)
		}
	}
	var seq int
	var name, path string
	if err := e.d.Reader().QueryRow(`PRAGMA database_list`).Scan(&seq, &name, &path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("before close the WAL should hold the votes: %v", err)
	}
	if _, err := e.bs.Close(context.Background(), b.ID, officer); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != 0 {
		t.Errorf("after close: WAL holds %d bytes, want 0", fi.Size())
	}
}

// TestBallotStore_AddCodes_OnlyBeforeVotingStarts: codes change the
// electorate, so turnout and the quorum. They may be added to a draft, or
// to an open ballot whose voting has not started, and never once it has.
func TestBallotStore_AddCodes_OnlyBeforeVotingStarts(t *testing.T) {
	ctx := context.Background()
	e := newBallotEnv(t)
	add := func(b *ballot.Ballot) error {
		t.Helper()
		_, hashes := ballot.GenerateCodes(testKey, b.ID, 2)
		return e.bs.AddCodes(ctx, b.ID, hashes, officer)
	}
	t.Run("ErrBadTransition while voting", func(t *testing.T) {
		b, _ := e.open(3) // opened an hour ago
		if err := add(b); !errors.Is(err, ballot.ErrBadTransition) {
			t.Errorf("got %v, want ErrBadTransition", err)
		}
		if got, err := e.bs.Ballot(ctx, b.ID); err != nil {
			t.Fatal(err)
		} else if got.CodesIssued != 3 {
			t.Errorf("codes issued = %d, want 3: a refused batch was stored", got.CodesIssued)
		}
	})
	t.Run("OK before the opening time", func(t *testing.T) {
		now := time.Now().UTC()
		b := &ballot.Ballot{ContractID: e.contract.ID, Question: "End it?",
			OpensAt: now.Add(time.Hour), ClosesAt: now.Add(48 * time.Hour), QuorumBasisPoints: 2500}
		if err := e.bs.CreateBallot(ctx, b, officer); err != nil {
			t.Fatal(err)
		}
		if err := add(b); err != nil {
			t.Fatalf("draft: %v", err)
		}
		if err := e.bs.Open(ctx, b.ID, officer); err != nil {
			t.Fatal(err)
		}
		if err := add(b); err != nil {
			t.Errorf("open, voting not started: got %v, want nil", err)
		}
	})
}
