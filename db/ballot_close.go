package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Close closes an open ballot (also before its closing time: the audit
// entry says so), fixes the result from the counters and records both in
// the audit log, and mails the result to the campaigner of the petition
// it follows, in one transaction. Afterwards it asks SQLite to
// checkpoint and truncate the write-ahead log, which otherwise holds recent
// vote pages in commit order (see the README's secrecy model).
func (s *BallotStore) Close(ctx context.Context, id int64, actor string) (*ballot.Result, error) {
	var res ballot.Result
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		b, err := loadBallot(ctx, tx, id)
		if err == nil {
			err = loadBallotOptions(ctx, tx, b)
		}
		if err != nil {
			return err
		}
		if b.Status != ballot.BallotOpen {
			return ballot.ErrBadTransition
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ballots SET status = 'closed', closed_at = ? WHERE id = ?`, fmtTime(now), id); err != nil {
			return err
		}
		detail := fmt.Sprintf("%d votes cast of %d codes issued", b.VotesCast, b.CodesIssued)
		if now.Before(b.ClosesAt) {
			detail += fmt.Sprintf("; closed early, before %s", b.ClosesAt.Format(time.RFC3339))
		}
		if err := appendAudit(ctx, tx, now, actor, "ballot.close", ballotSubject(id), detail); err != nil {
			return err
		}
		if res, err = result(ctx, tx, b, now); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, "ballot.result", ballotSubject(id), describeResult(b, res)); err != nil {
			return err
		}
		return s.mailCampaigner(ctx, tx, now, b, func(p *ballot.Petition, l ballot.Links) (string, string) {
			return ballot.BallotResultMail(p, b, res, l)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("close ballot: %w", err)
	}
	s.db.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`) // best effort: busy readers only delay it
	publish(s.Pub, ballot.BallotTopic(id))
	return &res, nil
}

// result applies the outcome rule to the option counters.
func result(ctx context.Context, q querier, b *ballot.Ballot, at time.Time) (ballot.Result, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, votes FROM ballot_options WHERE ballot_id = ?`, b.ID)
	if err != nil {
		return ballot.Result{}, err
	}
	defer rows.Close()
	counts := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return ballot.Result{}, err
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		return ballot.Result{}, err
	}
	r := ballot.Outcome(b, counts)
	r.ComputedAt = at
	return r, nil
}

// describeResult is the audit entry of a result: every count, the turnout
// against the quorum, and the outcome.
func describeResult(b *ballot.Ballot, r ballot.Result) string {
	parts := make([]string, 0, len(b.Options))
	for _, o := range b.Options {
		parts = append(parts, fmt.Sprintf("%q %d", o.Label, r.Counts[o.ID]))
	}
	met := "met"
	if !r.QuorumMet {
		met = "not met"
	}
	outcome := "no recall"
	if r.Recall {
		outcome = "recall"
	}
	return fmt.Sprintf("%s; %d votes of %d codes, turnout %s; quorum %s %s; %q share %s; outcome: %s",
		strings.Join(parts, ", "), r.VotesCast, b.CodesIssued, basisPoints(r.Turnout),
		basisPoints(b.QuorumBasisPoints), met, optionLabel(b, 0), basisPoints(r.YesShare), outcome)
}

func optionLabel(b *ballot.Ballot, i int) string {
	if i < len(b.Options) {
		return b.Options[i].Label
	}
	return ""
}

// Result returns a closed ballot's result, or ErrNotOpen before close.
func (s *BallotStore) Result(ctx context.Context, id int64) (*ballot.Result, error) {
	var r ballot.Result
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		b, err := loadBallot(ctx, tx, id)
		if err == nil {
			err = loadBallotOptions(ctx, tx, b)
		}
		if err != nil {
			return err
		}
		if !b.ResultsPublic() {
			return ballot.ErrNotOpen
		}
		r, err = result(ctx, tx, b, b.ClosedAt)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ballot %d result: %w", id, err)
	}
	return &r, nil
}

// Receipts lists a closed ballot's receipts in sorted order, or ErrNotOpen
// before close.
func (s *BallotStore) Receipts(ctx context.Context, id int64) ([]string, error) {
	var out []string
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		b, err := loadBallot(ctx, tx, id)
		if err != nil {
			return err
		}
		if !b.ResultsPublic() {
			return ballot.ErrNotOpen
		}
		rows, err := tx.QueryContext(ctx, `SELECT receipt FROM ballot_receipts WHERE ballot_id = ? ORDER BY receipt`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("ballot %d receipts: %w", id, err)
	}
	return out, nil
}

// RecordResponse records what the council did after a closed ballot's
// result, once, with its audit entry and the campaigner's mail, in one
// transaction.
func (s *BallotStore) RecordResponse(ctx context.Context, id int64, r *ballot.CouncilResponse, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		b, err := loadBallot(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := b.CanRespond(); err != nil {
			return err
		}
		c, err := scanContract(tx.QueryRowContext(ctx, `SELECT `+contractReadCols+` FROM contracts WHERE id = ?`, b.ContractID))
		if err != nil {
			return contractErr(err)
		}
		if err := r.Validate(c); err != nil {
			return err
		}
		r.RecordedAt = now
		var breakOn any
		if r.Exercised {
			breakOn = fmtDate(r.BreakOn)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ballots SET response_exercised = ?, response_break_on = ?,
			response_reason = ?, response_recorded_at = ? WHERE id = ?`, r.Exercised, breakOn, r.Reason, fmtTime(now), id); err != nil {
			return err
		}
		detail := r.Describe()
		if r.Reason != "" {
			detail += " Reason: " + r.Reason
		}
		if err := appendAudit(ctx, tx, now, actor, "ballot.response", ballotSubject(id), detail); err != nil {
			return err
		}
		b.Response = r
		return s.mailCampaigner(ctx, tx, now, b, func(p *ballot.Petition, l ballot.Links) (string, string) {
			return ballot.CouncilResponseMail(p, b, r, l)
		})
	})
	if err != nil {
		return fmt.Errorf("record council response: %w", err)
	}
	publish(s.Pub, ballot.BallotTopic(id))
	return nil
}
