package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// ballotInfo is the part of /api/ballots/{id} vote uses.
type ballotInfo struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"`
	Options []struct {
		ID int64 `json:"id"`
	} `json:"options"`
}

// runVote has --concurrency clients each cast votes with single-use voter
// codes on an open ballot, splitting them between the options. Codes come
// from --codes, or, when this tool started the server, from
// `oursay codes generate`, which it times. An operation is a 201 with a
// receipt.
func runVote(ctx context.Context, e *env) (*result, error) {
	b, err := e.ballot(ctx)
	if err != nil {
		return nil, err
	}
	if len(b.Options) == 0 {
		return nil, fmt.Errorf("ballot %d has no options", b.ID)
	}
	b, codes, genFor, err := e.voterCodes(ctx, b)
	if err != nil {
		return nil, err
	}
	e.markCPU() // generating codes is not part of voting
	path := fmt.Sprintf("/api/ballots/%d/votes", b.ID)
	errs := &errLog{w: e.stderr}
	budget := newBudget(e.cfg)
	if budget.limit == 0 || budget.limit > int64(len(codes)) {
		budget.limit = int64(len(codes))
	}
	all, elapsed := e.loop(ctx, e.cfg.concurrency, budget, func(ctx context.Context, i int64) error {
		body := fmt.Sprintf(`{"code":%q,"option":%d}`, codes[i-1], b.Options[int(i)%len(b.Options)].ID)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+path, strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if err = e.send(req, http.StatusCreated); err != nil {
			errs.add("vote: %v", err)
		}
		return err
	})
	r := &result{scenario: "vote", ops: int64(len(all)), errors: errs.n.Load(), elapsed: elapsed, main: all,
		table: []series{{"POST " + path, all}}}
	r.set("ballot", b.ID)
	r.set("codes", len(codes))
	if genFor > 0 {
		r.set("codes_generate_s", round3(genFor.Seconds()))
	}
	r.set("concurrency", e.cfg.concurrency)
	// Every code handed out, not every vote counted: a paired run counts
	// none of the votes cast in its guards.
	if budget.spent() && (e.cfg.requests == 0 || e.cfg.requests > len(codes)) {
		r.note("every code was used before --duration ran out; pass --requests or more codes")
	}
	return r, nil
}

// ballot returns --ballot, or the first open ballot.
func (e *env) ballot(ctx context.Context) (ballotInfo, error) {
	id := e.cfg.ballotID
	if id == 0 {
		var list struct {
			Ballots []ballotInfo `json:"ballots"`
		}
		if err := e.getJSON(ctx, "/api/ballots", &list); err != nil {
			return ballotInfo{}, err
		}
		for _, b := range list.Ballots {
			if b.Status == "open" {
				id = b.ID
				break
			}
		}
		if id == 0 {
			return ballotInfo{}, errors.New("no open ballot; pass --ballot")
		}
	}
	var b ballotInfo
	err := e.getJSON(ctx, fmt.Sprintf("/api/ballots/%d", id), &b)
	return b, err
}

// voterCodes reads --codes for b, or, on the database of the server this
// tool started, sets up a new ballot like b, generates its codes with
// `oursay codes generate` (--requests of them, or --codes-count) and opens
// it: codes can only be added before voting starts. It returns the ballot
// to vote on and how long generating took.
func (e *env) voterCodes(ctx context.Context, b ballotInfo) (ballotInfo, []string, time.Duration, error) {
	if e.cfg.codesFile != "" {
		codes, err := readCodes(e.cfg.codesFile, b.ID)
		return b, codes, 0, err
	}
	if e.srv == nil {
		return b, nil, 0, errors.New("vote against --target needs --codes FILE from `oursay codes generate`")
	}
	d, err := db.Open(ctx, e.srv.dbPath)
	if err != nil {
		return b, nil, 0, err
	}
	defer d.Close()
	bs := db.NewBallotStore(d)
	id, err := draftBallotLike(ctx, bs, b.ID)
	if err != nil {
		return b, nil, 0, err
	}
	n := e.cfg.codesCount
	if e.cfg.requests > 0 {
		n = e.cfg.requests
	}
	out := filepath.Join(e.srv.dir, "codes.csv")
	cmd := exec.CommandContext(ctx, e.srv.bin, "codes", "generate", "--db", e.srv.dbPath,
		"--ballot", strconv.FormatInt(id, 10), "--count", strconv.Itoa(n), "--out", out)
	cmd.Env = cleanEnv()
	t := time.Now()
	if msg, err := cmd.CombinedOutput(); err != nil {
		return b, nil, 0, fmt.Errorf("oursay codes generate: %w: %s", err, msg)
	}
	took := time.Since(t)
	if err := bs.Open(ctx, id, "oursay-load"); err != nil {
		return b, nil, 0, err
	}
	codes, err := readCodes(out, id)
	if err != nil {
		return b, nil, 0, err
	}
	var nb ballotInfo
	err = e.getJSON(ctx, fmt.Sprintf("/api/ballots/%d", id), &nb)
	return nb, codes, took, err
}

