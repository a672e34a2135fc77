package db

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// blobFor is the content row i of a walvfs test holds: size bytes that
// differ from row to row, so a page read from the wrong place shows.
func blobFor(i, size int) []byte {
	b := make([]byte, 0, size+sha256.Size)
	seed := sha256.Sum256([]byte(fmt.Sprint(i)))
	for len(b) < size {
		b = append(b, seed[:]...)
		seed = sha256.Sum256(seed[:])
	}
	return b[:size]
}

// checkBlobs reads every row of blobs through q and compares it with what
// blobFor wrote, then runs SQLite's integrity check.
func checkBlobs(t *testing.T, q querier, rows, size int) {
	t.Helper()
	ctx := context.Background()
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM blobs`).Scan(&n); err != nil || n != rows {
		t.Fatalf("rows: got %d (%v), want %d", n, err, rows)
	}
	rs, err := q.QueryContext(ctx, `SELECT id, b FROM blobs ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		var id int
		var b []byte
		if err := rs.Scan(&id, &b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, blobFor(id, size)) {
			t.Fatalf("row %d: the blob read back differs from the one written", id)
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	var ok string
	if err := q.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q, %v", ok, err)
	}
}

// The writer's WAL writes are gathered in memory, but every byte SQLite
// wrote must be in the file when SQLite syncs it: that sync is what makes
// a commit durable. Group commits of small and large changes (one larger
// than the VFS's buffer) through the real writer.
func TestWALVFS_SyncsCoverEveryWrite(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Writer().Exec(`CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	checkWALSyncs(true)
	defer checkWALSyncs(false)
	const rows, size = 200, 3000
	var wg sync.WaitGroup
	errs := make(chan error, rows)
	for i := range rows {
		wg.Go(func() {
			errs <- d.Group(ctx, func(ctx context.Context, tx *sql.Tx, _ time.Time) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO blobs (id, b) VALUES (?, ?)`, i, blobFor(i, size))
				return err
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// One commit of 1 MiB, more than one buffer's worth of frames.
	big := make([]byte, 1<<20)
	rand.Read(big)
	if _, err := d.Writer().Exec(`CREATE TABLE big (b BLOB NOT NULL); INSERT INTO big (b) VALUES (?)`, big); err != nil {
		t.Fatal(err)
	}
	checked, short := checkWALSyncs(false)
	if checked == 0 {
		t.Fatal("no WAL sync went through the oursay-wal VFS: is the writer on it?")
	}
	if short != 0 {
		t.Fatalf("%d of %d WAL syncs found the file without bytes SQLite had written", short, checked)
	}
	checkBlobs(t, d.Reader(), rows, size)
	var got []byte
	if err := d.Reader().QueryRow(`SELECT b FROM big`).Scan(&got); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("the 1 MiB blob read back differs (%v)", err)
	}
}

