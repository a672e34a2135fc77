package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/cmd/internal/answers"
	"github.com/oursay/oursay/db"
)

// TestCrashSafety builds the real binary, serves the demo council on a
// temporary database, and drives concurrent signatures, confirmations,
// consultation responses and votes at it while killing it with SIGKILL at
// random moments, ten times, restarting it each time. Then it checks that
// every acknowledged write (a 2xx answer) is in the database, that no
// counter disagrees with the rows it counts (so nothing was counted twice
// or lost from a count), that no acknowledged signature can be made again,
// that the audit chain is intact and that PRAGMA integrity_check says ok.
// In the fifth round `oursay backup` runs under the load: the copy passes
// the same checks for every write acknowledged before it began.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary: not in -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	h := newCrashHarness(t)
	h.start(true)
	h.loadTargets()
	h.stop()
	h.generateCodes(4000)

	var copyPath string
	var beforeCopy ackedWrites
	for round := range 10 {
		h.start(false)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		h.drive(ctx, &wg)
		time.Sleep(time.Duration(150+rng.IntN(600)) * time.Millisecond)
		if round == 4 { // a backup while the load runs, then the crash
			copyPath, beforeCopy = h.backup()
			time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		}
		h.kill()
		cancel()
		wg.Wait()
		t.Logf("round %d: acknowledged so far: %s", round+1, h.acked.summary())
	}
	h.start(false)
	h.checkNoRepeat()
	h.stop()
	h.verify()
	cp := h.open(copyPath)
	defer cp.Close()
	h.check(cp, "backup: ", beforeCopy)
	t.Logf("the backup held the %s acknowledged before it began", beforeCopy.summary())
}

// crashHarness is the binary, its database and what it acknowledged.
type crashHarness struct {
	t       *testing.T
	dir     string
	bin     string
	dbPath  string
	keyPath string
	cmd     *exec.Cmd
	base    string
	client  *http.Client
	out     bytes.Buffer // the server's output, for failures

	petition  int64
	postcodes []string
	slug      string
	answers   map[string]any
	ballot    int64
	option    int64
	codes     []string

	mu       sync.Mutex
	next     int      // numbers signers and respondents
	nextCode int      // the next unused voter code
	pending  []string // acknowledged signatures waiting to be confirmed
	acked    ackedWrites
}

// ackedWrites are the writes the server answered 2xx to.
type ackedWrites struct {
	signed    []string // emails
	confirmed []string // emails
	responses []string // emails
	votes     []string // receipts
}

func (a *ackedWrites) summary() string {
	return fmt.Sprintf("%d signatures, %d confirmations, %d responses, %d votes",
		len(a.signed), len(a.confirmed), len(a.responses), len(a.votes))
}

func newCrashHarness(t *testing.T) *crashHarness {
	dir := t.TempDir()
	h := &crashHarness{t: t, dir: dir, bin: filepath.Join(dir, "oursay"), dbPath: filepath.Join(dir, "crash.db"),
		keyPath: filepath.Join(dir, "crash.key"), client: &http.Client{Timeout: 10 * time.Second}}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if p, err := exec.LookPath("go"); err == nil {
		gobin = p
	}
	if out, err := exec.Command(gobin, "build", "-o", h.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if h.cmd != nil {
			h.kill()
		}
		if t.Failed() {
			lines := strings.Split(strings.TrimSpace(h.out.String()), "\n")
			t.Logf("the last server output:\n%s", strings.Join(lines[max(0, len(lines)-40):], "\n"))
		}
	})
	return h
}

// start runs oursay serve on a free port, rate limits and the form-timing
// check off (every request comes from 127.0.0.1), and waits for /healthz.
func (h *crashHarness) start(demo bool) {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--db", h.dbPath, "--key-file", h.keyPath, "--addr", addr, "--no-rate-limits", "--min-fill-time", "0"}
	if demo {
		args = append(args, "--demo")
	}
	h.cmd = exec.Command(h.bin, args...)
	h.cmd.Stdout, h.cmd.Stderr = &h.out, &h.out
	h.out.Reset()
	if err := h.cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	h.base = "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err := h.client.Get(h.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
	}
	h.t.Fatalf("the server did not answer /healthz:\n%s", h.out.String())
}

// kill ends the server with SIGKILL: no shutdown, no final checkpoint.
func (h *crashHarness) kill() {
	h.cmd.Process.Kill()
	h.cmd.Wait()
	h.cmd = nil
}

// stop ends the server the polite way.
func (h *crashHarness) stop() {
	h.cmd.Process.Signal(os.Interrupt)
	h.cmd.Wait()
	h.cmd = nil
}

