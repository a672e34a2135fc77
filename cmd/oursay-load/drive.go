package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// budget hands out operation numbers until the deadline passes or the
// request limit is spent, whichever comes first: every loop is bounded.
type budget struct {
	next     atomic.Int64
	limit    int64 // 0: none
	deadline time.Time
}

func newBudget(cfg *config) *budget {
	return &budget{limit: int64(cfg.requests), deadline: time.Now().Add(cfg.duration)}
}

// take returns the next operation number, or false when the run is over.
func (b *budget) take(ctx context.Context) (int64, bool) {
	if ctx.Err() != nil || !time.Now().Before(b.deadline) {
		return 0, false
	}
	i := b.next.Add(1)
	if b.limit > 0 && i > b.limit {
		return 0, false
	}
	return i, true
}

// spent reports whether the request limit has been handed out.
func (b *budget) spent() bool { return b.limit > 0 && b.next.Load() >= b.limit }

// errLog prints the first few failures in full and counts the rest.
type errLog struct {
	w     io.Writer
	n     atomic.Int64
	mu    sync.Mutex
	shown int
}

const errShown = 5

func (l *errLog) add(format string, args ...any) {
	l.n.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown < errShown {
		l.shown++
		fmt.Fprintf(l.w, "oursay-load: error: "+format+"\n", args...)
	}
}

// closedLoop runs workers that each repeat op back to back until the budget
// is spent. It returns the latencies of the operations that succeeded.
func closedLoop(ctx context.Context, workers int, b *budget, op func(ctx context.Context, i int64) error) (samples, time.Duration) {
	var all merged
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine samples
			for {
				i, ok := b.take(ctx)
				if !ok {
					break
				}
				t := time.Now()
				if op(ctx, i) == nil {
					mine.add(time.Since(t))
				}
			}
			all.addAll(mine)
		}()
	}
	wg.Wait()
	return all.get(), time.Since(start)
}

// do sends req and reads the whole answer, failing unless the status is
// want. The body is returned for the caller to check.
func (e *env) do(req *http.Request, want int) ([]byte, error) {
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return body, statusError(req, resp.StatusCode, want, body)
	}
	return body, nil
}

// send is do for a caller that does not need the body: it reads the answer
// to the end, so the connection is kept, without collecting it. The tool
// shares the machine's cores with the server it measures, and growing a
// slice for every 10-20 KB page it fetches and drops cost it about a third
// of its CPU per page read.
func (e *env) send(req *http.Request, want int) error {
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return statusError(req, resp.StatusCode, want, body)
	}
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<20))
	return err
}

// statusError names the request, the status it got and the start of the
// answer's text.
func statusError(req *http.Request, got, want int, body []byte) error {
	snippet := strings.Join(strings.Fields(string(body)), " ")
	if len(snippet) > 200 {
		snippet = snippet[:200]
	}
	return fmt.Errorf("%s %s: %d, want %d: %s", req.Method, req.URL.Path, got, want, snippet)
}

// pairedCeilingWorkers is the ceiling's concurrency in a paired loop: that
// of the `ceiling` run in `make bench`.
const pairedCeilingWorkers = 32

// pairedGuard is the part of each paired slice, at its start, whose
// operations are not counted: what the side before left in flight (its
// last requests, and on a write scenario the group commit that /healthz's
// database ping queues behind) finishes there. A review measured the
// ceiling's first 100 ms of a slice after vote 17-45% below its mean, and
// requests spilling up to 85 ms past a switch.
func pairedGuard(slice time.Duration) time.Duration { return slice / 5 }

// pairing is what a paired loop measured on the ceiling's side, and the
// counted time and CPU each side had.
type pairing struct {
	slice       time.Duration
	guard       time.Duration
	slices      [2]int           // by side: 0 the scenario, 1 the ceiling
	time        [2]time.Duration // counted wall time: each slice after its guard
	serverCPU   [2]time.Duration
	toolCPU     [2]time.Duration
	serverKnown bool
	ceilingOps  atomic.Int64
	ceilingErrs atomic.Int64

	// A write scenario's server is stopped (SIGSTOP) during the ceiling's
	// slices, which run against ceilingSrv, a second server on a fresh
	// database (see pairedLoop); stoppedChecks counts the ceiling slices
	// checked and those that found the scenario's server stopped.
	ceilingSrv    *serverProc
	stoppedChecks [2]int
}

