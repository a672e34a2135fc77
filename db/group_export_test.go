package db

import (
	"context"
	"database/sql"
	"time"
)

// SetGroupLimits sets how many requests d's group-commit writer puts in one
// batch and how long it waits for more, so tests can make a batch's members
// certain and benchmarks can compare settings.
func SetGroupLimits(d *DB, maxBatch int, linger time.Duration) {
	d.group.maxBatch.Store(int64(maxBatch))
	d.group.linger.Store(int64(linger))
}

// GroupReplays reports how many batches d's group-commit writer has run a
// second time, with a savepoint round each fn, because a fn failed after
// writing.
func GroupReplays(d *DB) int64 { return d.group.replays.Load() }

// AddCounts is addCounts, for tests of the deferred counters.
func AddCounts(ctx context.Context, tx *sql.Tx, query string, ids []int64, deltas ...int64) error {
	return addCounts(ctx, tx, query, ids, deltas...)
}
