package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
	"github.com/oursay/oursay/web/live"
)

// newBallotDB makes a database with a draft ballot on a contract and
// returns its path and the ballot's id.
func newBallotDB(t *testing.T) (string, int64) {
	t.Helper()
	ctx := context.Background()
	d, path := dbtest.Open(t)
	defer d.Close()
	c := &ballot.Contract{Title: "Waste", Service: "Waste collection", Provider: "CleanCo", ValuePence: 1,
		StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
		BreakClauses: []time.Time{time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)}, NoInHouseBidReason: "No in-house team", Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 10, SigningDays: 42}}
	if err := db.NewContractStore(d).CreateContract(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	b := &ballot.Ballot{ContractID: c.ID, Question: "End it?", OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour)}
	if err := db.NewBallotStore(d).CreateBallot(ctx, b, "test"); err != nil {
		t.Fatal(err)
	}
	return path, b.ID
}

// readCodes reads the CSV and returns the codes in canonical form, failing
// on any the parser refuses.
func readCodes(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != "ballot,code,url" {
		t.Fatalf("CSV: %v, header %v", err, rows)
	}
	var codes []string
	for _, r := range rows[1:] {
		c, err := ballot.ParseCode(r[1])
		if err != nil || !strings.HasSuffix(r[2], "/vote?code="+r[1]) {
			t.Fatalf("row %v: %v", r, err)
		}
		codes = append(codes, c)
	}
	return codes
}

func TestCodesGenerate(t *testing.T) {
	dbPath, id := newBallotDB(t)
	out := filepath.Join(t.TempDir(), "codes.csv")
	msg, err := runCLI(t, "", "codes", "generate", "--db", dbPath, "--ballot", strconv.FormatInt(id, 10), "--count", "1000",
		"--out", out, "--base-url", "https://say.example")
	if err != nil || !strings.Contains(msg, "Wrote 1000 voter codes") || !strings.Contains(msg, "Created the voter code key") {
		t.Fatalf("got %q, %v", msg, err)
	}
	codes := readCodes(t, out)
	seen := map[string]bool{}
	for _, c := range codes {
		seen[c] = true
	}
	if len(codes) != 1000 || len(seen) != 1000 {
		t.Fatalf("%d codes, %d distinct; want 1000", len(codes), len(seen))
	}
	key, err := os.ReadFile(dbPath + ".key")
	if err != nil || len(key) != 32 {
		t.Fatalf("key file: %d bytes, %v", len(key), err)
	}
	if fi, _ := os.Stat(dbPath + ".key"); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("codes file mode %v, want 0600", fi.Mode().Perm())
	}

	d, err := db.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	d.Reader().QueryRow(`SELECT COUNT(*) FROM voter_codes WHERE ballot_id = ?`, id).Scan(&n)
	if n != 1000 {
		t.Errorf("%d hashes stored, want 1000", n)
	}
	for _, c := range codes[:50] {
		d.Reader().QueryRow(`SELECT COUNT(*) FROM voter_codes WHERE code_hash = ?`, ballot.HashCode(key, id, c)).Scan(&n)
		if n != 1 {
			t.Fatalf("the hash of %s is stored %d times", c, n)
		}
	}
	d.Close() // checkpoints the WAL into the file, so one read sees everything
	raw, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if bytes.Contains(raw, []byte(c)) || bytes.Contains(raw, []byte(ballot.GroupCode(c))) {
			t.Fatalf("code %s is in the database file", c)
		}
	}

	t.Run("refuses to overwrite the file", func(t *testing.T) {
		if _, err := runCLI(t, "", "codes", "generate", "--db", dbPath, "--ballot", strconv.FormatInt(id, 10), "--count", "5", "--out", out); err == nil {
			t.Fatal("got nil error")
		}
		if got := readCodes(t, out); len(got) != 1000 {
			t.Errorf("the file now has %d codes", len(got))
		}
	})
	t.Run("key file from the environment", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "elsewhere.key")
		t.Setenv("OURSAY_KEY_FILE", other)
		out2 := filepath.Join(t.TempDir(), "more.csv")
		if _, err := runCLI(t, "", "codes", "generate", "--db", dbPath, "--ballot", strconv.FormatInt(id, 10), "--count", "3", "--out", out2); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(other); err != nil {
			t.Errorf("OURSAY_KEY_FILE was not used: %v", err)
		}
	})
	t.Run("unknown ballot", func(t *testing.T) {
		if _, err := runCLI(t, "", "codes", "generate", "--db", dbPath, "--ballot", "999", "--count", "3", "--out", filepath.Join(t.TempDir(), "x.csv")); err == nil {
			t.Error("got nil error")
		}
	})
}