// draftBallotLike sets up a draft ballot on the contract of ballot id,
// voting from an hour ago for two weeks.
func draftBallotLike(ctx context.Context, bs *db.BallotStore, id int64) (int64, error) {
	like, err := bs.Ballot(ctx, id)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	b := &ballot.Ballot{ContractID: like.ContractID, Question: "Load test: " + like.Question,
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(14 * 24 * time.Hour), QuorumBasisPoints: 2500}
	if err := bs.CreateBallot(ctx, b, "oursay-load"); err != nil {
		return 0, err
	}
	return b.ID, nil
}

// readCodes reads the codes of one ballot from a codes CSV
// (ballot,code,url).
func readCodes(path string, ballotID int64) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	want := strconv.FormatInt(ballotID, 10)
	var codes []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) >= 2 && rec[0] == want {
			codes = append(codes, rec[1])
		}
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("%s has no codes for ballot %d", path, ballotID)
	}
	return codes, nil
}

// runCodes times `oursay codes generate` on the database of the server
// this tool started, while it serves, for a new draft ballot like the open
// one: --codes-count codes to a CSV, then
// --letters codes with a PDF of one letter each. An operation is a code.
func runCodes(ctx context.Context, e *env) (*result, error) {
	if e.srv == nil {
		return nil, errors.New("codes runs `oursay codes generate` on the database of a server this tool starts: leave out --target")
	}
	open, err := e.ballot(ctx)
	if err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, e.srv.dbPath)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	id, err := draftBallotLike(ctx, db.NewBallotStore(d), open.ID) // codes go to a ballot before voting starts
	if err != nil {
		return nil, err
	}
	gen := func(n int, letters bool) (time.Duration, error) {
		stem := filepath.Join(e.srv.dir, fmt.Sprintf("codes-%d-%d", n, time.Now().UnixNano()))
		args := []string{"codes", "generate", "--db", e.srv.dbPath, "--ballot", strconv.FormatInt(id, 10),
			"--count", strconv.Itoa(n), "--out", stem + ".csv"}
		if letters {
			args = append(args, "--letters", stem+".pdf", "--base-url", e.base)
		}
		cmd := exec.CommandContext(ctx, e.srv.bin, args...)
		cmd.Env = cleanEnv()
		t := time.Now()
		if msg, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("oursay %s: %w: %s", strings.Join(args[:2], " "), err, msg)
		}
		return time.Since(t), nil
	}
	codesFor, err := gen(e.cfg.codesCount, false)
	if err != nil {
		return nil, err
	}
	lettersFor, err := gen(e.cfg.letters, true)
	if err != nil {
		return nil, err
	}
	r := &result{scenario: "codes", ops: int64(e.cfg.codesCount + e.cfg.letters), elapsed: codesFor + lettersFor,
		main: samples{codesFor, lettersFor},
		table: []series{{fmt.Sprintf("%d codes to CSV", e.cfg.codesCount), samples{codesFor}},
			{fmt.Sprintf("%d codes with letters", e.cfg.letters), samples{lettersFor}}}}
	r.set("ballot", id)
	r.set("codes", e.cfg.codesCount)
	r.set("codes_s", round3(codesFor.Seconds()))
	r.set("letters", e.cfg.letters)
	r.set("letters_s", round3(lettersFor.Seconds()))
	return r, nil
}
