package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// AddQuestion appends q to the draft with slug and sets q.ID, q.Position and
// its option ids. It returns consult.ErrNotFound, consult.ErrNotDraft or a
// *consult.ValidationError.
func (s *ConsultStore) AddQuestion(ctx context.Context, slug string, q *consult.Question, actor string) error {
	if err := q.Validate(); err != nil {
		return fmt.Errorf("add question: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		id, err := draftID(ctx, tx, slug, now)
		if err != nil {
			return err
		}
		var pos int
		err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM questions WHERE consultation_id = ?`, id).Scan(&pos)
		if err != nil {
			return err
		}
		if err := insertQuestion(ctx, tx, id, q, pos); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "question.add", subject(slug), questionDetail(q.ID, q.Prompt))
	})
	if err != nil {
		return fmt.Errorf("add question: %w", err)
	}
	return nil
}

// DeleteQuestion removes a question, with its options, from the draft with
// slug. It returns consult.ErrNotFound (for the consultation or a question
// it does not have) or consult.ErrNotDraft.
func (s *ConsultStore) DeleteQuestion(ctx context.Context, slug string, questionID int64, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		id, err := draftID(ctx, tx, slug, now)
		if err != nil {
			return err
		}
		var prompt string
		err = tx.QueryRowContext(ctx, `DELETE FROM questions WHERE id = ? AND consultation_id = ? RETURNING prompt`,
			questionID, id).Scan(&prompt)
		if err != nil {
			return mapErr(err)
		}
		return appendAudit(ctx, tx, now, actor, "question.delete", subject(slug), questionDetail(questionID, prompt))
	})
	if err != nil {
		return fmt.Errorf("delete question: %w", err)
	}
	return nil
}

// draftID returns the id of the consultation with slug, or ErrNotDraft when
// it is past the draft stage: questions are fixed once people can answer. It
// also stamps updated_at, since the caller is about to change the draft.
func draftID(ctx context.Context, tx *sql.Tx, slug string, now time.Time) (int64, error) {
	var id int64
	var status string
	err := tx.QueryRowContext(ctx, `SELECT id, status FROM consultations WHERE slug = ?`, slug).Scan(&id, &status)
	if err != nil {
		return 0, mapErr(err)
	}
	if consult.Status(status) != consult.StatusDraft {
		return 0, consult.ErrNotDraft
	}
	_, err = tx.ExecContext(ctx, `UPDATE consultations SET updated_at = ? WHERE id = ?`, fmtTime(now), id)
	return id, err
}

func questionDetail(id int64, prompt string) string {
	return "question " + strconv.FormatInt(id, 10) + ": " + prompt
}

// insertQuestion saves q and its options at position pos, setting their ids.
func insertQuestion(ctx context.Context, tx *sql.Tx, consultationID int64, q *consult.Question, pos int) error {
	q.Position = pos
	res, err := tx.ExecContext(ctx, `
		INSERT INTO questions (consultation_id, position, kind, prompt, hint, required)
		VALUES (?, ?, ?, ?, ?, ?)`,
		consultationID, pos, string(q.Kind), strings.TrimSpace(q.Prompt), strings.TrimSpace(q.Hint), q.Required)
	if err != nil {
		return err
	}
	if q.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return insertOptions(ctx, tx, q)
}

// insertOptions saves q's options in order, setting their ids.
func insertOptions(ctx context.Context, tx *sql.Tx, q *consult.Question) error {
	for i := range q.Options {
		o := &q.Options[i]
		o.Label = strings.TrimSpace(o.Label)
		res, err := tx.ExecContext(ctx, `INSERT INTO options (question_id, position, label) VALUES (?, ?, ?)`,
			q.ID, i+1, o.Label)
		if err != nil {
			return err
		}
		if o.ID, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	return nil
}

// loadQuestions reads the questions of a consultation in position order, and
// all their options in one more query rather than one per question.
func loadQuestions(ctx context.Context, q querier, consultationID int64) ([]consult.Question, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, position, kind, prompt, hint, required FROM questions
		WHERE consultation_id = ? ORDER BY position, id`, consultationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var qs []consult.Question
	index := map[int64]int{}
	for rows.Next() {
		var x consult.Question
		if err := rows.Scan(&x.ID, &x.Position, &x.Kind, &x.Prompt, &x.Hint, &x.Required); err != nil {
			return nil, err
		}
		index[x.ID] = len(qs)
		qs = append(qs, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return qs, loadOptions(ctx, q, consultationID, qs, index)
}

func loadOptions(ctx context.Context, q querier, consultationID int64, qs []consult.Question, index map[int64]int) error {
	rows, err := q.QueryContext(ctx, `
		SELECT o.id, o.question_id, o.label FROM options o
		JOIN questions q ON q.id = o.question_id
		WHERE q.consultation_id = ? ORDER BY o.question_id, o.position, o.id`, consultationID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o consult.Option
		var qid int64
		if err := rows.Scan(&o.ID, &qid, &o.Label); err != nil {
			return err
		}
		if i, ok := index[qid]; ok {
			qs[i].Options = append(qs[i].Options, o)
		}
	}
	return rows.Err()
}
