package db

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/oursay/oursay/consult"
)

// Tally returns the counters of a consultation, read from the counter rows
// kept by AddResponse, never by counting responses. Every question is
// present; choice questions list every option and scale questions every
// point 1..5, at zero when nobody chose it. It returns consult.ErrNotFound.
func (s *ConsultStore) Tally(ctx context.Context, slug string) (*consult.Tally, error) {
	var t *consult.Tally
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		c, err := s.db.loadFixedConsultation(ctx, tx, slug)
		if err != nil {
			return err
		}
		t = emptyTally(c)
		err = tx.QueryRowContext(ctx, `SELECT paper_response_count FROM consultations WHERE id = ?`, c.ID).Scan(&t.PaperCount)
		if err != nil {
			return err
		}
		return readTallies(ctx, tx, c.ID, t)
	})
	if err != nil {
		return nil, fmt.Errorf("tally: %w", err)
	}
	return t, nil
}

// emptyTally lays out every count a page shows, so a choice nobody made
// reads as 0 rather than missing.
func emptyTally(c *consult.Consultation) *consult.Tally {
	t := &consult.Tally{ResponseCount: c.ResponseCount, Questions: make(map[int64]consult.QuestionTally, len(c.Questions))}
	for _, q := range c.Questions {
		counts := map[int64]int{}
		for _, o := range q.Options {
			counts[o.ID] = 0
		}
		if q.Kind == consult.KindScale {
			for p := int64(1); p <= 5; p++ {
				counts[p] = 0
			}
		}
		t.Questions[q.ID] = consult.QuestionTally{Counts: counts}
	}
	return t
}

func readTallies(ctx context.Context, tx *sql.Tx, consultationID int64, t *consult.Tally) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT t.question_id, t.choice, t.count FROM tallies t
		JOIN questions q ON q.id = t.question_id
		WHERE q.consultation_id = ?`, consultationID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var qid, choice int64
		var n int
		if err := rows.Scan(&qid, &choice, &n); err != nil {
			return err
		}
		qt, ok := t.Questions[qid]
		if !ok {
			continue
		}
		if choice == 0 {
			qt.Answered = n
			t.Questions[qid] = qt
		} else {
			qt.Counts[choice] = n
		}
	}
	return rows.Err()
}

// Responses calls fn for each response of a consultation in the order they
// were saved, answers included, stopping at fn's first error, which it
// returns as is. It streams one joined query from the reader pool, so a
// large export neither loads everything nor holds up the writer. It returns
// consult.ErrNotFound for an unknown slug.
func (s *ConsultStore) Responses(ctx context.Context, slug string, fn func(*consult.Response) error) error {
	var cid int64
	err := s.db.reader.QueryRowContext(ctx, `SELECT id FROM consultations WHERE slug = ?`, slug).Scan(&cid)
	if err != nil {
		return fmt.Errorf("responses: %w", mapErr(err))
	}
	rows, err := s.db.reader.QueryContext(ctx, `
		SELECT r.id, r.receipt, r.channel, r.paper_serial, r.email, r.postcode, r.created_at, r.entered_by,
			a.question_id, a.option_id, a.scale, a.text
		FROM responses r LEFT JOIN answers a ON a.response_id = r.id
		WHERE r.consultation_id = ? ORDER BY r.id, a.rowid`, cid)
	if err != nil {
		return fmt.Errorf("responses: %w", err)
	}
	defer rows.Close()
	var cur *consult.Response
	for rows.Next() {
		next, err := scanResponseRow(rows, cid, cur)
		if err != nil {
			return fmt.Errorf("responses: %w", err)
		}
		if cur != nil && next != cur {
			if err := fn(cur); err != nil {
				return err
			}
		}
		cur = next
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("responses: %w", err)
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

// scanResponseRow reads one joined row. It adds the answer to cur when the
// row belongs to it, and otherwise starts and returns a new response.
func scanResponseRow(rows *sql.Rows, cid int64, cur *consult.Response) (*consult.Response, error) {
	var r consult.Response
	var serial, email, postcode, created, enteredBy sql.NullString
	var qid, optionID, scale sql.NullInt64
	var text sql.NullString
	err := rows.Scan(&r.ID, &r.Receipt, &r.Channel, &serial, &email, &postcode, &created, &enteredBy,
		&qid, &optionID, &scale, &text)
	if err != nil {
		return nil, err
	}
	if cur == nil || cur.ID != r.ID {
		r.ConsultationID, r.PaperSerial, r.Email, r.Postcode = cid, serial.String, email.String, postcode.String
		r.EnteredBy = enteredBy.String
		if r.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		r.Answers = map[int64]consult.Answer{}
		cur = &r
	}
	if qid.Valid {
		a := cur.Answers[qid.Int64]
		if optionID.Valid {
			a.OptionIDs = append(a.OptionIDs, optionID.Int64)
		}
		a.Scale = max(a.Scale, int(scale.Int64))
		if text.Valid {
			a.Text = text.String
		}
		cur.Answers[qid.Int64] = a
	}
	return cur, nil
}
