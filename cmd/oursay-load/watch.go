package main

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// ack is one confirmation acknowledged while watchers listen: when it
// committed, the count was at most limit, so a watcher that sees a count
// of limit or more has seen it. limit is the count its confirmation page
// showed (the count its own transaction made; nobody withdraws during a
// run, so counts only grow), or, for a page without one, the count before
// plus every confirmation sent by then, which is never early but can be
// late by the confirmations still in flight.
type ack struct {
	limit int64
	at    time.Time
}

// runWatch connects --watchers websocket watchers to the petition, measures
// the server's memory per idle connection, then signs at --rate a second
// for --duration and measures, for every confirmation and every watcher,
// the delay from the confirmation's acknowledgement to that watcher being
// sent a count that includes it.
func runWatch(ctx context.Context, e *env) (*result, error) {
	p, err := e.petition(ctx)
	if err != nil {
		return nil, err
	}
	base, err := e.signatureCount(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	rssIdle, haveRSS := e.settledRSS()
	ws, connectFor, connErrs := e.connectWatchers(ctx, p.ID, e.cfg.watchers)
	defer closeWatchers(ws)
	rssConnected, _ := e.settledRSS()

	s := newSigner(e, p.ID)
	var mu sync.Mutex
	var acks []ack
	var exact atomic.Int64
	s.onAck = func(sent, shown int64, at time.Time) {
		limit := int64(base) + sent // never early, but late by what is in flight
		if shown >= 0 {
			limit = shown // exact: the count its own transaction made
			exact.Add(1)
		}
		mu.Lock()
		acks = append(acks, ack{limit, at})
		mu.Unlock()
	}
	s.startConfirmers(ctx, e.cfg.concurrency)
	start := time.Now()
	submitLat, submitFor, late := openLoop(ctx, e.cfg, s.submit)
	unconfirmed := s.drain(ctx, 10*time.Second, 30*time.Second+e.cfg.duration)
	time.Sleep(time.Second) // the last coalesced push
	dropped := countDropped(ws)
	closeWatchers(ws)

	r := s.result("watch", p.ID, base, start, submitLat, submitFor, unconfirmed)
	r.errors += connErrs
	delays, unseen := watchDelays(ws, acks)
	d50, d99, dmax := delays.quantiles()
	r.set("watchers", e.cfg.watchers)
	r.set("connected", len(ws))
	r.set("connect_s", round3(connectFor.Seconds()))
	r.set("dropped", dropped)
	r.set("rate", e.cfg.rate)
	r.set("late_submits", late)
	r.set("delay_p50_ms", d50)
	r.set("delay_p99_ms", d99)
	r.set("delay_max_ms", dmax)
	r.set("delays", delays.n)
	r.set("unseen", unseen)
	r.set("exact_acks", exact.Load()) // confirmations whose page showed their count
	f50, f99, fmax := fanOut(ws).quantiles()
	r.set("fanout_p50_ms", f50)
	r.set("fanout_p99_ms", f99)
	r.set("fanout_max_ms", fmax)
	r.set("messages", countMessages(ws))
	var perConn *float64
	if haveRSS && len(ws) > 0 {
		v := round3(float64(rssConnected-rssIdle) / float64(len(ws)))
		perConn = &v
		r.set("rss_idle_kib", rssIdle)
		r.set("rss_connected_kib", rssConnected)
	}
	r.set("rss_per_conn_kib", perConn)
	if unseen > 0 {
		r.note("%d (watcher, confirmation) pairs were never seen by the end", unseen)
	}
	return r, nil
}

// settledRSS waits for the server's memory to stop moving (two readings
// half a second apart within 1%, for at most five seconds), then reads it.
func (e *env) settledRSS() (int64, bool) {
	prev, ok := e.serverRSS()
	for deadline := time.Now().Add(5 * time.Second); ok && time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		cur, ok2 := e.serverRSS()
		if !ok2 {
			return 0, false
		}
		if d := cur - prev; d*100 <= prev && -d*100 <= prev {
			return cur, true
		}
		prev = cur
	}
	return prev, ok
}

