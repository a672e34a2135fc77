package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestPairedLoop runs a paired loop against a server that counts its
// /healthz requests and watches which side is running: the scenario's
// operations and the ceiling's requests take turns, each side counts about
// 40% of the run (its half, less a fifth of each slice for the guard), the
// figures are each side's own, and the elapsed time returned is the
// scenario's counted time alone.
func TestPairedLoop(t *testing.T) {
	var healthz, opsRun, inOp, inHealthz, overlaps atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inHealthz.Add(1)
		defer inHealthz.Add(-1)
		if inOp.Load() > 0 {
			overlaps.Add(1)
		}
		healthz.Add(1)
		time.Sleep(200 * time.Microsecond)
	}))
	defer srv.Close()
	const workers, duration, slice = 8, 2 * time.Second, 100 * time.Millisecond
	e := &env{cfg: &config{duration: duration, pairedSlice: slice}, base: srv.URL, client: newClient(pairedCeilingWorkers)}
	start := time.Now()
	got, elapsed := e.loop(context.Background(), workers, &budget{deadline: start.Add(duration)}, func(ctx context.Context, i int64) error {
		inOp.Add(1)
		defer inOp.Add(-1)
		if inHealthz.Load() > 0 {
			overlaps.Add(1)
		}
		opsRun.Add(1)
		time.Sleep(time.Millisecond)
		return nil
	})
	total := time.Since(start)
	p := e.paired
	if p == nil {
		t.Fatal("no pairing recorded")
	}
	// Operations started in a guard run but are not counted.
	if n, all := int64(len(got)), opsRun.Load(); n > all*92/100 || n < all*65/100 {
		t.Errorf("%d latencies for %d operations, want about 80%%", n, all)
	}
	if n, all := p.ceilingOps.Load(), healthz.Load(); n > all*92/100 || n < all*65/100 || p.ceilingErrs.Load() != 0 {
		t.Errorf("ceiling ops %d, errors %d; the server answered %d, want about 80%% counted", n, p.ceilingErrs.Load(), all)
	}
	if elapsed != p.time[0] || elapsed < total*25/100 || elapsed > total*50/100 {
		t.Errorf("elapsed %v, scenario %v, ceiling %v, run %v: want the scenario's counted time, about 40%%", elapsed, p.time[0], p.time[1], total)
	}
	if d := p.time[0] + p.time[1]; d < total*70/100 || d > total*88/100 {
		t.Errorf("the sides' counted times add up to %v over a run of %v, want about 80%%", d, total)
	}
	if p.slices[0] < 8 || p.slices[0]-p.slices[1] > 1 || p.slices[1]-p.slices[0] > 1 {
		t.Errorf("slices %v, want about %d each, taking turns", p.slices, int(duration/slice/2))
	}
	// Only what was in flight at a switch may overlap the other side. How
	// many of the other side's requests start beside it depends on how long
	// it lingers, which a loaded machine stretches: about 530 of 42,000
	// here, up to 765 of 17,800 beside four busy loops, and 658 on a CI run
	// that failed a bound of 640. So the bound is a share: with the ceiling
	// never waiting its turn, 44,763 of 84,454 overlapped.
	if n, all := overlaps.Load(), opsRun.Load()+healthz.Load(); n > all/5 {
		t.Errorf("%d of %d operations ran beside the other side's, want under a fifth", n, all)
	}
	if p.serverKnown {
		t.Error("server CPU known for a server this tool did not start")
	}
}

// TestPairedLoop_RequestLimit: the loop ends as soon as the last of
// --requests is handed out, not at --duration, and the scenario's time
// stops there too.
func TestPairedLoop_RequestLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	e := &env{cfg: &config{duration: time.Minute, pairedSlice: 100 * time.Millisecond}, base: srv.URL, client: newClient(pairedCeilingWorkers)}
	var run atomic.Int64
	start := time.Now()
	got, elapsed := e.loop(context.Background(), 4, &budget{limit: 1000, deadline: start.Add(time.Minute)}, func(context.Context, int64) error {
		run.Add(1)
		time.Sleep(time.Millisecond)
		return nil
	})
	total := time.Since(start)
	if run.Load() != 1000 || len(got) == 0 || len(got) > 1000 {
		t.Errorf("%d operations run, %d counted; want the 1000 asked for run", run.Load(), len(got))
	}
	// 1000 operations of a millisecond over 4 workers need about 250 ms of
	// scenario slices, so some 600 ms in all.
	if total > 3*time.Second {
		t.Errorf("the loop took %v after its requests were spent", total)
	}
	// The scenario's counted time holds no wait for a slice to end: its
	// rate is that of 4 workers at about a millisecond an operation.
	if r := float64(len(got)) / elapsed.Seconds(); r < 4*1000*0.5 {
		t.Errorf("%d counted in %v = %.0f/s, want near 4,000/s", len(got), elapsed, r)
	}
}

