package live

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBodyCache_OneBuildPerChange: requests that arrive together after a
// change wait for one build rather than each building the same body; a
// request after a further change does not take a build begun before it.
func TestBodyCache_OneBuildPerChange(t *testing.T) {
	c := newBodyCache()
	c.on.Store(true)
	var builds atomic.Int32
	release := make(chan struct{})
	slow := func() ([]byte, error) {
		builds.Add(1)
		<-release
		return []byte("v1"), nil
	}
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() {
			b, err := c.get("petition:1\x00page", "petition:1", slow)
			if err != nil {
				t.Error(err)
			}
			got[i] = string(b)
		})
	}
	// Let every request find the build under way, then finish it.
	for deadline := time.Now().Add(2 * time.Second); builds.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds for 20 requests at one generation, want 1", n)
	}
	for i, b := range got {
		if b != "v1" {
			t.Errorf("request %d got %q", i, b)
		}
	}

	// A change while a build is under way: a request after it builds its own.
	hold := make(chan struct{})
	started := make(chan struct{})
	go func() {
		c.get("petition:2", "petition:2", func() ([]byte, error) { close(started); <-hold; return []byte("old"), nil })
	}()
	<-started
	c.drop("petition:2")
	time.AfterFunc(500*time.Millisecond, func() { close(hold) }) // a wrong wait ends, and fails below
	b, err := c.get("petition:2", "petition:2", func() ([]byte, error) { return []byte("new"), nil })
	if err != nil || string(b) != "new" {
		t.Errorf("after a change: got %q, %v; want a body built after it", b, err)
	}

	// A failed build is shared with its waiters but never kept.
	boom := errors.New("boom")
	if _, err := c.get("petition:3", "petition:3", func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("failed build: %v", err)
	}
	if b, _ := c.get("petition:3", "petition:3", func() ([]byte, error) { return []byte("ok"), nil }); string(b) != "ok" {
		t.Errorf("after a failed build: %q, want a new build", b)
	}
}
