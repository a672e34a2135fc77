package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/paper"
)

// codeKeySize is the length of the voter code key: an HMAC-SHA256 key.
const codeKeySize = 32

// codeKeyPath is where the voter code key lives: the --key-file flag, or
// beside the database as DB.key. It is a separate file so that a copy of
// the database alone (a backup, a stolen laptop) cannot test codes.
func codeKeyPath(flagValue, dbPath string) string {
	if flagValue != "" {
		return flagValue
	}
	return dbPath + ".key"
}

// loadCodeKey reads the voter code key, creating it with 32 random bytes
// and mode 0600 if the file does not exist. created says it was made now.
func loadCodeKey(path string) (key []byte, created bool, err error) {
	key, err = os.ReadFile(path)
	if err == nil {
		if len(key) < codeKeySize {
			return nil, false, fmt.Errorf("voter code key %s: %d bytes, want at least %d", path, len(key), codeKeySize)
		}
		return key, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("voter code key: %w", err)
	}
	key = make([]byte, codeKeySize)
	rand.Read(key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // made by another process just now
		return loadCodeKey(path)
	}
	if err != nil {
		return nil, false, fmt.Errorf("voter code key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		os.Remove(path)
		return nil, false, fmt.Errorf("voter code key: %w", err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return nil, false, fmt.Errorf("voter code key: %w", err)
	}
	return key, true, nil
}

// codesGenerate makes voter codes for a ballot: the codes go to the CSV
// (and, with --letters, to a PDF of letters) once, and only their keyed
// hashes to the database. Files are written before the hashes are stored,
// and removed if storing fails, so no code exists that cannot vote and no
// stored code is missing from the file.
func codesGenerate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("codes generate", stdout)
	dbPath := fs.String("db", "oursay.db", "SQLite database file (must exist)")
	keyFile := fs.String("key-file", "", "voter code key file (default: the database path + .key; created if missing)")
	ballotID := fs.Int64("ballot", 0, "id of the ballot the codes are for")
	count := fs.Int("count", 0, "how many codes to generate: one per eligible voter")
	out := fs.String("out", "", "CSV file to write the codes to; it must not exist")
	letters := fs.String("letters", "", "also write one A4 letter per code to this PDF; it must not exist")
	baseURL := fs.String("base-url", "", "public URL of the site, for the links in the CSV and the letters' QR codes")
	if err := fs.parse(args); err != nil {
		return err
	}
	switch {
	case *ballotID <= 0:
		return fs.bad("ballot", "give the ballot's id")
	case *count < 1 || *count > 10_000_000:
		return fs.bad("count", "from 1 to 10,000,000")
	case *out == "":
		return fs.bad("out", "give the CSV file to write the codes to")
	case *letters != "" && *baseURL == "":
		return fs.bad("letters", "give --base-url too, for the QR code on each letter")
	}
	if *baseURL != "" {
		if err := checkBaseURL(*baseURL); err != nil {
			return fs.bad("base-url", err.Error())
		}
	}
	d, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	key, created, err := loadCodeKey(codeKeyPath(*keyFile, *dbPath))
	if err != nil {
		return err
	}
	d.SetAuditKey(db.AuditKey(key))
	store := db.NewBallotStore(d)
	b, err := store.Ballot(ctx, *ballotID)
	if err != nil {
		return err
	}
	if !b.AcceptsCodes(time.Now()) {
		return fmt.Errorf("ballot %d: voting has started, so no more codes can be added (they would change the turnout and the quorum)", b.ID)
	}
	settings, err := db.NewSettingsStore(d).Settings(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	codes, hashes := ballot.GenerateCodes(key, b.ID, *count)
	files, err := writeCodeFiles(b, codes, *out, *letters, *baseURL, paper.CouncilOf(settings))
	if err != nil {
		return err
	}
	if err := store.AddCodes(ctx, b.ID, hashes, "cli"); err != nil {
		for _, f := range files {
			os.Remove(f)
		}
		return err
	}
	if created {
		fmt.Fprintf(stdout, "Created the voter code key %s. Back it up apart from the database: without it no code can vote.\n", codeKeyPath(*keyFile, *dbPath))
	}
	fmt.Fprintf(stdout, "Wrote %d voter codes for ballot %d to %s in %v; only their keyed hashes are stored.\n",
		len(codes), b.ID, *out, time.Since(start).Round(time.Millisecond))
	if *letters != "" {
		fmt.Fprintf(stdout, "Wrote %d letters to %s.\n", len(codes), *letters)
	}
	fmt.Fprintln(stdout, "The codes cannot be shown again: destroy the files once the letters are printed.")
	return nil
}

// writeCodeFiles writes the CSV and, if asked, the letters, each created
// afresh with mode 0600. On an error it removes what it wrote.
func writeCodeFiles(b *ballot.Ballot, codes []string, csvPath, lettersPath, baseURL string, council paper.Council) (written []string, err error) {
	defer func() {
		if err != nil {
			for _, f := range written {
				os.Remove(f)
			}
			written = nil
		}
	}()
	if err := writeNew(csvPath, func(w io.Writer) error { return paper.WriteCodesCSV(w, b.ID, codes, baseURL) }); err != nil {
		return written, err
	}
	written = append(written, csvPath)
	if lettersPath == "" {
		return written, nil
	}
	if err := writeNew(lettersPath, func(w io.Writer) error { return paper.WriteVoterLetters(w, b, baseURL, codes, council) }); err != nil {
		return written, err
	}
	return append(written, lettersPath), nil
}

// writeNew creates path (refusing to overwrite it), fills it with write and
// syncs it; on failure the file is removed.
func writeNew(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := errors.Join(write(f), f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
