package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/paper"
)

// Demo ballot size: codes issued, and votes cast with the first of them.
const (
	demoCodes = 40
	demoYes   = 8
	demoNo    = 4
)

// loadDemoBallot opens a recall ballot for the demo petition that met its
// threshold, casts a few votes, and hands out the unused codes: three on
// standard output, all of them in a CSV beside the database, since the
// database holds only their keyed hashes.
func loadDemoBallot(ctx context.Context, d *db.DB, key []byte, dbPath string, stdout io.Writer) error {
	p, err := demoMetPetition(ctx, d)
	if err != nil {
		return err
	}
	c, err := db.NewContractStore(d).Contract(ctx, p.ContractID)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	bs := db.NewBallotStore(d)
	b := &ballot.Ballot{PetitionID: p.ID, Question: ballot.RecallQuestion(c, c.NextBreak(now)),
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(14 * 24 * time.Hour), QuorumBasisPoints: 2500}
	if err := bs.CreateBallot(ctx, b, demoActor); err != nil {
		return err
	}
	codes, hashes := ballot.GenerateCodes(key, b.ID, demoCodes)
	if err := bs.AddCodes(ctx, b.ID, hashes, demoActor); err != nil {
		return err
	}
	if err := bs.Open(ctx, b.ID, demoActor); err != nil {
		return err
	}
	for i := range demoYes + demoNo {
		opt := b.Options[0].ID
		if i >= demoYes {
			opt = b.Options[1].ID
		}
		if _, err := bs.Vote(ctx, b.ID, hashes[i], opt); err != nil {
			return err
		}
	}
	unused := codes[demoYes+demoNo:]
	var buf bytes.Buffer
	if err := paper.WriteCodesCSV(&buf, b.ID, unused, ""); err != nil {
		return err
	}
	file := demoCodesPath(dbPath)
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demo recall ballot open at /ballots/%d (%d of %d codes used). Unused voter codes, each good for one vote: %s, %s, %s; all %d unused codes are in %s\n",
		b.ID, demoYes+demoNo, demoCodes, ballot.GroupCode(unused[0]), ballot.GroupCode(unused[1]), ballot.GroupCode(unused[2]), len(unused), file)
	return nil
}

// demoMetPetition finds the demo petition that has met its threshold.
func demoMetPetition(ctx context.Context, d *db.DB) (*ballot.Petition, error) {
	ps, err := db.NewPetitionStore(d).Petitions(ctx, true)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if !p.ThresholdMetAt.IsZero() {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no demo petition has met its threshold")
}

// demoCodesPath is the CSV of unused demo codes beside the database:
// oursay-demo.db gives oursay-demo-voter-codes.csv.
func demoCodesPath(dbPath string) string {
	base := filepath.Base(dbPath)
	return filepath.Join(filepath.Dir(dbPath), strings.TrimSuffix(base, filepath.Ext(base))+"-voter-codes.csv")
}

// loadDemoAnsweredBallot adds an earlier recall ballot on contract c, set
// up by the council directly, which voted to recall; the council has
// recorded its response: the break was not exercised, and why. The
// contract's, and the ballot's, pages show it.
func loadDemoAnsweredBallot(ctx context.Context, d *db.DB, key []byte, c *ballot.Contract) error {
	now := time.Now().UTC()
	bs := db.NewBallotStore(d)
	b := &ballot.Ballot{ContractID: c.ID, Question: ballot.RecallQuestion(c, c.NextBreak(now)),
		OpensAt: now.Add(-2 * time.Hour), ClosesAt: now.Add(time.Hour), QuorumBasisPoints: 2500}
	if err := bs.CreateBallot(ctx, b, demoActor); err != nil {
		return err
	}
	_, hashes := ballot.GenerateCodes(key, b.ID, 20)
	if err := bs.AddCodes(ctx, b.ID, hashes, demoActor); err != nil {
		return err
	}
	if err := bs.Open(ctx, b.ID, demoActor); err != nil {
		return err
	}
	for i := range 9 {
		opt := b.Options[0].ID
		if i >= 7 {
			opt = b.Options[1].ID
		}
		if _, err := bs.Vote(ctx, b.ID, hashes[i], opt); err != nil {
			return err
		}
	}
	if _, err := bs.Close(ctx, b.ID, demoActor); err != nil {
		return err
	}
	return bs.RecordResponse(ctx, b.ID, &ballot.CouncilResponse{
		Reason: "Ending the contract at the break would leave nobody to collect bins for a year. The council will instead " +
			"bring the service in house when the contract ends, as the waste collection consultation decided.",
	}, demoActor)
}
