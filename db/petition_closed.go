package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
)

// MailClosed mails the campaigner of each petition whose signing has closed
// by now the final count (ballot.ClosedMail), and returns how many it
// mailed. Closing is a moment, not an action, so serve calls this every
// minute. A petition is marked in the transaction that queues its mail, so
// each campaigner is mailed once however often, or from however many
// processes, it runs; a failed run queues nothing and marks nothing, and the
// next run tries again.
func (s *PetitionStore) MailClosed(ctx context.Context) (int, error) {
	mailed := 0
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		mailed = 0
		rows, err := tx.QueryContext(ctx, `SELECT `+petitionCols+` FROM petitions
			WHERE status = 'open' AND closed_mailed_at IS NULL AND closes_at <= ? ORDER BY id`, fmtTime(now))
		if err != nil {
			return err
		}
		var due []*ballot.Petition
		for rows.Next() {
			p, err := scanPetition(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		links := ballot.Links{Base: s.BaseURL}
		for _, p := range due {
			if !p.SignCloseDue(now) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE petitions SET closed_mailed_at = ? WHERE id = ?`, fmtTime(now), p.ID); err != nil {
				return err
			}
			m := ballot.Notice{}
			m.Subject, m.Body = ballot.ClosedMail(p, links)
			if err := mailCampaigner(ctx, tx, now, p, m); err != nil {
				return err
			}
			mailed++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("mail closed petitions: %w", err)
	}
	return mailed, nil
}
