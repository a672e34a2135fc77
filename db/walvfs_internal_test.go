package db

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
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

// insertBlobs inserts rows from..to-1 of blobs through q, each blobFor its
// id, and returns the first error.
func insertBlobs(q interface {
	Exec(string, ...any) (sql.Result, error)
}, from, to, size int) error {
	for i := from; i < to; i++ {
		if _, err := q.Exec(`INSERT INTO blobs (id, b) VALUES (?, ?)`, i, blobFor(i, size)); err != nil {
			return err
		}
	}
	return nil
}

// checkBlobs checks that blobs holds rows rows, each what blobFor wrote
// (see readBlobs).
func checkBlobs(t *testing.T, q querier, rows, size int) {
	t.Helper()
	if n := readBlobs(t, q, size); n != rows {
		t.Fatalf("rows: got %d, want %d", n, rows)
	}
}

// readBlobs reads every row of blobs through q, fails the test unless each
// is what blobFor wrote and SQLite's integrity check passes, and returns
// how many there are.
func readBlobs(t *testing.T, q querier, size int) (rows int) {
	t.Helper()
	ctx := context.Background()
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
		rows++
	}
	if err := rs.Err(); err != nil {
		t.Fatalf("reading the rows: %v", err)
	}
	var ok string
	if err := q.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %.200q, %v", ok, err)
	}
	return rows
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
	if err := insertBlobs(btx, 0, rows, size); err != nil {
		t.Fatal(err)
	}
	if err := btx.Commit(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.QueryRow(`SELECT count(*) FROM blobs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if got := checkWhole(t, path, size); got != rows {
		t.Fatalf("rows: got %d, want %d", got, rows)
	}
}

// The writer must sync the WAL at every commit: db.open refuses one that
// does not, and accepts the writer's own settings.
func TestCheckFullSync_RefusesAWriterThatDoesNotSync(t *testing.T) {
	dir := t.TempDir()
	full := writerDSN
	t.Cleanup(func() { writerDSN = full })
	writerDSN = func(path string) string {
		return strings.Replace(full(path), "_synchronous=FULL", "_synchronous=NORMAL", 1)
	}
	d, err := Open(t.Context(), filepath.Join(dir, "open.db"))
	if err == nil {
		d.Close()
		t.Fatal("Open accepted a writer with synchronous=NORMAL")
	}
	if !strings.Contains(err.Error(), "synchronous=1, not FULL") {
		t.Errorf("Open with synchronous=NORMAL: %v, want the setting named", err)
	}
	if err := checkFullSync(t.Context(), walConn(t, filepath.Join(dir, "full.db"), "FULL", 100)); err != nil {
		t.Errorf("synchronous=FULL refused: %v", err)
	}
}

// checkWhole reads blobs through a fresh reader of path (see readBlobs)
// and returns how many rows it holds. A failed write must fail the
// transaction that made it, never leave a committed one with a hole where
// the bytes belonged.
func checkWhole(t *testing.T, path string, size int) (rows int) {
	t.Helper()
	r, err := sql.Open(driverName, dsn(path, "ro", "deferred"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return readBlobs(t, r, size)
}

// A transaction larger than the page cache has spilled frames still
// gathered when the disk fills: the flush before its next read fails.
// SQLite meets a full disk on a read as that statement's error alone, so
// unless the VFS turns it into an I/O error the transaction would go on
// and commit over the frames that were never written. It must fail
// instead, and the connection must work again afterwards.
func TestWALVFS_FailedFlushFailsTheTransaction(t *testing.T) {
	const size = 2000
	path := filepath.Join(t.TempDir(), "t.db")
	c := walConn(t, path, "FULL", 10)
	tx, err := c.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := insertBlobs(tx, 0, 200, size); err != nil {
		t.Fatal(err)
	}
	failWALFlush(path+"-wal", 1, int(sqlite3.ErrFull))
	_, uerr := tx.Exec(`UPDATE blobs SET b = b WHERE id <= 1`)
	if left := failWALFlush("", 0, 0); left != 0 {
		t.Fatal("no gathered bytes were flushed when the UPDATE read the WAL: the test did not reach its failure")
	}
	if uerr == nil {
		t.Fatal("the UPDATE succeeded, though the bytes flushed before its read were lost")
	}
	insertBlobs(tx, 200, 260, size) // may fail: the transaction may be gone
	if err := tx.Commit(); err == nil {
		t.Log("the transaction committed after losing bytes; its rows are checked")
	}
	if err := insertBlobs(c, 1000, 1001, size); err != nil {
		t.Fatalf("a fresh transaction after the failed one: %v", err)
	}
	checkWhole(t, path, size)
}

// The bytes one connection has gathered are also flushed when another
// connection in the process publishes frames or starts reading (its
// shared-memory barrier), where a failure cannot be returned. The
// connection that wrote them must still learn of it: its commit fails.
func TestWALVFS_FailedFlushForAnotherConnectionFailsItsCommit(t *testing.T) {
	const rows, size = 300, 2000
	dir := t.TempDir()
	yPath := filepath.Join(dir, "y.db")
	y := walConn(t, yPath, "FULL", 10)
	x := walConn(t, filepath.Join(dir, "x.db"), "FULL", 100)
	tx, err := y.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := insertBlobs(tx, 0, rows, size); err != nil {
		t.Fatal(err)
	}
	failWALFlush(yPath+"-wal", 1, int(sqlite3.ErrIoErrWrite))
	var n int
	xerr := x.QueryRow(`SELECT count(*) FROM blobs`).Scan(&n)
	if left := failWALFlush("", 0, 0); left != 0 {
		t.Fatal("x's read flushed none of y's gathered bytes: the test did not reach its failure")
	}
	if xerr != nil {
		t.Fatalf("x's own read failed: %v", xerr)
	}
	if err := tx.Commit(); err == nil {
		if got := checkWhole(t, yPath, size); got != rows {
			t.Fatalf("y's commit succeeded with %d of its %d rows", got, rows)
		}
		t.Fatal("y's commit succeeded though x's barrier could not write y's bytes")
	}
}

// Without powersafe overwrite (psow=0) SQLite writes the end of a commit's
// padding after its sync, which gathered would wait for the barrier: the
// VFS gathers nothing for such a database, and does for the writer's.
func TestWALVFS_GathersNothingWithoutPowersafeOverwrite(t *testing.T) {
	if err := registerWALVFS(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		uri    string
		gather bool
	}{{"", true}, {"&psow=0", false}} {
		path := filepath.Join(t.TempDir(), "t.db")
		c, err := sql.Open(driverName, dsn(path, "rwc", "immediate")+tc.uri+"&vfs="+walVFS)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Exec(`CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		before := walGathered()
		if err := insertBlobs(c, 1, 2, 2000); err != nil {
			t.Fatal(err)
		}
		if got := walGathered() > before; got != tc.gather {
			t.Errorf("dsn%s: gathered writes %v, want %v", tc.uri, got, tc.gather)
		}
		checkWhole(t, path, 2000)
	}
}

