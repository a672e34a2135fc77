package live

import (
	"sync"
	"sync/atomic"
	"time"
)

// bodyCache keeps encoded response bodies by live topic ("petition:3"),
// so a petition that half the town is reloading is read from the database
// once per change rather than once per request. The stores tell the hub of
// every committed change (Hub.Changed), which drops that topic's body here
// too, so a reader never sees a count older than the last commit it could
// have seen without the cache. maxAge bounds what no commit announces:
// the status a page shows moves on when the signing window closes.
type bodyCache struct {
	maxAge time.Duration
	on     atomic.Bool // see Hub.CacheBodies

	mu      sync.Mutex
	entries map[string]cachedBody
	gen     map[string]uint64 // bumped by every drop, so a build that raced a change is not kept
}

type cachedBody struct {
	body  []byte
	built time.Time
}

// bodyCacheAge is how long a body may serve with no change announced.
const bodyCacheAge = time.Second

// bodyCacheMax bounds the entries: topics are petitions, and a council
// has hundreds at most; a flood of ids that do not exist is never cached.
const bodyCacheMax = 10_000

func newBodyCache() *bodyCache {
	return &bodyCache{maxAge: bodyCacheAge, entries: map[string]cachedBody{}, gen: map[string]uint64{}}
}

// CacheBodies lets the hub keep read API bodies until the next change.
// Call it once every store's Publisher is this hub: a store that does not
// announce its commits would leave its readers a second behind.
func (h *Hub) CacheBodies() { h.bodies.on.Store(true) }

// Body returns the read API body of topic from the cache, or else builds
// it with build and keeps it until topic changes (at most a second). A
// build that fails is not kept; until CacheBodies, it always builds.
func (h *Hub) Body(topic string, build func() ([]byte, error)) ([]byte, error) {
	return h.bodies.get(topic, build)
}

// get returns the body cached for topic, or else builds it with build and
// keeps it unless topic changed meanwhile. A build that fails is not kept.
// Until CacheBodies, it always builds.
func (c *bodyCache) get(topic string, build func() ([]byte, error)) ([]byte, error) {
	if !c.on.Load() {
		return build()
	}
	c.mu.Lock()
	e, ok := c.entries[topic]
	gen := c.gen[topic]
	c.mu.Unlock()
	if ok && time.Since(e.built) < c.maxAge {
		return e.body, nil
	}
	started := time.Now()
	body, err := build()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[topic] == gen {
		if len(c.entries) >= bodyCacheMax {
			clear(c.entries)
		}
		c.entries[topic] = cachedBody{body: body, built: started}
	}
	return body, nil
}

// drop forgets topic's body; the next request builds it afresh.
func (c *bodyCache) drop(topic string) {
	c.mu.Lock()
	delete(c.entries, topic)
	if _, ok := c.gen[topic]; ok || len(c.gen) < bodyCacheMax {
		c.gen[topic]++
	} else {
		clear(c.gen) // a generation lost here only lets one racing build be kept for maxAge
		c.gen[topic] = 1
	}
	c.mu.Unlock()
}
