package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// printHammer is how many connections the one hammering client keeps busy
// on print routes: the 64 that took a server to 778 MB before issue 16.
const printHammer = 64

// runPrint has one client hammer the petition's print routes (QR codes of
// every size, the poster page and PDF) over printHammer connections while
// --concurrency readers fetch the petition's page. ops and the latencies
// are the page reads: what everyone else sees while print routes are under
// attack. The server keeps its rate limits on for this scenario (see
// serverProc.start), so the table also shows how many print requests were
// served, revalidated or refused with 429.
func runPrint(ctx context.Context, e *env) (*result, error) {
	p, err := e.petition(ctx)
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("/petitions/%d", p.ID)
	prints := []string{base + "/qr.png?size=1024", base + "/poster.pdf", base + "/qr.png", base + "/qr.svg",
		base + "/qr.png?size=256", base + "/poster"}
	hctx, stop := context.WithCancel(ctx)
	h := &hammer{client: newClient(printHammer), base: e.base, paths: prints}
	var wg sync.WaitGroup
	for i := range printHammer {
		wg.Add(1)
		go func() { defer wg.Done(); h.run(hctx, i) }()
	}
	errs := &errLog{w: e.stderr}
	all, elapsed := closedLoop(ctx, e.cfg.concurrency, newBudget(e.cfg), func(ctx context.Context, _ int64) error {
		err := e.get(ctx, base)
		if err != nil {
			errs.add("%v", err)
		}
		return err
	})
	stop()
	wg.Wait()
	h.client.CloseIdleConnections()
	r := &result{scenario: "print", ops: int64(len(all)), errors: errs.n.Load() + h.other.Load(), elapsed: elapsed, main: all,
		table: []series{{"GET " + base + " (while print routes are hammered)", all}, {"print routes, answered 200", h.ok.get()}}}
	r.set("petition", p.ID)
	r.set("concurrency", e.cfg.concurrency)
	r.set("hammer_connections", printHammer)
	r.set("print_200", h.n200.Load())
	r.set("print_304", h.n304.Load())
	r.set("print_429", h.n429.Load())
	r.set("print_other", h.other.Load())
	if _, p99, _ := all.quantiles(); p99 >= 50 {
		r.note("page p99 %.1f ms is over the 50 ms aim", p99)
	}
	return r, nil
}

// hammer is one client sending print requests back to back, revalidating
// with the ETag it last saw, as a cache would, half of the time.
type hammer struct {
	client                  *http.Client
	base                    string
	paths                   []string
	n200, n304, n429, other atomic.Int64
	ok                      merged
	etags                   sync.Map // path → ETag
}

func (h *hammer) run(ctx context.Context, worker int) {
	for i := worker; ctx.Err() == nil; i++ {
		path := h.paths[i%len(h.paths)]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.base+path, nil)
		if err != nil {
			return
		}
		if etag, ok := h.etags.Load(path); ok && i%2 == 0 {
			req.Header.Set("If-None-Match", etag.(string))
		}
		t := time.Now()
		resp, err := h.client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				h.other.Add(1)
			}
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			h.n200.Add(1)
			h.ok.add(time.Since(t))
			if etag := resp.Header.Get("ETag"); etag != "" {
				h.etags.Store(path, etag)
			}
		case http.StatusNotModified:
			h.n304.Add(1)
		case http.StatusTooManyRequests:
			h.n429.Add(1)
		default:
			h.other.Add(1)
		}
	}
}
