package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// ErrClosed is returned by Group once Close has begun.
var ErrClosed = errors.New("db: closed")

// errNested is returned by a Group call made with the ctx of a Group fn,
// which would otherwise wait forever for the batch that is running it.
var errNested = errors.New("db: Group called from inside a Group fn")

// inGroup marks the ctx that Group passes to fn; its value is the
// transaction's *batchMemo.
type inGroup struct{}

// batchMemo holds what the fns of one shared transaction have read and can
// share: the consultation or ballot that every response or vote in a batch
// loads (see loadFixedConsultation and ballotForVote). The fns run one at a
// time on the writer goroutine, so it needs no lock, and a batch holds the
// only writer connection, so nothing else can change those rows while it
// runs. A memo lives for one transaction: a batch run again gets a fresh
// one, and the next batch reads afresh. Only rows that no Group fn changes
// may be kept here, counters aside, which fns never read from it.
type batchMemo struct {
	m map[any]any

	// Counter deltas (see addCounts): sums holds those of the fns that
	// have succeeded, pending those of the fn running now, which settle
	// moves into sums or drops with the fn's other changes.
	sums    map[countKey]countDelta
	pending []pendingCount
}

// memoFrom returns the memo of the Group transaction ctx belongs to, or nil
// outside Group.
func memoFrom(ctx context.Context) *batchMemo {
	m, _ := ctx.Value(inGroup{}).(*batchMemo)
	return m
}

func (m *batchMemo) get(key any) (any, bool) {
	if m == nil {
		return nil, false
	}
	v, ok := m.m[key]
	return v, ok
}

func (m *batchMemo) put(key, v any) {
	if m == nil {
		return
	}
	if m.m == nil {
		m.m = map[any]any{}
	}
	m.m[key] = v
}

// memoized returns what load returns, read once per Group transaction: the
// first fn of a batch to ask for key runs load and keeps a good result in
// the batch's memo, and the others get that same value, which they must
// not change. Outside Group it just calls load. key must name the row
// fully (its type and id or slug), as two fns in one batch may ask for two
// different rows.
func memoized[T any](ctx context.Context, key any, load func() (T, error)) (T, error) {
	memo := memoFrom(ctx)
	if v, ok := memo.get(key); ok {
		return v.(T), nil
	}
	v, err := load()
	if err == nil {
		memo.put(key, v)
	}
	return v, err
}

// Batch limits. A batch takes whatever callers are already waiting, so under
// load batches form on their own while the previous commit is syncing. A
// lone caller is never held back to wait for company: lingering would cap a
// sequential writer (a bulk import, a test) at one commit per linger.
const (
	groupMaxBatch = 512
	groupLinger   = 0
)

// Request states. The writer moves a request from pending to started just
// before running its fn; a caller whose ctx ends first moves it to abandoned.
// Whoever moves it first decides whether fn ever runs.
const (
	reqPending int32 = iota
	reqStarted
	reqAbandoned
)

type groupReq struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx *sql.Tx, now time.Time) error
	state atomic.Int32
	done  chan error // buffered: the writer never waits for the caller
}

// groupWriter is the one goroutine that batches hot writes into shared
// transactions. It holds the writer connection only while a batch runs, so
// plain d.writer.BeginTx users queue between batches.
type groupWriter struct {
	d        *DB
	reqs     chan *groupReq // unbuffered: a request is either in a batch or still the caller's
	quit     chan struct{}  // closed by stop: no new requests
	exited   chan struct{}  // closed when the goroutine has returned
	stopOnce sync.Once

	// Limits, atomic so tests can change them while the writer runs.
	maxBatch atomic.Int64
	linger   atomic.Int64 // a time.Duration

	batches, requests atomic.Int64
	replays           atomic.Int64 // batches run again with savepoints
}

// startGroup starts the group-commit writer; Open calls it once the writer
// pool is ready.
func (d *DB) startGroup() {
	g := &groupWriter{
		d:      d,
		reqs:   make(chan *groupReq),
		quit:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	g.maxBatch.Store(groupMaxBatch)
	g.linger.Store(groupLinger)
	d.group = g
	go g.loop()
}

// stopGroup refuses new callers, lets the batch in flight commit and waits
// for the writer goroutine to return. It is safe to call more than once.
func (d *DB) stopGroup() {
	g := d.group
	if g == nil {
		return
	}
	g.stopOnce.Do(func() { close(g.quit) })
	<-g.exited
}

// Group runs fn inside a transaction shared with other concurrent callers
// and returns only after that transaction has committed (or fn's own error).
// If fn returns an error, only fn's changes are rolled back and that error
// is returned to this caller alone; other callers in the batch are
// unaffected. fn may run twice (see run): it must be safe to repeat. now is the batch's fixed timestamp.
// If the commit itself fails, every caller in the batch gets that error.
//
// If ctx ends before fn starts, fn never runs and Group returns ctx.Err().
// Once fn has started it runs to the end and Group waits for the commit:
// fn's ctx keeps ctx's values but not its cancellation, because SQLite rolls
// back the whole transaction when an INSERT, UPDATE or DELETE in it is
// interrupted, which would undo the other callers' work too.
//
// fn must be short and write only through tx: the batch holds the single
// writer connection, so using d.Writer() or any other store write inside fn
// deadlocks (calling Group with fn's ctx fails at once instead). fn must not
// Commit or Rollback tx. A panic in fn is returned to this caller as an
// error. Group returns ErrClosed once Close has begun.
func (d *DB) Group(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx, now time.Time) error) error {
	g := d.group
	if g == nil {
		return ErrClosed
	}
	if ctx.Value(inGroup{}) != nil {
		return errNested
	}
	r := &groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.reqs <- r:
	case <-g.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqPending, reqAbandoned) {
			return ctx.Err()
		}
		return <-r.done // fn has started: its answer is the commit's
	}
}

