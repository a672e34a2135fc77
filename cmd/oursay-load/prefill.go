package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// Prefill writes straight into the database file while no server runs, so
// a million signatures take seconds rather than the hours the public
// interface would: it is a fixture for `make bench`, not a way to sign.
// Each row is what a confirmed online signature looks like (no stored
// token: serve signs its links, see db.LinkKey; a ward, timestamps), and the counters move in the same transaction as
// the rows, as Confirm would move them. The milestones and the threshold
// moment are recorded, with their audit entries, as the store records
// them; the council's "threshold met" mail is not queued.
const (
	prefillBatch    = 20_000 // rows a transaction
	prefillPerStmt  = 100    // rows an INSERT
	prefillCacheKiB = 256 << 10
)

// runPrefill adds cfg.signatures confirmed signatures to a petition in
// cfg.dbPath. A missing or empty file is first given the demo council by
// starting `oursay serve --demo` on it once.
func runPrefill(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	if fi, err := os.Stat(cfg.dbPath); err != nil || fi.Size() == 0 {
		fmt.Fprintf(stdout, "prefill: creating the demo council in %s\n", cfg.dbPath)
		srv, err := startServer(ctx, cfg, cfg.dbPath, "", stderr)
		if err != nil {
			return err
		}
		srv.stop()
	}
	d, err := db.Open(ctx, cfg.dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	id, err := prefillPetition(ctx, d.Reader(), cfg.petition)
	if err != nil {
		return err
	}
	wards, err := loadWards(ctx, d.Reader())
	if err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := d.Writer().ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", prefillCacheKiB)); err != nil {
		return err
	}
	run := strings.ToLower(rand.Text()[:8])
	var batches samples
	for done := 0; done < cfg.signatures; done += prefillBatch {
		n := min(prefillBatch, cfg.signatures-done)
		t := time.Now()
		if err := prefillTx(ctx, d.Writer(), id, wards, run, done, n, d.Now()); err != nil {
			return fmt.Errorf("prefill: %w", err)
		}
		batches.add(time.Since(t))
	}
	took := time.Since(t0)
	if err := recordMilestones(ctx, d, id); err != nil {
		return err
	}
	var count int
	if err := d.Reader().QueryRowContext(ctx, `SELECT signature_count FROM petitions WHERE id = ?`, id).Scan(&count); err != nil {
		return err
	}
	r := &result{scenario: "prefill", ops: int64(cfg.signatures), elapsed: took, main: batches,
		table: []series{{fmt.Sprintf("transaction of %d rows", prefillBatch), batches}}}
	r.set("petition", id)
	r.set("signature_count", count)
	r.set("db", cfg.dbPath)
	return r.print(stdout)
}

