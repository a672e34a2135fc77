package main

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryLimit(t *testing.T) {
	if got, want := memoryLimit(64, 0), int64(64<<20); got != want {
		t.Errorf("no connections: %d, want %d", got, want)
	}
	if got, want := memoryLimit(64, 10_000), int64(64<<20+10_000*6<<10); got != want {
		t.Errorf("10,000 connections: %d, want %d", got, want)
	}
}

// TestFollowMemoryLimit: the limit is set at once, follows the number of
// open connections up and down, is not set again while it holds, and the
// loop ends with its context.
func TestFollowMemoryLimit(t *testing.T) {
	defer func(d time.Duration) { memoryLimitEvery = d }(memoryLimitEvery)
	memoryLimitEvery = 5 * time.Millisecond
	var conns atomic.Int64
	var mu sync.Mutex
	var set []int64
	record := func(n int64) int64 { mu.Lock(); set = append(set, n); mu.Unlock(); return 0 }
	last := func() (int64, int) { mu.Lock(); defer mu.Unlock(); return set[len(set)-1], len(set) }
	wait := func(want int64) int {
		t.Helper()
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			mu.Lock()
			n := len(set)
			mu.Unlock()
			if n > 0 {
				if got, calls := last(); got == want {
					return calls
				}
			}
		}
		got, _ := last()
		t.Fatalf("limit %d, want %d", got, want)
		return 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); followMemoryLimit(ctx, 64, func() int { return int(conns.Load()) }, record) }()
	if calls := wait(memoryLimit(64, 0)); calls != 1 {
		t.Errorf("%d calls before any connection, want 1", calls)
	}
	conns.Store(10_000)
	wait(memoryLimit(64, 10_000))
	time.Sleep(30 * time.Millisecond) // several ticks with nothing changed
	if _, calls := last(); calls != 2 {
		t.Errorf("%d calls for two different counts, want 2: the limit is set only when it changes", calls)
	}
	conns.Store(3)
	wait(memoryLimit(64, 3))
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the loop did not end with its context")
	}
}
