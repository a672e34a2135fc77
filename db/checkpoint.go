package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Checkpoints. By default SQLite copies the WAL back into the database file
// inside whichever commit takes the WAL past 1,000 pages, on the committing
// connection: here, the one writer, so every hot write waits while pages
// are copied and the file is synced. On a table of a million signatures,
// whose token-hash indexes put each insert on a different page, that is
// up to half the writer's time (BenchmarkSignatures_Insert at 200,000 rows
// ran at 5,000 rows/s with it and 10,000 with the writer not checkpointing
// at all). So a goroutine of its own checkpoints on a connection of
// its own every checkpointEvery, beside the writer (a PASSIVE checkpoint
// takes no write lock).
//
// The writer's own automatic checkpoint is still what starts the WAL over
// (the next transaction can restart the log only if it begins with every
// frame copied, which the background rarely catches between two group
// commits). It costs the commit that runs it a stall that grows with the
// WAL: measured under sign at 4,700 submissions a second, about 70 ms
// every 0.4 s at 8,192 pages (32 MiB), which put the acknowledgement p99 at
// 83 ms, and about 180 ms every 4 s at 65,536 pages (256 MiB), p99 38 ms.
// The WAL file may therefore reach 256 MiB under sustained load.
const (
	checkpointEvery       = 100 * time.Millisecond
	writerCheckpointPages = 65536 // 256 MiB of 4 KiB pages
	driverName            = "sqlite3_oursay"
)

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// Per connection, so in a hook: a PRAGMA run once with Exec would
		// reach only one pooled connection. Readers never commit, so it
		// matters only for the writer.
		_, err := c.Exec(fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", writerCheckpointPages), nil)
		return err
	}})
}

// startCheckpoints opens the checkpoint connection and starts the loop;
// Open calls it once the schema is in place.
func (d *DB) startCheckpoints(ctx context.Context, path string) error {
	var err error
	if d.ckpt, err = sql.Open(driverName, dsn(path, "rw", "deferred")); err != nil {
		return err
	}
	d.ckpt.SetMaxOpenConns(1)
	d.ckpt.SetMaxIdleConns(1)
	d.ckpt.SetConnMaxLifetime(0)
	if err := d.ckpt.PingContext(ctx); err != nil {
		return err
	}
	d.ckptQuit, d.ckptDone = make(chan struct{}), make(chan struct{})
	go d.checkpointLoop()
	return nil
}

func (d *DB) checkpointLoop() {
	defer close(d.ckptDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-d.ckptQuit:
			return
		case <-t.C:
		}
		// A failure (the file busy, say) is left for the next tick or for
		// the writer's own checkpoint: nothing is lost by skipping one.
		d.ckpt.Exec("PRAGMA wal_checkpoint(PASSIVE)")
	}
}

// stopCheckpoints ends the loop and closes its connection.
func (d *DB) stopCheckpoints() error {
	if d.ckptQuit != nil {
		close(d.ckptQuit)
		<-d.ckptDone
		d.ckptQuit = nil
	}
	if d.ckpt == nil {
		return nil
	}
	return d.ckpt.Close()
}
