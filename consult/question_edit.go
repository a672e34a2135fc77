package consult

import "context"

// QuestionEditor changes the questions of a draft. Once a consultation is
// published its questions are fixed (Consultation.QuestionsFixed), and
// these return ErrNotDraft.
type QuestionEditor interface {
	// UpdateQuestion replaces the kind, prompt, hint, required flag and
	// options of the draft question q.ID, and sets the new option ids. It
	// returns ErrNotFound, ErrNotDraft or a *ValidationError.
	UpdateQuestion(ctx context.Context, slug string, q *Question, actor string) error
	// MoveQuestion moves a draft question one place up (by -1) or down
	// (by 1). It returns ErrNotFound or ErrNotDraft, and ErrBadTransition
	// for the first question moved up or the last moved down.
	MoveQuestion(ctx context.Context, slug string, questionID int64, by int, actor string) error
}

// Reorder returns ids with id moved by one place up (by -1) or down (by
// 1), and false when id is not in ids, by is neither, or the move would
// leave the list.
func Reorder(ids []int64, id int64, by int) ([]int64, bool) {
	if by != -1 && by != 1 {
		return nil, false
	}
	for i, x := range ids {
		if x != id {
			continue
		}
		j := i + by
		if j < 0 || j >= len(ids) {
			return nil, false
		}
		out := append([]int64(nil), ids...)
		out[i], out[j] = out[j], out[i]
		return out, true
	}
	return nil, false
}
