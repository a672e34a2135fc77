package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

var _ consult.QuestionEditor = (*ConsultStore)(nil)

// UpdateQuestion replaces a draft question's kind, prompt, hint, required
// flag and options; its options get new ids (a draft has no answers to
// point at the old ones). It returns consult.ErrNotFound,
// consult.ErrNotDraft or a *consult.ValidationError.
func (s *ConsultStore) UpdateQuestion(ctx context.Context, slug string, q *consult.Question, actor string) error {
	if err := q.Validate(); err != nil {
		return fmt.Errorf("update question: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		cid, err := draftID(ctx, tx, slug, now)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE questions SET kind = ?, prompt = ?, hint = ?, required = ?
			WHERE id = ? AND consultation_id = ?`,
			string(q.Kind), strings.TrimSpace(q.Prompt), strings.TrimSpace(q.Hint), q.Required, q.ID, cid)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return consult.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM options WHERE question_id = ?`, q.ID); err != nil {
			return err
		}
		if err := insertOptions(ctx, tx, q); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "question.edit", subject(slug), questionDetail(q.ID, q.Prompt))
	})
	if err != nil {
		return fmt.Errorf("update question: %w", err)
	}
	return nil
}

// MoveQuestion moves a draft question one place up (by -1) or down (by 1),
// renumbering the draft's questions from 1. It returns
// consult.ErrNotFound, consult.ErrNotDraft, or consult.ErrBadTransition
// when the question is already first or last.
func (s *ConsultStore) MoveQuestion(ctx context.Context, slug string, questionID int64, by int, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		cid, err := draftID(ctx, tx, slug, now)
		if err != nil {
			return err
		}
		qs, err := loadQuestions(ctx, tx, cid)
		if err != nil {
			return err
		}
		ids := make([]int64, len(qs))
		prompt := ""
		for i, q := range qs {
			ids[i] = q.ID
			if q.ID == questionID {
				prompt = q.Prompt
			}
		}
		if prompt == "" {
			return consult.ErrNotFound
		}
		order, ok := consult.Reorder(ids, questionID, by)
		if !ok {
			return consult.ErrBadTransition
		}
		for i, id := range order {
			if _, err := tx.ExecContext(ctx, `UPDATE questions SET position = ? WHERE id = ?`, i+1, id); err != nil {
				return err
			}
		}
		dir := "down"
		if by < 0 {
			dir = "up"
		}
		return appendAudit(ctx, tx, now, actor, "question.move", subject(slug), questionDetail(questionID, prompt)+" moved "+dir)
	})
	if err != nil {
		return fmt.Errorf("move question: %w", err)
	}
	return nil
}