// walConn opens one connection on the oursay-wal VFS with the writer's
// settings, synchronous as given and a page cache of cachePages.
func walConn(t *testing.T, path, synchronous string, cachePages int) *sql.DB {
	t.Helper()
	if err := registerWALVFS(); err != nil {
		t.Fatal(err)
	}
	u := strings.Replace(dsn(path, "rwc", "immediate"), "_synchronous=FULL", "_synchronous="+synchronous, 1)
	c, err := sql.Open(driverName, u+"&vfs="+walVFS+fmt.Sprintf("&_cache_size=%d", cachePages))
	if err != nil {
		t.Fatal(err)
	}
	c.SetMaxOpenConns(1)
	t.Cleanup(func() { c.Close() })
	var got string
	if err := c.QueryRow(`PRAGMA synchronous`).Scan(&got); err != nil || got != map[string]string{"FULL": "2", "NORMAL": "1"}[synchronous] {
		t.Fatalf("PRAGMA synchronous: got %q (%v), want %s", got, err, synchronous)
	}
	if _, err := c.Exec(`CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return c
}

// A transaction larger than the page cache spills pages to the WAL before
// it commits and reads them back from there: the read must find what was
// written, not a hole where gathered bytes have not reached the file yet.
// Rows changed again after they spilled are written over their frames in
// place, out of the order the VFS gathers: those must land where SQLite
// put them too.
func TestWALVFS_ReadsBackSpilledPages(t *testing.T) {
	c := walConn(t, filepath.Join(t.TempDir(), "t.db"), "FULL", 10)
	tx, err := c.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const rows, size = 400, 2000
	for i := range rows {
		if _, err := tx.Exec(`INSERT INTO blobs (id, b) VALUES (?, ?)`, i, blobFor(-1-i, size)); err != nil {
			t.Fatal(err)
		}
	}
	for i := rows - 1; i >= 0; i-- {
		if _, err := tx.Exec(`UPDATE blobs SET b = ? WHERE id = ?`, blobFor(i, size), i); err != nil {
			t.Fatal(err)
		}
	}
	checkBlobs(t, tx, rows, size)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	checkBlobs(t, c, rows, size)
}

// With synchronous=NORMAL a commit does not sync the WAL, so nothing on the
// WAL file itself calls for the gathered bytes before another connection,
// told of the new frames by the WAL index, reads them.
func TestWALVFS_OtherConnectionsReadPublishedFrames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	w := walConn(t, path, "NORMAL", 2000)
	r, err := sql.Open(driverName, dsn(path, "ro", "deferred"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const size = 1500
	for i := range 100 {
		if _, err := w.Exec(`INSERT INTO blobs (id, b) VALUES (?, ?)`, i, blobFor(i, size)); err != nil {
			t.Fatal(err)
		}
		var b []byte
		if err := r.QueryRow(`SELECT b FROM blobs WHERE id = ?`, i).Scan(&b); err != nil {
			t.Fatalf("row %d from another connection: %v", i, err)
		}
		if !bytes.Equal(b, blobFor(i, size)) {
			t.Fatalf("row %d from another connection differs from the one written", i)
		}
	}
	checkBlobs(t, r, 100, size)
}

// A transaction that spilled pages to the WAL and rolled back leaves
// nothing behind: another writer (another process, such as `oursay codes
// generate` beside the server) then commits over the same WAL offsets, and
// the first connection's next read must not write the rolled-back bytes
// over that commit.
func TestWALVFS_RollbackLeavesNothingBehind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	a := walConn(t, path, "FULL", 10)
	b, err := sql.Open(driverName, dsn(path, "rw", "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	b.SetMaxOpenConns(1)
	defer b.Close()
	if _, err := b.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	const rows, size = 400, 2000
	tx, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows / 2 {
		if _, err := tx.Exec(`INSERT INTO blobs (id, b) VALUES (?, ?)`, i, blobFor(-1-i, size)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	btx, err := b.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if _, err := btx.Exec(`INSERT INTO blobs (id, b) VALUES (?, ?)`, i, blobFor(i, size)); err != nil {
			t.Fatal(err)
		}
	}
	if err := btx.Commit(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.QueryRow(`SELECT count(*) FROM blobs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	r, err := sql.Open(driverName, dsn(path, "ro", "deferred"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	checkBlobs(t, r, rows, size)
}

// The writer must sync the WAL at every commit: db.open refuses one that
// does not, and accepts the writer's own settings.
func TestCheckFullSync_RefusesAWriterThatDoesNotSync(t *testing.T) {
	dir := t.TempDir()
	if err := checkFullSync(t.Context(), walConn(t, filepath.Join(dir, "full.db"), "FULL", 100)); err != nil {
		t.Errorf("synchronous=FULL refused: %v", err)
	}
	err := checkFullSync(t.Context(), walConn(t, filepath.Join(dir, "normal.db"), "NORMAL", 100))
	if err == nil || !strings.Contains(err.Error(), "synchronous=1, not FULL") {
		t.Errorf("synchronous=NORMAL: got %v, want a refusal naming the setting", err)
	}
}
