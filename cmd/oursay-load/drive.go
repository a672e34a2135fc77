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