// TestPairedLoop_SameOnBothSides: with the same request on both sides, as
// many clients each, the two rates agree: neither side is favoured.
func TestPairedLoop_SameOnBothSides(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		time.Sleep(2 * time.Millisecond)
	}))
	defer srv.Close()
	e := &env{cfg: &config{duration: 3 * time.Second, pairedSlice: 200 * time.Millisecond}, base: srv.URL, client: newClient(pairedCeilingWorkers)}
	got, elapsed := e.loop(context.Background(), pairedCeilingWorkers, &budget{deadline: time.Now().Add(3 * time.Second)}, func(ctx context.Context, _ int64) error {
		return e.get(ctx, "/healthz")
	})
	p := e.paired
	ratio := (float64(len(got)) / elapsed.Seconds()) / (float64(p.ceilingOps.Load()) / p.time[1].Seconds())
	if ratio < 0.8 || ratio > 1.25 {
		t.Errorf("scenario %d in %v, ceiling %d in %v: ratio %.3f, want about 1", len(got), elapsed, p.ceilingOps.Load(), p.time[1], ratio)
	}
}

func TestPairedCeiling_Flags(t *testing.T) {
	for _, args := range [][]string{
		{"--scenario", "sign", "--paired-ceiling", "1s"},
		{"--scenario", "vote", "--paired-ceiling", "10ms"},
		{"--scenario", "vote", "--paired-ceiling", "5s", "--duration", "10s"},
		{"--scenario", "vote", "--paired-ceiling", "1s", "--target", "http://127.0.0.1:1"},
	} {
		var stderr bytes.Buffer
		if err := run(context.Background(), args, &bytes.Buffer{}, &stderr); err == nil || !strings.Contains(err.Error()+stderr.String(), "paired-ceiling") {
			t.Errorf("run %v: %v, want a refusal naming --paired-ceiling", args, err)
		}
	}
}

// TestScenarios_Paired runs vote paired with the ceiling on real servers:
// the ceiling's figures are there, the CPU is the scenario's slices', and
// vote's server was found stopped in every ceiling slice checked, but only
// once no vote was in flight, so no vote's latency holds a stopped slice
// (half a second here).
func TestScenarios_Paired(t *testing.T) {
	got := smoke(t, "--scenario", "vote", "--duration", "3s", "--concurrency", "4", "--codes-count", "4000", "--paired-ceiling", "500ms")
	checks, _ := got["paired_stopped_checks"].([]any)
	if len(checks) != 2 || checks[0] == 0.0 || checks[0] != checks[1] {
		t.Errorf("paired_stopped_checks = %v, want [n n]: vote's server stopped in every ceiling slice", got["paired_stopped_checks"])
	}
	if c, _ := got["ceiling_paired_per_s"].(float64); c <= 0 {
		t.Errorf("ceiling_paired_per_s = %v, want a rate", got["ceiling_paired_per_s"])
	}
	if got["ceiling_paired_errors"] != 0.0 {
		t.Errorf("ceiling_paired_errors = %v", got["ceiling_paired_errors"])
	}
	if s, _ := got["elapsed_s"].(float64); s <= 0 || s > 1.8 {
		t.Errorf("elapsed_s = %v, want the vote slices' counted share of 3 s", got["elapsed_s"])
	}
	if m, _ := got["max_ms"].(float64); m <= 0 || m >= 400 {
		t.Errorf("max_ms = %v, want a vote's own time: none in flight while the server is stopped for 500 ms", got["max_ms"])
	}
	if c, _ := got["server_cpu_s"].(float64); c <= 0 {
		t.Errorf("server_cpu_s = %v, want the server's CPU in the vote slices", got["server_cpu_s"])
	}
}

// TestScenarios_PairedCodesUsedUp: a paired vote run that hands out every
// code before --duration says so, though the votes cast in its guards are
// not counted, so fewer votes are counted than there were codes.
func TestScenarios_PairedCodesUsedUp(t *testing.T) {
	got, out := smokeOut(t, "--scenario", "vote", "--duration", "10s", "--concurrency", "4", "--codes-count", "600", "--paired-ceiling", "500ms")
	if !strings.Contains(out, "note: every code was used before --duration ran out") {
		t.Errorf("no note that the 600 codes ran out:\n%s", out)
	}
	if n, _ := got["ops"].(float64); n <= 0 || n >= 600 {
		t.Errorf("ops = %v, want fewer than the 600 codes counted (some fell in a guard)", got["ops"])
	}
}

// TestPairedResult: a paired run's CPU figures are its scenario slices',
// and the ceiling's rate is its own operations over its own slices.
func TestPairedResult(t *testing.T) {
	p := &pairing{slice: time.Second, slices: [2]int{5, 5}, time: [2]time.Duration{5 * time.Second, 4 * time.Second},
		serverCPU: [2]time.Duration{3 * time.Second, 7 * time.Second}, toolCPU: [2]time.Duration{time.Second, 2 * time.Second}, serverKnown: true}
	p.ceilingOps.Store(80000)
	e := &env{cfg: &config{}, paired: p}
	r := &result{scenario: "vote"}
	r.finish(e)
	if r.serverCPU == nil || *r.serverCPU != 3 || r.toolCPU != 1 {
		t.Errorf("CPU server %v, tool %v; want the scenario slices' 3 and 1", fig(r.serverCPU), r.toolCPU)
	}
	extra := map[string]any{}
	for _, x := range r.extra {
		extra[x.k] = x.v
	}
	if extra["ceiling_paired_per_s"] != 20000.0 || extra["ceiling_paired_s"] != 4.0 {
		t.Errorf("ceiling figures %v, want 20000/s over 4 s", extra)
	}
}
