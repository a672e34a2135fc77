package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// testKey keys the code hashes in tests; in production it is a file
// outside the database.
var testKey = []byte("test key: 32 bytes, never in db!")

// ballotEnv is a petition that met its threshold and a ballot store.
type ballotEnv struct {
	*petitionEnv
	bs       *db.BallotStore
	petition *ballot.Petition
}

// newBallotEnv opens a petition with a threshold of 6 (its five sponsors
// count) and meets it with one paper signature.
func newBallotEnv(tb testing.TB) *ballotEnv {
	tb.Helper()
	pe := newPetitionEnv(tb, 6)
	p := pe.openPetition(ballot.CountLive)
	s := &ballot.Signature{Name: "Paper Person", Postcode: "AB2 4GH", Sheet: "S1", Line: 1, Resident: true}
	if err := pe.ps.AddPaperSignature(context.Background(), p.ID, s, officer); err != nil {
		tb.Fatal(err)
	}
	p = pe.petition(p.ID)
	if p.ThresholdMetAt.IsZero() {
		tb.Fatalf("fixture: threshold not met (%d of %d)", p.SignatureCount, p.Threshold)
	}
	return &ballotEnv{petitionEnv: pe, bs: db.NewBallotStore(pe.d), petition: p}
}

// draft creates a draft Yes/No ballot for the petition, open from an hour
// ago for a week, with a 25% quorum.
func (e *ballotEnv) draft() *ballot.Ballot {
	e.t.Helper()
	now := time.Now().UTC()
	b := &ballot.Ballot{PetitionID: e.petition.ID, Question: "Should the council end the CleanCo contract?",
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(7 * 24 * time.Hour), QuorumBasisPoints: 2500}
	if err := e.bs.CreateBallot(context.Background(), b, officer); err != nil {
		e.t.Fatal(err)
	}
	return b
}

// open creates a ballot with n codes, opens it and returns it with the codes.
func (e *ballotEnv) open(n int) (*ballot.Ballot, []string) {
	e.t.Helper()
	return e.openWithCodes(e.draft(), n)
}

// openOther opens a second ballot, on the contract directly rather than
// on the petition, with n codes, and returns it with the codes.
func (e *ballotEnv) openOther(n int) (*ballot.Ballot, []string) {
	e.t.Helper()
	now := time.Now().UTC()
	b := &ballot.Ballot{ContractID: e.contract.ID, Question: "Should the council renew the contract?",
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour), QuorumBasisPoints: 2500}
	if err := e.bs.CreateBallot(context.Background(), b, officer); err != nil {
		e.t.Fatal(err)
	}
	return e.openWithCodes(b, n)
}

// openWithCodes gives the draft b n codes, opens it and returns it as
// stored, with the codes.
func (e *ballotEnv) openWithCodes(b *ballot.Ballot, n int) (*ballot.Ballot, []string) {
	e.t.Helper()
	ctx := context.Background()
	codes, hashes := ballot.GenerateCodes(testKey, b.ID, n)
	if err := e.bs.AddCodes(ctx, b.ID, hashes, officer); err != nil {
		e.t.Fatal(err)
	}
	if err := e.bs.Open(ctx, b.ID, officer); err != nil {
		e.t.Fatal(err)
	}
	got, err := e.bs.Ballot(ctx, b.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got, codes
}

func (e *ballotEnv) vote(b *ballot.Ballot, code string, option int) (string, error) {
	return e.bs.Vote(context.Background(), b.ID, ballot.HashCode(testKey, b.ID, code), b.Options[option].ID)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