// GroupStats reports how many batches the group-commit writer has committed
// or tried to, and how many requests they carried.
func (d *DB) GroupStats() (batches, requests int64) {
	if d.group == nil {
		return 0, 0
	}
	return d.group.batches.Load(), d.group.requests.Load()
}

func (g *groupWriter) loop() {
	defer close(g.exited)
	var batch []*groupReq
	for {
		select {
		case <-g.quit: // before reqs, so a closing writer takes no new batch
			return
		default:
		}
		select {
		case <-g.quit:
			return
		case r := <-g.reqs:
			batch = g.gather(append(batch[:0], r))
			for rest := batch; len(rest) > 0; {
				rest = g.run(rest)
			}
			clear(batch) // let the requests be collected
		}
	}
}

// gather adds the requests already waiting to batch, then, if a linger is
// set, those that arrive before it runs out. Before deciding that nobody is
// waiting it yields once: a sender readies the writer ahead of the goroutines
// already runnable, so on one CPU every batch would otherwise be a batch of
// one while a burst of callers sat in the run queue.
func (g *groupWriter) gather(batch []*groupReq) []*groupReq {
	var deadline <-chan time.Time
	if linger := time.Duration(g.linger.Load()); linger > 0 {
		t := time.NewTimer(linger)
		defer t.Stop()
		deadline = t.C
	}
	yielded := false
	for limit := int(g.maxBatch.Load()); len(batch) < limit; {
		select {
		case r := <-g.reqs:
			batch = append(batch, r)
			continue
		default:
		}
		if !yielded {
			yielded = true
			runtime.Gosched()
			continue
		}
		if deadline == nil {
			return batch
		}
		select {
		case r := <-g.reqs:
			batch = append(batch, r)
		case <-deadline:
			return batch
		case <-g.quit:
			return batch
		}
	}
	return batch
}

// run runs batch in one transaction and answers its callers. If the shared
// transaction breaks part-way (a savepoint statement fails), the callers so
// far get that error and run returns the requests not yet reached, for a
// fresh transaction.
//
// Each fn first runs bare, without a savepoint of its own: a SAVEPOINT and
// RELEASE per request, and the statement journal they make SQLite keep,
// cost the writer about a third of its throughput, and nearly every fn
// either succeeds or fails before it writes (a closed petition, a repeat
// signature refused by its UNIQUE index, whose own statement SQLite undoes).
// When a fn fails after changing rows, the batch is rolled back and run
// again from the start with a savepoint round each fn, so its changes alone
// are undone; fns must therefore be safe to run twice (they may only set
// variables, never accumulate into them, outside tx).
func (g *groupWriter) run(batch []*groupReq) (rest []*groupReq) {
	g.batches.Add(1)
	careful := false
	for {
		tx, err := g.d.writer.BeginTx(context.Background(), nil)
		if err != nil {
			g.requests.Add(int64(len(batch)))
			answerAll(batch, fmt.Errorf("group begin: %w", err))
			return nil
		}
		mark, err := g.d.auditMark(context.Background(), tx)
		if err != nil {
			tx.Rollback()
			g.requests.Add(int64(len(batch)))
			answerAll(batch, fmt.Errorf("group begin: %w", err))
			return nil
		}
		memo := &batchMemo{}
		results, n, broken, dirty := runFns(tx, batch, g.d.now(), careful, memo)
		if dirty && broken == nil {
			tx.Rollback()
			g.d.txEnded(tx, false)
			careful = true
			g.replays.Add(1)
			continue
		}
		batch, rest = batch[:n], batch[n:]
		g.requests.Add(int64(n))
		if broken == nil {
			broken = memo.flushCounts(tx)
		}
		if broken == nil {
			broken = g.d.sealAudit(context.Background(), tx, mark)
		}
		if broken != nil {
			tx.Rollback()
			g.d.txEnded(tx, false)
			answer(batch, results, fmt.Errorf("group: shared transaction broken: %w", broken))
			return rest
		}
		if err := tx.Commit(); err != nil {
			g.d.txEnded(tx, false)
			answer(batch, results, fmt.Errorf("group commit: %w", err))
			return nil
		}
		g.d.txEnded(tx, true) // before answering, so a caller's mail is announced by the time Group returns
		answer(batch, results, nil)
		return nil
	}
}

