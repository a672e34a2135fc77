package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// Vote uses a voter code and records its vote, in one group-committed
// transaction: the code is marked used only if it was unused (so under any
// concurrency a code counts once), the choice is stored under a random
// token with nothing else, the receipt goes to its own table with no link
// to the vote, and the counters move. The transaction's time is used to
// check the ballot is open and is stored nowhere.
func (s *BallotStore) Vote(ctx context.Context, ballotID int64, codeHash []byte, optionID int64) (string, error) {
	var receipt string
	err := s.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		b, err := ballotForVote(ctx, tx, ballotID)
		if err != nil {
			return err
		}
		if !b.AcceptsVotes(now) {
			return ballot.ErrNotOpen
		}
		if !slices.ContainsFunc(b.Options, func(o ballot.BallotOption) bool { return o.ID == optionID }) {
			return &ballot.ValidationError{Fields: map[string]string{"option": "Choose one of the options on the ballot paper"}}
		}
		if err := useCode(ctx, tx, ballotID, codeHash); err != nil {
			return err
		}
		if err := insertVote(ctx, tx, ballotID, optionID); err != nil {
			return err
		}
		if receipt, err = insertReceipt(ctx, tx, ballotID); err != nil {
			return err
		}
		if err := addCounts(ctx, tx, `UPDATE ballot_options SET votes = votes + ? WHERE id = ?`, []int64{optionID}, 1); err != nil {
			return err
		}
		return addCounts(ctx, tx, `UPDATE ballots SET votes_cast = votes_cast + ? WHERE id = ?`, []int64{ballotID}, 1)
	})
	if err != nil {
		return "", fmt.Errorf("vote: %w", err)
	}
	publish(s.Pub, ballot.BallotTopic(ballotID))
	return receipt, nil
}

// ballotForVote reads the ballot and its options, once a batch: the first
// vote of a batch keeps them in the batch's memo for the others (see
// batchMemo). Votes change only the ballot's counters, which no vote reads.
// The ballot is shared: callers must not change it.
func ballotForVote(ctx context.Context, tx *sql.Tx, ballotID int64) (*ballot.Ballot, error) {
	return memoized(ctx, memoBallot{ballotID}, func() (*ballot.Ballot, error) {
		b, err := loadBallot(ctx, tx, ballotID)
		if err != nil {
			return nil, err
		}
		return b, loadBallotOptions(ctx, tx, b)
	})
}

// memoBallot keys a ballot in a batchMemo.
type memoBallot struct{ id int64 }

// useCode marks an unused code used. The WHERE used = 0 makes the check and
// the change one step, so two votes with one code cannot both succeed.
func useCode(ctx context.Context, tx *sql.Tx, ballotID int64, codeHash []byte) error {
	res, err := tx.ExecContext(ctx, `UPDATE voter_codes SET used = 1 WHERE ballot_id = ? AND code_hash = ? AND used = 0`,
		ballotID, codeHash)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var used bool
	err = tx.QueryRowContext(ctx, `SELECT used FROM voter_codes WHERE ballot_id = ? AND code_hash = ?`, ballotID, codeHash).Scan(&used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ballot.ErrCodeUnknown
	case err != nil:
		return err
	}
	return ballot.ErrCodeUsed
}

// insertVote stores the choice under a fresh random token: the table's key,
// so rows sit in random order, not the order they were cast.
func insertVote(ctx context.Context, tx *sql.Tx, ballotID, optionID int64) error {
	for range 3 {
		token := make([]byte, 16)
		rand.Read(token)
		_, err := tx.ExecContext(ctx, `INSERT INTO ballot_votes (ballot_id, token, option_id) VALUES (?, ?, ?)`,
			ballotID, token, optionID)
		if !isUnique(err) {
			return err
		}
	}
	return errors.New("vote: could not draw a fresh token")
}

// insertReceipt stores a fresh receipt, drawing again on the (60-bit)
// chance that it is taken.
func insertReceipt(ctx context.Context, tx *sql.Tx, ballotID int64) (string, error) {
	for range 5 {
		r := consult.NewReceipt()
		_, err := tx.ExecContext(ctx, `INSERT INTO ballot_receipts (ballot_id, receipt) VALUES (?, ?)`, ballotID, r)
		if err == nil {
			return r, nil
		}
		if !isUnique(err) {
			return "", err
		}
	}
	return "", errors.New("vote: could not draw a fresh receipt")
}
