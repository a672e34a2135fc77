package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// watchersPerAddr stays under the hub's cap on connections from one client
// address (32 by default). Watchers come from many loopback addresses,
// 127.1.0.1 upwards, as real watchers come from many homes.
const watchersPerAddr = 30

// watcher is one open petition page: a websocket that keeps every count
// it is sent, with when it arrived.
type watcher struct {
	conn    *websocket.Conn
	mu      sync.Mutex
	msgs    []watchMsg
	closing atomic.Bool
	drop    atomic.Bool
	once    sync.Once
	done    chan struct{}
}

type watchMsg struct {
	at    time.Time
	count int64
}

func (w *watcher) messages() []watchMsg {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.msgs
}

// dropped reports whether the server ended the connection during the run.
func (w *watcher) dropped() bool { return w.drop.Load() }

func (w *watcher) close() {
	w.once.Do(func() {
		w.closing.Store(true)
		w.conn.Close()
		<-w.done
	})
}

func closeWatchers(ws []*watcher) {
	for _, w := range ws {
		w.close()
	}
}

// connectWatchers opens n watchers on petition id, 64 handshakes at a time,
// each waiting for its first snapshot. It returns those that connected.
func (e *env) connectWatchers(ctx context.Context, id int64, n int) ([]*watcher, time.Duration, int64) {
	u := "ws" + strings.TrimPrefix(e.base, "http") + "/live?topic=petition:" + strconv.FormatInt(id, 10)
	errs := &errLog{w: e.stderr}
	out := make([]*watcher, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range min(64, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				w, err := dialWatcher(ctx, u, watcherAddr(i))
				if err != nil {
					errs.add("watcher %d: %v", i, err)
					continue
				}
				out[i] = w
			}
		}()
	}
	wg.Wait()
	connected := out[:0]
	for _, w := range out {
		if w != nil {
			connected = append(connected, w)
		}
	}
	return connected, time.Since(start), errs.n.Load()
}

// watcherAddr is the loopback source address of watcher i.
func watcherAddr(i int) net.IP {
	k := i / watchersPerAddr
	return net.IPv4(127, 1, byte(k/250), byte(k%250+1))
}

func dialWatcher(ctx context.Context, u string, from net.IP) (*watcher, error) {
	nd := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: from}}
	d := websocket.Dialer{NetDialContext: nd.DialContext, HandshakeTimeout: 10 * time.Second,
		ReadBufferSize: 512, WriteBufferSize: 256}
	conn, resp, err := d.DialContext(ctx, u, nil)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("%w (%s)", err, resp.Status)
		}
		return nil, err
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, first, err := conn.ReadMessage()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("first message: %w", err)
	}
	count, ok := parseCount(first)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("first message has no signature_count: %.200s", first)
	}
	conn.SetReadDeadline(time.Time{})
	w := &watcher{conn: conn, done: make(chan struct{}), msgs: []watchMsg{{time.Now(), count}}}
	go w.read()
	return w, nil
}

// read keeps each count until the connection ends. The client answers the
// server's pings inside ReadMessage.
func (w *watcher) read() {
	defer close(w.done)
	for {
		_, data, err := w.conn.ReadMessage()
		if err != nil {
			if !w.closing.Load() {
				w.drop.Store(true)
			}
			return
		}
		if count, ok := parseCount(data); ok {
			w.mu.Lock()
			w.msgs = append(w.msgs, watchMsg{time.Now(), count})
			w.mu.Unlock()
		}
	}
}

var countKey = []byte(`"signature_count":`)

// parseCount reads signature_count from a live message without a full
// JSON decode: ten thousand watchers decode forty thousand messages a
// second on the same two cores as the server.
func parseCount(msg []byte) (int64, bool) {
	i := bytes.Index(msg, countKey)
	if i < 0 {
		return 0, false
	}
	rest := bytes.TrimLeft(msg[i+len(countKey):], " ")
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return n, err == nil
}