// TestCodesGenerate_100k times the command for 100,000 codes, as a
// council would run it for a ward-sized electorate.
func TestCodesGenerate_100k(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dbPath, id := newBallotDB(t)
	out := filepath.Join(t.TempDir(), "codes.csv")
	start := time.Now()
	if msg, err := runCLI(t, "", "codes", "generate", "--db", dbPath, "--ballot", strconv.FormatInt(id, 10), "--count", "100000", "--out", out); err != nil {
		t.Fatalf("%q, %v", msg, err)
	}
	took := time.Since(start)
	t.Logf("oursay codes generate --count 100000: %v", took)
	if got := readCodes(t, out); len(got) != 100_000 {
		t.Errorf("%d codes in the file", len(got))
	}
	if took > 30*time.Second {
		t.Errorf("took %v: 100,000 codes must take seconds", took)
	}
}

// TestLoadDemoBallot: the demo's ballot is open, has votes, and the codes
// it prints and writes are unused and can vote.
func TestLoadDemoBallot(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	d, err := db.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	key, _, err := loadCodeKey(dbPath + ".key")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(d, "", "127.0.0.1:8080", key, slog.New(slog.DiscardHandler), live.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := loadDemo(ctx, d, srv, key, "http://127.0.0.1:8080", dbPath, &out); err != nil {
		t.Fatal(err)
	}
	bs := db.NewBallotStore(d)
	list, err := bs.Ballots(ctx, true)
	if err != nil || len(list) != 2 {
		t.Fatalf("%d ballots, %v; want 2", len(list), err)
	}
	// Newest first: the earlier one, closed with the council's response,
	// was added second.
	answered, b := list[0], list[1]
	if answered.Status != ballot.BallotClosed || answered.Response == nil || answered.Response.Exercised {
		t.Fatalf("answered demo ballot %+v, want closed with a response", answered)
	}
	if r, err := bs.Result(ctx, answered.ID); err != nil || !r.Recall {
		t.Fatalf("answered demo ballot result %+v, %v; want recall", r, err)
	}
	if !b.AcceptsVotes(time.Now()) || b.PetitionID == 0 || b.VotesCast != demoYes+demoNo || b.CodesIssued != demoCodes {
		t.Fatalf("demo ballot %+v", b)
	}
	printed := regexp.MustCompile(`[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}`).FindAllString(out.String(), -1)
	inFile := readCodes(t, demoCodesPath(dbPath))
	if len(printed) != 3 || len(inFile) != demoCodes-demoYes-demoNo || !strings.Contains(out.String(), demoCodesPath(dbPath)) {
		t.Fatalf("printed %v and %d codes in the file; output %q", printed, len(inFile), out.String())
	}
	for _, c := range append(printed, inFile...) {
		canon, _ := ballot.ParseCode(c)
		if used, err := bs.CodeUsed(ctx, b.ID, ballot.HashCode(key, b.ID, canon)); used || err != nil {
			t.Fatalf("demo code %s: used %v, %v", c, used, err)
		}
	}
	if _, err := bs.Vote(ctx, b.ID, ballot.HashCode(key, b.ID, strings.ReplaceAll(printed[0], "-", "")), b.Options[0].ID); err != nil {
		t.Errorf("a printed demo code cannot vote: %v", err)
	}
}
