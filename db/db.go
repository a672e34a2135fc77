// Package db keeps OurSay's data in one SQLite file: the schema and its
// embedded migrations, and the stores that implement the domain packages'
// interfaces, for consultations (ConsultStore, UserStore, AuditLog, Outbox)
// and for recall (ContractStore, CouncilData, PetitionStore, BallotStore).
// It also owns the mail outbox, backups and the signed signature links.
//
// It stores; it does not decide. Each change loads its state inside its
// transaction, asks the domain (consult.Consultation.CanOpen,
// ballot.Petition.Count, ballot.SignOnline, ...) what the rule says, and
// applies the answer, the audit entry and any mail in that same
// transaction. The site's URL paths are the domain's too (ballot.Links,
// consult.Links). Live pages hear of a change (consult.Publisher) only
// after it has committed.
//
// All writes go through one writer connection, so SQLite's single-writer
// lock is never fought over inside the process; the hot writes (signing,
// confirming, voting) share group-committed transactions (Group). Reads use
// a separate pool of read-only connections, which WAL mode lets run beside
// the writer.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"
)

// DB is an open OurSay database: one writer connection and a pool of readers
// on the same file.
type DB struct {
	writer *sql.DB
	reader *sql.DB
	group  *groupWriter // the group-commit writer; see Group

	// ckpt is the connection that checkpoints the WAL beside the writer;
	// see checkpoint.go.
	ckpt               *sql.DB
	ckptQuit, ckptDone chan struct{}

	contracts contractCache // see ContractStore.Contract
	questions questionCache // see loadFixedConsultation
	auditKey  []byte        // seals audit entries; see audit_seal.go

	mailQueued atomic.Pointer[func()] // see Outbox.OnQueued

	// Now returns the current time. Each transaction calls it once, so every
	// timestamp written by one change is the same instant. Tests swap it for
	// a fixed clock.
	Now func() time.Time
}

// Open opens (creating it with mode 0600 if new) the database at path and
// applies any migrations it has not had yet. path must name a file:
// ":memory:" would give every pooled connection its own empty database.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("open db: a file path is required")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	// Create the file ourselves so it is 0600 from the start: the sessions
	// table is keyed by raw session tokens. SQLite gives its -wal and -shm
	// files the same mode as the database file.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	d := &DB{Now: func() time.Time { return time.Now().UTC() }}
	if err := d.open(ctx, abs); err != nil {
		d.Close()
		return nil, fmt.Errorf("open db: %w", err)
	}
	d.startGroup()
	return d, nil
}

func (d *DB) open(ctx context.Context, path string) error {
	if err := registerWALVFS(); err != nil {
		return err
	}
	// BEGIN IMMEDIATE takes the write lock up front: a deferred BEGIN that
	// later writes gets SQLITE_BUSY at once, ignoring the busy timeout.
	// Only the writer writes the WAL, so only it needs walVFS.
	var err error
	if d.writer, err = sql.Open(driverName, writerDSN(path)); err != nil {
		return err
	}
	d.writer.SetMaxOpenConns(1)
	d.writer.SetMaxIdleConns(1)
	d.writer.SetConnMaxLifetime(0)
	if err := d.writer.PingContext(ctx); err != nil {
		return err
	}
	if err := checkFullSync(ctx, d.writer); err != nil {
		return err
	}
	if err := migrate(ctx, d.writer, d.now()); err != nil {
		return err
	}
	// The readers open the file read-only, so a store bug can never write
	// around the single writer. They keep deferred transactions: a read-only
	// connection cannot take the write lock that BEGIN IMMEDIATE asks for.
	if d.reader, err = sql.Open(driverName, dsn(path, "ro", "deferred")); err != nil {
		return err
	}
	n := max(4, 2*runtime.NumCPU())
	d.reader.SetMaxOpenConns(n)
	d.reader.SetMaxIdleConns(n)
	if err := d.reader.PingContext(ctx); err != nil {
		return err
	}
	return d.startCheckpoints(ctx, path)
}

// writerDSN is the writer connection's DSN: the shared settings on
// walVFS. A variable, so that a test can hand db.open a writer with other
// settings and see it refused.
var writerDSN = func(path string) string {
	return dsn(path, "rwc", "immediate") + "&vfs=" + walVFS
}

// checkFullSync refuses a writer that does not sync the WAL at each
// commit (synchronous=FULL): walVFS relies on that sync to put a commit's
// bytes in the file, and a saved response or vote must survive a power cut.
func checkFullSync(ctx context.Context, writer *sql.DB) error {
	var sync int
	if err := writer.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil {
		return err
	}
	if sync != 2 {
		return fmt.Errorf("the writer runs with synchronous=%d, not FULL (2)", sync)
	}
	return nil
}

// stmtCacheSize is how many prepared statements each connection keeps.
const stmtCacheSize = 64

// dsn puts every setting in the connection string, because database/sql opens
// connections on its own and a PRAGMA run once with Exec reaches only one of
// them. The file: URI form lets SQLite take mode=ro and escapes odd paths.
func dsn(path, mode, txlock string) string {
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_journal_mode", "WAL")
	// WAL would otherwise default to synchronous=NORMAL, which can lose the
	// last commits on power loss; a saved response or vote must stay saved.
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	// Deleted and overwritten content is zeroed, so a signer's email that
	// retention or an erasure removed does not linger in a free page or
	// in a cell's old space, where a copy of the file would still hold it.
	q.Set("_secure_delete", "on")
	q.Set("_txlock", txlock)
	// Keep each connection's most recent prepared statements: the hot
	// writes and reads are the same few dozen statements over and over,
	// and preparing one afresh through cgo each time was 11% of the
	// server's CPU while signing (the driver resets a statement before
	// caching it and takes it out of the cache while in use).
	q.Set("_stmt_cache_size", strconv.Itoa(stmtCacheSize))
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// Close stops the group-commit writer, letting its batch in flight commit,
// and the checkpoints, then closes both pools.
func (d *DB) Close() error {
	d.stopGroup()
	errs := []error{d.stopCheckpoints()}
	if d.reader != nil {
		errs = append(errs, d.reader.Close())
	}
	if d.writer != nil {
		errs = append(errs, d.writer.Close())
	}
	return errors.Join(errs...)
}

// Writer returns the single-connection pool that every write goes through.
// The session store uses it so session writes queue with the others instead
// of contending for SQLite's lock.
func (d *DB) Writer() *sql.DB { return d.writer }

// Reader returns the pool of read-only connections.
func (d *DB) Reader() *sql.DB { return d.reader }

// Ping checks that both pools can reach the database.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("ping writer: %w", err)
	}
	if err := d.reader.PingContext(ctx); err != nil {
		return fmt.Errorf("ping reader: %w", err)
	}
	return nil
}

// SchemaVersion returns the version of the newest migration applied.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := d.reader.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

func (d *DB) now() time.Time {
	if d.Now == nil {
		return time.Now().UTC()
	}
	return d.Now().UTC()
}
