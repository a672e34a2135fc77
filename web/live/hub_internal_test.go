package live

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testStatus is the message fakeBuilds builds.
type testStatus struct {
	Header
	Status string `json:"status"`
}

// fakeBuilds counts snapshot builds and numbers them in the status, so a
// test can tell which build a message came from.
type fakeBuilds struct {
	n    atomic.Int64
	err  error
	hook func() // runs during each build
	// content, when set, is the status of every build instead, so two
	// builds of an unchanged topic are the same snapshot.
	content string
}

func (f *fakeBuilds) build(ctx context.Context, topic string) (Message, error) {
	n := f.n.Add(1)
	if f.hook != nil {
		f.hook()
	}
	if f.err != nil {
		return nil, f.err
	}
	if f.content != "" {
		return &testStatus{Status: f.content}, nil
	}
	return &testStatus{Status: "build-" + strconv.FormatInt(n, 10)}, nil
}

// testHub is a hub whose snapshots fakeBuilds makes, for petition topics,
// with no handshake limit.
func testHub(t *testing.T) (*Hub, *fakeBuilds) {
	t.Helper()
	f := &fakeBuilds{}
	h := New(Options{Logger: slog.New(slog.DiscardHandler)})
	h.Attach(Source{
		Build:          f.build,
		ValidTopic:     func(topic string) bool { return strings.HasPrefix(topic, "petition:") },
		ClientAddr:     func(r *http.Request) string { return r.RemoteAddr },
		AllowHandshake: func(string) bool { return true },
	})
	return h, f
}

func admitted(t *testing.T, h *Hub, addr string) *client {
	t.Helper()
	c := newClient(addr)
	if err := h.admit(c); err != nil {
		t.Fatal(err)
	}
	return c
}

type gotMsg struct {
	Topic  string `json:"topic"`
	Seq    uint64 `json:"seq"`
	Status string `json:"status"`
	Error  string `json:"error"`
}

// drain returns the messages queued to c.
func drain(t *testing.T, c *client) []gotMsg {
	t.Helper()
	var out []gotMsg
	for {
		select {
		case m := <-c.send:
			var g gotMsg
			if err := json.Unmarshal(m.data, &g); err != nil {
				t.Fatal(err)
			}
			out = append(out, g)
		default:
			return out
		}
	}
}