// phase is one slice of a paired loop: its side, or phaseStop; when its
// counted part begins (after the guard); when it ended (0 until then);
// and a channel closed when it ends.
type phase struct {
	side     int // 0, 1, or phaseStop
	countAt  time.Time
	ended    atomic.Int64 // UnixNano
	done     chan struct{}
	inflight atomic.Int64 // the scenario's operations started in it and not yet done
}

const phaseStop = -1

// counts reports whether an operation that started at t in ph is counted:
// after the guard and before the slice ended.
func (ph *phase) counts(t time.Time) bool {
	end := ph.ended.Load()
	return !t.Before(ph.countAt) && (end == 0 || t.UnixNano() < end)
}

// loop is closedLoop, or, with --paired-ceiling, pairedLoop.
func (e *env) loop(ctx context.Context, workers int, b *budget, op func(ctx context.Context, i int64) error) (samples, time.Duration) {
	if e.cfg.pairedSlice <= 0 {
		return closedLoop(ctx, workers, b, op)
	}
	return e.pairedLoop(ctx, workers, b, op)
}

// pairedLoop is closedLoop with the run cut into slices of --paired-ceiling,
// taking turns: in one, the workers repeat op; in the next,
// pairedCeilingWorkers goroutines of their own repeat GET /healthz, as the
// ceiling scenario does, on the same server (but see below). The speed of this machine's cores changes by a
// fifth or more from one ten-second run to the next, so a rate and a
// ceiling measured minutes apart can differ by that much for no reason in
// the code; slices a second long, taking turns, see the same machine. Each
// side counts only the operations it starts after the first pairedGuard of
// its slice, over that part's time. The latencies and the elapsed time
// returned are the scenario's counted ones; e.paired holds the ceiling's
// side and each side's CPU, which result.finish reports.
//
// A write scenario (respond, vote) leaves background work in its server
// (the checkpoint copying the WAL back), which the ceiling's slices would
// carry on the same server, letting the WAL start over at nearly every
// scenario slice: that favours the scenario. So for those the ceiling runs
// against a second server on a fresh database, and the scenario's server
// is stopped (SIGSTOP) during the ceiling's slices, its background work
// with it, and resumed (SIGCONT) for its own.
func (e *env) pairedLoop(ctx context.Context, workers int, b *budget, op func(ctx context.Context, i int64) error) (samples, time.Duration) {
	p := &pairing{slice: e.cfg.pairedSlice, guard: pairedGuard(e.cfg.pairedSlice)}
	e.paired = p
	ceilingBase := e.base
	if pairedStops(e.cfg.scenario) {
		t0 := time.Now()
		srv, err := startServer(ctx, e.cfg, "", e.mail.addr, e.stderr)
		// Its start is not the scenario's time: on a busy machine it can
		// take the whole of a short run. No worker has started yet.
		b.deadline = b.deadline.Add(time.Since(t0))
		if err != nil {
			fmt.Fprintf(e.stderr, "oursay-load: error: the paired ceiling's server: %v\n", err)
			return nil, 0
		}
		defer srv.stop()
		p.ceilingSrv, ceilingBase = srv, "http://"+srv.addr
	}
	var cur atomic.Pointer[phase]
	cur.Store(&phase{side: 0, countAt: time.Now().Add(p.guard), done: make(chan struct{})})
	spent := make(chan struct{}) // closed when the request limit is handed out
	var spentOnce sync.Once
	var all merged
	var wg sync.WaitGroup
	// The scenario's workers and the ceiling's are goroutines of their
	// own: a scenario request in flight when its server is stopped waits
	// for the next scenario slice and must not hold a ceiling client.
	for w := range workers + pairedCeilingWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine samples
			defer func() { all.addAll(mine) }()
			for {
				ph := cur.Load()
				switch {
				case ph.side == phaseStop:
					return
				case ctx.Err() != nil:
					<-ph.done // the controller ends the run
				case ph.side == 0 && w < workers:
					// In flight before checking the phase again: either the
					// controller, having switched, sees this operation and
					// waits for it, or this worker sees the switch.
					ph.inflight.Add(1)
					if cur.Load() != ph {
						ph.inflight.Add(-1)
						continue
					}
					i, ok := b.take(ctx)
					if !ok {
						ph.inflight.Add(-1)
						if b.spent() {
							spentOnce.Do(func() { close(spent) })
						}
						<-ph.done
						continue
					}
					t := time.Now()
					err := op(ctx, i)
					if err == nil && ph.counts(t) {
						mine.add(time.Since(t))
					}
					ph.inflight.Add(-1)
				case ph.side == 1 && w >= workers:
					t := time.Now()
					err := e.getAt(ctx, ceilingBase, "/healthz")
					switch {
					case !ph.counts(t):
					case err == nil:
						p.ceilingOps.Add(1)
					case ctx.Err() == nil:
						p.ceilingErrs.Add(1)
					}
				default:
					<-ph.done
				}
			}
		}()
	}
	e.pairSlices(ctx, b, &cur, spent)
	wg.Wait()
	return all.get(), p.time[0]
}

