package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to dest, which must not
// exist yet. It is safe while the server runs: VACUUM INTO reads one
// snapshot (a read transaction) on a reader connection, so writers carry on
// and the copy holds exactly what had committed when the backup began. The
// copy is a plain, compacted SQLite file made with mode 0600.
func (d *DB) Backup(ctx context.Context, dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup: %s already exists", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	// Create it first so it is 0600 from the start: it holds sessions and
	// email addresses. VACUUM INTO fills an empty file.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if _, err := d.reader.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict, "ok"
// for a sound file.
func (d *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	if err := d.reader.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return res, nil
}
