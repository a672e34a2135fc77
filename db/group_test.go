package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
)

// waitLimit bounds every wait in these tests, so a deadlock fails the test
// instead of hanging the package.
const waitLimit = 10 * time.Second

// mustScratch creates a table for the tests to write, with a UNIQUE column.
func mustScratch(tb testing.TB, d *db.DB) {
	tb.Helper()
	if _, err := d.Writer().Exec(`CREATE TABLE scratch (n INTEGER NOT NULL UNIQUE, at TEXT NOT NULL)`); err != nil {
		tb.Fatal(err)
	}
}

// insertN returns a Group fn that inserts n into scratch.
func insertN(n int) func(context.Context, *sql.Tx, time.Time) error {
	return func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO scratch (n, at) VALUES (?, ?)`, n, now.Format(time.RFC3339Nano))
		return err
	}
}

// insertAll returns n Group fns, the i-th inserting i.
func insertAll(n int) []func(context.Context, *sql.Tx, time.Time) error {
	fns := make([]func(context.Context, *sql.Tx, time.Time) error, n)
	for i := range fns {
		fns[i] = insertN(i)
	}
	return fns
}

// scratchRows returns the set of n values committed, read from the reader pool.
func scratchRows(tb testing.TB, r *sql.DB) map[int]bool {
	tb.Helper()
	rows, err := r.Query(`SELECT n FROM scratch`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	got := map[int]bool{}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			tb.Fatal(err)
		}
		got[n] = true
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return got
}

// hasRow reports whether scratch holds n, reading through r. It does not
// fail the test, so callers' goroutines may use it.
func hasRow(r *sql.DB, n int) (bool, error) {
	var got int
	err := r.QueryRow(`SELECT COUNT(*) FROM scratch WHERE n = ?`, n).Scan(&got)
	return got == 1, err
}

// groupAll runs fns[i] through d.Group concurrently and returns each result.
func groupAll(t *testing.T, d *db.DB, fns []func(context.Context, *sql.Tx, time.Time) error) []error {
	t.Helper()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = d.Group(context.Background(), fn) })
	}
	waitOrFail(t, &wg)
	return errs
}

// waitOrFail waits for wg, failing the test if it takes longer than waitLimit.
func waitOrFail(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("callers still blocked: deadlock or hang")
	}
}

// oneBatch makes the next n requests one batch, whatever the scheduling: the
// writer waits for all n of them before it begins.
func oneBatch(d *db.DB, n int) { db.SetGroupLimits(d, n, time.Minute) }

func TestDB_Group(t *testing.T) {
	ctx := context.Background()

	t.Run("ConcurrentCallersShareBatches", func(t *testing.T) {
		d := MustOpenDB(t)
		mustScratch(t, d)
		const n = 2000
		start := make(chan struct{})
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				if errs[i] = d.Group(ctx, insertN(i)); errs[i] != nil {
					return
				}
				// Answered only after the commit: another connection sees the row.
				if ok, err := hasRow(d.Reader(), i); !ok {
					errs[i] = fmt.Errorf("row not visible to the reader after Group (%v)", err)
				}
			})
		}
		close(start)
		waitOrFail(t, &wg)
		for i, err := range errs {
			if err != nil {
				t.Fatalf("caller %d: %v", i, err)
			}
		}
		if got := len(scratchRows(t, d.Reader())); got != n {
			t.Fatalf("rows = %d, want %d", got, n)
		}
		batches, requests := d.GroupStats()
		t.Logf("%d requests in %d batches", requests, batches)
		if requests != n || batches > requests/2 {
			t.Fatalf("GroupStats = %d batches, %d requests; want %d requests in at most %d batches", batches, requests, n, n/2)
		}
	})

	t.Run("FnErrorStaysWithItsCaller", func(t *testing.T) {
		d := MustOpenDB(t)
		mustScratch(t, d)
		const n, bad = 20, 7
		oneBatch(d, n)
		boom := errors.New("boom")
		fns := insertAll(n)
		fns[bad] = func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			if err := insertN(bad)(ctx, tx, now); err != nil {
				return err
			}
			return boom // after writing, so the savepoint must undo the row
		}
		errs := groupAll(t, d, fns)
		rows := scratchRows(t, d.Reader())
		for i, err := range errs {
			if i == bad {
				if err != boom || rows[i] {
					t.Errorf("failing caller: err = %v, row saved = %v; want boom, false", err, rows[i])
				}
				continue
			}
			if err != nil || !rows[i] {
				t.Errorf("caller %d: err = %v, row saved = %v; want nil, true", i, err, rows[i])
			}
		}
		if b, r := d.GroupStats(); b != 1 || r != n {
			t.Fatalf("GroupStats = %d, %d; want 1 batch of %d", b, r, n)
		}
		if got := db.GroupReplays(d); got != 1 {
			t.Fatalf("%d replays, want 1: the fn failed after writing", got)
		}
	})

	t.Run("FailureBeforeWritingNeedsNoReplay", func(t *testing.T) {
		d := MustOpenDB(t)
		mustScratch(t, d)
		const n, bad = 10, 4
		oneBatch(d, n)
		fns := make([]func(context.Context, *sql.Tx, time.Time) error, n)
		runs := make([]atomic.Int32, n)
		for i := range fns {
			fns[i] = func(ctx context.Context, tx *sql.Tx, now time.Time) error {
				runs[i].Add(1)
				if i == bad {
					return errors.New("refused before writing")
				}
				return insertN(i)(ctx, tx, now)
			}
		}
		errs := groupAll(t, d, fns)
		rows := scratchRows(t, d.Reader())
		for i, err := range errs {
			if (err != nil) != (i == bad) || rows[i] == (i == bad) {
				t.Errorf("caller %d: err = %v, row saved = %v", i, err, rows[i])
			}
			if got := runs[i].Load(); got != 1 {
				t.Errorf("fn %d ran %d times, want once", i, got)
			}
		}
		if got := db.GroupReplays(d); got != 0 {
			t.Fatalf("%d replays, want none", got)
		}
	})

	t.Run("DatabaseErrorIsReplayedCarefully", func(t *testing.T) {
		// An SQLite error other than a constraint may have rolled the
		// whole transaction back, so the batch is replayed with savepoints
		// even though the failing fn changed nothing.
		d := MustOpenDB(t)
		mustScratch(t, d)
		const n, bad = 6, 2
		oneBatch(d, n)
		fns := insertAll(n)
		full := sqlite3.Error{Code: sqlite3.ErrFull}
		fns[bad] = func(context.Context, *sql.Tx, time.Time) error { return fmt.Errorf("insert: %w", full) }
		errs := groupAll(t, d, fns)
		rows := scratchRows(t, d.Reader())
		for i, err := range errs {
			if (err != nil) != (i == bad) || rows[i] == (i == bad) {
				t.Errorf("caller %d: err = %v, row saved = %v", i, err, rows[i])
			}
		}
		if got := db.GroupReplays(d); got != 1 {
			t.Fatalf("%d replays, want 1", got)
		}
	})

	t.Run("FullDiskNeverCommitsHalf", func(t *testing.T) {
		// A real SQLITE_FULL part-way through a batch: whatever SQLite
		// undoes, every caller told nil has its row, every caller told an
		// error has none.
		d := MustOpenDB(t)
		mustScratch(t, d)
		var pages int
		if err := d.Writer().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Writer().Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+8)); err != nil {
			t.Fatal(err)
		}
		const n, big = 8, 4
		oneBatch(d, n)
		fns := insertAll(n)
		fns[big] = func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO scratch (n, at) VALUES (?, ?)`, big, strings.Repeat("x", 200_000))
			return err
		}
		errs := groupAll(t, d, fns)
		var se sqlite3.Error
		if !errors.As(errs[big], &se) || se.Code != sqlite3.ErrFull {
			t.Fatalf("big insert: %v, want SQLITE_FULL", errs[big])
		}
		rows := scratchRows(t, d.Reader())
		for i, err := range errs {
			if (err == nil) != rows[i] {
				t.Errorf("caller %d: err = %v but row saved = %v", i, err, rows[i])
			}
		}
	})

	t.Run("PanicStaysWithItsCaller", func(t *testing.T) {
		d := MustOpenDB(t)
		mustScratch(t, d)
		const n, bad = 10, 3
		oneBatch(d, n)
		fns := insertAll(n)
		fns[bad] = func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			_ = insertN(bad)(ctx, tx, now)
			panic("fn bug")
		}
		errs := groupAll(t, d, fns)
		rows := scratchRows(t, d.Reader())
		for i, err := range errs {
			if i == bad {
				if err == nil || !strings.Contains(err.Error(), "fn bug") || rows[i] {
					t.Errorf("panicking caller: err = %v, row saved = %v; want the panic, false", err, rows[i])
				}
			} else if err != nil || !rows[i] {
				t.Errorf("caller %d: err = %v, row saved = %v; want nil, true", i, err, rows[i])
			}
		}

		db.SetGroupLimits(d, 512, 0)
		if err := d.Group(ctx, insertN(100)); err != nil || !scratchRows(t, d.Reader())[100] {
			t.Fatalf("Group after a panic: %v; want the writer still working", err)
		}
	})

	t.Run("UniqueViolationUnchanged", func(t *testing.T) {
		d := MustOpenDB(t)
		mustScratch(t, d)
		if err := d.Group(ctx, insertN(1)); err != nil {
			t.Fatal(err)
		}
		oneBatch(d, 3)
		var fnErr error
		errs := groupAll(t, d, []func(context.Context, *sql.Tx, time.Time) error{
			insertN(2),
			func(ctx context.Context, tx *sql.Tx, now time.Time) error {
				fnErr = insertN(1)(ctx, tx, now)
				return fnErr
			},
			insertN(3),
		})
		var se sqlite3.Error
		if !errors.As(errs[1], &se) || se.ExtendedCode != sqlite3.ErrConstraintUnique || errs[1] != fnErr {
			t.Fatalf("duplicate: err = %v; want fn's own sqlite3 UNIQUE error", errs[1])
		}
		if errs[0] != nil || errs[2] != nil {
			t.Fatalf("others: %v, %v; want nil", errs[0], errs[2])
		}
		if got := len(scratchRows(t, d.Reader())); got != 3 {
			t.Fatalf("rows = %d, want 3", got)
		}
		if got := db.GroupReplays(d); got != 0 {
			t.Fatalf("%d replays, want none: SQLite undoes the failed INSERT itself", got)
		}
	})

	t.Run("AnsweredOnlyAfterCommit", func(t *testing.T) {
		// Two callers in one batch. The first fn to run is answered; the
		// second fn keeps the transaction open until that caller has read
		// through the reader pool, or 50ms. A caller answered before the
		// commit would read nothing.
		d := MustOpenDB(t)
		mustScratch(t, d)
		oneBatch(d, 2)
		var order atomic.Int32
		read := make(chan struct{})
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				first := false
				errs[i] = d.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
					if first = order.Add(1) == 1; !first {
						select {
						case <-read:
						case <-time.After(50 * time.Millisecond):
						}
					}
					return insertN(i)(ctx, tx, now)
				})
				if first {
					if ok, err := hasRow(d.Reader(), i); errs[i] == nil && !ok {
						errs[i] = fmt.Errorf("Group returned before its row was visible (%v)", err)
					}
					close(read)
				}
			})
		}
		waitOrFail(t, &wg)
		for i, err := range errs {
			if err != nil {
				t.Errorf("caller %d: %v", i, err)
			}
		}
	})

	t.Run("CancelledBeforeStartIsSkipped", func(t *testing.T) {
		// Two callers in one batch; the first fn to run blocks until the test
		// lets it go. Both contexts are then cancelled: the caller whose fn
		// has not run returns at once and its fn never runs; the other waits
		// for the commit and succeeds.
		d := MustOpenDB(t)
		mustScratch(t, d)
		oneBatch(d, 2)
		gate, started := make(chan struct{}), make(chan int, 2)
		var ran atomic.Int32
		ctxs, cancels := make([]context.Context, 2), make([]context.CancelFunc, 2)
		done := make([]chan error, 2)
		for i := range 2 {
			ctxs[i], cancels[i] = context.WithCancel(ctx)
			defer cancels[i]()
			done[i] = make(chan error, 1)
			go func() {
				done[i] <- d.Group(ctxs[i], func(ctx context.Context, tx *sql.Tx, now time.Time) error {
					ran.Add(1)
					started <- i
					<-gate
					return insertN(i)(ctx, tx, now)
				})
			}()
		}
		first := <-started
		other := 1 - first
		cancels[0]()
		cancels[1]()
		select {
		case err := <-done[other]:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled waiting caller: %v, want context.Canceled", err)
			}
		case <-time.After(waitLimit):
			t.Fatal("cancelled caller still waiting for the batch")
		}
		select {
		case err := <-done[first]:
			t.Fatalf("started caller returned %v before its batch committed", err)
		case <-time.After(20 * time.Millisecond):
		}
		close(gate)
		if err := <-done[first]; err != nil {
			t.Fatalf("started caller: %v, want nil (its fn ran and committed)", err)
		}
		if rows := scratchRows(t, d.Reader()); ran.Load() != 1 || len(rows) != 1 || !rows[first] {
			t.Fatalf("fns run = %d, rows = %v; want only caller %d's", ran.Load(), rows, first)
		}
	})

	t.Run("BatchSharesOneNow", func(t *testing.T) {
		d := MustOpenDB(t)
		var ticks atomic.Int64 // only the writer goroutine reads the clock here
		d.Now = func() time.Time { return t0.Add(time.Duration(ticks.Add(1))) }
		oneBatch(d, 3)
		seen := make([]time.Time, 3)
		fns := make([]func(context.Context, *sql.Tx, time.Time) error, 3)
		for i := range fns {
			fns[i] = func(_ context.Context, _ *sql.Tx, now time.Time) error { seen[i] = now; return nil }
		}
		for i, err := range groupAll(t, d, fns) {
			if err != nil {
				t.Fatalf("caller %d: %v", i, err)
			}
		}
		if seen[0] != seen[1] || seen[1] != seen[2] || !seen[0].After(t0) {
			t.Fatalf("now per fn = %v; want one instant from d.Now", seen)
		}
	})

	t.Run("NestedCallFailsFast", func(t *testing.T) {
		d := MustOpenDB(t)
		var inner error
		err := d.Group(ctx, func(ctx context.Context, _ *sql.Tx, _ time.Time) error {
			inner = d.Group(ctx, func(context.Context, *sql.Tx, time.Time) error { return nil })
			return nil
		})
		if err != nil || inner == nil {
			t.Fatalf("outer = %v, inner = %v; want nil and an error", err, inner)
		}
	})

	t.Run("NoDeadlockWithPlainWriterTx", func(t *testing.T) {
		// Admin actions use the writer pool's one connection directly; they
		// must interleave with batches, not wait on them forever.
		d := MustOpenDB(t)
		mustScratch(t, d)
		var wg sync.WaitGroup
		errs := make(chan error, 400)
		for i := range 200 {
			wg.Go(func() { errs <- d.Group(ctx, insertN(i)) })
			if i%10 == 0 {
				wg.Go(func() { errs <- plainInsert(ctx, d, 1000+i) })
			}
		}
		waitOrFail(t, &wg)
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := len(scratchRows(t, d.Reader())); got != 220 {
			t.Fatalf("rows = %d, want 220", got)
		}
	})

	t.Run("CloseDrains", func(t *testing.T) {
		testGroupCloseDrains(t)
	})
}

