package db_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// retentionEnv is a populated database: an open petition with signatures
// in every state (confirmed online and on paper, pending, withdrawn, held,
// held then rejected, invalidated), a rejected petition, a consultation
// with responses and a published outcome, and a closed ballot.
type retentionEnv struct {
	*ballotEnv
	path     string
	open     *ballot.Petition
	rejected *ballot.Petition
	cs       *db.ConsultStore
	// when set up, and the moments retention works from
	setup time.Time
}

// signer is a signer of the open petition, found in the database by
// email after retention.
const signer = "confirmed.signer@example.org"

func newRetentionEnv(t *testing.T) *retentionEnv {
	t.Helper()
	ctx := context.Background()
	be := newBallotEnv(t) // an open petition, threshold 6, met by its sponsors and a paper signature
	path := dbPath(t, be.d)
	e := &retentionEnv{ballotEnv: be, path: path, open: be.petition, cs: db.NewConsultStore(be.d), setup: time.Now().UTC()}
	pid := e.open.ID
	// Confirmed online, pending, withdrawn, held, held then rejected.
	if err := e.ps.Sign(ctx, pid, sig("Confirmed Signer", signer, "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	tok, _ := e.lastTokens(signer)
	if _, err := e.ps.Confirm(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Sign(ctx, pid, sig("Pending Person", "pending.person@example.org", "AB2 4GH"), "", testBase); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Sign(ctx, pid, sig("Withdrawn Person", "withdrawn.person@example.org", "AB2 4GH"), "", testBase); err != nil {
		t.Fatal(err)
	}
	c, w := e.lastTokens("withdrawn.person@example.org")
	if _, err := e.ps.Confirm(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ps.Withdraw(ctx, w); err != nil {
		t.Fatal(err)
	}
	e.signHeld(pid, "Held Person", "held.person@example.org", ballot.ReviewTooFast, true)
	rej := e.signHeld(pid, "Rejected Person", "rejected.person@example.org", ballot.ReviewHoneypot, true)
	if err := e.ps.RejectSignature(ctx, pid, rej, officer); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Sign(ctx, pid, sig("Invalid Person", "invalid@spam.example", "AB1 2CD"), "", testBase); err != nil {
		t.Fatal(err)
	}
	tok, _ = e.lastTokens("invalid@spam.example")
	if _, err := e.ps.Confirm(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ps.Invalidate(ctx, pid, ballot.Invalidation{Domain: "spam.example", Reason: "Bulk sign-ups"}, officer); err != nil {
		t.Fatal(err)
	}
	// A petition rejected in moderation.
	e.rejected = &ballot.Petition{ContractID: e.contract.ID, Title: "Rejected petition", Reasons: "Off topic",
		CampaignerName: "Rita Rejected", CampaignerEmail: "rita@example.org", CountPolicy: ballot.CountLive}
	sponsorTokens := func(addr string) string {
		if addr == e.rejected.CampaignerEmail {
			var body string
			mustScan(t, e.d.Reader().QueryRow(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, addr), &body)
			_, tok, _ := strings.Cut(body, "token=")
			return strings.Fields(tok)[0]
		}
		tok, _ := e.lastTokens(addr)
		return tok
	}
	sponsorPetition(t, e.ps, e.rejected, sponsorTokens)
	if err := e.ps.Reject(ctx, e.rejected.ID, "Not about a council contract", officer); err != nil {
		t.Fatal(err)
	}
	// A consultation with responses, closed, its outcome published.
	cons := mustOpenConsultation(t, e.cs, "parks", consult.AudienceAnyone)
	for i := range 6 {
		r := validResponse(cons, i)
		r.Email, r.Postcode = fmt.Sprintf("respondent%d@example.net", i), "AB1 2CD"
		if i == 5 {
			r.Email, r.Postcode = "", "" // anonymous from the start
		}
		if err := e.cs.AddResponse(ctx, "parks", r); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.cs.Close(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	if err := e.cs.PublishOutcome(ctx, "parks", consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c"}, officer); err != nil {
		t.Fatal(err)
	}
	// A closed ballot with votes.
	b, codes := e.ballotEnv.open(3)
	for i, code := range codes[:2] {
		if _, err := e.vote(b, code, i%2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.bs.Close(ctx, b.ID, officer); err != nil {
		t.Fatal(err)
	}
	// Half the mail was sent.
	if _, err := e.d.Writer().Exec(`UPDATE outbox SET sent_at = created_at, attempts = 1 WHERE id % 2 = 0`); err != nil {
		t.Fatal(err)
	}
	// A staff session that has expired, one that has not; a used and an
	// expired password link, and one still usable.
	w2 := e.d.Writer()
	for _, q := range []string{
		`INSERT INTO sessions (token, data, expiry) VALUES ('old', x'00', julianday('now', '-1 day')), ('live', x'00', julianday('now', '+1 day'))`,
		`INSERT INTO password_tokens (token_hash, user_id, purpose, created_at, expires_at, used_at) VALUES
			('used', 1, 'reset', '2026-01-01T00:00:00.000000000Z', '2999-01-01T00:00:00.000000000Z', '2026-01-01T00:10:00.000000000Z'),
			('expired', 1, 'reset', '2026-01-01T00:00:00.000000000Z', '2026-01-02T00:00:00.000000000Z', NULL),
			('usable', 1, 'invite', '2026-01-01T00:00:00.000000000Z', '2999-01-01T00:00:00.000000000Z', NULL)`,
	} {
		if _, err := w2.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// sponsorPetition is dbtest.SponsorPetition without the import cycle of
// a second helper: created, confirmed, five sponsors.
func sponsorPetition(t *testing.T, ps *db.PetitionStore, p *ballot.Petition, token func(string) string) {
	t.Helper()
	ctx := context.Background()
	if err := ps.CreatePetition(ctx, p, testBase); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ps.ConfirmCampaigner(ctx, token(p.CampaignerEmail)); err != nil {
		t.Fatal(err)
	}
	share, err := ps.ShareToken(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		addr := fmt.Sprintf("rsponsor%d@example.org", i)
		if err := ps.Sign(ctx, p.ID, sig(fmt.Sprintf("Sponsor %d", i), addr, "AB1 2CD"), share, testBase); err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Confirm(ctx, token(addr)); err != nil {
			t.Fatal(err)
		}
	}
}

// dbPath is the file d was opened on.
func dbPath(t *testing.T, d *db.DB) string {
	t.Helper()
	var seq int
	var name, file string
	mustScan(t, d.Reader().QueryRow(`PRAGMA database_list`), &seq, &name, &file)
	return file
}

func (e *retentionEnv) retain(asOf time.Time, dry bool) consult.RetentionReport {
	e.t.Helper()
	rep, err := e.d.Retain(context.Background(), consult.DefaultRetention().Cutoffs(asOf), "cli", dry)
	if err != nil {
		e.t.Fatal(err)
	}
	return rep
}

// publicState is every count, tally, ward count, threshold moment, ballot
// result and audit entry, and what of each signature and response is kept.
func publicState(t *testing.T, d *db.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, q := range map[string]string{
		"petitions": `SELECT id, contract_id, title, reasons, status, rejection_reason, sponsors_needed, sponsor_count,
			count_policy, threshold, electorate_count, electorate_as_of, opened_at, closes_at, threshold_met_at,
			signature_count, milestone, created_at, rejected_at FROM petitions ORDER BY id`,
		"ward counts": `SELECT * FROM petition_ward_counts ORDER BY petition_id, ward_code`,
		"signatures": `SELECT id, petition_id, ward, ward_code, resident, sponsor, channel, sheet, line, status,
			created_at, confirmed_at, review_reason FROM signatures ORDER BY id`,
		"consultations":  `SELECT * FROM consultations ORDER BY id`,
		"tallies":        `SELECT * FROM tallies ORDER BY question_id, choice`,
		"responses":      `SELECT id, consultation_id, receipt, channel, paper_serial, created_at, entered_by FROM responses ORDER BY id`,
		"answers":        `SELECT * FROM answers ORDER BY response_id, question_id, option_id`,
		"ballots":        `SELECT * FROM ballots ORDER BY id`,
		"ballot options": `SELECT * FROM ballot_options ORDER BY 1, 2`,
		"votes":          `SELECT * FROM ballot_votes ORDER BY 1, 2`,
		"receipts":       `SELECT * FROM ballot_receipts ORDER BY 1, 2`,
		"voter codes":    `SELECT * FROM voter_codes ORDER BY 1, 2`,
		"audit":          `SELECT * FROM audit_log WHERE action <> 'retention.run' ORDER BY id`,
		"electorate":     `SELECT * FROM electorate_snapshots ORDER BY id`,
	} {
		out[name] = dump(t, d.Reader(), q)
	}
	return out
}

// dump prints every row of a query, one a line.
func dump(t *testing.T, q *sql.DB, query string) string {
	t.Helper()
	rows, err := q.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				vals[i] = string(bs)
			}
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRetention_Invariants runs retention as of a day long after
// everything closed on a populated database: every public count, result
// and audit entry is unchanged, the audit chain verifies, and no signer's
// or respondent's name, email or postcode is left anywhere in the file or
// its write-ahead log.
func TestRetention_Invariants(t *testing.T) {
	e := newRetentionEnv(t)
	ctx := context.Background()
	before := publicState(t, e.d)
	if n := e.count(`SELECT COUNT(DISTINCT status) FROM signatures`); n != 4 {
		t.Fatalf("fixture: %d signature states, want pending, confirmed, withdrawn and invalidated", n)
	}
	if !strings.Contains(before["votes"], "\n") || e.count(`SELECT COUNT(*) FROM responses WHERE email IS NOT NULL`) != 5 {
		t.Fatal("fixture: no votes or no responses with email")
	}

	rep := e.retain(e.setup.AddDate(10, 0, 0), false)
	if rep.Signatures != e.count(`SELECT COUNT(*) FROM signatures`) || rep.Campaigners != 2 || rep.Responses != 5 ||
		rep.Mail == 0 || rep.Sessions != 2 || rep.Tokens != 2 {
		t.Errorf("report %+v", rep)
	}
	after := publicState(t, e.d)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed:\nbefore:\n%s\nafter:\n%s", k, v, after[k])
		}
	}
	if broken, _, err := db.NewAuditLog(e.d).VerifyAudit(ctx); err != nil || broken != 0 {
		t.Errorf("audit chain broken at %d, %v", broken, err)
	}
	var detail string
	mustScan(t, e.d.Reader().QueryRow(`SELECT detail FROM audit_log WHERE action = 'retention.run' AND actor = 'cli'`), &detail)
	if !strings.Contains(detail, "responses anonymised 5") || strings.Contains(detail, "@") {
		t.Errorf("audit detail %q: want counts only", detail)
	}
	// Nothing personal is left in a row.
	for q, want := range map[string]int{
		`SELECT COUNT(*) FROM signatures WHERE name <> '' OR name_key <> '' OR email IS NOT NULL OR email_key IS NOT NULL OR postcode <> ''`: 0,
		`SELECT COUNT(*) FROM petitions WHERE campaigner_name <> '' OR campaigner_email <> ''`:                                               0,
		`SELECT COUNT(*) FROM responses WHERE email IS NOT NULL OR postcode IS NOT NULL`:                                                     0,
		`SELECT COUNT(*) FROM outbox WHERE body <> '' OR to_addr <> ''`:                                                                      0,
		`SELECT COUNT(*) FROM sessions`:        0,
		`SELECT COUNT(*) FROM password_tokens`: 1,
	} {
		if got := e.count(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	// A second run finds nothing more.
	if again := e.retain(e.setup.AddDate(10, 0, 0), false); again.Total() != 0 {
		t.Errorf("second run: %+v", again)
	}
	// Nor in the file's bytes: secure_delete zeroes what was removed.
	if _, err := e.d.Writer().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{e.path, e.path + "-wal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{signer, "Confirmed Signer", "held.person@example.org", "respondent1@example.net", "rita@example.org", "Rita Rejected", "Sponsor 3"} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s still holds %q", f, s)
			}
		}
	}
}

// TestRetention_Periods: each kind goes when its own period is over and
// not a minute before, and a dry run counts the same without changing
// anything or writing to the audit log.
func TestRetention_Periods(t *testing.T) {
	e := newRetentionEnv(t)
	p := e.petitionEnv.petition(e.open.ID)
	// Spread the moments: the outcome is published 100 days on, after the
	// open petition closes (42 days on); the other petition was rejected
	// at set-up.
	published := e.setup.AddDate(0, 0, 100)
	if _, err := e.d.Writer().Exec(`UPDATE consultations SET outcome_published_at = ? WHERE slug = 'parks'`,
		published.Format("2006-01-02T15:04:05.000000000Z07:00")); err != nil {
		t.Fatal(err)
	}
	var rejectedAt string
	mustScan(t, e.d.Reader().QueryRow(`SELECT COALESCE(rejected_at, '') FROM petitions WHERE id = ?`, e.rejected.ID), &rejectedAt)
	if rejectedAt == "" {
		t.Fatal("rejected_at not set")
	}
	sigs := func(pid int64) int {
		return e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ?`, pid)
	}
	mailDue := e.count(`SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL OR body <> ''`)

	// The rejected petition's signers and campaigner go six months after
	// it was rejected; the open petition has not closed; the outcome is
	// not six months old; all the mail is over 30 days old.
	rep := e.retain(e.setup.AddDate(0, 6, 1), true)
	if rep.Signatures != sigs(e.rejected.ID) || rep.Campaigners != 1 || rep.Responses != 0 || rep.Mail != mailDue {
		t.Errorf("six months on (dry run): %+v, want %d signatures, 1 campaigner, %d mails", rep, sigs(e.rejected.ID), mailDue)
	}
	if n := e.count(`SELECT COUNT(*) FROM signatures WHERE anonymised_at IS NOT NULL`); n != 0 {
		t.Errorf("dry run anonymised %d signatures", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox`); n < mailDue {
		t.Errorf("dry run deleted mail: %d left", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run'`); n != 0 {
		t.Errorf("dry run wrote %d audit entries", n)
	}
	if got := e.retain(e.setup.AddDate(0, 6, 1), false); got != rep {
		t.Errorf("real run %+v, dry run said %+v", got, rep)
	}
	if n := e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND anonymised_at IS NULL`, e.open.ID); n != sigs(e.open.ID) {
		t.Errorf("open petition: %d of %d signatures kept, want all", n, sigs(e.open.ID))
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND (body <> '' OR to_addr <> '')`); n != 0 {
		t.Errorf("%d sent mails kept their body or address", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`); n != 0 {
		t.Errorf("%d unsent mails kept", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox WHERE subject <> ''`); n == 0 {
		t.Error("sent mail lost its subject")
	}

	// Signers of the open petition: six months after it closes.
	closes := p.ClosesAt
	if rep := e.retain(closes.AddDate(0, 6, 0).Add(-time.Minute), false); rep.Signatures != 0 || rep.Campaigners != 0 {
		t.Errorf("a minute short of six months after closing: %+v", rep)
	}
	if rep := e.retain(closes.AddDate(0, 6, 0), false); rep.Signatures != sigs(e.open.ID) || rep.Campaigners != 1 || rep.Responses != 0 {
		t.Errorf("six months after closing: %+v", rep)
	}
	var name, postcode, ward, channel string
	var email sql.NullString
	mustScan(t, e.d.Reader().QueryRow(`SELECT name, email, postcode, ward, channel FROM signatures WHERE petition_id = ? AND channel = 'paper'`, e.open.ID),
		&name, &email, &postcode, &ward, &channel)
	if name != "" || email.Valid || postcode != "" || ward != "Hillcrest" || channel != "paper" {
		t.Errorf("paper signature after: %q %v %q %q %q", name, email, postcode, ward, channel)
	}

	// Respondents: six months after the outcome.
	if rep := e.retain(published.AddDate(0, 6, 0).Add(-time.Minute), false); rep.Responses != 0 {
		t.Errorf("a minute short of six months after the outcome: %+v", rep)
	}
	if rep := e.retain(published.AddDate(0, 6, 0), false); rep.Responses != 5 {
		t.Errorf("six months after the outcome: %+v", rep)
	}
	var rEmail, rPostcode sql.NullString
	var receipt string
	mustScan(t, e.d.Reader().QueryRow(`SELECT email, postcode, receipt FROM responses ORDER BY id LIMIT 1`), &rEmail, &rPostcode, &receipt)
	if rEmail.Valid || rPostcode.Valid || receipt == "" {
		t.Errorf("response after: %v %v %q", rEmail, rPostcode, receipt)
	}
}

// TestRetention_MailDays: sent mail keeps its body 30 days, not 31.
func TestRetention_MailDays(t *testing.T) {
	d := MustOpenDB(t)
	ctx := context.Background()
	ob := db.NewOutbox(d)
	sent := time.Now().UTC()
	for _, to := range []string{"a@example.org", "b@example.org"} {
		if err := d.EnqueueMail(ctx, consult.Mail{To: to, Subject: "Hello", Body: "Body for " + to}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ob.MarkSent(ctx, 1, sent); err != nil {
		t.Fatal(err)
	}
	cut := func(days int) consult.RetentionReport {
		rep, err := d.Retain(ctx, consult.DefaultRetention().Cutoffs(sent.AddDate(0, 0, days)), "cli", false)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := cut(29); rep.Mail != 0 {
		t.Errorf("29 days after sending: %+v", rep)
	}
	if rep := cut(31); rep.Mail != 2 {
		t.Errorf("31 days after sending: %+v, want the sent mail cleared and the unsent one given up", rep)
	}
	var to, body, subject string
	mustScan(t, d.Reader().QueryRow(`SELECT to_addr, body, subject FROM outbox`), &to, &body, &subject)
	if to != "" || body != "" || subject != "Hello" {
		t.Errorf("sent mail after: %q %q %q", to, body, subject)
	}
}
