package web

import (
	"sync"
	"time"
)

// signinLimiter locks a key (an account's email, or a client) after too
// many sign-in attempts within a window. An attempt is counted when it is
// reserved, before its password waits for the hashing queue, so a burst
// cannot slip past the lock while earlier guesses are still being checked:
// no more than max attempts per key and window are ever checked. Entries
// are evicted once their window has passed, and the map is capped.
type signinLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]*failures
}

type failures struct {
	count int // attempts reserved in the window, less those that succeeded
	first time.Time
	until time.Time // locked until
}

// signinKey is a key an attempt counts against, with its most attempts.
type signinKey struct {
	key string
	max int
}

const (
	signinWindow       = 15 * time.Minute
	signinLockFor      = 15 * time.Minute
	accountMaxFailures = 5
	clientMaxFailures  = 20
	limiterMaxKeys     = 100_000
)

func newSigninLimiter(now func() time.Time) *signinLimiter {
	return &signinLimiter{now: now, entries: map[string]*failures{}}
}

// Reserve counts an attempt against every key at once, unless one of them
// is locked: then it counts nothing and reports until when. The attempt
// that brings a key to its max locks it, so the attempts already reserved
// are the last to be checked. Each attempt is settled later: a failure
// stays counted, a success is given back with Release.
func (l *signinLimiter) Reserve(keys ...signinKey) (ok bool, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		if e := l.entries[k.key]; e != nil && now.Before(e.until) {
			return false, e.until
		}
	}
	for _, k := range keys {
		e := l.entries[k.key]
		if e == nil || now.Sub(e.first) > signinWindow && now.After(e.until) {
			if len(l.entries) >= limiterMaxKeys {
				l.evict(now)
			}
			e = &failures{first: now}
			l.entries[k.key] = e
		}
		if e.count++; e.count >= k.max {
			e.until = now.Add(signinLockFor)
		}
	}
	return true, time.Time{}
}

// Release gives back an attempt reserved against key that succeeded: only
// failures count towards the lock.
func (l *signinLimiter) Release(k signinKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[k.key]
	if e == nil {
		return
	}
	if e.count--; e.count < k.max {
		e.until = time.Time{}
	}
	if e.count <= 0 {
		delete(l.entries, k.key)
	}
}

func (l *signinLimiter) evict(now time.Time) {
	for k, e := range l.entries {
		if now.Sub(e.first) > signinWindow && now.After(e.until) {
			delete(l.entries, k)
		}
	}
	if len(l.entries) >= limiterMaxKeys { // all busy: drop arbitrary half
		n := 0
		for k := range l.entries {
			delete(l.entries, k)
			if n++; n > limiterMaxKeys/2 {
				break
			}
		}
	}
}

// LockedUntil reports until when key is locked, or the zero time.
func (l *signinLimiter) LockedUntil(key string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.entries[key]; e != nil && l.now().Before(e.until) {
		return e.until
	}
	return time.Time{}
}

// Unlock forgets key's failures: an administrator vouches for the person.
func (l *signinLimiter) Unlock(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}
