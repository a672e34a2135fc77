package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/sqlite3store"
	"github.com/gorilla/websocket"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/cmd/wire"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
	"github.com/oursay/oursay/web"
	"github.com/oursay/oursay/web/live"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

// liveEnv is a server wired as serve wires it (package wire): the hub
// comes first, the stores publish to it and the server serves /live with
// it. Petitions and ballots are set up through the stores, which is
// quicker than the web journeys other tests already walk.
type liveEnv struct {
	t        *testing.T
	d        *db.DB
	web      *web.Server
	url      string // http://127.0.0.1:port
	ps       *db.PetitionStore
	cs       *db.ConsultStore
	bs       *db.BallotStore
	contract *ballot.Contract
}

const liveBase = "http://oursay.test"

var liveKey = []byte("live test key, 32 bytes long!!!!")

func newLiveEnv(t *testing.T, tweak ...func(*live.Options)) *liveEnv {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	opts := wire.Options{BaseURL: liveBase, CodeKey: liveKey, Logger: slog.New(slog.DiscardHandler),
		Sessions: sqlite3store.NewWithCleanupInterval(d.Writer(), 0)}
	for _, f := range tweak {
		f(&opts.Live)
	}
	app, err := wire.New(d, opts)
	if err != nil {
		t.Fatal(err)
	}
	e := &liveEnv{t: t, d: d, web: app.Web, ps: app.Stores.Petitions, cs: app.Stores.Consult, bs: app.Stores.Ballots}
	srv := &http.Server{Handler: e.web.Handler()}
	ln := listenLoopback(t)
	go srv.Serve(ln)
	e.url = "http://" + ln.Addr().String()
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e.web.Live().Shutdown(sctx)
		srv.Shutdown(sctx)
		d.Close()
	})
	e.contract = &ballot.Contract{Title: "Waste", Service: "Waste collection", Provider: "CleanCo", ValuePence: 1,
		StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
		BreakClauses: []time.Time{time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)}, NoInHouseBidReason: "No in-house team", Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 10, SigningDays: 42}}
	if err := db.NewContractStore(d).CreateContract(ctx, e.contract, "test"); err != nil {
		t.Fatal(err)
	}
	if err := app.Stores.Council.ImportPostcodes(ctx, []ballot.PostcodeEntry{{Postcode: "AB1 2CD", Ward: ballot.Ward{Name: "Riverside", Code: "E05000001"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	return e
}

// token reads the first link token of the newest mail to addr.
func (e *liveEnv) token(addr string) string {
	e.t.Helper()
	var body string
	if err := e.d.Reader().QueryRow(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, addr).Scan(&body); err != nil {
		e.t.Fatalf("mail to %s: %v", addr, err)
	}
	link, err := smtptest.Link(body, "/*/confirm")
	if err != nil {
		e.t.Fatalf("mail to %s: %v", addr, err)
	}
	return link.Query().Get("token")
}

// openPetition creates, confirms, sponsors (five confirmed signatures)
// and publishes a petition whose threshold is threshold.
func (e *liveEnv) openPetition(policy ballot.CountPolicy, threshold int) *ballot.Petition {
	e.t.Helper()
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam", CampaignerEmail: "sam@example.org", CountPolicy: policy}
	rule := ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: threshold, SigningDays: 42}
	dbtest.OpenPetition(e.t, e.ps, p, rule, liveBase, "officer@council.test", e.token)
	return p
}

// paper adds a paper signature, counted at once.
func (e *liveEnv) paper(petitionID int64, n int) {
	e.t.Helper()
	s := &ballot.Signature{Name: "Paper Signer " + itoa(int64(n)), Postcode: "AB1 2CD", Resident: true, Sheet: "S", Line: n}
	if err := e.ps.AddPaperSignature(context.Background(), petitionID, s, "officer@council.test"); err != nil {
		e.t.Fatal(err)
	}
}

// openBallot opens a Yes/No ballot on the contract with n voter codes.
func (e *liveEnv) openBallot(n int) (*ballot.Ballot, []string) {
	e.t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	b := &ballot.Ballot{ContractID: e.contract.ID, Question: "End the CleanCo contract?",
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour), QuorumBasisPoints: 2500}
	if err := e.bs.CreateBallot(ctx, b, "officer@council.test"); err != nil {
		e.t.Fatal(err)
	}
	codes, hashes := ballot.GenerateCodes(liveKey, b.ID, n)
	if err := e.bs.AddCodes(ctx, b.ID, hashes, "officer@council.test"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.bs.Open(ctx, b.ID, "officer@council.test"); err != nil {
		e.t.Fatal(err)
	}
	return b, codes
}

// wsURL is the live address for topics.
func (e *liveEnv) wsURL(topics ...string) string {
	u := "ws" + strings.TrimPrefix(e.url, "http") + "/live"
	for i, t := range topics {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		u += sep + "topic=" + t
	}
	return u
}

// liveConn is a websocket client with a reader goroutine, so a test can
// wait for a message with a timeout without breaking the connection.
type liveConn struct {
	t    *testing.T
	c    *websocket.Conn
	msgs chan liveMsg
	end  chan error // the read error that ended the connection
}

type liveMsg struct {
	raw    []byte
	fields map[string]any
	at     time.Time
}

func (m liveMsg) topic() string { s, _ := m.fields["topic"].(string); return s }
func (m liveMsg) seq() float64  { n, _ := m.fields["seq"].(float64); return n }
func (m liveMsg) num(k string) float64 {
	n, _ := m.fields[k].(float64)
	return n
}

// dial opens /live as a page on this site would.
func (e *liveEnv) dial(topics ...string) *liveConn {
	e.t.Helper()
	c, res, err := websocket.DefaultDialer.Dial(e.wsURL(topics...), http.Header{"Origin": {e.url}})
	if err != nil {
		e.t.Fatalf("dial: %v (%v)", err, res)
	}
	if sc := res.Header.Get("Set-Cookie"); sc != "" {
		e.t.Errorf("the live handshake set a cookie (%q): it must not touch the session", sc)
	}
	lc := &liveConn{t: e.t, c: c, msgs: make(chan liveMsg, 1024), end: make(chan error, 1)}
	e.t.Cleanup(func() { c.Close() })
	go lc.read()
	return lc
}

func (lc *liveConn) read() {
	for {
		_, data, err := lc.c.ReadMessage()
		if err != nil {
			lc.end <- err
			return
		}
		m := liveMsg{raw: data, at: time.Now()}
		if err := json.Unmarshal(data, &m.fields); err != nil {
			lc.end <- err
			return
		}
		lc.msgs <- m
	}
}

// next waits up to d for a message.
func (lc *liveConn) next(d time.Duration) liveMsg {
	lc.t.Helper()
	select {
	case m := <-lc.msgs:
		return m
	case err := <-lc.end:
		lc.t.Fatalf("connection ended: %v", err)
	case <-time.After(d):
		lc.t.Fatalf("no message within %v", d)
	}
	return liveMsg{}
}

// until waits up to d for a message on topic that satisfies ok, failing
// if seq ever goes down on that topic.
func (lc *liveConn) until(topic string, d time.Duration, ok func(liveMsg) bool) liveMsg {
	lc.t.Helper()
	deadline := time.Now().Add(d)
	var last float64
	for {
		m := lc.next(time.Until(deadline))
		if m.topic() != topic {
			continue
		}
		if m.seq() <= last {
			lc.t.Fatalf("seq went from %v to %v", last, m.seq())
		}
		last = m.seq()
		if ok(m) {
			return m
		}
	}
}

// send sends a client message such as {"subscribe": "petition:3"}.
func (lc *liveConn) send(v any) {
	lc.t.Helper()
	if err := lc.c.WriteJSON(v); err != nil {
		lc.t.Fatal(err)
	}
}

// listenLoopback listens on a free port of 127.0.0.1.
func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