// pairSlices switches the paired loop's sides every slice until the budget
// is spent, noting each side's counted time and CPU (from the end of the
// slice's guard to its end), then stops the workers.
func (e *env) pairSlices(ctx context.Context, b *budget, cur *atomic.Pointer[phase], spent <-chan struct{}) {
	p := e.paired
	_, p.serverKnown = e.serverCPUNow()
	wait := func(until time.Time) bool { // false once the run is over
		if !until.Before(b.deadline) {
			until = b.deadline
		}
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		select {
		case <-t.C:
			return time.Now().Before(b.deadline)
		case <-ctx.Done():
		case <-spent:
		}
		return false
	}
	for {
		ph := cur.Load()
		going := wait(ph.countAt)
		counted := going
		var server0, tool0, server, tool time.Duration
		if counted {
			server0, tool0 = e.cpuNow()
			if ph.side == 1 && p.ceilingSrv != nil {
				p.stoppedChecks[0]++
				if e.srv.stopped() {
					p.stoppedChecks[1]++
				}
			}
			going = wait(ph.countAt.Add(p.slice - p.guard))
			server, tool = e.cpuNow()
		}
		end := time.Now()
		next := &phase{side: 1 - ph.side, countAt: end.Add(p.guard), done: make(chan struct{})}
		if !going {
			next.side = phaseStop
		}
		ph.ended.Store(end.UnixNano()) // before the switch: what starts later is not counted
		if p.ceilingSrv != nil && next.side != 1 {
			e.srv.pause(false) // before the scenario's clients go on, and at the end
		}
		cur.Store(next)
		close(ph.done)
		if p.ceilingSrv != nil && next.side == 1 {
			// Not while a vote or response is in flight: its latency would
			// hold the whole ceiling slice, which no voter ever waits.
			drainInflight(ph, p.guard)
			e.srv.pause(true)
		}
		if counted && end.After(ph.countAt) {
			p.slices[ph.side]++
			p.time[ph.side] += end.Sub(ph.countAt)
			p.serverCPU[ph.side] += server - server0
			p.toolCPU[ph.side] += tool - tool0
		}
		if next.side == phaseStop {
			return
		}
	}
}

// drainInflight waits, for at most limit, until none of the scenario's
// operations started in ph is still in flight.
func drainInflight(ph *phase, limit time.Duration) {
	for until := time.Now().Add(limit); ph.inflight.Load() > 0 && time.Now().Before(until); {
		time.Sleep(100 * time.Microsecond)
	}
}

// pairedStops reports whether a paired run of scenario stops its server
// during the ceiling's slices: a scenario that writes.
func pairedStops(scenario string) bool { return scenario == "respond" || scenario == "vote" }

// cpuNow is the CPU time the server and this tool have used so far. A
// failed read of the server's (it has exited) makes the paired loop's
// server CPU unknown.
func (e *env) cpuNow() (server, tool time.Duration) {
	server, ok := e.serverCPUNow()
	if !ok {
		e.paired.serverKnown = false
	}
	return server, toolCPU()
}
