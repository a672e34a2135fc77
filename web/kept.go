package web

import (
	"sync"
	"time"
)

// kept holds records by key for keptFor, so that a burst of requests about
// one record (a thousand responses a second to one consultation) reads it
// from the database once a second rather than once each. A record kept is
// shared by every request that gets it: read it, never change it. What a
// kept record says may be a second old, so use it only where the store
// checks again as it writes (a response, a vote), never to decide alone.
type kept[T any] struct {
	mu sync.Mutex
	m  map[string]keptRecord[T]
}

type keptRecord[T any] struct {
	v  T
	at time.Time
}

// Limits of kept: how long a record is kept, and how many (only records
// that exist are kept, and a council has hundreds at most).
const (
	keptFor = time.Second
	keptMax = 1000
)

// get returns the record kept under key, or else loads it with load and
// keeps it. A load that fails is not kept.
func (k *kept[T]) get(key string, load func() (T, error)) (T, error) {
	now := time.Now()
	k.mu.Lock()
	e, ok := k.m[key]
	k.mu.Unlock()
	if ok && now.Sub(e.at) < keptFor && !now.Before(e.at) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	k.mu.Lock()
	if k.m == nil || len(k.m) >= keptMax {
		k.m = map[string]keptRecord[T]{}
	}
	k.m[key] = keptRecord[T]{v: v, at: now}
	k.mu.Unlock()
	return v, nil
}
