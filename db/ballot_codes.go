package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// codeBatch is how many codes one INSERT carries: 2 parameters each, well
// under SQLite's limit, and few enough statements that 100,000 codes take a
// fraction of a second.
const codeBatch = 500

// AddCodes stores the keyed hashes of new voter codes, all or none, in one
// transaction. Only the hashes reach the database: the codes themselves are
// printed once by the caller. It returns ErrDuplicate if a hash is already
// stored, and ErrBadTransition once voting has started (Ballot.AcceptsCodes).
func (s *BallotStore) AddCodes(ctx context.Context, ballotID int64, hashes [][]byte, actor string) error {
	for _, h := range hashes {
		if len(h) != 32 {
			return fmt.Errorf("add codes: %w", &ballot.ValidationError{Fields: map[string]string{"codes": "A code hash must be 32 bytes"}})
		}
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		b, err := loadBallot(ctx, tx, ballotID)
		if err != nil {
			return err
		}
		if !b.AcceptsCodes(now) {
			return ballot.ErrBadTransition
		}
		if err := insertCodes(ctx, tx, ballotID, hashes); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ballots SET codes_issued = codes_issued + ? WHERE id = ?`, len(hashes), ballotID); err != nil {
			return err
		}
		detail := fmt.Sprintf("%d voter codes added; %d issued in all", len(hashes), b.CodesIssued+len(hashes))
		return appendAudit(ctx, tx, now, actor, "ballot.codes", ballotSubject(ballotID), detail)
	})
	if err != nil {
		return fmt.Errorf("add codes: %w", err)
	}
	publish(s.Pub, ballot.BallotTopic(ballotID)) // the turnout's denominator moved
	return nil
}

// insertCodes inserts hashes codeBatch rows per statement, reusing the
// prepared statement for every full batch.
func insertCodes(ctx context.Context, tx *sql.Tx, ballotID int64, hashes [][]byte) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, 2*codeBatch)
	for start := 0; start < len(hashes); start += codeBatch {
		chunk := hashes[start:min(start+codeBatch, len(hashes))]
		args = args[:0]
		for _, h := range chunk {
			args = append(args, ballotID, h)
		}
		q := `INSERT INTO voter_codes (ballot_id, code_hash) VALUES (?, ?)` + strings.Repeat(", (?, ?)", len(chunk)-1)
		var err error
		if len(chunk) == codeBatch {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, q); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, q, args...)
		}
		if err != nil {
			return mapBallotErr(err)
		}
	}
	return nil
}

// CodeUsed reports whether a code has voted, without using it.
func (s *BallotStore) CodeUsed(ctx context.Context, ballotID int64, codeHash []byte) (bool, error) {
	var used bool
	err := s.db.reader.QueryRowContext(ctx, `SELECT used FROM voter_codes WHERE ballot_id = ? AND code_hash = ?`,
		ballotID, codeHash).Scan(&used)
	if err == sql.ErrNoRows {
		return false, ballot.ErrCodeUnknown
	}
	if err != nil {
		return false, fmt.Errorf("code used: %w", err)
	}
	return used, nil
}
