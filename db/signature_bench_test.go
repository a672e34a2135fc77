package db_test

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// benchSigRows is how many confirmed signatures the petition holds before
// a signature benchmark starts: `make bench` passes 1000000 so the ceiling
// is measured on the same table size as the load tool's petition.
var benchSigRows = flag.Int("bench.sigrows", 0, "signatures already on the petition before signature benchmarks")

// BenchmarkSignatures_Insert is the raw ceiling of the signatures table:
// rows shaped like Sign's with a LinkKey, as serve runs it (name key, email
// key, ward, no stored token hashes), inserted with
// one prepared statement in transactions of batch rows on the writer, with
// the database's own settings (WAL, synchronous=FULL). No savepoints, no
// checks, no outbox row, no counters: what sign is compared against.
func BenchmarkSignatures_Insert(b *testing.B) {
	for _, batch := range []int{1, 64, 512} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			e := newPetitionEnv(b, 1_000_000)
			p := e.openPetition(ballot.CountLive)
			fillSignatures(b, e, p.ID, *benchSigRows)
			var n int
			for b.Loop() {
				if err := insertSignatures(e, p.ID, n, batch); err != nil {
					b.Fatal(err)
				}
				n += batch
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkPetitionStore_SignParallel signs through the store, as the HTTP
// handler does, from 32×GOMAXPROCS goroutines that each sign again as soon
// as their last signature is acknowledged: the group-commit writer, the
// checks, the outbox row. Compare BenchmarkSignatures_Insert.
func BenchmarkPetitionStore_SignParallel(b *testing.B) {
	e := newPetitionEnv(b, 1_000_000)
	p := e.openPetition(ballot.CountLive)
	fillSignatures(b, e, p.ID, *benchSigRows)
	closedLoop(b, e.d, "signs/s", 0, func(i int) {
		s := sig(fmt.Sprintf("Bench Signer %d", i), fmt.Sprintf("bench%d@example.org", i), "AB1 2CD")
		if err := e.ps.Sign(context.Background(), p.ID, s, "", testBase); err != nil {
			b.Error(err)
		}
	})
}

// benchSigInsert starts an INSERT of signature rows like Sign's.
const benchSigInsert = `INSERT INTO signatures (petition_id, name, name_key, email, email_key, postcode, ward,
	ward_code, resident, sponsor, channel, status, confirm_token_hash, withdraw_token_hash, token_expires_at, created_at)
	VALUES `

// insertSignatures inserts rows first … first+n-1 in one transaction.
func insertSignatures(e *petitionEnv, petition int64, first, n int) error {
	ctx := context.Background()
	tx, err := e.d.Writer().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, benchSigInsert+`(?, ?, ?, ?, ?, ?, 'Riverside', 'E05000001', 1, 0, 'online', 'pending', ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	now := time.Now().UTC()
	at, expires := now.Format(time.RFC3339Nano), now.Add(7*24*time.Hour).Format(time.RFC3339Nano)
	for i := first; i < first+n; i++ {
		name, email := fmt.Sprintf("Raw Signer %d", i), fmt.Sprintf("raw%d@example.org", i)
		if _, err := stmt.ExecContext(ctx, petition, name, ballot.NameKey(name), email, ballot.EmailKey(email),
			"AB1 2CD", nil, nil, expires, at); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// fillSignatures gives the petition n confirmed signatures before the
// timer starts, 100 rows a statement and 20,000 a transaction, then
// checkpoints the WAL away, as a server restarted on the file would find it.
func fillSignatures(tb testing.TB, e *petitionEnv, petition int64, n int) {
	tb.Helper()
	for done := 0; done < n; done += 20_000 {
		if err := fillTx(e, petition, done, min(20_000, n-done)); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := e.d.Writer().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		tb.Fatal(err)
	}
}

func fillTx(e *petitionEnv, petition int64, first, n int) error {
	const per = 100
	ctx := context.Background()
	tx, err := e.d.Writer().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	row := `(?, ?, ?, ?, ?, 'AB2 4GH', 'Hillcrest', 'E05000002', 1, 0, 'online', 'confirmed', ?, ?, ?, ?)`
	stmt, err := tx.PrepareContext(ctx, benchSigInsert+strings.TrimSuffix(strings.Repeat(row+",", per), ","))
	if err != nil {
		return err
	}
	defer stmt.Close()
	at := time.Now().UTC().Format(time.RFC3339Nano)
	args := make([]any, 0, 9*per)
	for i := first; i+per <= first+n; i += per {
		args = args[:0]
		for j := i; j < i+per; j++ {
			name, email := fmt.Sprintf("Old Signer %d", j), fmt.Sprintf("old%d@example.org", j)
			args = append(args, petition, name, ballot.NameKey(name), email, ballot.EmailKey(email), nil, nil, at, at)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