func TestHub_Coalesce(t *testing.T) {
	t.Run("OneMessagePerTickForABurst", func(t *testing.T) {
		h, f := testHub(t)
		c := admitted(t, h, "a")
		h.subscribe(c, "petition:1")
		h.flush(false) // the loop's answer to the new subscriber
		first := drain(t, c)
		if len(first) != 1 || first[0].Seq != 1 || first[0].Topic != "petition:1" {
			t.Fatalf("first: got %+v, want one snapshot with seq 1", first)
		}
		for range 5000 {
			h.Changed("petition:1")
		}
		h.flush(true)
		h.flush(true) // nothing changed since: nothing to send
		got := drain(t, c)
		if len(got) != 1 || got[0].Seq != 2 || got[0].Status != "build-2" {
			t.Errorf("after 5,000 changes: got %+v, want one message, seq 2, from build 2", got)
		}
		if n := f.n.Load(); n != 2 {
			t.Errorf("builds: got %d, want 2", n)
		}
	})
	// A newcomer's greeting built after a change is the change itself:
	// the subscribers already there get it too, and the tick's build of
	// the same content then sends nothing (the browser journey's watching
	// tab once missed a confirmation this way).
	t.Run("GreetingAfterAChangeReachesEveryone", func(t *testing.T) {
		h, f := testHub(t)
		f.content = "count 47"
		a, b := admitted(t, h, "a"), admitted(t, h, "b")
		h.subscribe(a, "petition:1")
		h.flush(false)
		drain(t, a)
		f.content = "count 48"
		h.Changed("petition:1")
		h.subscribe(b, "petition:1") // the topic changed: b waits for a build
		h.flush(false)
		h.flush(true)
		for name, c := range map[string]*client{"a": a, "b": b} {
			got := drain(t, c)
			if len(got) != 1 || got[0].Status != "count 48" || got[0].Seq != 2 {
				t.Errorf("%s: got %+v, want the new count once, seq 2", name, got)
			}
		}
	})
	t.Run("NewSubscriberGetsTheLatestAtOnce", func(t *testing.T) {
		h, f := testHub(t)
		a, b := admitted(t, h, "a"), admitted(t, h, "b")
		h.subscribe(a, "petition:1")
		h.flush(false)
		h.subscribe(b, "petition:1") // no build, no wait for the loop
		if got := drain(t, b); len(got) != 1 || got[0].Seq != 1 {
			t.Errorf("got %+v, want the cached snapshot, seq 1", got)
		}
		if n := f.n.Load(); n != 1 {
			t.Errorf("builds: got %d, want 1", n)
		}
	})
	t.Run("NoStaleGreeting", func(t *testing.T) {
		h, f := testHub(t)
		a, b := admitted(t, h, "a"), admitted(t, h, "b")
		h.subscribe(a, "petition:1")
		h.flush(false)
		drain(t, a)
		h.Changed("petition:1") // b's page was rendered after this change
		h.subscribe(b, "petition:1")
		if got := drain(t, b); len(got) != 0 {
			t.Fatalf("got %+v at once, want to wait for a snapshot built after the change", got)
		}
		h.flush(false)
		if got := drain(t, b); len(got) != 1 || got[0].Status != "build-2" {
			t.Errorf("got %+v, want build 2", got)
		}
		if got := drain(t, a); len(got) != 0 {
			t.Errorf("a got %+v from b's greeting, want to wait for the tick", got)
		}
		h.flush(true)
		if got := drain(t, a); len(got) != 1 || f.n.Load() != 3 {
			t.Errorf("tick: a got %+v after %d builds, want one message from build 3", got, f.n.Load())
		}
	})
	t.Run("ChangeDuringBuildIsNotLost", func(t *testing.T) {
		h, f := testHub(t)
		c := admitted(t, h, "a")
		h.subscribe(c, "petition:1")
		h.flush(false)
		h.Changed("petition:1")
		f.hook = func() { f.hook = nil; h.Changed("petition:1") }
		h.flush(true) // built from before the second change
		h.flush(true) // so this tick builds again
		got := drain(t, c)
		if len(got) != 3 || got[1].Seq >= got[2].Seq {
			t.Errorf("got %+v, want three messages with increasing seq", got)
		}
	})
	t.Run("SeqOnlyGrows", func(t *testing.T) {
		h, _ := testHub(t)
		a := admitted(t, h, "a")
		h.subscribe(a, "petition:1")
		h.flush(false)
		var last uint64
		for i := range 20 {
			h.Changed("petition:1")
			if i%3 == 0 { // a newcomer whose snapshot is stale forces an extra build
				h.mu.Lock()
				h.topics["petition:1"].lastAt = time.Time{}
				h.mu.Unlock()
				h.subscribe(admitted(t, h, "n"+strconv.Itoa(i)), "petition:1")
				h.flush(false)
			}
			h.flush(true)
			for _, m := range drain(t, a) {
				if m.Seq <= last {
					t.Fatalf("seq %d after %d", m.Seq, last)
				}
				last = m.Seq
			}
		}
	})
}

