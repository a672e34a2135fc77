package db

import (
	"context"
	"sync"

	"github.com/oursay/oursay/consult"
)

// questionCache keeps the questions of consultations that are no longer
// drafts. Those cannot change (consult.Consultation.QuestionsFixed: the
// edits in question.go and question_edit.go refuse anything but a draft),
// and every response is checked against them inside the group-commit
// writer, where reading them again for each response was most of the
// writer's time. Entries are keyed by id and creation time, so a row id
// reused after a deletion never finds another consultation's questions.
type questionCache struct {
	mu sync.RWMutex
	m  map[questionKey][]consult.Question
}

type questionKey struct {
	id      int64
	created int64 // UnixNano
}

// questionCacheMax bounds the entries; a council has hundreds of
// consultations at most.
const questionCacheMax = 10_000

// loadFixedConsultation is loadConsultation for a consultation whose
// questions, once it is past draft, come from d's cache. Outside Group the
// caller gets its own copy of them. Inside Group, the first fn of a batch
// to load a consultation keeps it in the batch's memo and the others get
// the same one, which they must not change: every response in a batch of
// twenty to the same consultation would otherwise read its row twenty
// times.
func (d *DB) loadFixedConsultation(ctx context.Context, q querier, slug string) (*consult.Consultation, error) {
	return memoized(ctx, memoConsultation{slug}, func() (*consult.Consultation, error) {
		return d.loadConsultation(ctx, q, slug)
	})
}

// memoConsultation keys a consultation in a batchMemo.
type memoConsultation struct{ slug string }

// loadConsultation reads the consultation, its questions from d's cache
// once they are fixed, and its revisions.
func (d *DB) loadConsultation(ctx context.Context, q querier, slug string) (*consult.Consultation, error) {
	return loadConsultationWith(ctx, q, slug, func(c *consult.Consultation) ([]consult.Question, error) {
		if !c.QuestionsFixed() {
			return loadQuestions(ctx, q, c.ID)
		}
		key := questionKey{c.ID, c.CreatedAt.UnixNano()}
		d.questions.mu.RLock()
		qs, ok := d.questions.m[key]
		d.questions.mu.RUnlock()
		if !ok {
			var err error
			if qs, err = loadQuestions(ctx, q, c.ID); err != nil {
				return nil, err
			}
			d.questions.mu.Lock()
			if d.questions.m == nil || len(d.questions.m) >= questionCacheMax {
				d.questions.m = map[questionKey][]consult.Question{}
			}
			d.questions.m[key] = qs
			d.questions.mu.Unlock()
		}
		return copyQuestions(qs), nil
	})
}

// copyQuestions copies qs and their options, so no caller can change what
// the cache holds.
func copyQuestions(qs []consult.Question) []consult.Question {
	out := make([]consult.Question, len(qs))
	for i, q := range qs {
		out[i] = q
		out[i].Options = append([]consult.Option(nil), q.Options...)
	}
	return out
}
