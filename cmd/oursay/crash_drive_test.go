package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// Workers of each kind that run at once against the server.
const (
	crashSigners     = 4
	crashConfirmers  = 3
	crashRespondents = 3
	crashVoters      = 3
)

// drive starts the workers; they stop when ctx ends.
func (h *crashHarness) drive(ctx context.Context, wg *sync.WaitGroup) {
	for _, w := range []struct {
		n  int
		fn func(context.Context) bool
	}{{crashSigners, h.signer}, {crashConfirmers, h.confirmer}, {crashRespondents, h.respondent}, {crashVoters, h.voter}} {
		for range w.n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					if !w.fn(ctx) {
						time.Sleep(5 * time.Millisecond) // nothing to do yet
					}
				}
			}()
		}
	}
}

// Each worker does one thing and reports whether there was anything to do.

func (h *crashHarness) signer(ctx context.Context) bool {
	n := h.number()
	email := fmt.Sprintf("crash%d@example.org", n)
	status, body := h.send(ctx, "POST", fmt.Sprintf("/api/petitions/%d/signatures", h.petition), map[string]any{
		"name": fmt.Sprintf("Crash Signer %d", n), "email": email, "postcode": h.postcodes[n%len(h.postcodes)], "resident": true})
	if status != 202 {
		h.unexpected("sign", status, body)
		return true
	}
	h.mu.Lock()
	h.acked.signed = append(h.acked.signed, email)
	h.pending = append(h.pending, email)
	h.mu.Unlock()
	return true
}

