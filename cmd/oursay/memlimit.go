package main

import (
	"context"
	"runtime/debug"
	"time"
)

// Memory. serve collects garbage at GOGC 200 to spend less CPU on it (see
// serveGCPercent), which lets the heap grow to three times what is live,
// stacks included. With thousands of pages watching a count, what is live
// is mostly their connections, so the heap would grow by three times their
// size again. A soft limit (runtime/debug.SetMemoryLimit) holds the Go
// runtime near what it needs: --memory-limit MB, plus a little for each
// open live connection, followed as connections come and go. Nearing the
// limit the collector runs more often; it never refuses memory.
const (
	// serveMemoryLimitMB is serve's default --memory-limit: an idle server
	// on a million signatures holds some 20 MB of heap, and a busy one
	// some 30 MB more.
	serveMemoryLimitMB = 64
	// memoryPerLiveConn is the allowance for each open live connection:
	// what one holds (a reader's stack, its buffers and state) is some
	// 5 KiB.
	memoryPerLiveConn = 6 << 10
)

// memoryLimitEvery is how often the limit follows the connections.
var memoryLimitEvery = time.Second

// memoryLimit is the soft limit in bytes for baseMB and conns open live
// connections.
func memoryLimit(baseMB, conns int) int64 {
	return int64(baseMB)<<20 + int64(conns)*memoryPerLiveConn
}

// followMemoryLimit sets the limit for the connections open now, then
// again every memoryLimitEvery while the number changes, until ctx ends.
// set is debug.SetMemoryLimit outside tests.
func followMemoryLimit(ctx context.Context, baseMB int, conns func() int, set func(int64) int64) {
	last := -1
	t := time.NewTicker(memoryLimitEvery)
	defer t.Stop()
	for {
		if n := conns(); n != last {
			set(memoryLimit(baseMB, n))
			last = n
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

var setMemoryLimit = debug.SetMemoryLimit
