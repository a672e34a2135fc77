package web

import (
	"sync"
	"time"
)

// signinLimiter locks a key (an account's email, or a client address) after
// too many failed sign-ins within a window. Failures are counted per key;
// entries are evicted once their window has passed, and the map is capped.
type signinLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]*failures
}

type failures struct {
	count int
	first time.Time
	until time.Time // locked until
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

// Locked reports whether key is locked now, and until when.
func (l *signinLimiter) Locked(key string) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[key]
	if e == nil {
		return false, time.Time{}
	}
	return l.now().Before(e.until), e.until
}

// Fail counts a failure against key; after max failures in the window the
// key is locked for signinLockFor.
func (l *signinLimiter) Fail(key string, max int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	e := l.entries[key]
	if e == nil || now.Sub(e.first) > signinWindow && now.After(e.until) {
		if len(l.entries) >= limiterMaxKeys {
			l.evict(now)
		}
		e = &failures{first: now}
		l.entries[key] = e
	}
	e.count++
	if e.count >= max {
		e.until = now.Add(signinLockFor)
	}
}

// Reset forgets key after a successful sign-in.
func (l *signinLimiter) Reset(key string) {
	l.mu.Lock()
	delete(l.entries, key)
	l.mu.Unlock()
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
