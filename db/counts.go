package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// Counters. A vote moves its option's count and its ballot's turnout; a
// response moves its consultation's counts and a tally for each answer. Run
// one by one, those statements were a third of each vote's writer time and
// most of each response's, though a batch of twenty responses to one
// consultation moves the same few rows twenty times. So inside a Group
// transaction addCounts only adds the deltas to the batch's sums, and the
// writer runs one statement per counter row, with the summed deltas, after
// the last fn and before the commit (batchMemo.flushCounts). A fn that
// fails has its deltas dropped with the rest of its changes.
//
// A counter's new value is thus not in the transaction until the flush, so
// no Group fn may read one: none does (a vote checks its ballot's state and
// options, a response its consultation's state and questions).

// countKey names one counter statement and the row it moves. The statement
// takes the deltas as its first arguments and the ids after them.
type countKey struct {
	query  string
	ids    [2]int64
	nIDs   int
	nDelta int
}

// countDelta holds up to two deltas, for a statement that moves two
// counters of one row.
type countDelta [2]int64

type pendingCount struct {
	key   countKey
	delta countDelta
}

// addCounts runs a counter statement: query, with deltas as its first
// arguments and ids (one or two) after them. Inside a Group transaction it
// defers it to the batch's flush, summed with the batch's other deltas
// for the same query and ids.
func addCounts(ctx context.Context, tx *sql.Tx, query string, ids []int64, deltas ...int64) error {
	if len(ids) < 1 || len(ids) > 2 || len(deltas) < 1 || len(deltas) > 2 {
		return fmt.Errorf("counts: %d ids and %d deltas, want one or two of each", len(ids), len(deltas))
	}
	k := countKey{query: query, nIDs: len(ids), nDelta: len(deltas)}
	copy(k.ids[:], ids)
	var d countDelta
	copy(d[:], deltas)
	if memo := memoFrom(ctx); memo != nil {
		memo.pending = append(memo.pending, pendingCount{k, d})
		return nil
	}
	_, err := tx.ExecContext(ctx, query, k.args(d)...)
	return err
}

// args is the statement's arguments for the deltas d.
func (k countKey) args(d countDelta) []any {
	args := make([]any, 0, k.nDelta+k.nIDs)
	for _, v := range d[:k.nDelta] {
		args = append(args, v)
	}
	for _, v := range k.ids[:k.nIDs] {
		args = append(args, v)
	}
	return args
}

// settle ends a fn's turn: its deltas join the batch's sums if it
// succeeded and are dropped if it failed, as its rows were.
func (m *batchMemo) settle(ok bool) {
	if ok {
		for _, p := range m.pending {
			if m.sums == nil {
				m.sums = map[countKey]countDelta{}
			}
			s := m.sums[p.key]
			s[0] += p.delta[0]
			s[1] += p.delta[1]
			m.sums[p.key] = s
		}
	}
	clear(m.pending)
	m.pending = m.pending[:0]
}

// flushCounts runs one statement per counter row the batch moved, in a
// fixed order so a batch writes its counters the same way every time. An
// error breaks the whole batch: its fns' rows would stand without their
// counts.
func (m *batchMemo) flushCounts(tx *sql.Tx) error {
	keys := make([]countKey, 0, len(m.sums))
	for k := range m.sums {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.query != b.query {
			return a.query < b.query
		}
		if a.ids[0] != b.ids[0] {
			return a.ids[0] < b.ids[0]
		}
		return a.ids[1] < b.ids[1]
	})
	for _, k := range keys {
		if _, err := tx.ExecContext(context.Background(), k.query, k.args(m.sums[k])...); err != nil {
			return fmt.Errorf("counts: %w", err)
		}
	}
	return nil
}