// TestHub_SlowClient fills one client's queue: it is dropped, and the
// others go on getting every update without the hub ever waiting.
func TestHub_SlowClient(t *testing.T) {
	h, _ := testHub(t)
	stuck, ok := admitted(t, h, "a"), admitted(t, h, "b")
	h.subscribe(stuck, "petition:1")
	h.subscribe(ok, "petition:1")
	h.flush(false)
	drain(t, ok)
	done := make(chan int)
	go func() {
		read := 0
		for range queueLen + 5 {
			h.Changed("petition:1")
			h.flush(true)
			read += len(ok.send)
			for len(ok.send) > 0 {
				<-ok.send
			}
		}
		done <- read
	}()
	select {
	case read := <-done:
		if read != queueLen+5 {
			t.Errorf("reading client: got %d messages, want %d", read, queueLen+5)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the hub waited for a client that does not read")
	}
	select {
	case <-stuck.stop:
	default:
		t.Fatal("the stuck client was not dropped")
	}
	h.mu.Lock()
	_, still := h.topics["petition:1"].subs[stuck]
	h.mu.Unlock()
	if still {
		t.Error("the stuck client is still subscribed")
	}
}

func TestHub_Refusals(t *testing.T) {
	t.Run("NotFound", func(t *testing.T) {
		h, f := testHub(t)
		f.err = ErrNoTopic
		c := admitted(t, h, "a")
		h.subscribe(c, "petition:9")
		h.flush(false)
		got := drain(t, c)
		if len(got) != 1 || got[0].Error != "not found" {
			t.Fatalf("got %+v, want a not-found message", got)
		}
		if len(h.topics) != 0 || len(c.topics) != 0 {
			t.Errorf("a refused topic is still kept: %v %v", h.topics, c.topics)
		}
	})
	t.Run("BuildFailsThenRetries", func(t *testing.T) {
		h, f := testHub(t)
		f.err = errors.New("database is locked")
		c := admitted(t, h, "a")
		h.subscribe(c, "petition:1")
		h.flush(false)
		if got := drain(t, c); len(got) != 0 {
			t.Fatalf("got %+v after a failed build, want nothing", got)
		}
		f.err = nil
		h.flush(true)
		if got := drain(t, c); len(got) != 1 {
			t.Errorf("got %+v, want the snapshot on the next tick", got)
		}
	})
	t.Run("TooManyTopics", func(t *testing.T) {
		h, _ := testHub(t)
		c := admitted(t, h, "a")
		for i := range maxTopics {
			if err := h.subscribe(c, "petition:"+strconv.Itoa(i+1)); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.subscribe(c, "petition:999"); !errors.Is(err, errTooManyTopics) {
			t.Errorf("got %v, want errTooManyTopics", err)
		}
	})
	t.Run("PerAddressCap", func(t *testing.T) {
		h, _ := testHub(t)
		h.limits.perAddr = 2
		admitted(t, h, "10.0.0.1")
		last := admitted(t, h, "10.0.0.1")
		if err := h.admit(newClient("10.0.0.1")); !errors.Is(err, errAddrFull) {
			t.Fatalf("third from one address: got %v, want errAddrFull", err)
		}
		admitted(t, h, "10.0.0.2") // others are not affected
		if n := h.Conns(); n != 3 {
			t.Errorf("Conns = %d with three admitted, want 3", n)
		}
		h.leave(last)
		h.leave(last) // a second leave changes nothing
		if n := h.Conns(); n != 2 {
			t.Errorf("Conns = %d after one left, want 2", n)
		}
		admitted(t, h, "10.0.0.1") // a slot is free again
	})
}

// TestHub_Loop runs the real ticker: changes spread over half a second
// come out as about one message per tick.
func TestHub_Loop(t *testing.T) {
	h, f := testHub(t)
	h.tick = 50 * time.Millisecond
	c := admitted(t, h, "a")
	h.start()
	defer h.Shutdown(context.Background())
	defer h.leave(c)
	h.subscribe(c, "petition:1")
	start := time.Now()
	for i := range 5000 {
		h.Changed("petition:1")
		if i%100 == 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
	// Builds are numbered as they start: once a message from a build that
	// started after the last change has come, every change has been sent.
	end := f.n.Load()
	var got []gotMsg
	for deadline := time.After(5 * time.Second); len(got) == 0 || !newer(got[len(got)-1].Status, end); {
		select {
		case m := <-c.send:
			var g gotMsg
			if err := json.Unmarshal(m.data, &g); err != nil {
				t.Fatal(err)
			}
			got = append(got, g)
		case <-deadline:
			t.Fatalf("no message from a build after the last change (build %d) within 5 s; got %v", end, got)
		}
	}
	max := int(time.Since(start)/h.tick) + 2
	if len(got) < 2 || len(got) > max {
		t.Errorf("got %d messages for 5,000 changes in %v, want from 2 to %d", len(got), time.Since(start).Round(time.Millisecond), max)
	}
}

// newer reports whether a fakeBuilds status comes from a build after end.
func newer(status string, end int64) bool {
	n, err := strconv.ParseInt(strings.TrimPrefix(status, "build-"), 10, 64)
	return err == nil && n > end
}