// loadTargets finds the demo's open petition, open consultation and open
// ballot, and the answers and postcodes to send them.
func (h *crashHarness) loadTargets() {
	h.t.Helper()
	db := h.open(h.dbPath)
	defer db.Close()
	h.query(db, `SELECT id FROM petitions WHERE status = 'open' ORDER BY id LIMIT 1`, &h.petition)
	h.query(db, `SELECT slug FROM consultations WHERE status = 'open' AND audience = 'anyone' ORDER BY id LIMIT 1`, &h.slug)
	h.query(db, `SELECT id FROM ballots WHERE status = 'open' ORDER BY id LIMIT 1`, &h.ballot)
	h.query(db, `SELECT id FROM ballot_options WHERE ballot_id = ? ORDER BY position LIMIT 1`, &h.option, h.ballot)
	rows, err := db.Query(`SELECT postcode FROM postcodes ORDER BY postcode`)
	if err != nil {
		h.t.Fatal(err)
	}
	for rows.Next() {
		var pc string
		if err := rows.Scan(&pc); err != nil {
			h.t.Fatal(err)
		}
		h.postcodes = append(h.postcodes, pc)
	}
	if err := rows.Close(); err != nil {
		h.t.Fatal(err)
	}
	var c struct {
		Questions []answers.Question `json:"questions"`
	}
	res, err := h.client.Get(h.base + "/api/consultations/" + h.slug)
	if err != nil {
		h.t.Fatal(err)
	}
	err = json.NewDecoder(res.Body).Decode(&c)
	res.Body.Close()
	if err != nil {
		h.t.Fatalf("consultation %s: %v", h.slug, err)
	}
	if h.answers, err = answers.For(c.Questions, "Keep it in house"); err != nil {
		h.t.Fatal(err)
	}
	if h.petition == 0 || h.slug == "" || h.ballot == 0 || len(h.postcodes) == 0 || len(h.answers) == 0 {
		h.t.Fatalf("demo targets: petition %d, consultation %q, ballot %d, %d postcodes, %d answers",
			h.petition, h.slug, h.ballot, len(h.postcodes), len(h.answers))
	}
}

// generateCodes sets up a ballot on the demo ballot's contract, adds n
// voter codes to it with `oursay codes generate` before opening it, as a
// council would (codes cannot be added once voting has started), and keeps
// them to vote with.
func (h *crashHarness) generateCodes(n int) {
	h.t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, h.dbPath)
	if err != nil {
		h.t.Fatal(err)
	}
	defer d.Close()
	// The set-up writes audit entries, sealed with the server's key as
	// serve seals them, or audit verify would find them unsealed.
	key, _, err := loadCodeKey(h.keyPath)
	if err != nil {
		h.t.Fatal(err)
	}
	d.SetAuditKey(db.AuditKey(key))
	bs := db.NewBallotStore(d)
	demo, err := bs.Ballot(ctx, h.ballot)
	if err != nil {
		h.t.Fatal(err)
	}
	now := time.Now().UTC()
	b := &ballot.Ballot{ContractID: demo.ContractID, Question: "Crash test: " + demo.Question,
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(14 * 24 * time.Hour), QuorumBasisPoints: 2500}
	if err := bs.CreateBallot(ctx, b, "crash-test"); err != nil {
		h.t.Fatal(err)
	}
	h.ballot, h.option = b.ID, b.Options[0].ID
	file := filepath.Join(h.dir, "codes.csv")
	out, err := exec.Command(h.bin, "codes", "generate", "--db", h.dbPath, "--key-file", h.keyPath,
		"--ballot", fmt.Sprint(h.ballot), "--count", fmt.Sprint(n), "--out", file).CombinedOutput()
	if err != nil {
		h.t.Fatalf("codes generate: %v\n%s", err, out)
	}
	f, err := os.Open(file)
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != n+1 {
		h.t.Fatalf("codes file: %d rows, %v", len(recs), err)
	}
	for _, r := range recs[1:] {
		h.codes = append(h.codes, r[1])
	}
	if err := bs.Open(ctx, b.ID, "crash-test"); err != nil {
		h.t.Fatal(err)
	}
}

// open opens a database read-only beside (or after) the server.
func (h *crashHarness) open(path string) *sql.DB {
	h.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		h.t.Fatal(err)
	}
	return db
}

func (h *crashHarness) query(db *sql.DB, q string, dest any, args ...any) {
	h.t.Helper()
	if err := db.QueryRow(q, args...).Scan(dest); err != nil {
		h.t.Fatalf("%s: %v", q, err)
	}
}

// send makes one request and returns its status and body; status 0 means
// no answer came (the server was killed, say).
func (h *crashHarness) send(ctx context.Context, method, path string, body any) (int, []byte) {
	var r io.Reader
	contentType := "application/json"
	if form, ok := body.(url.Values); ok { // a form, as a page's button sends it
		r, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.base+path, r)
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Content-Type", contentType)
	res, err := h.client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil
	}
	return res.StatusCode, b
}

func (h *crashHarness) number() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	return h.next
}

// unexpected records a refusal no run should see. A 5xx is allowed only
// as the process dies, so it fails the test too: the server must never
// answer a write with an error it caused itself.
func (h *crashHarness) unexpected(what string, status int, body []byte) {
	if status != 0 {
		h.t.Errorf("%s: got %d %s", what, status, strings.TrimSpace(string(body)))
	}
}
