package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/oursay/oursay/db"
)

// openExisting opens the database a command reads (audit verify, backup,
// codes generate, admin reset-password). A path with no file is refused:
// SQLite would otherwise create an empty database at a mistyped --db and
// the command would report on nothing.
func openExisting(ctx context.Context, path string) (*db.DB, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("database %s does not exist (check --db; nothing was created)", path)
	case err != nil:
		return nil, fmt.Errorf("database %s: %w", path, err)
	case fi.IsDir():
		return nil, fmt.Errorf("database %s is a folder, not a database file", path)
	}
	return openDB(ctx, path)
}

// openDB opens (creating if need be) the database at path, and on failure
// says which file and, where it can tell, why.
func openDB(ctx context.Context, path string) (*db.DB, error) {
	d, err := db.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w%s", path, err, openCause(path))
	}
	return d, nil
}

// openCause guesses why SQLite could not open path. The usual one is a
// folder the server's user cannot write: the database file itself may be
// writable, but WAL mode needs to create path-wal and path-shm beside it,
// and SQLite then says only "attempt to write a readonly database".
func openCause(path string) string {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); err != nil {
		return fmt.Sprintf(" (its folder %s cannot be reached: %v)", dir, err)
	}
	if !dirWritable(dir) {
		base := filepath.Base(path)
		return fmt.Sprintf(" (the folder %s is not writable by this user, so SQLite cannot create %s-wal and %s-shm beside the database: "+
			"make the folder writable by the user oursay runs as, or put the database in a folder that is)", dir, base, base)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Sprintf(" (the file cannot be opened for writing: %v)", err)
	}
	f.Close()
	return ""
}

// dirWritable reports whether a file can be created in dir, by creating
// (and removing) one: permission bits alone do not say, for root or under
// a read-only mount.
func dirWritable(dir string) bool {
	f, err := os.CreateTemp(dir, ".oursay-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}