// A commit whose gathered bytes cannot be written fails, and the failure
// is reported once: the next transaction on the connection commits.
func TestWALVFS_FailedWriteIsReportedOnce(t *testing.T) {
	const size = 2000
	path := filepath.Join(t.TempDir(), "t.db")
	c := walConn(t, path, "FULL", 1000)
	insert := func(from, to int) error {
		tx, err := c.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := insertBlobs(tx, from, to, size); err != nil {
			return err
		}
		return tx.Commit()
	}
	// 100 rows of 2,000 bytes are some 50 pages: more than one buffer.
	failWALFlush(path+"-wal", 1, int(sqlite3.ErrIoErrWrite))
	err := insert(0, 100)
	if left := failWALFlush("", 0, 0); left != 0 {
		t.Fatal("the commit flushed nothing: the test did not reach its failure")
	}
	if err == nil {
		t.Fatal("the commit succeeded though its bytes could not be written")
	}
	if err := insert(100, 200); err != nil {
		t.Fatalf("the next transaction: %v", err)
	}
	if got := checkWhole(t, path, size); got != 100 {
		t.Fatalf("%d rows committed, want the second transaction's 100", got)
	}
}

// The sync check counts only what this connection wrote since its last
// sync: another connection may truncate the WAL in between (a TRUNCATE
// checkpoint), and the file is then rightly shorter than the furthest
// byte this connection ever wrote. Before, the check reported every sync
// after such a truncation as short.
func TestWALVFS_SyncCheckAfterAnotherConnectionTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	w := walConn(t, path, "FULL", 2000)
	const size = 3000
	if err := insertBlobs(w, 0, 200, size); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open(driverName, dsn(path, "rw", "deferred"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	checkWALSyncs(true)
	defer checkWALSyncs(false)
	var busy, logged, done int
	if err := other.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() != 0 {
		t.Fatalf("the WAL after a TRUNCATE checkpoint: %v, %v", fi, err)
	}
	if err := insertBlobs(w, 200, 210, size); err != nil {
		t.Fatal(err)
	}
	checked, short := checkWALSyncs(false)
	if checked < 10 || short != 0 {
		t.Fatalf("%d of %d WAL syncs after the truncation found the file short", short, checked)
	}
	checkBlobs(t, other, 210, size)
}