// runFns runs each request's fn in turn, skipping callers that have left.
// It stops early if the transaction breaks (n is how many it reached), or,
// when not careful, at the first fn that fails after changing rows (dirty).
func runFns(tx *sql.Tx, batch []*groupReq, now time.Time, careful bool, memo *batchMemo) (results []error, n int, broken error, dirty bool) {
	results = make([]error, len(batch))
	for i, r := range batch {
		if !r.claim() {
			results[i] = errSkipped
			continue
		}
		if careful {
			results[i], broken = runSaved(tx, r, now, memo)
		} else {
			results[i], broken, dirty = runBare(tx, r, now, memo)
		}
		if broken != nil || dirty {
			return results[:i+1], i + 1, broken, dirty
		}
	}
	return results, len(batch), nil, false
}

// errSkipped marks a request whose caller left before its fn started.
var errSkipped = errors.New("group: skipped")

// claim reports whether fn may run: the caller is still waiting for it, or
// fn has started already and its batch is being run again.
func (r *groupReq) claim() bool {
	if r.state.Load() == reqStarted {
		return true
	}
	if r.ctx.Err() != nil {
		r.state.CompareAndSwap(reqPending, reqAbandoned)
		return false
	}
	return r.state.CompareAndSwap(reqPending, reqStarted)
}

// runBare runs r.fn with no savepoint. dirty reports that fn failed after
// changing rows, which only rolling back the whole batch can undo; broken,
// that counting the changes failed.
func runBare(tx *sql.Tx, r *groupReq, now time.Time, memo *batchMemo) (res, broken error, dirty bool) {
	before, err := totalChanges(tx)
	if err != nil {
		return nil, err, false
	}
	fnCtx := context.WithValue(context.WithoutCancel(r.ctx), inGroup{}, memo)
	res = callFn(fnCtx, tx, r.fn, now)
	memo.settle(res == nil)
	if res == nil {
		return nil, nil, false
	}
	// An SQLite error other than a constraint (a full disk, an I/O error,
	// no memory) may have rolled the whole transaction back, leaving the
	// connection in autocommit, where the next fn's statements would each
	// commit alone: replay carefully, where the savepoints find it out.
	var se sqlite3.Error
	if errors.As(res, &se) && se.Code != sqlite3.ErrConstraint {
		return res, nil, true
	}
	after, err := totalChanges(tx)
	if err != nil {
		return res, err, false
	}
	return res, nil, after != before
}

// totalChanges is SQLite's count of rows the connection has inserted,
// updated or deleted, triggers included; a statement that failed and was
// undone adds nothing.
func totalChanges(tx *sql.Tx) (n int64, err error) {
	err = tx.QueryRowContext(context.Background(), `SELECT total_changes()`).Scan(&n)
	return n, err
}

// runSaved runs r.fn inside a savepoint. res is fn's own result; broken is
// set when a savepoint statement fails, which leaves the shared transaction
// unusable (SQLite may have rolled it back already, e.g. on a full disk).
func runSaved(tx *sql.Tx, r *groupReq, now time.Time, memo *batchMemo) (res, broken error) {
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, "SAVEPOINT group_req"); err != nil {
		return nil, err
	}
	_, mailed := mailTxs.Load(tx)
	fnCtx := context.WithValue(context.WithoutCancel(r.ctx), inGroup{}, memo)
	res = callFn(fnCtx, tx, r.fn, now)
	memo.settle(res == nil)
	if res != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO group_req"); err != nil {
			return res, err
		}
		if !mailed {
			mailTxs.Delete(tx) // fn's mail, if any, is undone
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE group_req"); err != nil {
		return res, err
	}
	return res, nil
}

// callFn runs fn, turning a panic into an error so one bad request cannot
// stop the writer goroutine that every hot write depends on.
func callFn(ctx context.Context, tx *sql.Tx, fn func(context.Context, *sql.Tx, time.Time) error, now time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("group: fn panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(ctx, tx, now)
}

// answer replies to each caller once the transaction has ended: fn's own
// error if it had one, else txErr (nil when the commit succeeded). A skipped
// caller has gone or is going, but gets its ctx error in case it reads.
func answer(batch []*groupReq, results []error, txErr error) {
	for i, r := range batch {
		switch err := results[i]; {
		case err == errSkipped:
			r.done <- r.ctx.Err()
		case err != nil:
			r.done <- err
		default:
			r.done <- txErr
		}
	}
}

// answerAll gives every caller in batch the same error.
func answerAll(batch []*groupReq, err error) {
	for _, r := range batch {
		r.done <- err
	}
}
