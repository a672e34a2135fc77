package live

import (
	"errors"
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
	on     atomic.Bool                      // see Hub.CacheBodies
	now    atomic.Pointer[func() time.Time] // see Source.Now; nil means time.Now

	mu      sync.Mutex
	entries map[string]cachedBody // by topic, or topic and variant (see BodyVariant)
	gen     map[string]uint64     // by topic, bumped by every drop: an entry of an older generation is stale
	// flights are the builds under way, by key and generation: a request
	// that finds one waits for it rather than building the same body too.
	// After each commit on a busy petition, every signer whose confirmation
	// it carried asks for the page at once.
	flights map[flightKey]*flight
}

type flightKey struct {
	key string
	gen uint64
}

type flight struct {
	done chan struct{} // closed when body and err are set
	body []byte
	err  error
}

type cachedBody struct {
	body  []byte
	built time.Time
	gen   uint64 // the topic's generation when the build began
}

// bodyCacheAge is how long a body may serve with no change announced.
const bodyCacheAge = time.Second

// bodyCacheMax bounds the entries: topics are petitions, and a council
// has hundreds at most; a flood of ids that do not exist is never cached.
const bodyCacheMax = 10_000

func newBodyCache() *bodyCache {
	return &bodyCache{maxAge: bodyCacheAge, entries: map[string]cachedBody{}, gen: map[string]uint64{},
		flights: map[flightKey]*flight{}}
}

// CacheBodies lets the hub keep read API bodies until the next change.
// Call it once every store's Publisher is this hub: a store that does not
// announce its commits would leave its readers a second behind.
func (h *Hub) CacheBodies() { h.bodies.on.Store(true) }

// Body returns the read API body of topic from the cache, or else builds
// it with build and keeps it until topic changes (at most a second). A
// build that fails is not kept; until CacheBodies, it always builds.
func (h *Hub) Body(topic string, build func() ([]byte, error)) ([]byte, error) {
	return h.bodies.get(topic, topic, build)
}

// BodyVariant is Body for another rendering of the same topic, such as
// its HTML page beside its JSON: each variant is kept apart, and a change
// to topic makes every variant stale.
func (h *Hub) BodyVariant(topic, variant string, build func() ([]byte, error)) ([]byte, error) {
	return h.bodies.get(topic+"\x00"+variant, topic, build)
}

// Steady is Body for a body no commit changes, such as a page that names a
// petition but shows no count: it is kept under key for at most a second,
// however many commits there are meanwhile, so a busy petition's changes
// do not have it rebuilt after each one. What such a page shows may be a
// second old, as any cached body may when nothing announces a change.
func (h *Hub) Steady(key string, build func() ([]byte, error)) ([]byte, error) {
	key = "steady\x00" + key // never a topic, so no Changed drops it
	return h.bodies.get(key, key, build)
}

// get returns the body cached under key for topic, or else builds it with
// build and keeps it unless topic changed meanwhile. A build that fails is
// not kept. Until CacheBodies, it always builds.
func (c *bodyCache) get(key, topic string, build func() ([]byte, error)) ([]byte, error) {
	if !c.on.Load() {
		return build()
	}
	now := time.Now
	if f := c.now.Load(); f != nil {
		now = *f
	}
	started := now()
	c.mu.Lock()
	e, ok := c.entries[key]
	gen := c.gen[topic]
	if ok && e.gen == gen && started.Sub(e.built) < c.maxAge && !started.Before(e.built) {
		c.mu.Unlock()
		return e.body, nil
	}
	// A build that began at this generation began after the last change
	// this request could have seen, so its body is as fresh as one built
	// now would be.
	fk := flightKey{key, gen}
	if f, ok := c.flights[fk]; ok {
		c.mu.Unlock()
		<-f.done
		return f.body, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.flights[fk] = f
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.flights, fk)
		if f.err == nil && c.gen[topic] == gen {
			if len(c.entries) >= bodyCacheMax {
				clear(c.entries)
			}
			c.entries[key] = cachedBody{body: f.body, built: started, gen: gen}
		}
		c.mu.Unlock()
		close(f.done)
	}()
	f.err = errBuildPanicked // until build returns
	f.body, f.err = build()
	if f.err != nil {
		return nil, f.err
	}
	return f.body, nil
}

// errBuildPanicked is what those waiting on a build that panicked get.
var errBuildPanicked = errors.New("live: building the body failed")

// drop makes every body of topic stale; the next request builds it afresh.
func (c *bodyCache) drop(topic string) {
	c.mu.Lock()
	delete(c.entries, topic)
	if _, ok := c.gen[topic]; ok || len(c.gen) < bodyCacheMax {
		c.gen[topic]++
	} else {
		// Forgetting the generations could let an old entry match a
		// restarted count, so the entries go too.
		clear(c.gen)
		clear(c.entries)
		c.gen[topic] = 1
	}
	c.mu.Unlock()
}
