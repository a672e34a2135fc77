package db

import (
	"context"
	"database/sql"
	"time"
)

// These let the external tests in package db_test reach the unexported
// transaction helpers, to prove that mail queued inside a change's
// transaction goes away with it.

// WithTxForTest is d.withTx.
func WithTxForTest(d *DB, ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) error {
	return d.withTx(ctx, fn)
}

// EnqueueMailForTest is enqueueMail.
var EnqueueMailForTest = enqueueMail
