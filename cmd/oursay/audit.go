package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strconv"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// headRE is a head as /audit and /api/audit/head publish it: COUNT:HASH.
var headRE = regexp.MustCompile(`^([1-9][0-9]*):([0-9a-f]{64})$`)

// auditVerify checks the audit log's hash chain and its seals under the
// key file, names the first broken entry, and, given a head saved earlier
// (--head COUNT:HASH from /audit), checks that the log still extends it:
// the chain's entry COUNT has that hash. Only a saved head shows a log
// whose tail was cut off.
func auditVerify(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("audit verify", stdout)
	dbPath := fs.String("db", "oursay.db", "SQLite database file (must exist)")
	keyFile := fs.String("key-file", "", "the server's key file, which seals the audit log (default: the database path + .key; must exist)")
	head := fs.String("head", "", "a head saved earlier from /audit or /api/audit/head, as COUNT:HASH: the log must still extend it")
	if err := fs.parse(args); err != nil {
		return err
	}
	var headID int64
	var headHash string
	if *head != "" {
		m := headRE.FindStringSubmatch(*head)
		if m == nil {
			return fs.bad("head", "give the head as COUNT:HASH, as /audit shows it")
		}
		headID, _ = strconv.ParseInt(m[1], 10, 64)
		headHash = m[2]
	}
	d, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	key, err := readAuditKey(codeKeyPath(*keyFile, *dbPath))
	if err != nil {
		return err
	}
	log := db.NewAuditLog(d)
	r, err := log.VerifySealed(ctx, db.AuditKey(key))
	if err != nil {
		return err
	}
	if r.BrokenAt != 0 {
		why := "its hash, its link or its seal is wrong"
		if r.Unsealed {
			why = "it has no seal: it was written without the key file"
		}
		fmt.Fprintf(stdout, "audit log BROKEN at entry %d (checked %d entries): %s\n", r.BrokenAt, r.Checked, why)
		return errFailed
	}
	sealed := "all sealed"
	if r.Legacy > 0 {
		sealed = fmt.Sprintf("entries 1 to %d predate the key and are checked by their hash chain only, the rest sealed", r.Legacy)
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries checked, %s; head %d:%s\n", r.Checked, sealed, r.HeadID, r.HeadHash)
	if headID == 0 {
		return nil
	}
	got, err := log.EntryHash(ctx, headID)
	if errors.Is(err, consult.ErrNotFound) || err == nil && got != headHash {
		fmt.Fprintf(stdout, "audit log does not extend the saved head %d:%s: entries were cut off or rewritten\n", headID, headHash)
		return errFailed
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit log extends the saved head %d:%s\n", headID, headHash)
	return nil
}

// readAuditKey reads the key file without creating it: a new key would
// only make every seal look wrong.
func readAuditKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("key file %s does not exist: give --key-file, the file serve uses", path)
	}
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if len(key) < codeKeySize {
		return nil, fmt.Errorf("key file %s: %d bytes, want at least %d", path, len(key), codeKeySize)
	}
	return key, nil
}
