package db_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/db"
)

// Inside a Group transaction a counter statement is summed over the batch
// and run once before the commit (see addCounts). These tests hold it to
// the same result as running each statement at once: only the fns that
// succeed count, whether they fail cleanly, after writing rows (which
// runs the batch again with savepoints) or by panicking.

const (
	countOne = `UPDATE counters SET n = n + ? WHERE id = ?`
	countTwo = `UPDATE counters SET n = n + ?, m = m + ? WHERE id = ?`
	countUp  = `INSERT INTO pairs (k, a, b) VALUES (?1, ?2, ?3) ON CONFLICT (a, b) DO UPDATE SET k = k + ?1`
)

func mustCounters(tb testing.TB, d *db.DB) {
	tb.Helper()
	mustScratch(tb, d)
	for _, q := range []string{
		`CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, m INTEGER NOT NULL DEFAULT 0)`,
		`INSERT INTO counters (id) VALUES (1), (2)`,
		`CREATE TABLE pairs (a INTEGER, b INTEGER, k INTEGER NOT NULL, PRIMARY KEY (a, b))`,
	} {
		if _, err := d.Writer().Exec(q); err != nil {
			tb.Fatal(err)
		}
	}
}

// counter reads one counter column, committed, from the reader pool.
func counter(tb testing.TB, d *db.DB, q string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := d.Reader().QueryRow(q, args...).Scan(&n); err != nil {
		tb.Fatalf("%s %v: %v", q, args, err)
	}
	return n
}

// counting returns a Group fn that adds its deltas and then, if fail is
// set, fails: after inserting row (dirty) when row is not 0, else cleanly,
// or by panicking when fail is "panic".
func counting(q string, ids []int64, deltas []int64, row int, fail string) func(context.Context, *sql.Tx, time.Time) error {
	return func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := db.AddCounts(ctx, tx, q, ids, deltas...); err != nil {
			return err
		}
		if row != 0 {
			if err := insertN(row)(ctx, tx, now); err != nil {
				return err
			}
		}
		switch fail {
		case "":
			return nil
		case "panic":
			panic("counting: planned")
		}
		return errors.New(fail)
	}
}

func TestGroup_Counts(t *testing.T) {
	cases := []struct {
		name string
		fail string
		row  int // a failing fn's row: 0 fails before writing any
	}{
		{"clean failure", "refused", 0},
		{"failure after writing", "refused", 99},
		{"panic", "panic", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := MustOpenDB(t)
			mustCounters(t, d)
			fns := []func(context.Context, *sql.Tx, time.Time) error{
				counting(countOne, []int64{1}, []int64{1}, 1, ""),
				counting(countTwo, []int64{1}, []int64{10, 20}, 0, ""),
				counting(countOne, []int64{1}, []int64{100}, c.row, c.fail),
				counting(countUp, []int64{7, 8}, []int64{1}, 2, ""),
				counting(countUp, []int64{7, 8}, []int64{1000}, 0, c.fail),
				counting(countUp, []int64{7, 8}, []int64{3}, 0, ""),
				counting(countOne, []int64{2}, []int64{5}, 0, ""),
			}
			replays := db.GroupReplays(d)
			oneBatch(d, len(fns))
			errs := groupAll(t, d, fns)
			db.SetGroupLimits(d, 512, 0)
			for i, err := range errs {
				if want := i == 2 || i == 4; (err != nil) != want {
					t.Errorf("fn %d: err = %v, want an error: %v", i, err, want)
				}
			}
			if batches, requests := d.GroupStats(); requests-batches < int64(len(fns)-1) {
				t.Fatalf("GroupStats = %d batches, %d requests: the fns were not one batch", batches, requests)
			}
			if c.row != 0 && db.GroupReplays(d) == replays {
				t.Error("a fn failed after writing but the batch was not run again")
			}
			for _, x := range []struct {
				q    string
				args []any
				want int64
			}{
				{`SELECT n FROM counters WHERE id = ?`, []any{1}, 11},
				{`SELECT m FROM counters WHERE id = ?`, []any{1}, 20},
				{`SELECT n FROM counters WHERE id = ?`, []any{2}, 5},
				{`SELECT k FROM pairs WHERE a = ? AND b = ?`, []any{7, 8}, 4},
				{`SELECT COUNT(*) FROM scratch WHERE n = ?`, []any{99}, 0},
			} {
				if got := counter(t, d, x.q, x.args...); got != x.want {
					t.Errorf("%s %v = %d, want %d", x.q, x.args, got, x.want)
				}
			}
		})
	}
}

// TestGroup_CountsAcrossBatches runs many counting fns in batches of
// varying size, every third failing: the counters equal the successes.
func TestGroup_CountsAcrossBatches(t *testing.T) {
	d := MustOpenDB(t)
	mustCounters(t, d)
	const n = 300
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		fail := ""
		if i%3 == 0 {
			fail = "refused"
		}
		wg.Go(func() {
			errs[i] = d.Group(context.Background(), counting(countOne, []int64{1}, []int64{1}, 0, fail))
		})
	}
	waitOrFail(t, &wg)
	var ok int64
	for _, err := range errs {
		if err == nil {
			ok++
		}
	}
	if ok != n-n/3 {
		t.Fatalf("%d fns succeeded, want %d", ok, n-n/3)
	}
	if got := counter(t, d, `SELECT n FROM counters WHERE id = 1`); got != ok {
		t.Errorf("counter = %d after %d successful fns", got, ok)
	}
}

// TestAddCounts_OutsideGroup runs the statement at once.
func TestAddCounts_OutsideGroup(t *testing.T) {
	d := MustOpenDB(t)
	mustCounters(t, d)
	tx, err := d.Writer().Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := db.AddCounts(context.Background(), tx, countTwo, []int64{2}, 3, 4); err != nil {
		t.Fatal(err)
	}
	var n, m int64
	if err := tx.QueryRow(`SELECT n, m FROM counters WHERE id = 2`).Scan(&n, &m); err != nil {
		t.Fatal(err)
	}
	if n != 3 || m != 4 {
		t.Errorf("n, m = %d, %d in the transaction, want 3, 4", n, m)
	}
	if err := db.AddCounts(context.Background(), tx, countOne, nil, 1); err == nil {
		t.Error("AddCounts with no ids: no error")
	}
}
