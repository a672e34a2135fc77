package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// runRead fetches a page and its JSON from --concurrency clients with
// keep-alive: for --read api, page or both (alternately), the petition's;
// for --read consultation or ballot, the first open one's page. ops counts
// every fetch; the table and api_per_s / page_per_s split them.
func runRead(ctx context.Context, e *env) (*result, error) {
	subject, paths, err := e.readPaths(ctx)
	if err != nil {
		return nil, err
	}
	pick := func(i int64) int64 { return i % 2 }
	switch e.cfg.readWhat {
	case "api":
		pick = func(int64) int64 { return 0 }
	case "page", "consultation", "ballot":
		pick = func(int64) int64 { return 1 }
	}
	var perPath [2]merged
	var okCount [2]atomic.Int64
	errs := &errLog{w: e.stderr}
	b := newBudget(e.cfg)
	all, elapsed := e.loop(ctx, e.cfg.concurrency, b, func(ctx context.Context, i int64) error {
		k := pick(i)
		t := time.Now()
		if err := e.get(ctx, paths[k]); err != nil {
			errs.add("%v", err)
			return err
		}
		perPath[k].add(time.Since(t))
		okCount[k].Add(1)
		return nil
	})
	r := &result{scenario: "read", ops: int64(len(all)), errors: errs.n.Load(), elapsed: elapsed, main: all,
		table: []series{{"GET " + paths[0], perPath[0].get()}, {"GET " + paths[1], perPath[1].get()}}}
	for _, x := range subject {
		r.set(x.k, x.v)
	}
	r.set("read", e.cfg.readWhat)
	r.set("concurrency", e.cfg.concurrency)
	r.set("api_per_s", rate(okCount[0].Load(), elapsed))
	r.set("page_per_s", rate(okCount[1].Load(), elapsed))
	return r, nil
}

// readPaths names what --read fetches: the JSON and the page of the
// petition, or of the first open consultation or ballot, with the figures
// that identify it for the result.
func (e *env) readPaths(ctx context.Context) ([]kv, [2]string, error) {
	switch e.cfg.readWhat {
	case "consultation":
		c, err := e.consultation(ctx)
		if err != nil {
			return nil, [2]string{}, err
		}
		return []kv{{"consultation", c.Slug}}, [2]string{"/api/consultations/" + c.Slug, "/consultations/" + c.Slug}, nil
	case "ballot":
		b, err := e.ballot(ctx)
		if err != nil {
			return nil, [2]string{}, err
		}
		return []kv{{"ballot", b.ID}}, [2]string{fmt.Sprintf("/api/ballots/%d", b.ID), fmt.Sprintf("/ballots/%d", b.ID)}, nil
	}
	p, err := e.petition(ctx)
	if err != nil {
		return nil, [2]string{}, err
	}
	return []kv{{"petition", p.ID}, {"signature_count", p.SignatureCount}},
		[2]string{fmt.Sprintf("/api/petitions/%d", p.ID), fmt.Sprintf("/petitions/%d", p.ID)}, nil
}

// runCeiling fetches /healthz: the HTTP limit of this machine, to compare
// read with in the same run.
func runCeiling(ctx context.Context, e *env) (*result, error) {
	errs := &errLog{w: e.stderr}
	b := newBudget(e.cfg)
	all, elapsed := closedLoop(ctx, e.cfg.concurrency, b, func(ctx context.Context, _ int64) error {
		err := e.get(ctx, "/healthz")
		if err != nil {
			errs.add("%v", err)
		}
		return err
	})
	r := &result{scenario: "ceiling", ops: int64(len(all)), errors: errs.n.Load(), elapsed: elapsed, main: all,
		table: []series{{"GET /healthz", all}}}
	r.set("concurrency", e.cfg.concurrency)
	return r, nil
}

// get fetches path and expects 200.
func (e *env) get(ctx context.Context, path string) error { return e.getAt(ctx, e.base, path) }

// getAt fetches path from the server at base and expects 200.
func (e *env) getAt(ctx context.Context, base, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return err
	}
	return e.send(req, http.StatusOK)
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(int64(float64(n)/d.Seconds()*10)) / 10
}
