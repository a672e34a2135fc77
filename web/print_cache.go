package web

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// printCache keeps rendered QR codes and poster PDFs in memory, so each is
// drawn once per item, size and version however often it is asked for:
// drawing a 1024-pixel QR code or a poster costs milliseconds of CPU and a
// few MiB, and a public URL can be asked for in a loop. Concurrent requests
// for the same key wait for one rendering. It holds at most maxBytes,
// dropping the least recently used entries first.
type printCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	order    *list.List // of *printEntry, most recently used first
	entries  map[string]*list.Element
	renders  int // how many renderings ran, for tests
}

type printEntry struct {
	key  string
	done chan struct{} // closed once b, etag and err are set
	b    []byte
	etag string
	err  error
	held bool // its bytes are counted in printCache.bytes (under mu)
}

// printCacheBytes bounds the cache: a 1024-pixel QR PNG is a few KiB and a
// poster PDF some tens, so this holds every print of hundreds of items.
const printCacheBytes = 32 << 20

func newPrintCache(maxBytes int) *printCache {
	return &printCache{maxBytes: maxBytes, order: list.New(), entries: map[string]*list.Element{}}
}

// get returns the bytes cached under key, and a strong ETag of them,
// calling render once if they are not there. A failed rendering is not
// kept: the next request tries again.
func (c *printCache) get(key string, render func() ([]byte, error)) ([]byte, string, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		e := el.Value.(*printEntry)
		c.mu.Unlock()
		<-e.done
		return e.b, e.etag, e.err
	}
	e := &printEntry{key: key, done: make(chan struct{})}
	c.entries[key] = c.order.PushFront(e)
	c.renders++
	c.mu.Unlock()

	e.b, e.err = render()
	if e.err == nil {
		sum := sha256.Sum256(e.b)
		e.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	}
	c.mu.Lock()
	c.settle(e)
	c.mu.Unlock()
	close(e.done)
	return e.b, e.etag, e.err
}

// settle counts a finished rendering, or forgets a failed one, then drops
// the least recently used entries while over maxBytes. An entry evicted
// while it rendered is not counted: it is no longer in the cache. Caller
// holds mu.
func (c *printCache) settle(e *printEntry) {
	el, ok := c.entries[e.key]
	if !ok || el.Value.(*printEntry) != e {
		return
	}
	if e.err != nil {
		c.order.Remove(el)
		delete(c.entries, e.key)
		return
	}
	c.bytes += len(e.b)
	e.held = true
	for c.bytes > c.maxBytes {
		last := c.order.Back().Value.(*printEntry)
		if last == e {
			break // one entry larger than the cache: keep it until the next
		}
		c.remove(last)
	}
}

// remove drops e. Caller holds mu.
func (c *printCache) remove(e *printEntry) {
	c.order.Remove(c.entries[e.key])
	delete(c.entries, e.key)
	if e.held { // one still rendering was never counted
		c.bytes -= len(e.b)
	}
}

// stats reports how many entries and bytes are held and how many
// renderings ran, for tests.
func (c *printCache) stats() (entries, bytes, renders int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.bytes, c.renders
}