// openLoop calls op at cfg.rate a second from cfg.concurrency workers
// until the budget is spent. An operation that cannot start on time
// because every worker is busy is counted late, and skipped.
func openLoop(ctx context.Context, cfg *config, op func(context.Context, int64) error) (samples, time.Duration, int64) {
	b := newBudget(cfg)
	tickets := make(chan int64, cfg.rate)
	var late atomic.Int64
	start := time.Now()
	go func() {
		defer close(tickets)
		sent := 0
		for {
			due := int(time.Since(start).Seconds() * float64(cfg.rate))
			for ; sent < due; sent++ {
				i, ok := b.take(ctx)
				if !ok {
					return
				}
				select {
				case tickets <- i:
				default:
					late.Add(1)
				}
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var all merged
	var wg sync.WaitGroup
	for range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine samples
			for i := range tickets {
				t := time.Now()
				if op(ctx, i) == nil {
					mine.add(time.Since(t))
				}
			}
			all.addAll(mine)
		}()
	}
	wg.Wait()
	return all.get(), time.Since(start), late.Load()
}

// watchDelays matches every watcher's messages against the acknowledged
// confirmations: for each pair, the first message with a count at or above
// the confirmation's limit. A message that came before the
// acknowledgement counts as no delay. unseen counts pairs never matched.
func watchDelays(ws []*watcher, acks []ack) (h *hist, unseen int64) {
	slices.SortFunc(acks, func(a, b ack) int { return int(a.limit - b.limit) })
	h = newHist()
	for _, w := range ws {
		msgs := w.messages()
		m, high := 0, int64(-1)
		for _, a := range acks {
			for m < len(msgs) && high < a.limit {
				high = max(high, msgs[m].count)
				m++
			}
			if high < a.limit {
				unseen++
				continue
			}
			h.add(max(0, msgs[m-1].at.Sub(a.at)))
		}
	}
	return h, unseen
}

// fanOut measures how long one push takes to reach every watcher: for each
// message, the time from the first watcher given that count to this one.
// A push carries one count to all of a topic's watchers, so a delay is
// the wait for the next push (up to the live interval) plus this. Each
// watcher's first message, the count it is sent as it connects, is not a
// push and is left out.
func fanOut(ws []*watcher) *hist {
	first := map[int64]time.Time{}
	for _, w := range ws {
		for _, m := range w.messages()[min(1, len(w.messages())):] {
			if t, ok := first[m.count]; !ok || m.at.Before(t) {
				first[m.count] = m.at
			}
		}
	}
	h := newHist()
	for _, w := range ws {
		for _, m := range w.messages()[min(1, len(w.messages())):] {
			h.add(m.at.Sub(first[m.count]))
		}
	}
	return h
}

func countDropped(ws []*watcher) int {
	n := 0
	for _, w := range ws {
		if w.dropped() {
			n++
		}
	}
	return n
}

func countMessages(ws []*watcher) int {
	n := 0
	for _, w := range ws {
		n += len(w.messages())
	}
	return n
}

// hist is a latency histogram in 100 µs steps up to a minute, for the
// millions of (watcher, confirmation) delays a run produces.
type hist struct {
	counts []int64
	n      int64
	max    time.Duration
}

const histStep = 100 * time.Microsecond

func newHist() *hist { return &hist{counts: make([]int64, int(time.Minute/histStep)+1)} }

func (h *hist) add(d time.Duration) {
	h.counts[min(int(d/histStep), len(h.counts)-1)]++
	h.n++
	h.max = max(h.max, d)
}

// quantiles returns p50, p99 and max in milliseconds, each bucket read as
// its upper edge.
func (h *hist) quantiles() (p50, p99, mx float64) {
	if h.n == 0 {
		return 0, 0, 0
	}
	return h.at(0.50), h.at(0.99), ms(h.max)
}

func (h *hist) at(q float64) float64 {
	want := int64(rank(int(h.n), q)) + 1
	var seen int64
	for i, c := range h.counts {
		if seen += c; seen >= want {
			return ms(min(time.Duration(i+1)*histStep, h.max))
		}
	}
	return ms(h.max)
}
