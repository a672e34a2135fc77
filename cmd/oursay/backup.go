package main

import (
	"context"
	"fmt"
	"io"

	"github.com/oursay/oursay/db"
)

// backup copies a database, safely while the server is running, and checks
// the copy before saying it is good.
func backup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("backup", stdout)
	dbPath := fs.String("db", "oursay.db", "SQLite database file (must exist)")
	out := fs.String("out", "", "file to write the copy to (must not exist)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fs.bad("out", "give the file to write the copy to")
	}
	d, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(ctx, *out); err != nil {
		return err
	}
	cp, err := db.Open(ctx, *out)
	if err != nil {
		return fmt.Errorf("open the copy: %w", err)
	}
	defer cp.Close()
	res, err := cp.IntegrityCheck(ctx)
	if err != nil {
		return err
	}
	if res != "ok" {
		fmt.Fprintf(stdout, "backup written to %s but its integrity check says: %s\n", *out, res)
		return errFailed
	}
	fmt.Fprintf(stdout, "backup written to %s (integrity check ok)\n", *out)
	return nil
}