// plainInsert writes one row in its own transaction on the writer pool, as
// the stores' withTx does.
func plainInsert(ctx context.Context, d *db.DB, n int) error {
	tx, err := d.Writer().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertN(n)(ctx, tx, time.Now()); err != nil {
		return err
	}
	return tx.Commit()
}

// testGroupCloseDrains closes the database while one batch is in flight and
// more callers are waiting: Close waits for that batch to commit, every
// caller returns (nil only if its row is saved, else ErrClosed), and later
// calls get ErrClosed.
func testGroupCloseDrains(t *testing.T) {
	ctx := context.Background()
	d, path := dbtest.Open(t)
	mustScratch(t, d)

	gate, started := make(chan struct{}), make(chan struct{})
	inFlight := make(chan error, 1)
	go func() {
		inFlight <- d.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			close(started)
			<-gate
			return insertN(0)(ctx, tx, now)
		})
	}()
	<-started

	const waiting = 50
	errs := make([]error, waiting+1)
	var wg sync.WaitGroup
	for i := 1; i <= waiting; i++ {
		wg.Go(func() { errs[i] = d.Group(ctx, insertN(i)) })
	}
	closed := make(chan error, 1)
	go func() { closed <- d.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) before the batch in flight finished", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(gate)
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("Close hangs")
	}
	waitOrFail(t, &wg)
	errs[0] = <-inFlight
	if errs[0] != nil {
		t.Fatalf("in-flight caller: %v, want nil (its batch commits)", errs[0])
	}
	if err := d.Group(ctx, insertN(999)); !errors.Is(err, db.ErrClosed) {
		t.Fatalf("Group after Close: %v, want ErrClosed", err)
	}
	checkClosedResults(t, path, errs)
}

// checkClosedResults reopens the file and checks that exactly the callers
// answered nil have their rows, and that the rest were told ErrClosed.
func checkClosedResults(t *testing.T, path string, errs []error) {
	t.Helper()
	d := reopenDB(t, path)
	rows := scratchRows(t, d.Reader())
	for i, err := range errs {
		switch {
		case err == nil && !rows[i]:
			t.Errorf("caller %d told nil but its row is missing", i)
		case err != nil && (rows[i] || !errors.Is(err, db.ErrClosed)):
			t.Errorf("caller %d: err = %v, row saved = %v; want ErrClosed and no row", i, err, rows[i])
		}
	}
}

// reopenDB opens the existing database at path, closing it when the test
// ends.
func reopenDB(tb testing.TB, path string) *db.DB {
	tb.Helper()
	d, err := db.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}