// prefillPetition returns id if given, else the first open petition with a
// live count.
func prefillPetition(ctx context.Context, q *sql.DB, id int64) (int64, error) {
	if id != 0 {
		return id, nil
	}
	err := q.QueryRowContext(ctx, `SELECT id FROM petitions WHERE status = 'open' AND count_policy = 'live'
		ORDER BY id LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errors.New("prefill: no open petition with a live count; pass --petition")
	}
	return id, err
}

// loadWards reads the council's postcodes, which signatures spread over.
func loadWards(ctx context.Context, q *sql.DB) ([]ballot.Ward, error) {
	rows, err := q.QueryContext(ctx, `SELECT postcode, ward, ward_code FROM postcodes ORDER BY postcode`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ballot.Ward
	for rows.Next() {
		var pc string
		var w ballot.Ward
		if err := rows.Scan(&pc, &w.Name, &w.Code); err != nil {
			return nil, err
		}
		// The postcode travels in Name's place until the insert.
		out = append(out, ballot.Ward{Name: pc + "\x00" + w.Name, Code: w.Code})
	}
	if len(out) == 0 {
		return nil, errors.New("prefill: the council has no postcodes")
	}
	return out, rows.Err()
}

const sigCols = `(petition_id, name, name_key, email, email_key, postcode, ward, ward_code, resident, sponsor,
	channel, status, confirm_token_hash, withdraw_token_hash, token_expires_at, created_at, confirmed_at)`

// prefillTx inserts n signatures, numbered from first, and moves the
// petition's and wards' counters by as many, in one transaction.
func prefillTx(ctx context.Context, w *sql.DB, id int64, wards []ballot.Ward, run string, first, n int, now time.Time) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO signatures `+sigCols+` VALUES `+
		strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 'online', 'confirmed', ?, ?, ?, ?, ?),`, prefillPerStmt), ","))
	if err != nil {
		return err
	}
	defer stmt.Close()
	perWard := map[ballot.Ward]int{}
	args := make([]any, 0, 13*prefillPerStmt)
	for i := first; i < first+n; i += prefillPerStmt {
		args = args[:0]
		for j := i; j < i+prefillPerStmt; j++ {
			w := wards[j%len(wards)]
			pc, ward, _ := strings.Cut(w.Name, "\x00")
			name := fmt.Sprintf("Prefill Signer %s %d", run, j)
			email := fmt.Sprintf("p%s-%d@prefill.oursay.test", run, j)
			at := now.Add(-time.Duration(first+n-j) * time.Millisecond)
			args = append(args, id, name, ballot.NameKey(name), email, ballot.EmailKey(email), pc, ward, w.Code,
				nil, nil, fmtTime(at.Add(7*24*time.Hour)), fmtTime(at), fmtTime(at))
			perWard[ballot.Ward{Name: ward, Code: w.Code}]++
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE petitions SET signature_count = signature_count + ? WHERE id = ?`, n, id); err != nil {
		return err
	}
	for w, c := range perWard {
		if _, err := tx.ExecContext(ctx, `INSERT INTO petition_ward_counts (petition_id, ward_code, ward, count) VALUES (?, ?, ?, ?)
			ON CONFLICT (petition_id, ward_code) DO UPDATE SET count = count + excluded.count`, id, w.Code, w.Name, c); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// recordMilestones records, as the store would have, each milestone the
// count has passed and the moment the threshold was met, with their audit
// entries.
func recordMilestones(ctx context.Context, d *db.DB, id int64) error {
	var count, threshold, milestone int
	var met sql.NullString
	err := d.Reader().QueryRowContext(ctx, `SELECT signature_count, threshold, milestone, threshold_met_at FROM petitions WHERE id = ?`, id).
		Scan(&count, &threshold, &milestone, &met)
	if err != nil || threshold <= 0 {
		return err
	}
	subject := fmt.Sprintf("petition:%d", id)
	for _, m := range []int{25, 50, 75} {
		if m > milestone && ballot.MilestoneFor(count, threshold) >= m {
			detail := fmt.Sprintf("%d%% of the threshold of %d reached", m, threshold)
			if err := d.AppendAudit(ctx, "system", "petition.milestone", subject, detail); err != nil {
				return err
			}
		}
	}
	if _, err := d.Writer().ExecContext(ctx, `UPDATE petitions SET milestone = ? WHERE id = ?`, ballot.MilestoneFor(count, threshold), id); err != nil {
		return err
	}
	if met.Valid || count < threshold {
		return nil
	}
	if _, err := d.Writer().ExecContext(ctx, `UPDATE petitions SET threshold_met_at = ? WHERE id = ? AND threshold_met_at IS NULL`,
		fmtTime(d.Now()), id); err != nil {
		return err
	}
	return d.AppendAudit(ctx, "system", "petition.threshold_met", subject, fmt.Sprintf("threshold %d met", threshold))
}

// fmtTime is the store's timestamp layout (db.timeLayout).
func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00") }

// runStart times `oursay serve` from exec to its first good /healthz on
// cfg.dbPath, cfg.repeat times, and reports the spread.
func runStart(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	var all samples
	var rss int64
	for range cfg.repeat {
		srv, err := startServer(ctx, cfg, cfg.dbPath, "", stderr)
		if err != nil {
			return err
		}
		all.add(srv.startUp)
		if kib, ok := srv.rssKiB(); ok {
			rss = kib
		}
		srv.stop()
	}
	var total time.Duration
	for _, d := range all {
		total += d
	}
	r := &result{scenario: "start", ops: int64(len(all)), elapsed: total, main: all,
		table: []series{{"exec → /healthz 200", all}}}
	r.rssKiB = &rss
	r.set("db", cfg.dbPath)
	if fi, err := os.Stat(cfg.dbPath); err == nil {
		r.set("db_mib", fi.Size()>>20)
	}
	return r.print(stdout)
}
