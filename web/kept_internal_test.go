package web

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// TestKept: a record is loaded once and kept for keptFor; a failed load is
// not kept; an older record is loaded again; keys are kept apart.
func TestKept(t *testing.T) {
	var k kept[int]
	loads := 0
	load := func(v int) func() (int, error) {
		return func() (int, error) { loads++; return v, nil }
	}
	if v, _ := k.get("a", load(1)); v != 1 || loads != 1 {
		t.Fatalf("first get: %d after %d loads", v, loads)
	}
	if v, _ := k.get("a", load(2)); v != 1 || loads != 1 {
		t.Errorf("within the second: %d after %d loads, want the kept 1 and no load", v, loads)
	}
	if v, _ := k.get("b", load(3)); v != 3 || loads != 2 {
		t.Errorf("another key: %d after %d loads, want its own load", v, loads)
	}
	k.m["a"] = keptRecord[int]{v: 1, at: time.Now().Add(-keptFor)}
	if v, _ := k.get("a", load(4)); v != 4 || loads != 3 {
		t.Errorf("after a second: %d after %d loads, want a fresh load", v, loads)
	}
	boom := errors.New("boom")
	if _, err := k.get("c", func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("failed load: %v", err)
	}
	if v, _ := k.get("c", load(5)); v != 5 {
		t.Errorf("after a failed load: %d, want a new load", v)
	}
}

// TestMarkPage: a page kept with its marker's place found once is cut
// exactly where bytes.Cut would cut it, wherever the marker is, and a
// page without one comes back whole.
func TestMarkPage(t *testing.T) {
	const m = "MARK"
	for _, page := range []string{"", "MARK", "MARKafter", "beforeMARK", "beforeMARKafter", "no marker here", "MARKtwiceMARK"} {
		b, a, ok := splitMarked(markPage([]byte(page), m), m)
		wb, wa, wok := bytes.Cut([]byte(page), []byte(m))
		if ok != wok || string(b) != string(wb) || string(a) != string(wa) {
			t.Errorf("%q: got %q, %q, %v; want %q, %q, %v", page, b, a, ok, wb, wa, wok)
		}
	}
}