// confirmer follows the email link of an acknowledged signature, reading
// the mail from the outbox table as the person would from their inbox.
func (h *crashHarness) confirmer(ctx context.Context) bool {
	h.mu.Lock()
	if len(h.pending) == 0 {
		h.mu.Unlock()
		return false
	}
	email := h.pending[0]
	h.pending = h.pending[1:]
	h.mu.Unlock()
	// As a person does: the link opens a page with a Confirm button, and
	// the button POSTs the token. Opening the link changes nothing.
	token := h.confirmToken(email)
	status, body := h.send(ctx, "GET", "/signatures/confirm?token="+token, nil)
	if status == 200 {
		status, body = h.send(ctx, "POST", "/signatures/confirm", url.Values{"token": {token}})
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	// A retry after a crash that lost the answer to a committed
	// confirmation is told it was already confirmed.
	if status != 200 || !strings.Contains(string(body), "Signature confirmed") && !strings.Contains(string(body), "already confirmed") {
		h.unexpected("confirm", status, body)
		h.pending = append(h.pending, email) // try again after the restart
		return true
	}
	h.acked.confirmed = append(h.acked.confirmed, email)
	return true
}

func (h *crashHarness) confirmToken(email string) string {
	db := h.open(h.dbPath)
	defer db.Close()
	var body string
	if err := db.QueryRow(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, email).Scan(&body); err != nil {
		h.t.Errorf("no mail for the acknowledged signature of %s: %v", email, err)
		return ""
	}
	link, err := smtptest.Link(body, "/signatures/confirm")
	if err != nil {
		h.t.Errorf("mail for the acknowledged signature of %s: %v", email, err)
		return ""
	}
	return link.Query().Get("token")
}

func (h *crashHarness) respondent(ctx context.Context) bool {
	email := fmt.Sprintf("respondent%d@example.org", h.number())
	status, body := h.send(ctx, "POST", "/api/consultations/"+h.slug+"/responses", map[string]any{"answers": h.answers, "email": email})
	if status != 201 {
		h.unexpected("respond", status, body)
		return true
	}
	// With an email the receipt goes by mail, so the response is known by
	// its email, unique in the consultation.
	h.mu.Lock()
	h.acked.responses = append(h.acked.responses, email)
	h.mu.Unlock()
	return true
}

func (h *crashHarness) voter(ctx context.Context) bool {
	h.mu.Lock()
	if h.nextCode == len(h.codes) {
		h.mu.Unlock()
		return false
	}
	code := h.codes[h.nextCode]
	h.nextCode++
	h.mu.Unlock()
	status, body := h.send(ctx, "POST", fmt.Sprintf("/api/ballots/%d/votes", h.ballot), map[string]any{"code": code, "option": h.option})
	if status != 201 {
		h.unexpected("vote", status, body)
		return true
	}
	var r struct{ Receipt string }
	if err := json.Unmarshal(body, &r); err != nil || r.Receipt == "" {
		h.t.Errorf("vote acknowledged without a receipt: %s (%v)", body, err)
		return true
	}
	h.mu.Lock()
	h.acked.votes = append(h.acked.votes, r.Receipt)
	h.mu.Unlock()
	return true
}

// checkNoRepeat: after all the crashes, following a confirmed link again
// counts nothing, and a confirmed signature cannot be made again: signing
// again answers 202 as a fresh signature does (the answer never tells
// whether a person signed) and saves no row.
func (h *crashHarness) checkNoRepeat() {
	ctx := context.Background()
	for i, email := range h.acked.confirmed {
		if i%10 != 0 {
			continue
		}
		status, body := h.send(ctx, "GET", "/signatures/confirm?token="+h.confirmToken(email), nil)
		if status != 200 || !strings.Contains(string(body), "already confirmed") {
			h.t.Errorf("confirming %s again: got %d", email, status)
		}
		before := h.signatureRows(email)
		status, _ = h.send(ctx, "POST", fmt.Sprintf("/api/petitions/%d/signatures", h.petition), map[string]any{
			"name": "Someone Else " + email, "email": email, "postcode": h.postcodes[0], "resident": true})
		if status != 202 {
			h.t.Errorf("signing again as %s: got %d, want 202 as for a fresh signature", email, status)
		}
		if after := h.signatureRows(email); after != before {
			h.t.Errorf("signing again as %s: %d signature rows, want %d (nothing saved)", email, after, before)
		}
	}
}

// signatureRows counts the signatures saved with email.
func (h *crashHarness) signatureRows(email string) int {
	db := h.open(h.dbPath)
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM signatures WHERE email = ?`, email).Scan(&n); err != nil {
		h.t.Errorf("count signatures of %s: %v", email, err)
	}
	return n
}

// verify checks the database once the server has stopped.
func (h *crashHarness) verify() {
	t := h.t
	db := h.open(h.dbPath)
	defer db.Close()
	h.check(db, "", h.acked)
	if len(h.acked.signed) < 20 || len(h.acked.confirmed) < 10 || len(h.acked.responses) < 20 || len(h.acked.votes) < 20 {
		t.Errorf("too little was acknowledged to prove much: %s", h.acked.summary())
	}
	t.Logf("acknowledged: %s", h.acked.summary())
	if out, err := runCLI(t, "", "audit", "verify", "--db", h.dbPath, "--key-file", h.keyPath); err != nil {
		t.Errorf("audit verify: %v: %s", err, out)
	}
}

// backup runs `oursay backup` beside the loaded server, and returns the
// copy and the writes acknowledged before it began, which it must hold.
func (h *crashHarness) backup() (string, ackedWrites) {
	h.mu.Lock()
	before := ackedWrites{signed: slices.Clone(h.acked.signed), confirmed: slices.Clone(h.acked.confirmed),
		responses: slices.Clone(h.acked.responses), votes: slices.Clone(h.acked.votes)}
	h.mu.Unlock()
	dest := filepath.Join(h.dir, "backup.db")
	out, err := exec.Command(h.bin, "backup", "--db", h.dbPath, "--out", dest).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "integrity check ok") {
		h.t.Errorf("oursay backup under load: %v: %s", err, out)
	}
	return dest, before
}

// check checks one database file: integrity, every acknowledged write,
// and every counter against its rows. what names a copy in messages.
func (h *crashHarness) check(db *sql.DB, what string, acked ackedWrites) {
	t := h.t
	var ok string
	h.query(db, `PRAGMA integrity_check`, &ok)
	if ok != "ok" {
		t.Errorf("%sintegrity_check: %s", what, ok)
	}
	h.present(db, what+"acknowledged signature", acked.signed, `SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND email = ?`, h.petition)
	h.present(db, what+"acknowledged confirmation", acked.confirmed, `SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND email = ? AND status = 'confirmed'`, h.petition)
	h.present(db, what+"acknowledged response", acked.responses, `SELECT COUNT(*) FROM responses WHERE email = ?`)
	h.present(db, what+"acknowledged vote", acked.votes, `SELECT COUNT(*) FROM ballot_receipts WHERE ballot_id = ? AND receipt = ?`, h.ballot)
	for name, q := range counterChecks {
		var n int
		h.query(db, `SELECT COUNT(*) FROM (`+q+`)`, &n)
		if n != 0 {
			t.Errorf("%s%s: %d counters differ from their rows", what, name, n)
		}
	}
}

// present checks that every acknowledged value has its row.
func (h *crashHarness) present(db *sql.DB, what string, values []string, q string, args ...any) {
	missing := 0
	for _, v := range values {
		var n int
		if err := db.QueryRow(q, append(append([]any{}, args...), v)...).Scan(&n); err != nil || n != 1 {
			if missing++; missing <= 5 {
				h.t.Errorf("%s %s: found %d rows, %v", what, v, n, err)
			}
		}
	}
	if missing > 0 {
		h.t.Errorf("%d of %d acknowledged %ss are missing", missing, len(values), what)
	}
}

// counterChecks are queries that list each counter that differs from a
// count of the rows it stands for; every one must return no rows.
var counterChecks = map[string]string{
	"petition signature_count": `SELECT p.id FROM petitions p WHERE p.signature_count <> (SELECT COUNT(*) FROM signatures s
		WHERE s.petition_id = p.id AND s.status = 'confirmed' AND s.review_reason = '')`,
	"petition sponsor_count": `SELECT p.id FROM petitions p WHERE p.sponsor_count <> (SELECT COUNT(*) FROM signatures s
		WHERE s.petition_id = p.id AND s.status = 'confirmed' AND s.sponsor AND s.review_reason = '')`,
	"ward counts": `SELECT s.petition_id, s.ward_code FROM signatures s WHERE s.status = 'confirmed' AND s.review_reason = ''
		GROUP BY s.petition_id, s.ward_code HAVING COUNT(*) <> COALESCE((SELECT w.count FROM petition_ward_counts w
		WHERE w.petition_id = s.petition_id AND w.ward_code = s.ward_code), 0)
		UNION SELECT w.petition_id, w.ward_code FROM petition_ward_counts w WHERE w.count <> (SELECT COUNT(*) FROM signatures s
		WHERE s.petition_id = w.petition_id AND s.ward_code = w.ward_code AND s.status = 'confirmed' AND s.review_reason = '')`,
	"consultation response_count": `SELECT c.id FROM consultations c WHERE c.response_count <> (SELECT COUNT(*) FROM responses r
		WHERE r.consultation_id = c.id)`,
	"consultation tallies": `SELECT * FROM (SELECT question_id, choice, count FROM tallies WHERE count <> 0
		EXCEPT SELECT * FROM crash_expected_tallies) UNION ALL SELECT * FROM (SELECT * FROM crash_expected_tallies
		EXCEPT SELECT question_id, choice, count FROM tallies WHERE count <> 0)`,
	"ballot votes_cast": `SELECT b.id FROM ballots b WHERE b.votes_cast <> (SELECT COUNT(*) FROM ballot_votes v WHERE v.ballot_id = b.id)
		OR b.votes_cast <> (SELECT COUNT(*) FROM ballot_receipts r WHERE r.ballot_id = b.id)
		OR b.votes_cast <> (SELECT COUNT(*) FROM voter_codes c WHERE c.ballot_id = b.id AND c.used = 1)`,
	"ballot option votes": `SELECT o.id FROM ballot_options o WHERE o.votes <> (SELECT COUNT(*) FROM ballot_votes v WHERE v.option_id = o.id)`,
}

// expectedTallies is what the tallies table must hold, counted from the
// answers: 0 for "answered" (once per response), then options and points.
const expectedTallies = `SELECT question_id, 0 AS choice, COUNT(DISTINCT response_id) AS count FROM answers GROUP BY question_id
	UNION ALL SELECT question_id, option_id, COUNT(*) FROM answers WHERE option_id IS NOT NULL GROUP BY question_id, option_id
	UNION ALL SELECT question_id, scale, COUNT(*) FROM answers WHERE scale IS NOT NULL GROUP BY question_id, scale`

func init() {
	q := counterChecks["consultation tallies"]
	counterChecks["consultation tallies"] = strings.ReplaceAll(q, "crash_expected_tallies", "("+expectedTallies+")")
}
